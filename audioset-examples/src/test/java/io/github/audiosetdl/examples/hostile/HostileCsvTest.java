package io.github.audiosetdl.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile segments CSVs given to {@code audioset segments} in a child JVM with {@code -Xmx128m}: each ends
 * within seconds, with exit 1 and one line naming the file, the line and the value (issue 14, items 2, 4, 6).
 */
class HostileCsvTest {
    private static final String HEADER = "# Segments csv created Sun Mar  5 10:54:31 2017\n"
            + "# num_ytids=2, num_segs=2, num_unique_labels=1, num_positive_labels=2\n"
            + "# YTID, start_seconds, end_seconds, positive_labels\n"
            + "--4gqARaEJE, 0.000, 10.000, \"/m/068hy\"\n";

    @TempDir
    Path dir;

    private Path csv(String secondRow) throws IOException {
        Path file = dir.resolve("hostile.csv");
        Files.writeString(file, HEADER + secondRow + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Writes {@code head}, then {@code unit} repeated to about {@code bytes}, then {@code tail}. */
    private Path repeated(String name, String head, String unit, long bytes, String tail) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] block = unit.repeat(Math.max(1, 8192 / unit.length())).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block);
            }
            out.write(tail.getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    @ParameterizedTest(name = "start {0}")
    @CsvSource(delimiter = ';', value = {
        "1e-100000000; not a number",
        "1e-999999999; not a number",
        "1e+999999999; not a number",
        "0.0000000000000000000000000000000000000000000000001; not a number",
        "-1e5; negative",
        "1e999; too large"})
    void aHugeExponentOrDigitCountIsRefusedAtOnce(String start, String problem) throws Exception {
        Path file = csv("--BfvyPmVMo, " + start + ", 30.000, \"/m/068hy\"");
        ChildCli.Result r = ChildCli.run(dir, "segments", "--csv", file.toString());
        r.failsWithOneLine(file + ":5:", "start_seconds", problem, start);
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aSegmentLongerThanTenSecondsIsRefusedNamingTheLine() throws Exception {
        Path file = csv("--BfvyPmVMo, 0.000, 100000.000, \"/m/068hy\"");
        ChildCli.run(dir, "segments", "--csv", file.toString())
                .failsWithOneLine(file + ":5:", "100000.000 s long", "10.1 s", "0.000, 100000.000");
    }

    @Test
    void aTenSecondSegmentWithRoundingPasses() throws Exception {
        Path file = csv("--BfvyPmVMo, 20.000, 30.050, \"/m/068hy\"");
        ChildCli.Result r = ChildCli.run(dir, "segments", "--csv", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void aHugeFieldIsRefusedInBoundedMemory() throws Exception {
        Path file = repeated("huge-field.csv", HEADER + "--BfvyPmVMo, 20.000, 30.000, \"", "/m/068hy,", 120L << 20,
                "\"\n");
        ChildCli.run(dir, "segments", "--csv", file.toString())
                .failsWithOneLine(file + ":5:", "line longer than 65536 characters");
    }

    @Test
    void anEndlessCommentBlockIsRefused() throws Exception {
        Path file = repeated("comments.csv", "", "# a comment line that goes on\n", 8L << 20,
                "--BfvyPmVMo, 20.000, 30.000, \"/m/068hy\"\n");
        ChildCli.run(dir, "segments", "--csv", file.toString())
                .failsWithOneLine(file + ":", "comment lines longer than 1048576 characters in all");
    }
}
