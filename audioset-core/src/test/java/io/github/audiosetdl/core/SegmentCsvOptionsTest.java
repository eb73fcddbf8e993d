package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCsvOptionsTest {
    /**
     * Each file's bad lines are passed on once, in the order the readings meet them: a reading that stopped early
     * (a limit) and one that went on report the lines of the second after the first's.
     */
    @Test
    void reportingEachLineOncePassesEachLineOfEachFileOnce() {
        List<String> seen = new ArrayList<>();
        SegmentCsvOptions options = SegmentCsvOptions.builder().errorPolicy(ErrorPolicy.SKIP)
                .errorListener(e -> seen.add(e.source() + ":" + e.line())).build();
        SegmentCsvOptions once = options.reportingEachLineOnce();
        assertThat(once.errorPolicy()).isEqualTo(ErrorPolicy.SKIP);
        assertThat(once.labelIndex()).isSameAs(options.labelIndex());
        for (long[] reading : new long[][] {{3, 7}, {3, 7, 12}, {3, 7, 12}}) {
            for (long line : reading) {
                once.errorListener().accept(new SegmentFormatException("a.csv", line, "bad", "x"));
                once.errorListener().accept(new SegmentFormatException("b.tsv", line, "bad", "x"));
            }
        }
        assertThat(seen).containsExactly("a.csv:3", "b.tsv:3", "a.csv:7", "b.tsv:7", "a.csv:12", "b.tsv:12");
        options.errorListener().accept(new SegmentFormatException("a.csv", 3, "bad", "x"));
        assertThat(seen).as("the options it came from still pass every line").hasSize(7);
    }
}
