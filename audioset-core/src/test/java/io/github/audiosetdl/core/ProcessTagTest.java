package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A tag's parts are checked when it is made, so that its text reads back as the same tag. */
class ProcessTagTest {
    @Test
    void aTagReadsBackFromItsText() {
        ProcessTag tag = new ProcessTag("node-7", 4242, 1_700_000_000_000L);
        assertThat(ProcessTag.find("claim." + tag + ".tmp")).contains(tag);
        assertThat(ProcessTag.find(ProcessTag.current().toString())).contains(ProcessTag.current());
    }

    /** Before, such a tag was made, and its text read back as another tag (or none), or isGone() threw NPE. */
    @Test
    void partsThatCannotReadBackAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new ProcessTag("node~7", 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'node~7'");
        assertThatThrownBy(() -> new ProcessTag("", 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessTag("a".repeat(41), 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessTag("node", -1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pid -1");
        assertThatThrownBy(() -> new ProcessTag("node", 1, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startMillis -2");
        assertThatThrownBy(() -> new ProcessTag(null, 1, 2)).isInstanceOf(NullPointerException.class)
                .hasMessage("host");
    }
}
