package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.ToolNotFoundException;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** What the command line says, and the exit code, when an option or a path is wrong. */
class CliErrorsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** slurm's help leaves out the shared options it refuses and says what --jobs means; download's keeps them. */
    @Test
    void slurmsHelpListsOnlyTheOptionsItTakes() {
        assertThat(run("slurm", "--help")).isZero();
        assertThat(out.toString()).doesNotContain("--dry-run").doesNotContain("--job-index")
                .contains("Tasks of the download array (default: 1).").doesNotContain("SLURM_ARRAY_TASK_COUNT");
        assertThat(run("download", "--help")).isZero();
        assertThat(out.toString()).contains("--dry-run").contains("--job-index").contains("SLURM_ARRAY_TASK_COUNT");
    }

    /**
     * Each command's help ends its description with an example that can be copied: lines of at most 80 columns, all
     * but the last ending in " \\", that together are a valid command line of that command. Before, the example
     * was one line that the help wrapped at 80 columns (a copied "--max-requests-per-minute 60" ran on its own),
     * and pack's and cochleagram's named folders that download's example does not make.
     */
    @Test
    void everyCommandsExampleIsACommandLineToCopy() {
        for (String name : new CommandLine(new AudioSetCli()).getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            assertThat(run(name, "--help")).isZero();
            List<String> lines = out.toString().lines().toList();
            int at = lines.indexOf("Example:");
            assertThat(at).as(name + " --help has an example").isNotNegative();
            StringBuilder example = new StringBuilder();
            for (int i = at + 1; example.length() == 0 || example.charAt(example.length() - 1) == ' '; i++) {
                String line = lines.get(i);
                assertThat(line).as(name + "'s example").startsWith("  ").hasSizeLessThanOrEqualTo(80);
                example.append(line.endsWith(" \\") ? line.substring(0, line.length() - 1).strip() + " "
                        : line.strip());
            }
            String[] words = example.toString().split(" +");
            assertThat(words[0] + " " + words[1]).isEqualTo("audioset " + name);
            new CommandLine(new AudioSetCli()).parseArgs(Arrays.copyOfRange(words, 1, words.length));
        }
    }

    /** The help's exit codes are the README's: 130 and 143 (Ctrl-C, SIGTERM) were missing. */
    @Test
    void theHelpListsTheExitCodesOfAStop() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("130   stopped by Ctrl-C (143: by SIGTERM)");
        assertThat(run("download", "--help")).isZero();
        assertThat(out.toString()).contains("130   stopped by Ctrl-C (143: by SIGTERM)");
    }

    private static String[] args(String command, String... rest) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    static Stream<Arguments> badOptionValues() {
        String csv = TestData.evalSegments().toString();
        // should a check regress, the command must still not reach the network: a dry run, a dead local URL
        String offline = " --dry-run --resolver direct --url-template http://127.0.0.1:9/{id}";
        return Stream.of(
                Arguments.of(args("segments --csv " + csv, "--on-error", "maybe"), "--on-error", "maybe"),
                Arguments.of(args("segments --csv " + csv, "--job-index", "2"), "--job-index needs --jobs", "--jobs"),
                Arguments.of(args("segments --csv " + csv, "--jobs", "0"), "--jobs 0", "at least 1"),
                Arguments.of(args("segments --csv " + csv, "--jobs", "3", "--job-index", "3"), "--job-index 3",
                        "0..2 for --jobs 3"),
                Arguments.of(args("segments --csv " + csv, "--limit", "-1"), "--limit -1", "0 or more"),
                Arguments.of(args("segments --csv " + csv, "--top", "-1"), "--top -1", "0 (all labels) or more"),
                Arguments.of(args("download --csv " + csv + offline, "--progress", "fancy"), "--progress", "fancy"),
                Arguments.of(args("download --dry-run --csv " + csv, "--resolver", "foo"), "--resolver", "'foo'"),
                Arguments.of(args("download --csv " + csv + offline, "--threads", "0"), "--threads 0", "1..1024"),
                Arguments.of(args("download --csv " + csv + offline, "--sample-rate", "fast"), "--sample-rate 'fast'",
                        "'source'"),
                Arguments.of(args("download --csv " + csv + offline, "--sample-rate", "999"), "999 Hz",
                        "1000..384000"),
                Arguments.of(args("download --csv " + csv + offline, "--timeout", "99999"),
                        "--timeout 99999 s is not in 1..3600 s", "--timeout"),
                Arguments.of(args("download --csv " + csv + offline, "--socket-timeout", "0"),
                        "--socket-timeout 0 s is not in 0.1..600 s", "--socket-timeout"),
                // echoed as typed: it was "-5.0"
                Arguments.of(args("download --csv " + csv + offline, "--max-requests-per-minute", "-5"),
                        "--max-requests-per-minute -5 must be a number >= 0", "-5 must"),
                Arguments.of(args("download --csv " + csv + offline, "--retry-delay", "18446744074"),
                        "--retry-delay 18446744074 s is not in 0..86400 s", "--retry-delay"),
                Arguments.of(args("download --dry-run --csv " + csv, "--resolver", "direct"),
                        "--resolver direct needs --url-template", "{id}"),
                // a template the media relay cannot read: a usage error, not an internal one (exit 1, class name)
                Arguments.of(args("download --dry-run --resolver direct --csv " + csv, "--url-template",
                        "http://my_host:9/{id}"), "--url-template: the direct resolver's URL template",
                        "a host name with an underscore"),
                // exit 1 before, where download and segments say 2
                Arguments.of(args("report --logs . --out o --csv " + csv, "--limit", "-1"), "--limit -1",
                        "0 or more"),
                Arguments.of(args("report --logs . --out o --csv " + csv, "--on-error", "maybe"), "--on-error",
                        "maybe"),
                // the option was not named
                Arguments.of(args("download --dry-run --resolver direct --csv " + csv, "--url-template",
                        "http://127.0.0.1:9/media.m4a"), "--url-template: URL template", "has no {id}"),
                Arguments.of(args("download --dry-run --csv " + csv, "--url-template", "ftp://host/{id}"),
                        "--url-template: URL template 'ftp://host/{id}'", "http://, https:// or file:"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "bogus"), "--stop-after", "'bogus'"),
                Arguments.of(args("run --csv " + csv + offline, "--compute-threads", "0"), "--compute-threads", "0"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "download", "--shuffle-seed", "3"),
                        "--shuffle-seed is for the pack and cochleagram stages", "leave it out"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "download", "--compute-threads", "2"),
                        "--compute-threads is for the pack", "--stop-after download"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "pack", "--preset", "pycochleagram"),
                        "--preset is for the cochleagram stage", "--stop-after pack runs only the download and pack"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "pack", "--no-stats"),
                        "--no-stats is for the cochleagram stage", "leave it out"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "download", "--n", "20"),
                        "--n is for the cochleagram stage", "--stop-after download runs only the download"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "download", "--format", "panns"),
                        "--format is for the pack stage", "--stop-after download"),
                Arguments.of(args("run --csv " + csv + offline, "--stop-after", "download", "--pack-sample-rate",
                        "8000"), "--pack-sample-rate is for the pack stage", "leave it out"),
                Arguments.of(args("run --csv " + csv + offline, "--jobs", "4", "--job-index", "1"), "job 1 of 4",
                        "'run --stop-after download'"),
                Arguments.of(args("run --csv " + csv + offline, "--preset", "foo"), "--preset", "'foo'"),
                // the array sets these: refused as usage errors, before the CSV is read (was exit 1 for --dry-run)
                Arguments.of(args("slurm --csv none.csv --out o", "--dry-run"), "--dry-run",
                        "'audioset download --dry-run'"),
                Arguments.of(args("slurm --csv none.csv --out o --jobs 2", "--job-index", "1"), "--job-index",
                        "the array's"),
                // refused before anything is downloaded: the shards are named after the CSV
                Arguments.of(args("run" + offline, "--csv", "my dogs.csv", "--format", "webdataset", "--stop-after",
                        "pack"), "--format webdataset names its shards after the --csv file", "rename the CSV"),
                Arguments.of(args("pack --downloads d --csv c.csv --out o --format webdataset", "--name", "a b"),
                        "--name (default: the --csv file's name): name 'a b'", "[A-Za-z0-9._-]+"),
                Arguments.of(args("cochleagram --in none.hdf5", "--preset", "foo"), "--preset 'foo'", "pycochleagram"),
                Arguments.of(args("cochleagram --in none.hdf5", "--compression", "cube"), "--compression 'cube'",
                        "sqrt"),
                Arguments.of(args("cochleagram --in none.hdf5", "--compression", "power:2"),
                        "the --compression power exponent", "2.0"),
                Arguments.of(args("cochleagram --in none.hdf5", "--sample-factor", "3"), "--sample-factor 3 is odd",
                        "1 or an even"),
                Arguments.of(args("cochleagram --in none.hdf5", "--n", "1000000"), "--n 1000000 is above 10000", "--n"),
                Arguments.of(args("run --csv " + csv + offline, "--n", "5000"),
                        "--n 5000 with --sample-factor 4 gives", "--n may be at most 2497"),
                // was accepted: envelopes at the audio rate, 109 MB a row
                Arguments.of(args("run --csv " + csv + offline, "--env-sr", "16000"),
                        "--env-sr 16000 Hz gives 171 channels x 160000 frames", "109.4 MB of float32 a row"),
                Arguments.of(args("cochleagram --in none.hdf5", "--threads", "0"), "--threads 0", "1..1024"),
                Arguments.of(args("pack --downloads d --csv c.csv --out o", "--threads", "0"), "--threads 0",
                        "1..1024"),
                Arguments.of(args("stats --in none.hdf5", "--threads", "20000"), "--threads 20000", "1..1024"),
                Arguments.of(args("pack --downloads d --csv c.csv --out o", "--progress", "x"), "--progress", "'x'"),
                Arguments.of(args("demo", "--resolver", "foo"), "--resolver 'foo'", "yt-dlp"),
                Arguments.of(args("render --in c.hdf5 --out x.jpg"), "--out x.jpg must end in .png", "PNG"),
                Arguments.of(args("render --in c.hdf5 --out x.png", "--row", "-1"), "--row -1", "0 or more"),
                Arguments.of(args("render --in c.hdf5 --out x.png", "--row", "1", "--average"), "mutually exclusive",
                        "--average"),
                // an empty path (an unset variable) was the current folder: "  is a directory, not a file", exit 1
                Arguments.of(args("segments", "--csv", ""), "--csv", "an empty path"),
                Arguments.of(args("pack --downloads d --csv c.csv", "--out", ""), "--out", "an empty path"),
                Arguments.of(args("inspect", ""), "(FILE)", "an empty path"),
                // a misspelt required option was reported only as missing, the typo unmentioned
                Arguments.of(args("segments", "--cvs", "x.csv"), "Unknown options: '--cvs', 'x.csv'",
                        "Missing required option: '--csv=FILE'"),
                // the option was not named
                Arguments.of(args("pack --downloads d --csv c.csv --out o", "--format", "hdf5"),
                        "--format: unknown format 'hdf5'", "seed, panns or webdataset"),
                Arguments.of(args("pack --downloads d --csv c.csv --out o", "--dtype", "float64"),
                        "--dtype: unknown dtype 'float64'", "float32 or int16"));
    }

    @ParameterizedTest
    @MethodSource("badOptionValues")
    void aBadOptionValueIsAUsageErrorOnOneLine(String[] args, String expected, String alsoExpected) {
        assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_USAGE);
        String[] lines = err.toString().split("\\R");
        assertThat(lines[0]).startsWith("audioset " + args[0] + ": ").contains(expected).contains(alsoExpected);
        assertThat(err.toString()).contains("Try 'audioset " + args[0] + " --help'").doesNotContain("Usage:");
        assertThat(out.toString()).isEmpty();
    }

    /**
     * Before: a decimal that is no number was refused in Java's words ("cannot convert 'NaN' to BigDecimal
     * (java.lang.NumberFormatException: Character N is neither a decimal digit number, ..."), an exponent of 2147483647
     * failed later with exit 1 and an internal NegativeArraySizeException, 1e999 was echoed as its 1,000 digits;
     * an empty --budget-dir (an unset variable) was the current folder, where requests.budget was written; and
     * report's --name '../x' failed with exit 1 without naming the option, where pack's --name is a usage error.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "download | --timeout | NaN | Invalid value for option '--timeout': 'NaN' is not a decimal number (at most 18",
        "download | --retry-delay | 1e2147483647 | '--retry-delay': '1e2147483647' is not a decimal number",
        "download | --socket-timeout | 1e999 | --socket-timeout 1E+999 s is not in 0.1..600 s",
        "download | --budget-dir | \"\" | --budget-dir: an empty path; give a folder, or none for a budget",
        "report | --name | ../x | --name '../x' is not a file name: give the data set's name",
        "report | --name | \"\" | --name '' is not a file name"})
    void aBadValueIsAUsageErrorThatNamesTheOption(String command, String option, String value, String expected) {
        String csv = TestData.evalSegments().toString();
        String[] a = command.equals("download")
                ? args("download --dry-run --resolver direct --url-template http://127.0.0.1:9/{id} --csv " + csv,
                        option, value)
                : args("report --logs . --out o --csv " + csv, option, value);
        assertThat(run(a)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).startsWith("audioset " + command + ": ").contains(expected)
                .contains("Try 'audioset " + command + " --help'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirectoryWhereAFileIsExpectedIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("somedir"));
        assertThat(run("segments", "--csv", folder.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset segments: " + folder + " is a directory, not a file"
                + System.lineSeparator());
        assertThat(run("cochleagram", "--in", folder.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(folder + " is a directory, not a file");
        assertThat(run("inspect", folder.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(folder + " is a directory, not a file");

        Path junk = Files.writeString(dir.resolve("c_Coch.hdf5"), "not read: the output is checked first");
        Path png = Files.createDirectory(dir.resolve("r.png"));
        assertThat(run("render", "--in", junk.toString(), "--out", png.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(png + " is a directory, not a file").doesNotContain(".tmp");
    }

    /** A pipe ({@code --csv <(zcat ...)}) gave a wrong line error from its second read, a device "no such file". */
    @Test
    void aPipeOrADeviceIsRefusedAsNotARegularFile() {
        Path device = Path.of("/dev/null");
        assumeTrue(Files.exists(device), "/dev/null is needed");
        assertThat(run("inspect", device.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset inspect: /dev/null: not a regular file (a pipe or a device)")
                .doesNotContain("no such file");
        assertThat(run("segments", "--csv", device.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("/dev/null: not a regular file").contains("save it to a file first");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileWhereADirectoryIsExpectedIsNamed() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        Path csv = Files.writeString(dir.resolve("c.csv"), "abcdefghijk, 0, 10, \"/m/09x0r\"\n");
        assertThat(run("pack", "--downloads", notes.toString(), "--csv", csv.toString(), "--out", dir.toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(notes + " exists and is not a directory")
                .doesNotContain("no such file");
        Path downloads = Files.createDirectory(dir.resolve("downloads"));
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", csv.toString(), "--out",
                notes.resolve("out").toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(notes + " exists and is not a directory");
        // a relative --out whose existing ancestor is refused names it relative, as when --out itself is refused
        Path relative = Path.of("").toAbsolutePath().relativize(notes);
        assertThat(relative.isAbsolute()).isFalse();
        for (Path given : List.of(relative, relative.resolve("out/more"))) {
            assertThat(run("download", "--csv", csv.toString(), "--out", given.toString(), "--dry-run"))
                    .isEqualTo(AudioSetCli.EXIT_FAILURE);
            assertThat(err.toString()).as(given.toString()).isEqualTo("audioset download: " + relative
                    + " exists and is not a directory" + System.lineSeparator());
        }
        assertThat(run("download", "--csv", csv.toString(), "--out", notes.toString(), "--dry-run"))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(notes + " exists and is not a directory");
        assertThat(run("download", "--csv", csv.toString(), "--out", dir.toString(), "--dry-run", "--resolver",
                "direct", "--url-template", "http://127.0.0.1:9/{id}", "--cookies", dir.resolve("cookies.txt")
                        .toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("no such file: " + dir.resolve("cookies.txt"));
    }

    /**
     * render's --out FILE.png and slurm's --out under a file named that file absolute (/home/me/work/notes.txt), where
     * the other commands name it as given; now they do too.
     */
    @Test
    void renderAndSlurmNameARefusedOutputFolderAsGiven() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        Path relative = Path.of("").toAbsolutePath().relativize(notes);
        Path coch = Files.writeString(dir.resolve("c_Coch.hdf5"), "not read: the output is checked first");
        assertThat(run("render", "--in", coch.toString(), "--out", relative.resolve("r.png").toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset render: " + relative + " exists and is not a directory"
                + System.lineSeparator());
        assertThat(run("slurm", "--csv", TestData.evalSegments().toString(), "--out", relative.resolve("s").toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset slurm: " + relative + " exists and is not a directory"
                + System.lineSeparator());
    }

    /**
     * A selection holding no segment (an empty CSV, a --label or --limit 0 that keeps no row) made download and run
     * exit 0 with an availability report of "0 of 0", where slurm refused the file; now they fail before writing.
     */
    @Test
    void anEmptySelectionFailsNamingTheCsvAndWhatSelectedNothing() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.csv"),
                "# YTID, start_seconds, end_seconds, positive_labels\n");
        Path csv = Files.writeString(dir.resolve("speech.csv"), "abcdefghijk, 0, 10, \"/m/09x0r\"\n");
        Path out = dir.resolve("out");
        String[] fake = {"--out", out.toString(), "--resolver", "direct", "--url-template", "http://127.0.0.1:9/{id}"};
        String[][] cases = {
            {"download", "--csv", empty.toString()}, {"download", "--csv", csv.toString(), "--label", "Dog"},
            {"download", "--csv", csv.toString(), "--limit", "0"},
            {"run", "--csv", csv.toString(), "--label", "Dog", "--stop-after", "download"},
            {"run", "--csv", empty.toString()}};
        String[] why = {"it has no line after the header", "--label 'Dog' selects none of its rows",
            "--limit 0 selects none of its rows", "--label 'Dog' selects none of its rows",
            "it has no line after the header"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = Stream.concat(Arrays.stream(cases[i]), Arrays.stream(fake)).toArray(String[]::new);
            assertThat(run(args)).as(String.join(" ", args) + ": " + out).isEqualTo(AudioSetCli.EXIT_FAILURE);
            assertThat(err.toString()).isEqualTo("audioset " + cases[i][0] + ": " + cases[i][2]
                    + ": no segment selected (" + why[i] + ")" + System.lineSeparator());
            assertThat(out).as("nothing written").doesNotExist();
        }
        // a job of an array with no share of a selection that is not empty is no error
        assertThat(run("download", "--csv", csv.toString(), "--jobs", "2", "--job-index", "0", "--dry-run",
                "--out", out.toString(), "--resolver", "direct", "--url-template", "http://127.0.0.1:9/{id}"))
                .as(err.toString()).isZero();
    }

    /**
     * A gzip-compressed label index or ontology (as downloaded: class_labels_indices.csv.gz, ontology.json.gz) was
     * read as text: "expected 3 fields (index,mid,display_name), got 1" and a line of binary noise, or Jackson's
     * "Illegal character ((CTRL-CHAR, code 31))"; the segments CSV said to decompress it, and now they do too.
     */
    @Test
    void aGzipCompressedLabelIndexOrOntologyIsNamedAsSuch() throws IOException {
        String csv = TestData.evalSegments().toString();
        Path labels = dir.resolve("class_labels_indices.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(labels))) {
            o.write("index,mid,display_name\n0,/m/09x0r,\"Speech\"\n".getBytes(StandardCharsets.UTF_8));
        }
        Path ontology = dir.resolve("ontology.json.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(ontology))) {
            o.write("[]".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(run("segments", "--csv", csv, "--labels", labels.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset segments: " + labels + ":1: a gzip-compressed file (it starts"
                + " with the bytes 1f 8b): decompress it first, e.g. gunzip -k " + labels + System.lineSeparator());
        assertThat(run("segments", "--csv", csv, "--ontology", ontology.toString(), "--label", "Speech"))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset segments: " + ontology + ": a gzip-compressed file (it starts"
                + " with the bytes 1f 8b): decompress it first, e.g. gunzip -k " + ontology + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    /** A truncated ontology's message held Jackson's "[Source: REDACTED (`StreamReadFeature...` disabled); ...]". */
    @Test
    void aTruncatedOntologyIsReportedWithoutJacksonsInternals() throws IOException {
        Path ontology = Files.writeString(dir.resolve("ontology.json"), "[{\"id\": \"/m/09x0r\"");
        assertThat(run("segments", "--csv", TestData.evalSegments().toString(), "--ontology", ontology.toString(),
                "--label", "Speech")).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset segments: " + ontology + ":1: column ")
                .contains("not valid JSON: Unexpected end-of-input").contains("(start marker at line 1, column 2)")
                .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    }

    @Test
    void renderingAFileWithoutRowsSaysSo() throws IOException {
        Path wav = dir.resolve("empty.hdf5");
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(wav, LabelIndex.audioSet(), 16_000,
                160_000)) {
            sink.commit();
        }
        assertThat(run("cochleagram", "--in", wav.toString(), "--threads", "1", "--progress", "log"))
                .as(err.toString()).isZero();
        Path coch = dir.resolve("empty_Coch.hdf5");
        assertThat(run("render", "--in", coch.toString(), "--row", "0", "--out", dir.resolve("r.png").toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains(coch + " has no rows").doesNotContain("0..-1");
    }

    /**
     * A cochleagram option valid in itself that the input file does not allow fails the command (exit 1), naming the
     * file, the value and the file's limit, as {@code render --row} past the last row does; it was a usage error
     * (exit 2, with the "Try --help" line). Options that conflict among themselves stay usage errors.
     */
    @Test
    void aCochleagramValueTheInputFileDoesNotAllowFailsTheCommandNamingTheFile() throws IOException {
        Path wav = emptyWaveforms("w16k.hdf5", 16_000);
        Path wav8k = emptyWaveforms("w8k.hdf5", 8_000);
        List<Path> before;
        try (var files = Files.list(dir)) {
            before = files.toList();
        }
        assertThat(run("cochleagram", "--in", wav.toString(), "--high-lim", "9000", "--threads", "1"))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset cochleagram: " + wav + ": --high-lim 9000 Hz is above the"
                + " Nyquist limit 8000 Hz of its sample rate, 16000 Hz: give a --high-lim of at most 8000"
                + System.lineSeparator());
        assertThat(run("cochleagram", "--in", wav.toString(), "--env-sr", "300", "--threads", "1"))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset cochleagram: " + wav + ": --env-sr 300 Hz does not divide its"
                + " sample rate, 16000 Hz").doesNotContain("Try ");
        assertThat(run("cochleagram", "--in", wav8k.toString(), "--threads", "1")).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset cochleagram: " + wav8k + ": the default --high-lim 8000 Hz is"
                + " above the Nyquist limit 4000 Hz");
        // the options' own conflict: a usage error, whatever the file
        assertThat(run("cochleagram", "--in", wav.toString(), "--low-lim", "7000", "--high-lim", "6000"))
                .isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--low-lim 7000.0 Hz must be below --high-lim 6000.0 Hz")
                .contains("Try ");
        try (var files = Files.list(dir)) {
            assertThat(files).as("nothing written").containsExactlyInAnyOrderElementsOf(before);
        }
    }

    private Path emptyWaveforms(String name, int sampleRate) throws IOException {
        Path wav = dir.resolve(name);
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(wav, LabelIndex.audioSet(), sampleRate,
                sampleRate * 10)) {
            sink.commit();
        }
        return wav;
    }

    /**
     * An output folder that cannot take files although its permissions allow it (/proc as root; a read-only mount is
     * refused by the up-front check) is named with the reason: the command said "no such file:
     * /proc/.empty_Coch.hdf5.<id>.tmp", a hidden name the user never gave.
     */
    @Test
    void anOutputFolderThatTakesNoFilesIsNamedNotItsHiddenStagingFolder() throws IOException {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc), "a Linux /proc");
        Path wav = dir.resolve("empty.hdf5");
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(wav, LabelIndex.audioSet(), 16_000,
                160_000)) {
            sink.commit();
        }
        assertThat(run("cochleagram", "--in", wav.toString(), "--out", proc.toString(), "--threads", "1",
                "--progress", "log")).as(err.toString()).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith(Files.isWritable(proc) // root: past the permission check
                ? "audioset cochleagram: cannot write in /proc: " : "audioset cochleagram: permission denied: /proc")
                .doesNotContain("no such file").doesNotContain("\tat ");
    }

    /**
     * Every command that writes into an output folder that takes no files (/proc, as root: past the permission check)
     * fails (exit 1) naming the folder and the reason, and leaves nothing there. They said "no such file:
     * /proc/.x.png.<owner>.<n>.tmp" (render, report), "no such file: /proc/slurm" (slurm), "no such file:
     * /proc/x_downloads" (download, run), "no such file: /proc/demo_segments.csv" (demo), or that another pack was
     * writing the shards and held ".x.lock" (pack --format webdataset), which no process held. ({@code stats} writes
     * through the same staging folder as {@code cochleagram}; an empty file has too few rows for statistics.)
     */
    @ParameterizedTest
    @CsvSource({"render", "report", "pack", "slurm", "download", "run", "demo", "cochleagram"}) // stats: as cochleagram
    void everyCommandNamesAnOutputFolderThatTakesNoFiles(String command) throws IOException {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc) && Files.isWritable(proc), "a Linux /proc, written as root (as in CI)");
        Path wav = emptyWaveforms("x.hdf5", 16_000);
        assertThat(run("cochleagram", "--in", wav.toString(), "--threads", "1", "--progress", "log"))
                .as(err.toString()).isZero();
        Path logs = Files.createDirectories(dir.resolve("logs/x_goodlogs"));
        Files.writeString(logs.resolve("goodLog_0.csv"), "YTID,start_seconds,end_seconds,positive_labels,csv_row,"
                + "outcome,class,reason,attempts,frames,message,time\n"); // a download's log, of no clip
        Path downloads = Files.createDirectories(dir.resolve("x_downloads"));
        Path csv = Files.writeString(dir.resolve("x.csv"), "YTID, start_seconds, end_seconds, positive_labels\n"
                + "abcdefghijk, 0.000, 10.000, \"/m/09x0r\"\n");
        String offline = "--resolver direct --url-template http://127.0.0.1:1/{id} --retries 0";
        String[] args = switch (command) {
            case "render" -> args("render --in " + dir.resolve("x_Coch.hdf5") + " --average --out /proc/x.png");
            case "report" -> args("report --logs " + logs.getParent() + " --out /proc");
            case "pack" -> args("pack --format webdataset --downloads " + downloads + " --csv " + csv + " --out /proc");
            case "slurm" -> args("slurm --csv " + csv + " --out /proc");
            case "download" -> args("download --csv " + csv + " --out /proc " + offline);
            case "run" -> args("run --csv " + csv + " --out /proc " + offline);
            case "demo" -> args("demo --out /proc");
            default -> args("cochleagram --in " + wav + " --out /proc --threads 1 --progress log");
        };
        Set<String> before = namesIn(proc);
        assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset " + command + ": cannot write in /proc: it takes no new files")
                .endsWith("; choose another output folder" + System.lineSeparator())
                .doesNotContain("no such file").doesNotContain("another pack").doesNotContain("Try ");
        assertThat(namesIn(proc)).as("nothing left in /proc").isSubsetOf(before);
    }

    /**
     * A request budget folder that cannot be made (in /proc, as root) is named with the reason, and the download
     * refused for it leaves no empty downloads folder: it said "the request budget folder /proc/budget cannot be
     * used (/proc/budget)" and left {@code OUT/x_downloads/} behind.
     */
    @Test
    void aBudgetFolderThatCannotBeMadeIsNamedWithTheReasonAndLeavesNothing() throws IOException {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc) && Files.isWritable(proc), "a Linux /proc, written as root (as in CI)");
        Path csv = Files.writeString(dir.resolve("x.csv"), "YTID, start_seconds, end_seconds, positive_labels\n"
                + "abcdefghijk, 0.000, 10.000, \"/m/09x0r\"\n");
        Path out = dir.resolve("out");
        assertThat(run(args("download --csv " + csv + " --out " + out + " --resolver direct --url-template"
                + " http://127.0.0.1:1/{id} --retries 0 --max-requests-per-minute 60 --budget-dir /proc/budget")))
                .as(err.toString()).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("the request budget folder /proc/budget cannot be used (it takes no new"
                + " files (a virtual file system, such as /proc?)): give another");
        assertThat(out.resolve("x_downloads")).doesNotExist();
    }

    /** @return the names in {@code dir} but those of processes (which come and go) */
    private static Set<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> names = Files.list(dir)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> !n.matches("[0-9]+"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    static Stream<Arguments> exceptions() {
        return Stream.of(
                Arguments.of(new NoSuchFileException("a.csv"), "no such file: a.csv"),
                Arguments.of(new UncheckedIOException(new NoSuchFileException("a.csv")), "no such file: a.csv"),
                Arguments.of(new AccessDeniedException("/data/x.hdf5"), "permission denied: /data/x.hdf5"),
                Arguments.of(new NotDirectoryException("notes.txt"), "notes.txt exists and is not a directory"),
                Arguments.of(new FileAlreadyExistsException("/no/such/notes.txt"),
                        "/no/such/notes.txt exists and is not a directory"),
                Arguments.of(new FileSystemException(".r.tmp", "r", "Is a directory"), "r is a directory, not a file"),
                Arguments.of(new FileSystemException("x", null, "No space left on device"),
                        "x: No space left on device"),
                Arguments.of(new IOException("disk on fire"), "disk on fire"),
                Arguments.of(new UncheckedIOException("cannot write to log logs/goodLog_0.csv",
                        new IOException("No space left on device")),
                        "cannot write to log logs/goodLog_0.csv: No space left on device"),
                Arguments.of(new CompletionException(new UncheckedIOException("cannot read a.csv: Input/output error",
                        new IOException("Input/output error"))), "cannot read a.csv: Input/output error"),
                Arguments.of(new ToolNotFoundException("ffmpeg", "ffmpeg was not found: install it or give its path"),
                        "ffmpeg was not found: install it or give its path"),
                Arguments.of(new IllegalArgumentException("bad value"), "bad value"));
    }

    @ParameterizedTest
    @MethodSource("exceptions")
    void failuresAreOnePlainSentenceNamingThePath(Exception e, String expected) {
        assertThat(AudioSetCli.describe(e)).isEqualTo(expected);
    }

    @Test
    void aMissingProgramIsReportedWithTheCommandsOptionForItsPath() {
        Exception e = new CompletionException(new ToolNotFoundException("yt-dlp",
                "yt-dlp was not found: it is not on PATH; install it or give its path"));
        assertThat(AudioSetCli.describe(e, new CommandLine(new DownloadCommand()).getCommandSpec()))
                .isEqualTo("yt-dlp was not found: it is not on PATH; install it or give its path (--yt-dlp PATH)");
        assertThat(AudioSetCli.describe(e, new CommandLine(new DemoCommand()).getCommandSpec()))
                .as("demo has no --yt-dlp option").doesNotContain("--yt-dlp");
    }

    @Test
    void aFileUnderAFileIsNamed() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        FileSystemException e = new FileSystemException(notes.resolve("a/b").toString(), null, "Not a directory");
        assertThat(AudioSetCli.describe(e)).isEqualTo(notes + " exists and is not a directory");
    }

    @Test
    void everyCommandPrintsTheVersion() {
        assertThat(run("--version")).isZero();
        String version = out.toString().strip();
        assertThat(version).startsWith("audioset ").hasSizeGreaterThan("audioset ".length());
        for (String command : List.of("segments", "download", "pack", "cochleagram", "run", "inspect", "render",
                "demo")) {
            assertThat(run(command, "--version")).isZero();
            assertThat(out.toString().strip()).as(command).isEqualTo(version);
        }
    }
}
