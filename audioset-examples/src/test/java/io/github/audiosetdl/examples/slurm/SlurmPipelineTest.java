package io.github.audiosetdl.examples.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.examples.ExampleData;
import io.github.audiosetdl.examples.H5Dump;
import io.github.audiosetdl.examples.hostile.ChildCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline under a real (private, single-node) SLURM: {@code audioset slurm --submit} against the
 * loopback media server with faults (a clip that fails twice before it is served, one that is gone, latency on
 * every request). One download task is cancelled mid-run ({@code scancel}); pack and the cochleagram still run on
 * what is there (afterany), and submitting again completes everything: every clip is fetched once, the final files
 * equal a single-process run on the same downloads, and every step's log is there. A third submission keeps the
 * pack, which its record says is up to date.
 */
class SlurmPipelineTest {
    private static final Pattern JOB = Pattern.compile("(?m)^(\\w+)\\s+job (\\d+)$");
    /** A small filterbank (12 channels, not 171): the steps' order is under test here, not the cochleagram. */
    private static final String FILTERS = "10";

    @TempDir
    static Path tmp;
    @RegisterExtension
    static final SlurmClusterExtension CLUSTER = new SlurmClusterExtension(8);

    @Test
    void submitCancelOneTaskResubmitAndEverythingCompletes() throws Exception {
        ExternalTools.requirePythonWithH5py();
        ExampleData.Subset subset = ExampleData.subset(tmp, "music", "Music", 8);
        List<String> ids = subset.ids();
        Path out = tmp.resolve("out");
        try (LoopbackMediaServer server = ExampleData.serve(Files.createDirectories(tmp.resolve("media")), subset)) {
            server.latency(Duration.ofMillis(100)).fault(ids.get(2) + ".m4a", Fault.SERVER_ERROR, 2)
                    .fault(ids.get(5) + ".m4a", Fault.NOT_FOUND).latency(ids.get(7) + ".m4a", Duration.ofSeconds(4));
            String[] args = {"slurm", "--csv", subset.csv().toString(), "--out", out.toString(), "--jobs", "2",
                "--cochleagram-jobs", "3", "--threads", "1", "--compute-threads", "1", "--n", FILTERS,
                "--sample-factor", "1", "--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--retries",
                "3", "--retry-delay", "0.05",
                "--budget-dir", tmp.resolve("budget").toString(), "--ffmpeg",
                ExternalTools.requireFfmpeg().toString(), "--submit"};

            // Task 1 (rows 4..7) is cancelled while it waits for its slow last clip.
            Map<String, String> first = submit(args);
            String task1 = first.get("download") + "_1";
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (server.requests(ids.get(7) + ".m4a") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.requests(ids.get(7) + ".m4a")).as("task 1 reached its last clip").isPositive();
            CLUSTER.cluster().capture(List.of("scancel", task1));
            Map<String, String> states = CLUSTER.cluster().awaitIdle(Duration.ofMinutes(4));
            assertThat(states).containsEntry(task1, "CANCELLED").containsEntry(first.get("download") + "_0",
                    "COMPLETED").containsEntry(first.get("pack"), "COMPLETED")
                    .containsEntry(first.get("finish"), "COMPLETED");
            Path downloads = out.resolve("music_downloads/music_downloads_0");
            assertThat(downloads.resolve("YT_" + ids.get(7) + ".wav")).doesNotExist();
            Map<String, Long> fetched = new HashMap<>();
            for (String id : ids) {
                if (Files.exists(downloads.resolve("YT_" + id + ".wav"))) {
                    fetched.put(id, server.requests(id + ".m4a"));
                }
            }

            Map<String, String> second = submit(args);
            states = CLUSTER.cluster().awaitIdle(Duration.ofMinutes(4));
            for (String step : List.of("pack", "finish")) {
                assertThat(states).containsEntry(second.get(step), "COMPLETED");
            }
            for (int t = 0; t < 3; t++) {
                assertThat(states).containsEntry(second.get("cochleagram") + "_" + t, "COMPLETED");
            }
            for (String id : ids) {
                assertThat(downloads.resolve("YT_" + id + ".wav")).as(id).matches(p -> Files.exists(p)
                        != id.equals(ids.get(5)));
            }
            fetched.forEach((id, requests) -> assertThat(server.requests(id + ".m4a")).as("%s fetched once", id)
                    .isEqualTo(requests));
            assertThat(server.requests(ids.get(2) + ".m4a")).as("two failures, then the clip").isGreaterThan(2);

            Path single = tmp.resolve("single");
            child("pack", "--downloads", out.resolve("music_downloads").toString(), "--csv", subset.csv().toString(),
                    "--out", single.toString(), "--threads", "1");
            child("cochleagram", "--in", single.resolve("music.hdf5").toString(), "--out", single.toString(),
                    "--threads", "1", "--n", FILTERS, "--sample-factor", "1");
            for (String file : List.of("music.hdf5", "music_Coch.hdf5")) {
                List<String> dumps = H5Dump.of(single.resolve(file), out.resolve(file));
                assertThat(dumps.get(1)).as(file).isEqualTo(dumps.get(0));
            }
            assertThat(Files.readAllBytes(out.resolve("music_average.npy")))
                    .isEqualTo(Files.readAllBytes(single.resolve("music_average.npy")));
            assertThat(out.resolve(".music_Coch.hdf5.parts")).doesNotExist();

            Path logs = out.resolve("slurm/logs");
            for (int t = 0; t < 2; t++) {
                assertThat(Files.readString(logs.resolve("download-" + second.get("download") + "_" + t + ".out")))
                        .contains("selection          job " + t + " of 2").contains("logs ");
            }
            for (int t = 0; t < 3; t++) {
                assertThat(Files.readString(logs.resolve("cochleagram-" + second.get("cochleagram") + "_" + t
                        + ".out"))).contains("job " + t + " of 3: rows");
            }
            assertThat(Files.readString(logs.resolve("pack-" + second.get("pack") + ".out"))).contains("wrote");
            assertThat(Files.readString(logs.resolve("finish-" + second.get("finish") + ".out")))
                    .contains("wrote " + out.resolve("music_Coch.hdf5"));
            // a third submission with nothing new: the pack step's record says the pack is up to date
            Map<String, String> third = submit(args);
            states = CLUSTER.cluster().awaitIdle(Duration.ofMinutes(4));
            assertThat(states).containsEntry(third.get("pack"), "COMPLETED");
            assertThat(Files.readString(logs.resolve("pack-" + third.get("pack") + ".out")))
                    .contains("pack         up to date, kept: " + out.resolve("music.hdf5"));
            try (Stream<Path> scripts = Files.list(out.resolve("slurm"))) {
                for (Path s : scripts.filter(p -> p.toString().endsWith(".sbatch")).toList()) {
                    assertThat(Files.readString(s)).as(s.toString()).doesNotContain(ids.get(0));
                }
            }
        }
    }

    /** Runs {@code audioset slurm ... --submit} as a child process that reaches the test CLUSTER.cluster(). */
    private static Map<String, String> submit(String... args) throws Exception {
        ChildCli.Result r = ChildCli.run(tmp.resolve("child"), Duration.ofSeconds(120), CLUSTER.cluster().env(), args);
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> ids = jobIds(r.out());
        assertThat(ids).as(r.out()).containsOnlyKeys("download", "pack", "cochleagram", "finish");
        return ids;
    }

    /**
     * @param out what {@code audioset slurm --submit} printed
     * @return the job ids it printed ({@code download     job 12}), by step, in order
     */
    static Map<String, String> jobIds(String out) {
        Map<String, String> ids = new LinkedHashMap<>();
        Matcher m = JOB.matcher(out);
        while (m.find()) {
            ids.put(m.group(1), m.group(2));
        }
        return ids;
    }

    private static void child(String... args) throws Exception {
        ChildCli.Result r = ChildCli.run(tmp.resolve("child"), Duration.ofSeconds(180), Map.of(), args);
        assertThat(r.exit()).as(r.err()).isZero();
    }
}
