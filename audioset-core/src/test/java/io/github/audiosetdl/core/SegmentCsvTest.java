package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.ErrorStreamCapture;
import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentCsvTest {
    private static final String GOOD = "--4gqARaEJE, 0.000, 10.000, \"/m/068hy,/m/07q6cd_,/m/0bt9lr,/m/0jbk\"";

    @Test
    void theDeclaredCountWarningIsGivenOncePerFileAndCountThoughTheFileIsReadAgain(@TempDir Path dir)
            throws Exception {
        Path csv = dir.resolve("head.csv");
        String header = "# Segments csv created Sun Mar  5 10:54:31 2017\n"
                + "# num_ytids=9, num_segs=9, num_unique_labels=1, num_positive_labels=9\n"
                + "# YTID, start_seconds, end_seconds, positive_labels\n";
        Files.writeString(csv, header + "--PJHxphWEs, 30.000, 40.000, \"/m/09x0r\"\n");
        String log = ErrorStreamCapture.capture(() -> {
            for (int read = 0; read < 3; read++) { // a run: count, download, pack
                try (Stream<SegmentRow> rows = SegmentCsv.stream(csv)) {
                    assertThat(rows.count()).isEqualTo(1);
                }
            }
        });
        assertThat(ErrorStreamCapture.count(log, "declares num_segs=9 but the file has 1 data rows")).isEqualTo(1);

        // the file changed: its new count is news
        Files.writeString(csv, header + "--PJHxphWEs, 30.000, 40.000, \"/m/09x0r\"\n"
                + "--ZhevVpy1s, 50.000, 60.000, \"/m/09x0r\"\n");
        String again = ErrorStreamCapture.capture(() -> {
            try (Stream<SegmentRow> rows = SegmentCsv.stream(csv)) {
                assertThat(rows.count()).isEqualTo(2);
            }
        });
        assertThat(ErrorStreamCapture.count(again, "declares num_segs=9 but the file has 2 data rows")).isEqualTo(1);
    }

    @Test
    void readsTheEvalSegmentsFileAsItsHeaderSays() throws IOException {
        Path csv = TestData.evalSegments();
        long rows = 0;
        long occurrences = 0;
        long shorter = 0;
        long dashIds = 0;
        Set<String> unique = new HashSet<>();
        SegmentCsvHeader header;
        try (SegmentCsv reader = SegmentCsv.open(csv)) {
            header = reader.header();
            for (SegmentRow row : reader) {
                Segment s = row.segment();
                assertThat(row.row()).isEqualTo(rows);
                assertThat(row.line()).isEqualTo(rows + 4);
                rows++;
                occurrences += s.labelIds().size();
                unique.addAll(s.labelIds());
                if (s.durationMs() < 10_000) {
                    shorter++;
                }
                if (s.ytid().startsWith("-")) {
                    dashIds++;
                }
            }
            assertThat(reader.rowsRead()).isEqualTo(rows);
        }
        assertThat(rows).isEqualTo(20_371);
        assertThat(header.numSegs()).hasValue(20_371);
        assertThat(header.count("num_unique_labels")).hasValue(527);
        assertThat(header.count("num_positive_labels")).hasValue(51_804);
        assertThat(occurrences).isEqualTo(51_804);
        assertThat(unique).hasSize(527);
        assertThat(shorter).isEqualTo(361);
        assertThat(dashIds).isEqualTo(392);
    }

    @Test
    void keepsIdsThatStartWithADashAndExactMilliseconds() throws IOException {
        try (Stream<SegmentRow> rows = SegmentCsv.stream(TestData.evalSegments())) {
            List<Segment> first = rows.limit(2).map(SegmentRow::segment).toList();
            assertThat(first.get(0)).isEqualTo(new Segment("--4gqARaEJE", 0, 10_000,
                    List.of("/m/068hy", "/m/07q6cd_", "/m/0bt9lr", "/m/0jbk")));
            assertThat(first.get(1)).isEqualTo(new Segment("--BfvyPmVMo", 20_000, 30_000, List.of("/m/03l9g")));
        }
    }

    @Test
    void mirrorReserialisationParsesToTheSameSegments(@TempDir Path dir) throws IOException {
        List<Segment> original;
        try (Stream<SegmentRow> rows = SegmentCsv.stream(TestData.evalSegments())) {
            original = rows.map(SegmentRow::segment).toList();
        }
        Path mirror = dir.resolve("eval_mirror.csv");
        try (Writer w = Files.newBufferedWriter(mirror, StandardCharsets.UTF_8)) {
            w.write("YTID,start_seconds,end_seconds,positive_labels\n");
            for (Segment s : original) {
                w.write(s.ytid() + "," + s.startSeconds() + "," + s.endSeconds() + ",\""
                        + String.join(",", s.labelIds()) + "\"\n");
            }
        }
        List<Segment> reread;
        try (SegmentCsv reader = SegmentCsv.open(mirror)) {
            assertThat(reader.header()).isEqualTo(SegmentCsvHeader.EMPTY);
            reread = reader.stream().map(SegmentRow::segment).toList();
        }
        assertThat(reread).isEqualTo(original);
    }

    @Test
    void streamsLazilyAndClosesTheFile(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, GOOD + "\nnot a row at all\n");
        try (Stream<SegmentRow> rows = SegmentCsv.stream(csv)) {
            // the bad second row is never parsed when only the first is taken
            assertThat(rows.limit(1).count()).isEqualTo(1);
        }
        Files.delete(csv); // fails on some systems if still open; always checks we got here
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            field count   | `abcdefghijk, 0.000, 10.000`                 | expected 4 fields | abcdefghijk,0.000,10.000
            start NaN     | `abcdefghijk, zero, 10.000, "/m/09x0r"`      | start_seconds is not a number | zero
            end NaN       | `abcdefghijk, 0.000, 1O.000, "/m/09x0r"`     | end_seconds is not a number | 1O.000
            end < start   | `abcdefghijk, 20.000, 10.000, "/m/09x0r"`    | is not after start_seconds 20.000 | 10.000
            end = start   | `abcdefghijk, 10.000, 10.000, "/m/09x0r"`    | is not after start_seconds 10.000 | 10.000
            start < 0     | `abcdefghijk, -1.000, 10.000, "/m/09x0r"`    | start_seconds is negative | -1.000
            short id      | `abcdefghij, 0.000, 10.000, "/m/09x0r"`      | invalid YouTube id | abcdefghij
            id character  | `abcdefgh/jk, 0.000, 10.000, "/m/09x0r"`     | invalid YouTube id | abcdefgh/jk
            unknown label | `abcdefghijk, 0, 10, "/m/09x0r,/m/nope"`     | MID is not in the label index | /m/nope
            empty label   | `abcdefghijk, 0, 10, "/m/09x0r,,/m/0jbk"`    | empty label | /m/09x0r,,/m/0jbk
            """)
    void badRowNamesFileLineAndValue(String name, String badRow, String problem, String value) throws IOException {
        String text = "# a comment\n" + GOOD + "\n\n" + badRow + "\n" + GOOD + "\n";
        try (SegmentCsv reader = SegmentCsv.open(new StringReader(text), "bad.csv", SegmentCsvOptions.defaults())) {
            assertThatThrownBy(() -> reader.stream().count())
                    .isInstanceOfSatisfying(SegmentFormatException.class, e -> {
                        assertThat(e.source()).isEqualTo("bad.csv");
                        assertThat(e.line()).isEqualTo(4);
                        assertThat(e.value()).isEqualTo(value);
                        assertThat(e.getMessage()).startsWith("bad.csv:4: ").contains(problem)
                                .endsWith("'" + value + "'");
                    });
        }
    }

    @Test
    void skipPolicyReportsEveryBadRowAndKeepsTheRest() throws IOException {
        String text = GOOD + "\nshort, 0, 10, \"/m/09x0r\"\n" + GOOD + "\nabcdefghijk, x, 10, \"/m/09x0r\"\n" + GOOD;
        List<SegmentFormatException> errors = new ArrayList<>();
        SegmentCsvOptions options = SegmentCsvOptions.builder().errorPolicy(ErrorPolicy.SKIP)
                .errorListener(errors::add).build();
        try (SegmentCsv reader = SegmentCsv.open(new StringReader(text), "mixed.csv", options)) {
            List<SegmentRow> rows = reader.stream().toList();
            assertThat(rows).extracting(SegmentRow::row).containsExactly(0L, 2L, 4L);
            assertThat(rows).extracting(SegmentRow::line).containsExactly(1L, 3L, 5L);
            assertThat(reader.rowsRead()).isEqualTo(5);
            assertThat(reader.rowsSkipped()).isEqualTo(2);
        }
        assertThat(errors).extracting(SegmentFormatException::line).containsExactly(2L, 4L);
        assertThat(errors).extracting(SegmentFormatException::value).containsExactly("short", "x");
    }

    @Test
    void unknownLabelsCanBeAcceptedWithACustomIndexOrNone() throws IOException {
        String text = "abcdefghijk, 0, 10, \"/m/custom\"\n";
        SegmentCsvOptions lenient = SegmentCsvOptions.builder().checkLabels(false).build();
        try (SegmentCsv reader = SegmentCsv.open(new StringReader(text), "c.csv", lenient)) {
            assertThat(reader.stream().map(r -> r.segment().labelIds()).toList())
                    .containsExactly(List.of("/m/custom"));
        }
        LabelIndex custom = LabelIndex.read(new StringReader("index,mid,display_name\n0,/m/custom,Custom\n"), "mine");
        SegmentCsvOptions withIndex = SegmentCsvOptions.builder().labelIndex(custom).build();
        try (SegmentCsv reader = SegmentCsv.open(new StringReader(text), "c.csv", withIndex)) {
            assertThat(reader.stream().count()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"30.000,30000", "30,30000", "30.5,30500", "0.25,250", "3e1,30000", "1.0004,1000", "1.0005,1001",
        "12.345678,12346"})
    void parsesSecondsToMilliseconds(String seconds, long millis) throws IOException {
        // a start 5 s or less before the end: longer segments are refused
        String text = "abcdefghijk, " + Math.max(0, millis / 1000 - 5) + ", " + seconds + ", \"/m/09x0r\"\n";
        try (SegmentCsv reader = SegmentCsv.open(new StringReader(text), "t.csv", SegmentCsvOptions.defaults())) {
            assertThat(reader.stream().map(r -> r.segment().endMs()).toList()).containsExactly(millis);
        }
    }

    @Test
    void aGzipFileIsNamedAsSuchNotDumpedAsARow() {
        Path gz = TestData.file("audioset/eval_segments.csv.gz");
        assertThatThrownBy(() -> SegmentCsv.open(gz)).isInstanceOf(SegmentFormatException.class)
                .hasMessage(gz + ":1: a gzip-compressed file (it starts with the bytes 1f 8b): decompress it first,"
                        + " e.g. gunzip -k " + gz);
    }

    @Test
    void theHeaderOfAFileWithoutRowsIsRead(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("header-only.csv");
        Files.write(csv, Files.readAllLines(TestData.evalSegments()).stream().limit(3).toList());
        try (SegmentCsv reader = SegmentCsv.open(csv)) {
            assertThat(reader.header().comments()).hasSize(3);
            assertThat(reader.header().numSegs()).hasValue(20_371);
            assertThat(reader.stream()).isEmpty();
        }
    }

    @Test
    void headerIsReadWithoutConsumingARow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("head.csv");
        List<String> lines = Files.readAllLines(TestData.evalSegments()).stream().limit(13).toList();
        Files.write(csv, lines);
        try (SegmentCsv reader = SegmentCsv.open(csv)) {
            assertThat(reader.header().comments()).hasSize(3);
            assertThat(reader.header().numSegs()).hasValue(20_371);
            assertThat(reader.stream().map(r -> r.segment().ytid()).collect(Collectors.toList()))
                    .hasSize(10).first().isEqualTo("--4gqARaEJE");
            assertThat(reader.isExhausted()).isTrue();
            assertThat(reader.rowsRead()).isEqualTo(10);
        }
    }

    @Test
    void aByteOrderMarkIsSkippedAndBrokenBytesOrQuotesNameTheFileAndLine(@TempDir Path dir) throws IOException {
        Path bom = dir.resolve("bom.csv");
        Files.writeString(bom, "\uFEFFYTID,start_seconds,end_seconds,positive_labels\n"
                + "--PJHxphWEs,30.000,40.000,\"/m/09x0r\"\n", StandardCharsets.UTF_8);
        try (Stream<SegmentRow> rows = SegmentCsv.stream(bom)) {
            assertThat(rows.map(r -> r.segment().ytid())).containsExactly("--PJHxphWEs");
        }

        Path latin = dir.resolve("latin1.csv");
        byte[] good = "--PJHxphWEs, 30.000, 40.000, \"/m/09x0r\"\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = "abcdefghijk, 1.000, 11.000, \"/m/09x0r,caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1);
        try (var out = Files.newOutputStream(latin)) {
            for (int i = 0; i < 2000; i++) { // past the reader's first buffer, so the line must still be exact
                out.write(good);
            }
            out.write(bad);
        }
        assertThatThrownBy(() -> {
            try (Stream<SegmentRow> rows = SegmentCsv.stream(latin)) {
                rows.forEach(r -> { });
            }
        }).isInstanceOf(SegmentFormatException.class).hasMessageStartingWith(latin + ":2001: bytes that are not UTF-8");

        Path quote = dir.resolve("quote.csv");
        Files.writeString(quote, "--PJHxphWEs, 30.000, 40.000, \"/m/09x0r\"\nabcdefghijk, 1, 11, \"/m/09x0r\n");
        assertThatThrownBy(() -> {
            try (Stream<SegmentRow> rows = SegmentCsv.stream(quote)) {
                rows.forEach(r -> { });
            }
        }).isInstanceOf(SegmentFormatException.class).hasMessageStartingWith(quote + ":")
                .hasMessageContaining("malformed CSV").hasMessageNotContaining("''");
    }

    @Test
    void iteratesOnlyOnce() throws IOException {
        try (SegmentCsv reader = SegmentCsv.open(new StringReader(GOOD), "x", SegmentCsvOptions.defaults())) {
            reader.iterator();
            assertThatThrownBy(reader::iterator).isInstanceOf(IllegalStateException.class);
        }
    }
}
