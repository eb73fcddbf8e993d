package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentSelectionTest {
    private final Path eval = TestData.evalSegments();

    /** Under SKIP each bad line is reported by one shard: the one whose rows follow it (the last, after all). */
    @Test
    void eachBadLineIsReportedByOneShardUnderSkip(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(List.of("# YTID, start_seconds, end_seconds, positive_labels"));
        List<Long> bad = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i % 4 == 1) { // bad lines among the rows, before the first and after the last
                bad.add((long) lines.size() + 1);
                lines.add("not a row " + i);
            }
            lines.add(String.format("seg%08d, 0.000, 10.000, \"/m/09x0r\"", i));
        }
        bad.add((long) lines.size() + 1);
        lines.add("not a row at the end");
        Path csv = Files.write(dir.resolve("bad.csv"), lines);
        List<Long> reported = new ArrayList<>();
        long rows = 0;
        for (int job = 0; job < 4; job++) {
            List<Long> mine = new ArrayList<>();
            SegmentCsvOptions options = SegmentCsvOptions.builder().errorPolicy(ErrorPolicy.SKIP)
                    .errorListener(e -> mine.add(e.line())).build();
            try (Stream<SegmentRow> s = SegmentSelection.builder(csv).options(options).shard(Shard.of(job, 4))
                    .build().stream()) {
                rows += s.count();
            }
            assertThat(mine).as("job %d reports only lines after the rows of the jobs before it", job)
                    .isSorted().doesNotHaveDuplicates();
            reported.addAll(mine);
        }
        assertThat(rows).isEqualTo(30);
        assertThat(reported).as("every bad line once across the jobs (the last line: by the last job, which reads"
                + " to the end)").containsExactlyInAnyOrderElementsOf(bad);
    }

    @Test
    void labelFilterIncludesDescendants() throws IOException {
        // Counted independently with Python over the raw file: rows with Dog or one of its 7 descendants.
        assertThat(SegmentSelection.builder(eval).label("Dog").build().count()).isEqualTo(320);
        assertThat(SegmentSelection.builder(eval).label("/m/04rlf").build().count()).isEqualTo(7848);
        try (Stream<SegmentRow> rows = SegmentSelection.builder(eval).label("dog").build().stream()) {
            assertThat(rows).allSatisfy(r -> assertThat(r.segment().labelIds()).containsAnyElementsOf(
                    List.of("/m/0bt9lr", "/m/05tny_", "/m/07qf0zm", "/m/07r_k2n", "/m/07rc7d9", "/m/07srf8z",
                            "/m/0ghcn6", "/t/dd00136")));
        }
    }

    @Test
    void shardsOfASelectionPartitionIt() throws IOException {
        List<Long> whole;
        SegmentSelection all = SegmentSelection.builder(eval).label("Dog").build();
        try (Stream<SegmentRow> rows = all.stream()) {
            whole = rows.map(SegmentRow::row).toList();
        }
        List<Long> joined = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            SegmentSelection job = SegmentSelection.builder(eval).label("Dog").shard(Shard.of(i, 7)).build();
            try (Stream<SegmentRow> rows = job.stream()) {
                List<Long> part = rows.map(SegmentRow::row).toList();
                assertThat(part).hasSizeBetween(45, 46);
                assertThat((long) part.size()).isEqualTo(job.count());
                joined.addAll(part);
            }
        }
        assertThat(joined).isEqualTo(whole);
    }

    @Test
    void aCountOnAnInterruptedThreadStopsAtOnceAndKeepsTheInterrupt() {
        // a cancel (AudioSetPipeline.cancel, Ctrl-C) during the count of a huge CSV was honoured only once the
        // whole file had been read: the count ignored the interrupt, and reading a file does not notice it
        for (SegmentSelection selection : List.of(SegmentSelection.builder(eval).build(),
                SegmentSelection.builder(eval).shard(Shard.of(1, 3)).build())) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(selection::count).isInstanceOf(InterruptedIOException.class)
                        .hasMessageContaining(eval.getFileName().toString()).hasMessageContaining("line 4");
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
                if (!selection.shard().isAll()) {
                    assertThatThrownBy(selection::stream).as("a shard's stream counts first")
                            .isInstanceOf(InterruptedIOException.class);
                }
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void anInterruptedCountOfAStrongFileWithALabelNoSegmentHasStopsAtOnce(@TempDir Path dir) throws IOException {
        // the interrupt was checked only at the segments the filter kept: with a label no segment has, the count
        // read the whole file and returned 0
        StringBuilder b = new StringBuilder("segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n");
        for (int i = 0; i < 50_000; i++) {
            b.append(String.format("clip%07d_0\t0.0\t1.0\t/m/09x0r\n", i));
        }
        Path strong = Files.writeString(dir.resolve("strong.tsv"), b);
        SegmentSelection dogs = SegmentSelection.builder(strong).label("Dog").build();
        assertThat(dogs.count()).isZero();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(dogs::count).isInstanceOf(InterruptedIOException.class)
                    .hasMessageContaining("strong.tsv").hasMessageContaining("line 2");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void limitAppliesBeforeSharding() throws IOException {
        SegmentSelection job = SegmentSelection.builder(eval).limit(10).shard(Shard.of(1, 2)).build();
        try (Stream<SegmentRow> rows = job.stream()) {
            assertThat(rows.map(SegmentRow::row)).containsExactly(5L, 6L, 7L, 8L, 9L);
        }
        assertThat(SegmentSelection.builder(eval).limit(0).build().count()).isZero();
    }

    @Test
    void unknownLabelFilterFailsAtBuild() {
        assertThatThrownBy(() -> SegmentSelection.builder(eval).label("Not a class").build())
                .isInstanceOf(OntologyException.class).hasMessageContaining("'Not a class'");
    }

    @Test
    void statsSummariseTheFileAndTheSelection() throws IOException {
        SegmentStats all = SegmentStats.compute(SegmentSelection.builder(eval).build());
        assertThat(all.rows()).isEqualTo(20_371);
        assertThat(all.labelOccurrences()).isEqualTo(51_804);
        assertThat(all.uniqueLabels()).isEqualTo(527);
        assertThat(all.shorterThan10s()).isEqualTo(361);
        assertThat(all.selected()).isEqualTo(20_371);
        assertThat(all.perLabel().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(51_804);
        SegmentStats dogs = SegmentStats.compute(SegmentSelection.builder(eval).label("Dog")
                .shard(Shard.of(0, 2)).build());
        assertThat(dogs.rows()).isEqualTo(20_371);
        assertThat(dogs.selected()).isEqualTo(160);
        assertThat(dogs.perLabel()).containsKey("/m/0bt9lr");
        assertThat(dogs.perLabel().values().iterator().next()).isGreaterThanOrEqualTo(
                dogs.perLabel().get("/m/0bt9lr"));
    }

    @Test
    void aMidRepeatedInARowCountsOnceAndHugeTimesAreRefusedHoweverWritten(@TempDir Path dir) throws IOException {
        Path twice = Files.writeString(dir.resolve("twice.csv"), "abcdefghijk, 0.000, 10.000, \"/m/068hy,/m/068hy\"\n");
        SegmentStats s = SegmentStats.compute(SegmentSelection.builder(twice).build());
        assertThat(s.perLabel()).containsEntry("/m/068hy", 1L);
        assertThat(s.labelOccurrences()).isEqualTo(1);
        for (String start : List.of("999999999999990", "9.99999999999990e14")) {
            Path huge = Files.writeString(dir.resolve("huge.csv"), "abcdefghijk, " + start + ", 999999999999999,"
                    + " \"/m/068hy\"\n");
            assertThatThrownBy(() -> SegmentStats.compute(SegmentSelection.builder(huge).build())).as(start)
                    .hasMessageContaining("huge.csv:1").hasMessageContaining("too large");
        }
    }
}
