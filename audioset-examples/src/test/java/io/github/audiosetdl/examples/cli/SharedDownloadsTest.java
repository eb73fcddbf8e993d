package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import io.github.audiosetdl.examples.hostile.ChildCli;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Download tasks sharing one downloads folder never fetch the same id twice: four {@code download} processes whose
 * rows all hold the same ids (the CSV repeats them once per task), against the loopback server with latency, fetch
 * each id once; the others skip it, as "claimed by another task" while it is being fetched or as already there.
 * With per-job folders too, where each task writes into a folder the others did not list when they started.
 */
class SharedDownloadsTest {
    private static final int TASKS = 4;
    private static final int IDS = 8;

    @ParameterizedTest(name = "per-job folders: {0}")
    @ValueSource(booleans = {false, true})
    void fourTasksWithTheSameIdsFetchEachOnce(boolean perJobFolders, @TempDir Path dir) throws Exception {
        Path tone = TestMedia.tone(dir, Codec.AAC, 44_100, 12);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IDS; i++) {
            ids.add(String.format("shared%05d", i));
        }
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int task = 0; task < TASKS; task++) {
            ids.forEach(id -> csv.append(id).append(", 0.000, 10.000, \"/m/09x0r\"\n"));
        }
        Path segments = Files.writeString(dir.resolve("shared.csv"), csv);
        Path out = dir.resolve("out");
        ExecutorService pool = Executors.newFixedThreadPool(TASKS);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            ids.forEach(id -> server.serve(id + ".m4a", tone));
            server.latency(Duration.ofMillis(500));
            List<Future<ChildCli.Result>> runs = new ArrayList<>();
            for (int task = 0; task < TASKS; task++) {
                List<String> args = new ArrayList<>(List.of("download", "-a", segments.toString(), "--out",
                        out.toString(), "--jobs", Integer.toString(TASKS), "--job-index", Integer.toString(task),
                        "-e", "2", "--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--retries",
                        "0", "--budget-dir", "none", "--ffmpeg", ExternalTools.requireFfmpeg().toString()));
                if (perJobFolders) {
                    args.add("--per-job-folders");
                }
                runs.add(pool.submit(() -> ChildCli.run(dir.resolve("child"), Duration.ofSeconds(120), Map.of(),
                        args.toArray(String[]::new))));
            }
            for (Future<ChildCli.Result> run : runs) {
                ChildCli.Result r = run.get();
                assertThat(r.exit()).as("0, or 3 when a claimed clip was left to its owner; stderr: %s", r.err())
                        .isIn(0, 3);
            }

            Map<String, Integer> downloaded = new HashMap<>();
            List<String> otherFailures = new ArrayList<>();
            int claimed = 0;
            for (CSVRecord rec : logs(out.resolve("logs/shared_goodlogs"))) {
                downloaded.merge(rec.get("YTID"), 1, Integer::sum);
            }
            for (CSVRecord rec : logs(out.resolve("logs/shared_errorlogs"))) {
                if (rec.get("message").startsWith("claimed by another task (")) {
                    claimed++;
                } else {
                    otherFailures.add(rec.get("YTID") + ": " + rec.get("message"));
                }
            }
            assertThat(otherFailures).isEmpty();
            long first = server.requests(ids.get(0) + ".m4a");
            for (String id : ids) {
                assertThat(downloaded.get(id)).as("%s downloaded by one task", id).isEqualTo(1);
                assertThat(server.requests(id + ".m4a")).as("requests for %s (one fetch of the same media)", id)
                        .isEqualTo(first).isPositive();
                assertThat(clips(out.resolve("shared_downloads"), "YT_" + id + ".wav")).as(id).isEqualTo(1);
            }
            assertThat(claimed).as("the tasks overlapped: some clips were seen claimed").isPositive();
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> claims = Files.list(out.resolve("shared_downloads/.claims"))) {
            assertThat(claims).as("claims left").isEmpty();
        }
    }

    private static List<CSVRecord> logs(Path dir) throws Exception {
        List<CSVRecord> rows = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return rows;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.toList()) {
                try (Reader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                    CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)
                            .forEach(rows::add);
                }
            }
        }
        return rows;
    }

    private static long clips(Path downloads, String name) throws Exception {
        try (Stream<Path> files = Files.walk(downloads)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).count();
        }
    }
}
