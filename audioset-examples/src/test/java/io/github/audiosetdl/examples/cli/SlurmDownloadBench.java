package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import io.github.audiosetdl.examples.hostile.ChildCli;
import io.github.audiosetdl.examples.slurm.SlurmCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Download throughput under SLURM: a 4-task array, 4 threads per task, all on this host and sharing one request
 * budget, against the loopback media server adding 300 ms to every request; the reference is one process with one
 * thread, measured in the same run. Clips per second are counted at the server (first request of each clip), so
 * the JVMs' start is left out of both; the fetch starts per 60 s window (and per 1 s) show the budget holds. Needs
 * root and slurm-wlm + munge (a private cluster is started and stopped).
 *
 * <pre>
 * mvn -B -ntp -q test-compile -pl audioset-examples -am -Pquick
 * mvn -B -ntp -q dependency:build-classpath -pl audioset-examples -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * cd audioset-examples
 * java -cp "target/classes:target/test-classes:$(cat cp.txt)" \
 *     io.github.audiosetdl.examples.cli.SlurmDownloadBench [latency-ms] [clips-per-thread] [budget-per-minute] \
 *     [ffmpeg]
 * </pre>
 *
 * Defaults: 300 ms, 8 clips per thread, 1200 requests per minute, the ffmpeg on PATH.
 */
public final class SlurmDownloadBench {
    private static final int TASKS = 4;
    private static final int THREADS = 4;

    private SlurmDownloadBench() {
    }

    public static void main(String[] args) throws Exception {
        long latency = args.length > 0 ? Long.parseLong(args[0]) : 300;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int budget = args.length > 2 ? Integer.parseInt(args[2]) : 1200;
        // a fresh folder per run: a second run in the same folder would find the first run's clips and skip them
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench").toAbsolutePath()),
                "slurm-");
        Path ffmpeg = args.length > 3 ? Path.of(args[3]) : ExternalTools.requireFfmpeg();
        Path tone = TestMedia.tone(work, Codec.AAC, 44_100, 30);
        try (LoopbackMediaServer server = LoopbackMediaServer.start();
                SlurmCluster cluster = SlurmCluster.start(Files.createTempDirectory("audioset-bench-slurm-"), 16)) {
            server.latency(Duration.ofMillis(latency));
            double one = run(work, "one", server, tone, ffmpeg, 1, 1, perThread, budget, null);
            double many = run(work, "array", server, tone, ffmpeg, TASKS, THREADS, perThread, budget, cluster);
            System.out.printf(Locale.ROOT, "speed-up %.2fx (goal 0.8 x %d = %.1fx)%n", many / one, TASKS * THREADS,
                    0.8 * TASKS * THREADS);
        }
    }

    private static double run(Path work, String name, LoopbackMediaServer server, Path tone, Path ffmpeg, int tasks,
            int threads, int perThread, int budget, SlurmCluster cluster) throws Exception {
        int clips = tasks * threads * perThread;
        List<String> ids = new ArrayList<>();
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int i = 0; i < clips; i++) {
            String id = String.format(Locale.ROOT, "%-5s%06d", name, i).replace(' ', '_');
            ids.add(id);
            server.serve(id + ".m4a", tone);
            csv.append(id).append(", 10.000, 20.000, \"/m/09x0r\"\n");
        }
        Path dir = Files.createDirectories(work.resolve(name));
        Path segments = Files.writeString(dir.resolve(name + ".csv"), csv);
        List<String> command = new ArrayList<>(List.of("download", "--csv", segments.toString(), "--out",
                dir.resolve("out").toString(), "--threads", Integer.toString(threads), "--resolver", "direct",
                "--url-template", server.url("{id}.m4a"), "--max-requests-per-minute", Integer.toString(budget),
                "--budget-dir", dir.resolve("budget").toString(), "--ffmpeg", ffmpeg.toString(), "--progress",
                "log"));
        long start = System.nanoTime();
        if (cluster == null) {
            ChildCli.Result r = ChildCli.run(dir, Duration.ofMinutes(20), Map.of(), command.toArray(String[]::new));
            if (r.exit() != 0) {
                throw new IllegalStateException(r.err());
            }
        } else {
            StringBuilder script = new StringBuilder("#!/bin/bash\nset -euo pipefail\nexec");
            for (String word : javaCommand()) {
                script.append(' ').append(SlurmCommand.quote(word));
            }
            for (String word : command) {
                script.append(' ').append(SlurmCommand.quote(word));
            }
            Path file = Files.writeString(dir.resolve("download.sbatch"), script.append('\n'));
            cluster.sbatch(List.of("--array=0-" + (tasks - 1), "--cpus-per-task=" + threads,
                    "--output=" + dir.resolve("download-%A_%a.out"), file.toString()));
            Map<String, String> states = cluster.awaitIdle(Duration.ofMinutes(20));
            if (!states.values().stream().allMatch("COMPLETED"::equals)) {
                throw new IllegalStateException("tasks did not all complete: " + states + " (logs in " + dir + ")");
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long[] starts = ids.stream().mapToLong(id -> server.firstRequestNanos(id + ".m4a")).sorted().toArray();
        if (starts[0] <= 0) {
            throw new IllegalStateException("some clips were never requested");
        }
        double span = (starts[clips - 1] - starts[0]) / 1e9;
        double rate = (clips - 1) / span;
        System.out.printf(Locale.ROOT, "%-6s %d task(s) x %d thread(s): %d clips, fetch starts over %.2f s:"
                + " %.2f clips/s; wall %.1f s (JVM starts and scheduling included); most fetch starts in any 60 s:"
                + " %d, in any 1 s: %d (budget %d/min = %.1f/s)%n", name, tasks, threads, clips, span, rate, wall,
                maxWithin(starts, 60_000_000_000L), maxWithin(starts, 1_000_000_000L), budget, budget / 60.0);
        return rate;
    }

    private static List<String> javaCommand() {
        return Arrays.asList(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                AudioSetCli.class.getName());
    }

    private static int maxWithin(long[] sorted, long windowNanos) {
        int best = 0;
        for (int i = 0, j = 0; j < sorted.length; j++) {
            while (sorted[j] - sorted[i] >= windowNanos) {
                i++;
            }
            best = Math.max(best, j - i + 1);
        }
        return best;
    }
}
