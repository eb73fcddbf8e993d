package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.DownloadStage;
import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Download throughput against the loopback media server adding 300 ms to every request (as a
 * distant media server would), for 1, 4 and 16 threads, with the speed-up over one thread (the
 * reference, measured in the same run); then the bytes read per clip from 10-minute sources.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am install -DskipTests -Pquick
 * mvn -B -ntp -q -pl audioset-core test-compile exec:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath \
 *     io.github.audiosetdl.core.bench.DownloadBench"
 * </pre>
 *
 * Arguments: {@code [latency-ms] [clips-per-thread] [ffmpeg]} (default 300, 8 and the ffmpeg on PATH).
 */
public final class DownloadBench {
    private DownloadBench() {
    }

    /**
     * @return CPU seconds used by this JVM and its finished child processes (ffmpeg), from
     *     {@code /proc/self/stat} (utime, stime, cutime, cstime); NaN where there is no /proc
     */
    static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    public static void main(String[] args) throws Exception {
        long latency = args.length > 0 ? Long.parseLong(args[0]) : 300;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path work = Files.createDirectories(Path.of("target", "bench", "download"));
        Path ffmpeg = args.length > 2 ? Path.of(args[2]) : ExternalTools.requireFfmpeg();
        Path tone = TestMedia.tone(work, Codec.AAC, 44_100, 30);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.latency(Duration.ofMillis(latency));
            System.out.printf(Locale.ROOT, "%s; %d ms added per request; %d cores%n",
                    ExternalTools.check(List.of(ffmpeg.toString(), "-version")).lines().findFirst().orElse(""),
                    latency, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%8s %6s %9s %8s %9s %9s %12s %14s%n", "threads", "clips", "seconds",
                    "clips/s", "speed-up", "goal", "CPU-s/clip", "CPU ceiling/s");
            double base = 0;
            int run = 0;
            for (int threads : new int[] {1, 4, 16}) {
                int clips = threads * perThread;
                List<SegmentRow> rows = new ArrayList<>();
                for (int i = 0; i < clips; i++) {
                    String id = String.format(Locale.ROOT, "bench%d%05d", run, i);
                    server.serve(id + ".m4a", tone);
                    rows.add(new SegmentRow(i, i + 1, new Segment(id, 10_000, 20_000, List.of("/m/09x0r"))));
                }
                Path out = work.resolve("run" + run + "_" + System.nanoTime());
                DownloadConfig config = DownloadConfig.builder(out, "bench").resolver(ResolverKind.DIRECT)
                        .urlTemplate(server.url("{id}.m4a")).ffmpeg(ffmpeg).threads(threads).retries(0).build();
                long start = System.nanoTime();
                double cpuBefore = cpuSeconds();
                DownloadSummary summary = DownloadStage.builder().config(config).build()
                        .run(rows.stream(), Shard.ALL, clips);
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuPerClip = (cpuSeconds() - cpuBefore) / clips;
                if (summary.downloaded() != clips) {
                    throw new IllegalStateException("only " + summary + " with " + threads + " threads");
                }
                double rate = clips / seconds;
                if (threads == 1) {
                    base = rate;
                }
                System.out.printf(Locale.ROOT, "%8d %6d %9.2f %8.2f %8.2fx %8.1fx %12.3f %14.1f%n", threads, clips,
                        seconds, rate, rate / base, 0.8 * threads, cpuPerClip,
                        Runtime.getRuntime().availableProcessors() / cpuPerClip);
                run++;
            }
            server.latency(Duration.ZERO);
            for (Codec codec : List.of(Codec.AAC, Codec.OPUS)) {
                Path source = TestMedia.tone(work, codec, 48_000, 600);
                String name = "bytes" + codec.ordinal() + "xxxxx";
                server.serve(name + "." + codec.extension(), source);
                DownloadConfig config = DownloadConfig.builder(work.resolve("bytes_" + System.nanoTime()), "bench")
                        .resolver(ResolverKind.DIRECT).urlTemplate(server.url("{id}." + codec.extension()))
                        .ffmpeg(ffmpeg).build();
                DownloadStage.builder().config(config).build().run(Stream.of(new SegmentRow(0, 1,
                        new Segment(name, 300_000, 310_000, List.of()))), Shard.ALL, 1);
                long served = server.bytesServed(name + "." + codec.extension());
                System.out.printf(Locale.ROOT, "%-5s 10-minute source %,d bytes: %,d bytes served for the clip"
                        + " (%.1f%%) in %d requests%n", codec, Files.size(source), served,
                        100.0 * served / Files.size(source), server.requests(name + "." + codec.extension()));
            }
        }
    }
}
