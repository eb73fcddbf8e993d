package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.temporaries;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run killed with SIGKILL mid-way, then run again: every clip ends complete, none is fetched twice, and the claims
 * the killed run held are taken over.
 */
class KillAndResumeTest {
    private static final int CLIPS = 12;

    @Test
    void aKilledRunResumesWithoutRefetchingFinishedClips(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        List<String> ids = new ArrayList<>();
        StringBuilder csv = new StringBuilder("# Segments csv created Sun Mar  5 10:54:25 2017\n"
                + "# num_ytids=" + CLIPS + ", num_segs=" + CLIPS + ", num_unique_labels=1, num_positive_labels=" + CLIPS
                + "\n# YTID, start_seconds, end_seconds, positive_labels\n");
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            for (int i = 0; i < CLIPS; i++) {
                String id = String.format("killresu%03d", i);
                ids.add(id);
                server.serve(id + ".m4a", tone);
                csv.append(id).append(", 5.000, 15.000, \"/m/09x0r\"\n");
            }
            Path csvFile = Files.writeString(media.resolve("kill_segments.csv"), csv);
            server.latency(Duration.ofMillis(400));
            String template = server.url("{id}.m4a");
            Path job = out.resolve("test_downloads/test_downloads_0");

            Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), DownloadChild.class.getName(),
                    out.toString(), template, csvFile.toString()))
                    .redirectErrorStream(true).redirectOutput(media.resolve("child.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (clips(job).size() < 3 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(child.isAlive()).as("the child still runs when killed; log: %s",
                    Files.exists(media.resolve("child.log")) ? Files.readString(media.resolve("child.log")) : "")
                    .isTrue();
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
            Set<String> before = clips(job);
            assertThat(before.size()).isBetween(3, CLIPS - 1);
            Path claims = out.resolve("test_downloads").resolve(ClaimFolder.FOLDER);
            // (and the draft of a claim being made, if the kill came between its creation and its link)
            assertThat(names(claims)).as("the killed run's claims on the clips it was fetching").isNotEmpty()
                    .allMatch(n -> n.endsWith(ClaimFolder.SUFFIX) || n.startsWith(".")
                            && n.contains(ClaimFolder.SUFFIX + ".") && n.endsWith(ClipDownloader.TEMP_SUFFIX));
            Thread.sleep(1500); // let ffmpeg processes orphaned by the kill finish or fail
            Map<String, Long> requestsBefore = new HashMap<>();
            for (String id : ids) {
                requestsBefore.put(id, server.requests(id + ".m4a"));
            }

            server.latency(Duration.ZERO);
            Path errors = out.resolve("logs/test_errorlogs/errorLog_0.csv");
            DownloadSummary summary = DownloadStage.builder().config(fastConfig(out, template).build()).build()
                    .run(SegmentSelection.builder(csvFile).build());

            assertThat(summary.failedTotal()).as("the killed run's claims are taken over (%s); error log: %s", summary,
                    Files.exists(errors) ? Files.readString(errors) : "none").isZero();
            assertThat(names(claims)).as("claims left").isEmpty();
            assertThat(summary.skippedExisting() + summary.downloaded()).isEqualTo(CLIPS);
            assertThat(summary.skippedExisting()).isGreaterThanOrEqualTo(before.size());
            for (String id : ids) {
                assertThat(WavReader.readFormat(job.resolve("YT_" + id + ".wav")).frames()).as(id).isEqualTo(160_000);
                if (before.contains("YT_" + id + ".wav")) {
                    assertThat(server.requests(id + ".m4a")).as("%s was complete before the kill", id)
                            .isEqualTo(requestsBefore.get(id));
                }
            }
            assertThat(temporaries(out)).isEmpty();
        }
    }

    /**
     * A run stopped by SIGTERM or Ctrl-C ends as an interrupted run. While it handed rows to its workers (12 rows),
     * the shutdown hook had shut the worker pool down, and the next row handed to it ended the run with a
     * RejectedExecutionException, which the command line printed as the reason it failed; once every row was handed
     * out (1 row), the run returned a summary that said it was complete, the clips the hook stopped missing.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, CLIPS})
    void aRunStoppedBySigtermEndsAsInterrupted(int clips, @TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            for (int i = 0; i < clips; i++) {
                String id = String.format("sigterm%04d", i);
                server.serve(id + ".m4a", tone).latency(id + ".m4a", Duration.ofMinutes(2));
                csv.append(id).append(", 5.000, 15.000, \"/m/09x0r\"\n");
            }
            Path csvFile = Files.writeString(media.resolve("sigterm_segments.csv"), csv);
            Path log = media.resolve("child.log");
            Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), StoppedDownloadChild.class.getName(),
                    out.toString(), server.url("{id}.m4a"), csvFile.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (server.requests("sigterm0000.m4a") == 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(500); // the one worker waits for the server; the next row waits for the worker
                assertThat(child.isAlive()).as("the child still runs when stopped; log: %s", Files.readString(log))
                        .isTrue();
                child.destroy(); // SIGTERM
                assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            String text = Files.readString(log);
            assertThat(text).as(text).contains("ended: java.io.InterruptedIOException")
                    .doesNotContain("RejectedExecutionException").doesNotContain("download finished");
            assertThat(temporaries(out)).isEmpty();
        }
    }

    /**
     * A run started while the JVM is shutting down (Ctrl-C while the command starts up) ends as an interrupted run:
     * it ended with "IllegalStateException: Shutdown in progress", from adding its shutdown hook.
     */
    @Test
    void aRunStartedWhileTheJvmShutsDownEndsAsInterrupted(@TempDir Path media, @TempDir Path out) throws Exception {
        Path csvFile = Files.writeString(media.resolve("late_segments.csv"), "# YTID, start_seconds, end_seconds,"
                + " positive_labels\nlatestopped, 5.000, 15.000, \"/m/09x0r\"\n");
        Path log = media.resolve("child.log");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), StoppedDownloadChild.class.getName(),
                out.toString(), "http://127.0.0.1:9/{id}.m4a", csvFile.toString(), "late"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        String text = Files.readString(log);
        assertThat(text).as(text).contains("ended: java.io.InterruptedIOException")
                .doesNotContain("IllegalStateException");
        assertThat(temporaries(out)).isEmpty();
    }

    /**
     * yt-dlp's temporary files (the private cookies copy: a session's cookies; its output: signed media URLs) and
     * ffmpeg's logs of a run killed with SIGKILL are removed by the next run, and a live run's are kept.
     */
    @Test
    void aKilledRunsCookieCopiesAreRemovedByTheNextRun(@TempDir Path work, @TempDir Path out) throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path ytDlp = Files.writeString(work.resolve("yt-dlp"), "#!/bin/sh\n"
                + "for a in \"$@\"; do [ \"$a\" = --version ] && { echo 2024.01.01; exit 0; }; done\nexec sleep 60\n");
        Files.setPosixFilePermissions(ytDlp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path cookies = Files.writeString(work.resolve("cookies.txt"),
                "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tSID\tSECRETSESSION\n");
        Path csv = Files.writeString(work.resolve("kill_segments.csv"), "# YTID, start_seconds, end_seconds,"
                + " positive_labels\nkillcookie0, 5.000, 15.000, \"/m/09x0r\"\nkillcookie1, 5.000, 15.000,"
                + " \"/m/09x0r\"\n");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                DownloadChild.class.getName(), out.toString(), "http://127.0.0.1:9/{id}", csv.toString(),
                ytDlp.toString(), cookies.toString()))
                .redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
        List<ProcessHandle> tools = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (names(tmp).stream().noneMatch(n -> n.endsWith(".cookies.txt")) && child.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(child.isAlive()).as("the child still runs when killed; log: %s",
                    Files.readString(work.resolve("child.log"))).isTrue();
            child.descendants().forEach(tools::add);
            child.destroyForcibly(); // SIGKILL: no worker deletes its files
            child.waitFor();
        } finally {
            child.destroyForcibly();
            tools.forEach(ProcessHandle::destroyForcibly);
        }
        Set<String> left = names(tmp);
        assertThat(left).as("the killed run's cookies copies").anyMatch(n -> n.startsWith(YtDlpResolver.TEMP_PREFIX)
                && n.endsWith(".cookies.txt"));
        Path live = Files.createTempFile(tmp, DownloadStage.tempPrefix(YtDlpResolver.TEMP_PREFIX), ".cookies.txt");
        Path other = Files.createFile(tmp.resolve("audioset-yt-dlp-12345.out")); // no owner: never judged

        DownloadStage.removeStaleToolFiles(tmp);

        assertThat(names(tmp)).containsExactlyInAnyOrder(live.getFileName().toString(),
                other.getFileName().toString());
    }

    private static Set<String> clips(Path job) throws Exception {
        return names(job).stream().filter(n -> n.startsWith("YT_") && n.endsWith(".wav")).collect(Collectors.toSet());
    }

    private static Set<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

}
