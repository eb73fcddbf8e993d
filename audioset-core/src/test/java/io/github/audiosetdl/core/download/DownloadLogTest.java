package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadLogTest {
    private static ClipResult failed(String ytid, FailureClass c, String message) {
        return new ClipResult(new SegmentRow(0, 2, new Segment(ytid, 0, 10_000, List.of("/m/09x0r"))),
                ClipStatus.FAILED, c, 1, message, 0);
    }

    private static List<LogEntry> read(Path log) throws IOException {
        try (Stream<LogEntry> s = DownloadLogReader.stream(log)) {
            return s.toList();
        }
    }

    /**
     * The download's own files in a folder that takes none (/proc, even for root): the folder named with the reason,
     * not the hidden name of a temporary file (the header of a new log, a clip's decode file, a WAV file), nor
     * "no such file" for a folder made in it.
     */
    @Test
    void aFolderThatTakesNoFilesIsNamedNotTheHiddenTemporaryFile() {
        Path proc = Path.of("/proc");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(proc), "a Linux /proc");
        assertThatThrownBy(() -> new DownloadLog(proc.resolve("goodLog_0.csv"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write in /proc: ").hasMessageContaining("for goodLog_0.csv)");
        assertThatThrownBy(() -> new DownloadLog(proc.resolve("x_goodlogs/goodLog_0.csv")))
                .hasMessageStartingWith("cannot write in /proc: ").hasMessageContaining("(creating x_goodlogs)");
        assertThatThrownBy(() -> io.github.audiosetdl.core.audio.WavWriter.writeMono(proc.resolve("YT_x.wav"), 16_000,
                new float[2], io.github.audiosetdl.core.audio.WavEncoding.PCM_16))
                .hasMessageStartingWith("cannot write in /proc: ").hasMessageContaining(" for YT_x.wav)");
        Segment segment = new Segment("abcdefghijk", 0, 10_000, List.of("/m/09x0r"));
        assertThatThrownBy(() -> ClipDownloader.createTemp(segment, proc))
                .hasMessageStartingWith("cannot write in /proc: ").hasMessageContaining(" for YT_abcdefghijk.wav)");
    }

    /** A cancelled run closes its logs on an interrupted thread: they are still synced, and the interrupt kept. */
    @Test
    void aLogClosedOnAnInterruptedThreadIsSyncedAndTheInterruptKept(@TempDir Path dir) throws IOException {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            DownloadLog l = new DownloadLog(dir.resolve("goodLog_0.csv"));
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            Thread.currentThread().interrupt();
            l.close();
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
            System.setErr(stderr);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("cannot sync");
    }

    @Test
    void writesTheReasonColumnAndReadsItBack(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("errorLog_0.csv");
        try (DownloadLog l = new DownloadLog(log)) {
            l.write(failed("abcdefghijk", FailureClass.PERMANENT, "ERROR: [youtube] abcdefghijk: Private video"));
        }
        assertThat(Files.readAllLines(log).get(0)).isEqualTo(String.join(",", DownloadLog.HEADER));
        assertThat(Files.readAllLines(log).get(0)).contains(",class,reason,");
        LogEntry e = read(log).get(0);
        assertThat(e.reason()).isEqualTo(FailureReason.PRIVATE);
        assertThat(e.failureClass()).isEqualTo(FailureClass.PERMANENT);
        assertThat(e.labelIds()).containsExactly("/m/09x0r");
    }

    @Test
    void tasksStartingALogAtOnceWriteOneHeader(@TempDir Path dir) throws Exception {
        int tasks = 8;
        for (int round = 0; round < 25; round++) {
            Path log = dir.resolve("errorLog_" + round + ".csv");
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(tasks);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(tasks);
            try {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    String id = "clip" + (char) ('A' + t) + "AAAAAA";
                    done.add(pool.submit(() -> {
                        start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        try (DownloadLog l = new DownloadLog(log)) {
                            l.write(failed(id, FailureClass.TRANSIENT, "timed out"));
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as("round %d", round).hasSize(tasks + 1)
                    .filteredOn(l -> l.startsWith("YTID,")).hasSize(1);
            assertThat(lines.get(0)).isEqualTo(String.join(",", DownloadLog.HEADER));
            assertThat(read(log)).hasSize(tasks);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void aHeaderTwoTasksBothWroteIsNotReadAsARow(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("errorLog_0.csv");
        String header = String.join(",", DownloadLog.HEADER) + "\n";
        Files.writeString(log, header + header + "clipAAAAAAA,0.000,10.000,/m/09x0r,1,failed,transient,network,3,0,"
                + "timed out,2026-12-04T09:00:00Z\n");
        assertThat(read(log)).extracting(LogEntry::ytid).containsExactly("clipAAAAAAA");
    }

    @Test
    void appendsToALogOfAnOlderVersionInItsOwnColumnsAndDerivesItsReasons(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("errorLog_0.csv");
        Files.writeString(log, "YTID,start_seconds,end_seconds,positive_labels,csv_row,outcome,class,attempts,"
                + "frames,message,time\n"
                + "oldoldold01,0.000,10.000,\"/m/09x0r,/m/04rlf\",0,failed,permanent,1,0,"
                + "\"ERROR: [youtube] oldoldold01: Video unavailable. This video is no longer available because the"
                + " YouTube account associated with this video has been terminated.\",2026-01-01T00:00:00Z\n"
                + "oldoldold02,0.000,10.000,/m/09x0r,1,failed,transient,3,0,\"a message nobody knows\","
                + "2026-01-01T00:00:00Z\n", StandardCharsets.UTF_8);
        try (DownloadLog l = new DownloadLog(log)) {
            l.write(failed("newnewnew01", FailureClass.RATE_LIMITED, "HTTP Error 429: Too Many Requests"));
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(0)).doesNotContain("reason");
        assertThat(lines.get(3)).startsWith("newnewnew01,").contains(",failed,rate-limited,1,0,");
        List<LogEntry> entries = read(log);
        assertThat(entries).extracting(LogEntry::reason).containsExactly(FailureReason.ACCOUNT_TERMINATED,
                FailureReason.OTHER, FailureReason.RATE_LIMITED);
        assertThat(entries.get(0).labelIds()).containsExactly("/m/09x0r", "/m/04rlf");
    }

    @Test
    void refusesAFileThatIsNotALog(@TempDir Path dir) throws IOException {
        Path notLog = Files.writeString(dir.resolve("x.csv"), "a,b\n1,2\n");
        assertThatThrownBy(() -> new DownloadLog(notLog)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a download log");
        assertThatThrownBy(() -> read(notLog)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a download log");
    }

    /**
     * Only the header line of an existing log is decoded when it is opened for appending: a multi-byte character a
     * crash cut short in a row within its first 4 kB made the next run fail with the JDK's "Input length = 1",
     * naming no file (found by mutating a log's bytes).
     */
    @Test
    void aRowThatIsNotUtf8DoesNotStopALogBeingAppendedToAndAHeaderThatIsNotIsNamed(@TempDir Path dir)
            throws IOException {
        byte[] header = (String.join(",", DownloadLog.HEADER) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] row = "abcdefghijk,0,10,,0,failed,permanent,,1,0,caf\u00e9,t\n".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(row, row.length - 4); // inside the two bytes of the e acute
        Path log = dir.resolve("errorLog_0.csv");
        Files.write(log, concat(header, cut, "\n".getBytes(StandardCharsets.UTF_8)));
        new DownloadLog(log).close();

        byte[] bad = header.clone();
        bad[1] = (byte) 0xFF;
        Files.write(log, concat(bad, row));
        assertThatThrownBy(() -> new DownloadLog(log)).isInstanceOf(IOException.class)
                .hasMessage(log + " is not a download log: its first line is not UTF-8 text");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void namesTheLineOfAnUnknownFailureClass(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("e.csv"), String.join(",", DownloadLog.HEADER) + "\n"
                + "abcdefghijk,0,10,,0,failed,sometimes,,1,0,msg,t\n");
        assertThatThrownBy(() -> read(log)).hasMessageContaining("line 1").hasMessageContaining("'sometimes'");
    }

    /**
     * A log name another user planted as a link in a shared logs folder (to an empty file of the victim's, to
     * another log, or to a name that does not exist yet) is refused: no row is appended, nothing is cut or created.
     */
    @Test
    void aLogPlantedAsASymbolicLinkIsRefusedAndNothingIsWrittenThroughIt(@TempDir Path dir) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path victim = Files.createFile(dir.resolve("victim.conf"));
        Path otherLog = Files.writeString(dir.resolve("other.csv"), String.join(",", DownloadLog.HEADER) + "\n"
                + "abcdefghijk,0.000,10.000,,0,failed,perm");
        Files.setLastModifiedTime(otherLog, java.nio.file.attribute.FileTime.fromMillis(0)); // old: would be cut
        Path missing = dir.resolve("created-by-log");
        for (Path target : List.of(victim, otherLog, missing)) {
            Path log = Files.createSymbolicLink(logs.resolve("goodLog_" + target.getFileName() + ".csv"), target);
            assertThatThrownBy(() -> new DownloadLog(log).close()).isInstanceOf(IOException.class)
                    .hasMessageContaining(log.toString()).hasMessageContaining("symbolic link");
        }
        assertThat(Files.size(victim)).isZero();
        assertThat(Files.readString(otherLog)).endsWith(",failed,perm");
        assertThat(missing).doesNotExist();
    }

    @Test
    void headerFilesOfTasksKilledBeforeTheLinkAreRemovedByTheNextOpenAndALiveTasksKept(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("good_downloads.csv");
        List<Path> planted = io.github.audiosetdl.core.testing.KilledRuns.plantTemporaries(file);
        new DownloadLog(file).close();
        assertThat(planted.get(0)).doesNotExist();
        planted = io.github.audiosetdl.core.testing.KilledRuns.plantTemporaries(file);
        new DownloadLog(file).close(); // a rerun appending to the log its first run made
        assertThat(planted.get(0)).doesNotExist();
        assertThat(planted.subList(1, 3)).allMatch(Files::exists);
    }
}
