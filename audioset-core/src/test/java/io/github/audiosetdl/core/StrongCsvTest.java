package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrongCsvTest {
    private static final String HEADER = "segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n";

    private static List<StrongRow> read(String text) throws IOException {
        try (Stream<StrongRow> s = StrongCsv.stream(new StringReader(text), "t.tsv")) {
            return s.toList();
        }
    }

    @Test
    void readsTheSample() throws IOException {
        Path sample = TestData.file("audioset/strong_sample.tsv");
        assertThat(StrongCsv.isStrong(sample)).isTrue();
        assertThat(StrongCsv.isStrong(TestData.evalSegments())).isFalse();
        List<StrongRow> rows;
        try (Stream<StrongRow> s = StrongCsv.stream(sample)) {
            rows = s.toList();
        }
        assertThat(rows).hasSize(6);
        StrongRow first = rows.get(0);
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.ytid()).isEqualTo("--4gqARaEJE");
        assertThat(first.segmentStartMs()).isZero();
        assertThat(first.event()).isEqualTo(new StrongEvent("/m/09x0r", 0.0, 1.534));
        assertThat(rows.get(3).segmentId()).isEqualTo("--BfvyPmVMo_20000");
        assertThat(rows).allMatch(StrongRow::present);
    }

    @Test
    void groupsTheSampleIntoSegmentsOf10sLabelledWithWeakMids() throws IOException {
        List<SegmentRow> segments;
        try (Stream<SegmentRow> s = StrongCsv.segments(TestData.file("audioset/strong_sample.tsv"),
                LabelIndex.audioSet())) {
            segments = s.toList();
        }
        assertThat(segments).extracting(r -> r.segment().ytid()).containsExactly("--4gqARaEJE", "--BfvyPmVMo",
                segments.get(2).segment().ytid());
        Segment first = segments.get(0).segment();
        assertThat(first.startMs()).isZero();
        assertThat(first.endMs()).isEqualTo(10_000);
        assertThat(segments.get(1).segment().startMs()).isEqualTo(20_000);
        assertThat(segments.get(1).segment().endMs()).isEqualTo(30_000);
        assertThat(segments).extracting(SegmentRow::row).containsExactly(0L, 1L, 2L);
        for (SegmentRow r : segments) {
            assertThat(r.segment().labelIds()).allMatch(LabelIndex.audioSet()::contains);
        }
    }

    @Test
    void aSelectionOfAStrongFileShardsAndFiltersItsSegments() throws IOException {
        Path sample = TestData.file("audioset/strong_sample.tsv");
        assertThat(SegmentSelection.builder(sample).build().count()).isEqualTo(3);
        SegmentSelection second = SegmentSelection.builder(sample).shard(Shard.of(1, 2)).build();
        try (Stream<SegmentRow> rows = second.stream()) {
            assertThat(rows.toList()).hasSize((int) second.count());
        }
        SegmentSelection speech = SegmentSelection.builder(sample).label("/m/09x0r").build();
        try (Stream<SegmentRow> rows = speech.stream()) {
            assertThat(rows.map(r -> r.segment().ytid()).toList()).containsExactly("--4gqARaEJE");
        }
    }

    @TempDir
    Path tmp;

    @Test
    void aLabelFilterSeesTheEventsMidsTheWeakIndexLacks() throws IOException {
        Path file = Files.writeString(tmp.resolve("s.tsv"), HEADER
                + "aaaaaaaaaa1_0\t1.0\t2.0\t/m/01dwxx\n" // Gull, seagull: a child of Bird, strong vocabulary only
                + "bbbbbbbbbb2_0\t1.0\t2.0\t/m/09x0r\n"
                + "cccccccccc3_0\t1.0\t2.0\t/m/015p6\n"); // Bird
        SegmentSelection birds = SegmentSelection.builder(file).label("/m/015p6").build();
        assertThat(birds.count()).isEqualTo(2);
        try (Stream<SegmentRow> rows = birds.stream()) {
            List<SegmentRow> list = rows.toList();
            assertThat(list).extracting(r -> r.segment().ytid()).containsExactly("aaaaaaaaaa1", "cccccccccc3");
            assertThat(list.get(0).segment().labelIds()).isEmpty(); // the rows' labels stay the weak ones
            assertThat(list).extracting(SegmentRow::row).containsExactly(0L, 2L);
        }
        assertThat(SegmentSelection.builder(file).label("/m/01dwxx").build().count()).isEqualTo(1);
        assertThatThrownBy(() -> SegmentStats.compute(SegmentSelection.builder(file).build()))
                .hasMessageContaining("temporally-strong label file");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByLineAndBadLinesCanBeSkipped() throws IOException {
        byte[] bad = (HEADER + "aaaaaaaaaa1_0\t1.0\t2.0\t/m/09x0r\n" + "bbbbbbbbbb2_0\t1.0\t2.0\t/m/\u00ff\n"
                + "cccccccccc3_0\t1.0\t2.0\tnot-a-number\n" + "dddddddddd4_0\t1.0\t2.0\t/m/09x0r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = Files.write(tmp.resolve("latin1.tsv"), bad);
        assertThat(StrongCsv.isStrong(file)).isTrue();
        assertThatThrownBy(() -> SegmentSelection.builder(file).build().count())
                .isInstanceOf(SegmentFormatException.class).hasMessageContaining("latin1.tsv:3")
                .hasMessageContaining("not UTF-8");
        List<SegmentFormatException> skipped = new java.util.ArrayList<>();
        SegmentSelection lenient = SegmentSelection.builder(file).options(SegmentCsvOptions.builder()
                .errorPolicy(ErrorPolicy.SKIP).errorListener(skipped::add).build()).build();
        try (Stream<SegmentRow> rows = lenient.stream()) {
            assertThat(rows.map(r -> r.segment().ytid()).toList()).containsExactly("aaaaaaaaaa1", "dddddddddd4");
        }
        assertThat(skipped).extracting(SegmentFormatException::getMessage).anyMatch(m -> m.contains("latin1.tsv:3"))
                .anyMatch(m -> m.contains("latin1.tsv:4"));
        // a byte order mark before the header: still a strong file
        Path bom = Files.write(tmp.resolve("bom.tsv"), ("\uFEFF" + HEADER + "aaaaaaaaaa1_0\t1.0\t2.0\t/m/09x0r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(StrongCsv.isStrong(bom)).isTrue();
        assertThat(SegmentSelection.builder(bom).build().count()).isEqualTo(1);
        // a weak CSV with a bad byte on its first data line: the line is named, not "Input length = 1"
        Path weak = Files.write(tmp.resolve("weak.csv"), "abcdefghij\u00ff, 0.000, 10.000, \"/m/09x0r\"\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(StrongCsv.isStrong(weak)).isFalse();
        assertThatThrownBy(() -> SegmentSelection.builder(weak).build().count()).hasMessageContaining("weak.csv:1");
    }

    @Test
    void readsAFramedPosnegFile() throws IOException {
        List<StrongRow> rows = read("segment_id\tstart_time_seconds\tend_time_seconds\tlabel\tpresent\n"
                + "abcdefghijk_30000\t0.000\t0.960\t/m/09x0r\tPRESENT\n"
                + "abcdefghijk_30000\t0.960\t1.920\t/m/09x0r\tNOT_PRESENT\n");
        assertThat(rows).extracting(StrongRow::present).containsExactly(true, false);
        assertThat(rows.get(1).segmentStartMs()).isEqualTo(30_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "too few fields | abcdefghijk_0\t0.0\t1.0 | expected 4 tab-separated fields",
        "short id | abcdefghij_0\t0.0\t1.0\t/m/09x0r | segment_id is not",
        "no start | abcdefghijk\t0.0\t1.0\t/m/09x0r | segment_id is not",
        "start too late | abcdefghijk_999999999\t0.0\t1.0\t/m/09x0r | segment start is later",
        "time not a number | abcdefghijk_0\tNaN\t1.0\t/m/09x0r | start_time_seconds is not a number",
        "negative time | abcdefghijk_0\t-1.0\t1.0\t/m/09x0r | start_time_seconds is not a number",
        "time past the segment | abcdefghijk_0\t0.0\t11.0\t/m/09x0r | end_time_seconds is after",
        "end before start | abcdefghijk_0\t2.0\t1.0\t/m/09x0r | end_time_seconds is before",
        "not a MID | abcdefghijk_0\t0.0\t1.0\tSpeech | label is not a MID"})
    void namesTheLineAndValueOfEachBadLine(String name, String line, String problem) {
        ThrowingCallable read = () -> read(HEADER + "abcdefghijk_0\t0.0\t1.0\t/m/09x0r\n\n" + line + "\n");
        assertThatThrownBy(read).isInstanceOfSatisfying(SegmentFormatException.class, e -> {
            assertThat(e.source()).isEqualTo("t.tsv");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.getMessage()).contains(problem);
        });
    }

    @Test
    void refusesABadHeaderABadPresentAndALongLine() {
        assertThatThrownBy(() -> read("YTID\tstart\n")).isInstanceOf(SegmentFormatException.class)
                .hasMessageContaining("expected the header");
        assertThatThrownBy(() -> read("")).isInstanceOf(SegmentFormatException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read("segment_id\tstart_time_seconds\tend_time_seconds\tlabel\tpresent\n"
                + "abcdefghijk_0\t0.0\t1.0\t/m/09x0r\tMAYBE\n")).isInstanceOfSatisfying(SegmentFormatException.class,
                        e -> assertThat(e.line()).isEqualTo(2)).hasMessageContaining("MAYBE");
        assertThatThrownBy(() -> read(HEADER + "x".repeat(StrongCsv.MAX_LINE_CHARS + 1) + "\n"))
                .isInstanceOfSatisfying(SegmentFormatException.class, e -> assertThat(e.line()).isEqualTo(2));
    }

    @Test
    void shipsThe456MidVocabularyAndCountsWhatFallsOutsideTheWeakIndex() {
        StrongVocabulary v = StrongVocabulary.audioSet();
        assertThat(v.size()).isEqualTo(456);
        assertThat(v.mids().get(0)).isEqualTo("/g/11b630rrvh");
        assertThat(v.displayName("/g/11b630rrvh")).contains("Kettle whistle");
        assertThat(v.indexOf("/m/09x0r")).isNotNegative();
        assertThat(v.countOutside(LabelIndex.audioSet())).isEqualTo(456 - 382);
        assertThat(v.indexOf("/m/nothere")).isEqualTo(-1);
    }

    @Test
    void refusesARepeatedOrBadVocabularyLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("v.tsv"), "/m/09x0r\tSpeech\n/m/09x0r\tSpeech again\n");
        assertThatThrownBy(() -> StrongVocabulary.read(file)).isInstanceOfSatisfying(SegmentFormatException.class,
                e -> assertThat(e.line()).isEqualTo(2)).hasMessageContaining("first on line 1");
        Path bad = Files.writeString(dir.resolve("b.tsv"), "/m/09x0r Speech\n");
        assertThatThrownBy(() -> StrongVocabulary.read(bad)).hasMessageContaining("found 1 field");
    }

    @Test
    void readsAVocabularyWithAByteOrderMarkAndNamesALineThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path bom = Files.writeString(dir.resolve("bom.tsv"), "\uFEFF/m/09x0r\tSpeech\n/m/0jbk\tAnimal\n");
        StrongVocabulary v = StrongVocabulary.read(bom);
        assertThat(v.mids()).containsExactly("/m/09x0r", "/m/0jbk");
        Path latin1 = Files.write(dir.resolve("latin1.tsv"),
                "/m/09x0r\tSpeech\n/m/0jbk\tCaf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> StrongVocabulary.read(latin1)).isInstanceOfSatisfying(SegmentFormatException.class,
                e -> assertThat(e.line()).isEqualTo(2)).hasMessageContaining("latin1.tsv")
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void summarisesAndReportsTheVocabularyDifference() throws IOException {
        String text = HEADER
                + "abcdefghijk_0\t0.0\t1.0\t/m/09x0r\n"
                + "abcdefghijk_0\t2.0\t3.0\t/m/09x0r\n"
                + "abcdefghijk_0\t0.0\t10.0\t/g/11b630rrvh\n"
                + "bbcdefghijk_10000\t0.0\t1.0\t/m/0zzzzzz\n";
        StrongSummary s;
        try (Stream<StrongRow> rows = StrongCsv.stream(new StringReader(text), "t.tsv")) {
            s = StrongSummary.of(rows, "t.tsv", StrongVocabulary.audioSet(), LabelIndex.audioSet());
        }
        assertThat(s.events()).isEqualTo(4);
        assertThat(s.segments()).isEqualTo(2);
        assertThat(s.uniqueLabels()).isEqualTo(3);
        assertThat(s.perLabel()).containsEntry("/m/09x0r", 2L);
        assertThat(s.outsideVocabulary()).containsOnlyKeys("/m/0zzzzzz");
        boolean kettleIsWeak = LabelIndex.audioSet().contains("/g/11b630rrvh");
        assertThat(s.outsideWeakIndex()).containsKey("/m/0zzzzzz").hasSize(kettleIsWeak ? 1 : 2);
    }

    @Test
    void indexesEventsPerClipAndCountsMidsOutsideTheVocabulary() throws IOException {
        String text = HEADER
                + "bbcdefghijk_10000\t0.5\t1.5\t/m/09x0r\n"
                + "bbcdefghijk_10000\t0.0\t1.0\t/m/0zzzzzz\n"
                + "abcdefghijk_0\t0.0\t10.0\t/g/11b630rrvh\n"
                + "abcdefghijk_20000\t2.25\t3.5\t/m/09x0r\n";
        StrongIndex index;
        try (Stream<StrongRow> rows = StrongCsv.stream(new StringReader(text), "t.tsv")) {
            index = StrongIndex.build(rows, "t.tsv", StrongVocabulary.audioSet());
        }
        assertThat(index.segments()).isEqualTo(3);
        assertThat(index.events()).isEqualTo(3);
        assertThat(index.outsideVocabulary()).containsExactlyEntriesOf(java.util.Map.of("/m/0zzzzzz", 1L));
        assertThat(index.events("bbcdefghijk", 10_000)).contains(List.of(new StrongEvent("/m/09x0r", 0.5, 1.5)));
        assertThat(index.events("abcdefghijk", 20_000)).contains(List.of(new StrongEvent("/m/09x0r", 2.25, 3.5)));
        assertThat(index.events("abcdefghijk", 0)).contains(List.of(new StrongEvent("/g/11b630rrvh", 0, 10)));
        assertThat(index.events("abcdefghijk", 10_000)).isEmpty();
        assertThat(index.events("abcdefghijl", 0)).isEmpty();
        assertThat(index.events("not an id", 0)).isEmpty();
    }

    @Test
    void refusesASegmentWhoseLinesAreSplit() {
        String text = HEADER
                + "abcdefghijk_0\t0.0\t1.0\t/m/09x0r\n"
                + "bbcdefghijk_0\t0.0\t1.0\t/m/09x0r\n"
                + "abcdefghijk_0\t2.0\t3.0\t/m/09x0r\n";
        assertThatThrownBy(() -> {
            try (Stream<StrongRow> rows = StrongCsv.stream(new StringReader(text), "t.tsv")) {
                StrongIndex.build(rows, "t.tsv", StrongVocabulary.audioSet());
            }
        }).isInstanceOfSatisfying(SegmentFormatException.class, e -> assertThat(e.line()).isEqualTo(4))
                .hasMessageContaining("from line 2")
                // the value is the segment named, not '' (ids with '-' and '_' and a start above 32 bits too)
                .hasMessageEndingWith("'abcdefghijk_0'");
        String other = HEADER
                + "-a_Z09zzzzz_86400000\t0.0\t1.0\t/m/09x0r\n"
                + "bbcdefghijk_0\t0.0\t1.0\t/m/09x0r\n"
                + "-a_Z09zzzzz_86400000\t2.0\t3.0\t/m/09x0r\n";
        assertThatThrownBy(() -> {
            try (Stream<StrongRow> rows = StrongCsv.stream(new StringReader(other), "t.tsv")) {
                StrongIndex.build(rows, "t.tsv", StrongVocabulary.audioSet());
            }
        }).isInstanceOfSatisfying(SegmentFormatException.class, e -> assertThat(e.value())
                .isEqualTo("-a_Z09zzzzz_86400000"));
    }
}
