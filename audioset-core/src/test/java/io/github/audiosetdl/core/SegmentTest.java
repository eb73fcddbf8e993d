package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentTest {
    @ParameterizedTest
    @ValueSource(strings = {"--4gqARaEJE", "-0RWZT-miFs", "abcdefghijk", "A_B-C_D-E_F", "01234567890"})
    void acceptsValidIds(String id) {
        assertThat(Segment.isValidId(id)).isTrue();
        assertThat(new Segment(id, 0, 10_000, List.of()).wavFileName()).isEqualTo("YT_" + id + ".wav");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "abcdefghijkl", "abc/efghijk", "../../etc/p", "abc efghijk",
        "abcdefghij\u00e9", "abc;rm -rf/"})
    void rejectsInvalidIds(String id) {
        assertThat(Segment.isValidId(id)).isFalse();
        assertThatThrownBy(() -> new Segment(id, 0, 10_000, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + id + "'");
    }

    @Test
    void rejectsBadTimes() {
        assertThatThrownBy(() -> new Segment("abcdefghijk", 10, 10, List.of()))
                .hasMessageContaining("endMs 10 <= startMs 10");
        assertThatThrownBy(() -> new Segment("abcdefghijk", -1, 10, List.of())).hasMessageContaining("startMs -1");
    }

    @Test
    void copiesLabels() {
        List<String> labels = new ArrayList<>(List.of("/m/09x0r"));
        Segment s = new Segment("abcdefghijk", 1_500, 11_500, labels);
        labels.add("/m/0jbk");
        assertThat(s.labelIds()).containsExactly("/m/09x0r");
        assertThat(s.startSeconds()).isEqualTo(1.5);
        assertThat(s.durationMs()).isEqualTo(10_000);
    }
}
