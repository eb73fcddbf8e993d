package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import io.github.audiosetdl.examples.hostile.ChildCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-requests-per-minute} holds for all the processes of a host: four download processes (the jobs of one
 * CSV, four threads each) with a budget of 60 per minute, one fetch a second, start their 16 fetches at the loopback
 * server spaced over the host, not four at a time. The spacing is wide against the ffmpeg start-up that delays each
 * fetch the server sees on a loaded machine.
 */
class HostBudgetTest {
    private static final int JOBS = 4;
    private static final int CLIPS = 16;

    @Test
    void fourProcessesShareOneBudget(@TempDir Path dir) throws Exception {
        Path tone = TestMedia.tone(dir, Codec.AAC, 44_100, 12);
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CLIPS; i++) {
            ids.add(String.format("budget%05d", i));
            csv.append(ids.get(i)).append(", 0.000, 10.000, \"/m/09x0r\"\n");
        }
        Path segments = Files.writeString(dir.resolve("budget.csv"), csv);
        ExecutorService pool = Executors.newFixedThreadPool(JOBS);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            ids.forEach(id -> server.serve(id + ".m4a", tone));
            List<Future<ChildCli.Result>> runs = new ArrayList<>();
            for (int job = 0; job < JOBS; job++) {
                String index = Integer.toString(job);
                runs.add(pool.submit(() -> ChildCli.run(dir.resolve("child"), Duration.ofSeconds(120), Map.of(),
                        "download", "-a", segments.toString(), "--out", dir.resolve("out").toString(), "--jobs",
                        Integer.toString(JOBS), "--job-index", index, "-e", "4", "--resolver", "direct",
                        "--url-template", server.url("{id}.m4a"), "--max-requests-per-minute", "60",
                        "--budget-dir", dir.resolve("budget").toString(), "--retries", "0",
                        "--ffmpeg", ExternalTools.requireFfmpeg().toString())));
            }
            for (Future<ChildCli.Result> run : runs) {
                ChildCli.Result r = run.get();
                assertThat(r.exit()).as(r.err()).isZero();
            }

            long[] starts = ids.stream().mapToLong(id -> server.firstRequestNanos(id + ".m4a")).sorted().toArray();
            assertThat(starts[0]).isPositive();
            // 15 gaps of 1 s over the host (15 s); each process alone would fetch its 4 clips within 1.5 s, all 16
            // within about 2 s. The budget spaces the reservations; the server sees each a little later, after
            // ffmpeg's start-up, which on a loaded machine bunches a few and delays some by 1.5 s or more (12 fetches
            // within 4 s were seen with a 500 ms spacing at a high load): any 6 s holds at most 7 reservations, and
            // start-up delays of up to 4 s add at most 4 more (without the budget, all 16).
            assertThat(Duration.ofNanos(starts[CLIPS - 1] - starts[0])).isGreaterThan(Duration.ofMillis(10_000));
            assertThat(maxWithin(starts, Duration.ofSeconds(6))).as("fetch starts within any 6 s")
                    .isLessThanOrEqualTo(11);
        } finally {
            pool.shutdownNow();
        }
        assertThat(dir.resolve("budget/requests.budget")).isRegularFile();
    }

    private static int maxWithin(long[] sorted, Duration window) {
        int best = 0;
        for (int i = 0, j = 0; j < sorted.length; j++) {
            while (sorted[j] - sorted[i] >= window.toNanos()) {
                i++;
            }
            best = Math.max(best, j - i + 1);
        }
        return best;
    }
}
