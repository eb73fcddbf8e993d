package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeenIdsTest {
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String LAST = "AEIMQUYcgkosw048";

    @Test
    void aYouTubeIdIsItsSixtyFourBits() {
        assertThat(SeenIds.key("AAAAAAAAAAA")).isZero();
        assertThat(SeenIds.key("AAAAAAAAAAE")).isEqualTo(1);
        assertThat(SeenIds.key("AAAAAAAAABA")).isEqualTo(16);
        assertThat(SeenIds.key("__________8")).isEqualTo(-1L);
        assertThat(SeenIds.isYouTubeId("--PJHxphWEs")).isTrue();
        assertThat(SeenIds.isYouTubeId("--PJHxphWEt")).isFalse(); // the last character carries only 4 bits
        assertThat(SeenIds.isYouTubeId("shortid")).isFalse();
        assertThat(SeenIds.isYouTubeId("has.a.dot00")).isFalse();
    }

    @Test
    void theFirstRowOfEachIdIsKeptAcrossGrowthForEveryKindOfId() {
        Random random = new Random(42);
        SeenIds seen = new SeenIds();
        Map<String, Long> expected = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (long row = 0; row < 200_000; row++) {
            // every fifth row repeats one of the first few thousand ids, found again after the table grew
            String id = row % 5 == 4 ? order.get(random.nextInt(Math.min(order.size(), 5_000)))
                    : randomId(random, row);
            long first = seen.firstRow(id, row);
            Long known = expected.putIfAbsent(id, row);
            if (known == null) {
                order.add(id);
            }
            assertThat(first).as("%s at row %d", id, row).isEqualTo(known == null ? -1 : known);
        }
        assertThat(seen.size()).isEqualTo(expected.size());
    }

    @Test
    void hugeRowNumbersAreKeptExactly() {
        SeenIds seen = new SeenIds();
        assertThat(seen.firstRow("--PJHxphWEs", 5_000_000_000L)).isEqualTo(-1);
        assertThat(seen.firstRow("--PJHxphWEs", 5_000_000_001L)).isEqualTo(5_000_000_000L);
    }

    /** A YouTube id, or every seventh row a mirror's id of another shape. */
    private static String randomId(Random random, long row) {
        if (row % 7 == 3) {
            return "mirror-" + random.nextInt(1_000_000);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(BASE64URL.charAt(random.nextInt(64)));
        }
        return sb.append(LAST.charAt(random.nextInt(16))).toString();
    }
}
