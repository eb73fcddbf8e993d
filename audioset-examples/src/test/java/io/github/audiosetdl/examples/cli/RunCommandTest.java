package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.audio.WavFormat;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.examples.ExampleData;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audioset run} end to end against a loopback server with faults, then resumed. */
class RunCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void allStagesWithFaultsThenAResumeThatFetchesOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
        ExternalTools.requireFfmpeg();
        ExampleData.Subset subset = ExampleData.subset(dir, "birds", "Bird", 7);
        List<String> ids = subset.ids();
        Path data = dir.resolve("data");
        try (LoopbackMediaServer server = ExampleData.serve(dir, subset)) {
            server.fault(ids.get(1) + ".m4a", Fault.NOT_FOUND);
            server.fault(ids.get(2) + ".m4a", Fault.SERVER_ERROR, 1);     // recovers on the retry
            server.fault(ids.get(3) + ".m4a", Fault.HTML);
            server.fault(ids.get(5) + ".m4a", Fault.TOO_MANY_REQUESTS);   // until the server is told otherwise
            String[] args = {"run", "--csv", subset.csv().toString(), "--out", data.toString(), "--resolver", "direct",
                "--url-template", server.baseUrl() + "/media/{id}.m4a", "--threads", "3", "--retries", "2",
                "--retry-delay", "0.05", "--compute-threads", "2", "--progress", "log"};

            assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY);
            assertThat(out.toString()).contains("failed transiently: run the same command again");
            Map<String, CSVRecord> errors = log(data.resolve("logs/birds_errorlogs/errorLog_0.csv"));
            assertThat(errors.keySet()).as(errors.values().toString())
                    .containsExactlyInAnyOrder(ids.get(1), ids.get(3), ids.get(5));
            assertThat(errors.get(ids.get(1)).get("class")).isEqualTo("permanent");
            assertThat(errors.get(ids.get(1)).get("message")).contains("404");
            assertThat(errors.get(ids.get(3)).get("class")).isEqualTo("permanent");
            assertThat(errors.get(ids.get(5)).get("class")).isEqualTo("rate-limited");
            assertThat(errors.get(ids.get(5)).get("attempts")).isEqualTo("3");
            assertThat(List.of(ids.get(1), ids.get(3), ids.get(5)).stream().map(id -> errors.get(id).get("reason")))
                    .containsExactly("not_found", "bad_media", "rate_limited");
            Map<String, CSVRecord> good = log(data.resolve("logs/birds_goodlogs/goodLog_0.csv"));
            assertThat(good.get(ids.get(2)).get("attempts")).isEqualTo("2"); // the 500, then the clip
            assertRows(data, List.of(ids.get(0), ids.get(2), ids.get(4), ids.get(6)));
            assertThat(server.requests(ids.get(0) + ".m4a")).isPositive();

            // The rate limit is over: the same command resumes, fetching only the clip still missing.
            server.fault(ids.get(5) + ".m4a", Fault.TOO_MANY_REQUESTS, 0);
            long before = server.requests(ids.get(0) + ".m4a");
            assertThat(run(args)).as(err.toString()).isZero();
            assertThat(server.requests(ids.get(0) + ".m4a")).isEqualTo(before);
            assertRows(data, List.of(ids.get(0), ids.get(2), ids.get(4), ids.get(5), ids.get(6)));
        }
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("birds_downloads", "logs",
                    "birds.hdf5", "birds_metadata.npy", "birds_Coch.hdf5", "birds_average.npy", "birds_stats.npz",
                    "birds_availability.json", "birds_availability.csv", "birds_availability.png",
                    ".birds.hdf5.inputs", ".birds_Coch.hdf5.inputs", // the records that keep them on a rerun
                    ".birds_stats.npz.inputs", ".birds.hdf5.inputs.lock", ".birds_Coch.hdf5.inputs.lock",
                    ".birds_stats.npz.inputs.lock", // held from commit to record
                    ".birds.hdf5.lock", ".birds_Coch.hdf5.lock", // held by the writers from rename to close
                    ".birds_stats.npz.lock"); // held from the statistics' rename to their record
        }
        assertThat(out.toString()).contains("availability      5 of 7 obtained");
    }

    /**
     * A rerun after everything finished keeps the waveform and cochleagram files (the same inode and modification
     * time), writes only statistics that are missing, and packs again once a clip is added.
     */
    @Test
    void aRerunKeepsTheFilesThatAreUpToDateAndPacksAgainWhenAClipIsAdded(@TempDir Path dir) throws Exception {
        ExternalTools.requireFfmpeg();
        ExampleData.Subset subset = ExampleData.subset(dir, "birds", "Bird", 3);
        Path data = dir.resolve("data");
        try (LoopbackMediaServer server = ExampleData.serve(dir, subset)) {
            server.fault(subset.ids().get(2) + ".m4a", Fault.TOO_MANY_REQUESTS); // until told otherwise
            String[] args = {"run", "--csv", subset.csv().toString(), "--out", data.toString(), "--resolver", "direct",
                "--url-template", server.baseUrl() + "/media/{id}.m4a", "--retries", "0", "--compute-threads", "2"};
            assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY);
            Path wav = data.resolve("birds.hdf5");
            Path coch = data.resolve("birds_Coch.hdf5");
            Path stats = data.resolve("birds_stats.npz");
            String wavWas = identity(wav);
            String cochWas = identity(coch);
            String statsWas = identity(stats);

            assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY); // still rate-limited
            assertThat(out.toString()).contains("pack         up to date, kept: " + wav)
                    .contains("cochleagram  up to date, kept: " + coch).doesNotContain("wrote");
            assertThat(identity(wav)).isEqualTo(wavWas);
            assertThat(identity(coch)).isEqualTo(cochWas);
            assertThat(identity(stats)).isEqualTo(statsWas);

            Files.delete(stats); // as a run killed while it computed them leaves it
            assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY);
            // the statistics with the other files, before the time taken (they came after it and the retry line)
            assertThat(out.toString()).containsSubsequence("wrote        " + stats, "done in ", "failed transiently");
            assertThat(identity(coch)).isEqualTo(cochWas);

            server.fault(subset.ids().get(2) + ".m4a", Fault.TOO_MANY_REQUESTS, 0); // the third clip comes
            assertThat(run(args)).as(err.toString()).isZero();
            assertThat(out.toString()).doesNotContain("up to date").contains("wrote        " + wav);
            assertThat(out.toString()).containsSubsequence("wrote        " + wav, "wrote        " + stats, "done in ");
            assertThat(identity(wav)).isNotEqualTo(wavWas);
            assertThat(identity(coch)).isNotEqualTo(cochWas);
            assertRows(data, subset.ids());
        }
    }

    private static String identity(Path file) throws Exception {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() + " " + a.lastModifiedTime().toInstant();
    }

    /** {@code run --format panns} downloads at the packed rate, 32 kHz, unless {@code --sample-rate} says otherwise. */
    @Test
    void aPannsRunDownloadsAtThePackedRate(@TempDir Path dir) throws Exception {
        ExternalTools.requireFfmpeg();
        ExampleData.Subset subset = ExampleData.subset(dir, "birds", "Bird", 2);
        try (LoopbackMediaServer server = ExampleData.serve(dir, subset)) {
            for (String[] rates : new String[][] {{}, {"--sample-rate", "16000"}}) {
                Path data = dir.resolve(rates.length == 0 ? "default" : "explicit");
                List<String> args = new ArrayList<>(List.of("run", "--csv", subset.csv().toString(), "--out",
                        data.toString(), "--resolver", "direct", "--url-template",
                        server.baseUrl() + "/media/{id}.m4a", "--format", "panns", "--stop-after", "pack"));
                args.addAll(List.of(rates));
                assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
                int expected = rates.length == 0 ? 32_000 : 16_000;
                for (String id : subset.ids()) {
                    Path wav = data.resolve("birds_downloads/birds_downloads_0/YT_" + id + ".wav");
                    WavFormat f = WavReader.readFormat(wav);
                    assertThat(f.sampleRate()).as(id).isEqualTo(expected);
                    assertThat(f.channels()).isEqualTo(1);
                }
                assertThat(data.resolve("birds_panns.h5")).isRegularFile();
            }
        }
    }

    /**
     * Offline, every clip fails transiently: exit 3 (run again), as with some clips obtained, so that a loop on 3
     * resumes; before, the pack stage failed (exit 1) on the empty downloads folder, ending that loop.
     */
    @Test
    void aRunThatObtainsNoClipWithTransientFailuresLeftExitsForARetry(@TempDir Path dir) throws Exception {
        ExternalTools.requireFfmpeg();
        Path csv = Files.writeString(dir.resolve("offline.csv"), "# YTID, start_seconds, end_seconds, positive_labels\n"
                + "offlineAAA0, 0.000, 10.000, \"/m/09x0r\"\n" + "offlineAAA1, 0.000, 10.000, \"/m/09x0r\"\n");
        Path data = dir.resolve("data");
        assertThat(run("run", "--csv", csv.toString(), "--out", data.toString(), "--resolver", "direct",
                "--url-template", "http://127.0.0.1:" + LoopbackMediaServer.refusedPort() + "/media/{id}.m4a",
                "--retries", "0", "--progress", "log")).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY);
        assertThat(out.toString()).contains("2 clip(s) failed transiently: run the same command again");
        assertThat(err.toString()).doesNotContain("no YT_<id>.wav");
        assertThat(data.resolve("offline.hdf5")).doesNotExist();
    }

    @Test
    void aShardedRunRefusesToPackInEveryJob(@TempDir Path dir) {
        assertThat(run("run", "--csv", TestData.evalSegments().toString(), "--out", dir.toString(), "--jobs", "4",
                "--job-index", "1", "--resolver", "direct", "--url-template", "http://127.0.0.1:9/{id}"))
                .isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("job 1 of 4").contains("--stop-after download");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aRunThatStopsAfterPackingDoesNotCheckTheDefaultCochleagramAgainstThePackedRate(@TempDir Path dir) {
        // the default --high-lim 8000 is above the Nyquist frequency of 8 kHz clips, but no cochleagram is computed
        assertThat(run("run", "--csv", TestData.evalSegments().toString(), "--out", dir.toString(), "--limit", "2",
                "--stop-after", "pack", "--pack-sample-rate", "8000", "--dry-run", "--resolver", "direct",
                "--url-template", "http://127.0.0.1:9/{id}")).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("--high-lim");
        assertThat(dir).as("a dry run writes nothing").isEmptyDirectory();
        // nor makes the output folder (as download --dry-run does not)
        Path out = dir.resolve("out");
        assertThat(run("run", "--csv", TestData.evalSegments().toString(), "--out", out.toString(), "--limit", "2",
                "--dry-run", "--resolver", "direct", "--url-template", "http://127.0.0.1:9/{id}"))
                .as(err.toString()).isZero();
        assertThat(out).doesNotExist();
    }

    /**
     * {@code run --downloads} starts at the pack stage, from a downloads folder (the SLURM pack step's command): it
     * packs the --csv selection, then keeps the pack while its record says it is up to date, and packs again with
     * another option; the download's options, and --stop-after download, are usage errors.
     */
    @Test
    void aRunFromADownloadsFolderPacksThenKeepsAnUpToDatePack(@TempDir Path dir) throws Exception {
        Path downloads = PackCommandTest.downloads(dir, 3);
        Path csv = dir.resolve("demo.csv");
        Path data = dir.resolve("data");
        String[] from = {"run", "--downloads", downloads.toString(), "--csv", csv.toString(), "--out",
            data.toString(), "--stop-after", "pack", "--compute-threads", "1"};
        assertThat(run(from)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pack         3 rows written").doesNotContain("download ")
                .doesNotContain("availability");
        try (WaveformFileReader wav = WaveformFileReader.open(data.resolve("demo.hdf5"))) {
            assertThat(wav.size()).isEqualTo(3);
        }
        assertThat(run(from)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pack         up to date, kept: " + data.resolve("demo.hdf5"));
        List<String> seeded = new ArrayList<>(List.of(from));
        seeded.addAll(List.of("--shuffle-seed", "3"));
        assertThat(run(seeded.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pack         3 rows written");
        List<String> limited = new ArrayList<>(List.of(from));
        limited.addAll(List.of("--limit", "2"));
        assertThat(run(limited.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pack         2 rows written");

        for (String[] extra : new String[][] {{"--threads", "2"}, {"--resolver", "direct"}, {"--dry-run"},
            {"--sample-rate", "16000"}, {"--jobs", "2"}}) {
            List<String> args = new ArrayList<>(List.of(from));
            args.addAll(List.of(extra));
            err.getBuffer().setLength(0);
            assertThat(run(args.toArray(String[]::new))).as(extra[0]).isEqualTo(AudioSetCli.EXIT_USAGE);
            assertThat(err.toString()).as(extra[0]).contains(extra[0] + " is a download option, but --downloads"
                    + " starts from clips already downloaded");
        }
        err.getBuffer().setLength(0);
        assertThat(run("run", "--downloads", downloads.toString(), "--csv", csv.toString(), "--out", data.toString(),
                "--stop-after", "download")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--stop-after download: --downloads starts after the download");
        err.getBuffer().setLength(0);
        assertThat(run("run", "--downloads", dir.resolve("none").toString(), "--csv", csv.toString(), "--out",
                data.toString(), "--stop-after", "pack")).isNotZero();
        assertThat(err.toString()).contains(dir.resolve("none").toString());
    }

    /** The last record of each id in a good or error log. */
    private static Map<String, CSVRecord> log(Path file) throws Exception {
        Map<String, CSVRecord> byId = new LinkedHashMap<>();
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(file))) {
            parser.forEach(r -> byId.put(r.get("YTID"), r));
        }
        return byId;
    }

    private static void assertRows(Path data, List<String> expected) throws Exception {
        try (WaveformFileReader wav = WaveformFileReader.open(data.resolve("birds.hdf5"));
                CochleagramFileReader coch = CochleagramFileReader.open(data.resolve("birds_Coch.hdf5"))) {
            assertThat(wav.size()).isEqualTo(expected.size());
            assertThat(coch.size()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(wav.metadata(i).ytid()).isEqualTo(expected.get(i));
                assertThat(coch.metadata(i).ytid()).isEqualTo(expected.get(i));
            }
        }
    }
}
