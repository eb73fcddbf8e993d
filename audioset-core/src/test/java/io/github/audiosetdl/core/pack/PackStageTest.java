package io.github.audiosetdl.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.ErrorPolicy;
import io.github.audiosetdl.core.SegmentCsvOptions;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.testing.ErrorStreamCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackStageTest {
    static final SeedPreparation PREP = new SeedPreparation(8000, 1);

    @TempDir
    Path dir;

    /** Records rows; fails on the row named {@code failOn}. */
    static class RecordingSink implements WaveformSink {
        final List<SegmentRow> rows = new ArrayList<>();
        final List<PreparedAudio> clips = new ArrayList<>();
        final List<short[]> int16 = new ArrayList<>();
        boolean committed;
        String failOn = "";
        Int16Level int16Level;
        final List<Int16Level> int16Levels = new ArrayList<>();

        @Override
        public Optional<Int16Level> int16Level() {
            return Optional.ofNullable(int16Level);
        }

        @Override
        public void write(SegmentRow row, PreparedAudio audio) throws IOException {
            if (row.segment().ytid().equals(failOn)) {
                throw new IOException("disk full at " + failOn);
            }
            rows.add(row);
            // the samples are valid only during the call (WaveformSink's contract): keep a copy
            clips.add(new PreparedAudio(audio.samples().clone(), audio.norm(), audio.padded()));
            audio.int16().ifPresent(v -> int16.add(v.clone()));
            audio.int16Level().ifPresent(int16Levels::add);
        }

        @Override
        public long size() {
            return rows.size();
        }

        @Override
        public List<Path> commit() {
            committed = true;
            return List.of(Path.of("out.hdf5"));
        }

        @Override
        public void close() {
        }
    }

    static String id(int i) {
        return String.format("id_%08d", i);
    }

    Path csv(int n) throws IOException {
        StringBuilder s = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int i = n - 1; i >= 0; i--) { // CSV order is the reverse of the id order
            s.append(id(i)).append(", ").append(i).append(".000, ").append(i + 10).append(".000, \"/m/09x0r\"\n");
        }
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, s);
        return csv;
    }

    void wav(Path folder, int i, float amplitude) throws IOException {
        Files.createDirectories(folder);
        float[] x = new float[8000];
        for (int k = 0; k < x.length; k++) {
            x[k] = amplitude * (float) Math.sin(k * 0.01 * (i + 1));
        }
        WavWriter.writeMono(folder.resolve("YT_" + id(i) + ".wav"), 8000, x, WavEncoding.PCM_16);
    }

    @Test
    void aScanListsTheFilesFoundAndTheInputsAndPacksWhatItFound() throws IOException {
        Path downloads = dir.resolve("t_downloads");
        for (int i = 0; i < 3; i++) {
            wav(downloads.resolve("t_downloads_" + i), i, 0.5f);
        }
        Files.writeString(downloads.resolve("t_downloads_0").resolve("YT_" + id(7) + ".wav.part"), "tmp");
        Path csv = csv(4);
        PackStage stage = PackStage.builder().downloads(downloads).segments(csv).preparation(PREP).threads(1).build();
        PackStage.Inputs first = stage.scan();
        assertThat(first.wavFiles()).isEqualTo(3);
        assertThat(first.listing()).containsKeys(PackStage.Inputs.WAV_FILES, PackStage.Inputs.WAV_LISTING,
                PackStage.Inputs.SEGMENTS, PackStage.Inputs.SELECTION, PackStage.Inputs.LABELS,
                PackStage.Inputs.SHUFFLE, PackStage.Inputs.PREPARATION, PackStage.Inputs.STRONG,
                PackStage.Inputs.STRONG_VOCABULARY).containsEntry(PackStage.Inputs.WAV_FILES, "3")
                .containsEntry(PackStage.Inputs.SHUFFLE, "none").containsEntry(PackStage.Inputs.STRONG, "none");
        assertThat(stage.scan().listing()).as("a second scan of the same files").isEqualTo(first.listing());
        // a temporary file is not a clip; a WAV added after the scan is not packed from it
        Files.writeString(downloads.resolve("t_downloads_1").resolve("notes.txt"), "log");
        wav(downloads.resolve("t_downloads_2"), 3, 0.5f);
        RecordingSink sink = new RecordingSink();
        assertThat(stage.run(first, sink).rowsWritten()).isEqualTo(3);
        PackStage.Inputs second = stage.scan();
        assertThat(second.listing().get(PackStage.Inputs.WAV_FILES)).isEqualTo("4");
        assertThat(second.listing().get(PackStage.Inputs.WAV_LISTING))
                .isNotEqualTo(first.listing().get(PackStage.Inputs.WAV_LISTING));
        assertThat(PackStage.builder().downloads(downloads).segments(csv).preparation(PREP).shuffleSeed(3).build()
                .scan().listing()).containsEntry(PackStage.Inputs.SHUFFLE, "3")
                .containsEntry(PackStage.Inputs.WAV_LISTING, second.listing().get(PackStage.Inputs.WAV_LISTING));
        PackStage other = PackStage.builder().downloads(downloads).segments(csv).preparation(PREP).build();
        assertThatThrownBy(() -> other.run(first, new RecordingSink())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another pack stage");
    }

    @Test
    void rowsFollowTheCsvAndSkipsAreReportedWithReasons() throws IOException {
        Path downloads = dir.resolve("t_downloads");
        for (int i = 0; i < 6; i++) {
            wav(downloads.resolve("t_downloads_" + (i % 3)), i, 0.5f);
        }
        wav(downloads.resolve("t_downloads_9"), 2, 0.9f);          // a duplicate id, in a later folder
        wav(downloads.resolve("t_downloads_0"), 50, 0.5f);         // not in the CSV
        Files.writeString(downloads.resolve("t_downloads_1").resolve("YT_" + id(4) + ".wav.part"), "tmp");
        Files.writeString(downloads.resolve("t_downloads_1").resolve("YT_" + id(6) + ".wav"), "RIFF junk");
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        RecordingSink sink = new RecordingSink();
        PackSummary s = PackStage.builder().downloads(downloads).segments(csv(7)).preparation(PREP).threads(2)
                .listener(new PipelineListener() {
                    @Override
                    public void itemFailed(Stage stage, String item, String reason) {
                        failed.add(Path.of(item).getFileName() + ": " + reason);
                    }
                }).build().run(sink);
        assertThat(sink.committed).isTrue();
        assertThat(sink.rows).extracting(r -> r.segment().ytid())
                .containsExactly(id(5), id(4), id(3), id(2), id(1), id(0));
        assertThat(sink.rows).extracting(SegmentRow::row).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(sink.clips.get(3).norm()).as("the first folder's copy wins").isCloseTo(0.5, within(1e-3));
        assertThat(s.rowsWritten()).isEqualTo(6);
        assertThat(s.wavFilesFound()).isEqualTo(9);
        assertThat(s.skipped()).containsEntry(PackSummary.DUPLICATE, 1L).containsEntry(PackSummary.NOT_IN_CSV, 1L)
                .containsEntry(PackSummary.UNREADABLE, 1L);
        assertThat(s.skippedTotal()).isEqualTo(3);
        assertThat(failed).hasSize(3).anyMatch(f -> f.startsWith("YT_" + id(6) + ".wav: unreadable WAV"))
                .anyMatch(f -> f.startsWith("YT_" + id(50) + ".wav: not in the segments CSV"))
                .anyMatch(f -> f.startsWith("YT_" + id(2) + ".wav: duplicate id"));
    }

    @Test
    void aSinkThatWantsInt16GetsEachClipConvertedByTheWorkers() throws IOException {
        Path downloads = dir.resolve("d");
        for (int i = 0; i < 40; i++) { // more clips than the window: the arrays are recycled
            wav(downloads, i, 0.1f + 0.02f * i);
        }
        RecordingSink floats = new RecordingSink();
        PackStage stage = PackStage.builder().downloads(downloads).segments(csv(40)).preparation(PREP).threads(2)
                .build();
        stage.run(floats);
        assertThat(floats.int16).as("a sink that does not want them gets none").isEmpty();
        for (Int16Level level : Int16Level.values()) {
            RecordingSink ints = new RecordingSink();
            ints.int16Level = level;
            stage.run(ints);
            assertThat(ints.int16).hasSize(40);
            assertThat(ints.int16Levels).hasSize(40).containsOnly(level);
            for (int i = 0; i < 40; i++) {
                PreparedAudio clip = floats.clips.get(i);
                short[] expected = new short[PREP.clipSamples()];
                // NORMALISED: round(x 32767); CLIP_LEVEL: round(x norm 32767), the clip's own level
                SampleType.toInt16(clip.samples(), level == Int16Level.NORMALISED ? 1f : (float) clip.norm(),
                        expected);
                assertThat(ints.int16.get(i)).as("%s clip %d", level, i).isEqualTo(expected);
                assertThat(ints.clips.get(i).samples()).isEqualTo(clip.samples());
            }
        }
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }

    @Test
    void aWriteFailureStopsTheStageWithoutCommitting() throws IOException {
        Path downloads = dir.resolve("d");
        for (int i = 0; i < 5; i++) {
            wav(downloads, i, 0.5f);
        }
        RecordingSink sink = new RecordingSink();
        sink.failOn = id(2);
        assertThatThrownBy(() -> PackStage.builder().downloads(downloads).segments(csv(5)).preparation(PREP)
                .threads(2).build().run(sink)).isInstanceOf(IOException.class).hasMessageContaining("disk full");
        assertThat(sink.committed).isFalse();
    }

    /** A failed run has stopped its workers and readers when it returns: none is still preparing a clip. */
    @Test
    void aFailedRunLeavesNoWorkerOrReaderRunning() throws IOException {
        Path downloads = dir.resolve("busy");
        for (int i = 0; i < 40; i++) {
            Files.createDirectories(downloads);
            // the CSV's first row (id 39) is short; the others, 10 s at 44.1 kHz, take a while to resample
            float[] x = new float[i == 39 ? 441 : 441_000];
            for (int k = 0; k < x.length; k++) {
                x[k] = 0.5f * (float) Math.sin(k * 0.01 * (i + 1));
            }
            WavWriter.writeMono(downloads.resolve("YT_" + id(i) + ".wav"), 44_100, x, WavEncoding.PCM_16);
        }
        RecordingSink sink = new RecordingSink();
        sink.failOn = id(39); // fails at once: the other workers are preparing their clips
        assertThatThrownBy(() -> PackStage.builder().downloads(downloads).segments(csv(40))
                .preparation(SeedPreparation.DEFAULT).threads(4).build().run(sink)).isInstanceOf(IOException.class)
                .hasMessageContaining("disk full");
        List<String> alive = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("audioset-pack")).forEach(alive::add);
        assertThat(alive).as("pack threads alive when run() returned").isEmpty();
    }

    @Test
    void indexFindsIdsStartingWithDashAndIgnoresOtherNames() throws IOException {
        Path downloads = dir.resolve("d");
        Files.createDirectories(downloads.resolve("a/b"));
        for (String name : new String[] {"YT_-abcdefghij.wav", "YT_abcdefghijk.wav", "a/b/YT_zzzzzzzzzzz.wav",
            "YT_short.wav", "YT_abcdefghijk.wav.tmp", ".YT_abcdefghijx.wav", "YT_abc$efghijk.wav"}) {
            Files.writeString(downloads.resolve(name), "x");
        }
        WavIndex index = WavIndex.scan(downloads);
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.find("-abcdefghij")).isNotNegative();
        assertThat(index.path(index.find("zzzzzzzzzzz"))).isEqualTo(downloads.resolve("a/b/YT_zzzzzzzzzzz.wav"));
        assertThat(index.find("abcdefghijx")).isEqualTo(-1);
        assertThat(index.find("short")).isEqualTo(-1);
    }

    @Test
    void indexFollowsLinksToFoldersAndFilesAndSkipsLoops() throws IOException {
        Path real = dir.resolve("real");
        Files.createDirectories(real.resolve("j0"));
        Files.writeString(real.resolve("j0/YT_aaaaaaaaaaa.wav"), "x");
        Path other = dir.resolve("elsewhere");
        Files.createDirectories(other);
        Files.writeString(other.resolve("clip.wav"), "x");
        Files.createSymbolicLink(real.resolve("j0/YT_bbbbbbbbbbb.wav"), other.resolve("clip.wav"));
        Files.createSymbolicLink(real.resolve("j0/loop"), real);                // a link back up: skipped
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked"), real); // the downloads folder itself

        WavIndex index = WavIndex.scan(linkedRoot);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.find("aaaaaaaaaaa")).isNotNegative();
        assertThat(index.path(index.find("bbbbbbbbbbb"))).isEqualTo(linkedRoot.resolve("j0/YT_bbbbbbbbbbb.wav"));
    }

    @Test
    void indexIgnoresFilesThatVanishDuringTheScan() throws Exception {
        // A download beside the pack creates and renames its temporary files while the pack lists the folder.
        Path job = dir.resolve("d/d_downloads_0");
        Files.createDirectories(job);
        for (int i = 0; i < 300; i++) {
            Files.writeString(job.resolve("YT_" + id(i) + ".wav"), "x");
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> {
            for (int k = 0; !stop.get() && k < 2_000_000; k++) {
                Path tmp = job.resolve(".YT_" + id(k % 50) + ".decode.tmp");
                try {
                    Files.writeString(tmp, "x");
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    return;
                }
            }
        });
        churn.start();
        try {
            for (int scan = 0; scan < 200; scan++) {
                assertThat(WavIndex.scan(dir.resolve("d")).size()).isEqualTo(300);
            }
        } finally {
            stop.set(true);
            churn.join(10_000);
        }
    }

    @Test
    void aScanOnAnInterruptedThreadStopsAtOnceAndKeepsTheInterrupt() throws IOException {
        // a cancel during the walk of a huge downloads folder was honoured only once every folder was listed
        for (int i = 0; i < 50; i++) {
            wav(dir.resolve("many_downloads/many_downloads_0"), i, 0.5f);
        }
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> WavIndex.scan(dir.resolve("many_downloads")))
                    .isInstanceOf(java.io.InterruptedIOException.class).hasMessageContaining("many_downloads");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(WavIndex.scan(dir.resolve("many_downloads")).size()).isEqualTo(50);
    }

    @Test
    void anEmptyOrUnusableFolderFailsWithoutCommittingAnEmptyFile() throws IOException {
        Path empty = dir.resolve("empty_downloads");
        Files.createDirectories(empty.resolve("empty_downloads_0"));
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> PackStage.builder().downloads(empty).segments(csv(3)).preparation(PREP).build()
                .run(sink)).isInstanceOf(IOException.class).isNotInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining("empty_downloads").hasMessageContaining("no YT_<id>.wav");
        assertThat(sink.committed).isFalse();

        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a folder");
        assertThatThrownBy(() -> WavIndex.scan(notes)).isInstanceOf(java.nio.file.NotDirectoryException.class)
                .hasMessageContaining("notes.txt (the downloads folder)");
        assertThatThrownBy(() -> WavIndex.scan(dir.resolve("absent")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("absent");

        Path strangers = dir.resolve("strangers");
        wav(strangers, 40, 0.5f);
        wav(strangers, 41, 0.5f);
        assertThatThrownBy(() -> PackStage.builder().downloads(strangers).segments(csv(3)).preparation(PREP).build()
                .run(sink)).isInstanceOf(IOException.class).hasMessageContaining("none of the 2 WAV files")
                .hasMessageContaining(PackSummary.NOT_IN_CSV).hasMessageContaining("nothing written");
        assertThat(sink.committed).isFalse();
    }

    @Test
    void aSinkRecordingAnotherRateIsRefused() throws IOException {
        Path downloads = dir.resolve("d");
        wav(downloads, 0, 0.5f);
        RecordingSink sink = new RecordingSink() {
            @Override
            public java.util.OptionalInt sampleRate() {
                return java.util.OptionalInt.of(44_100);
            }
        };
        assertThatThrownBy(() -> PackStage.builder().downloads(downloads).segments(csv(1)).preparation(PREP).build()
                .run(sink)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the sink records 44100 Hz, but this stage prepares clips at 8000 Hz");
        assertThat(sink.committed).isFalse();
    }

    /**
     * A strong file that is both the segments and the strong labels is read twice (the events, then the rows):
     * each bad line was logged twice under {@code SKIP}; once now.
     */
    @Test
    void aBadLineOfAStrongCsvThatIsAlsoTheStrongFileIsLoggedOnceUnderSkip() throws Exception {
        Path downloads = dir.resolve("d");
        for (int i = 0; i < 3; i++) {
            wav(downloads, i, 0.5f);
        }
        Path strong = Files.write(dir.resolve("bad_strong.tsv"), List.of(
                "segment_id\tstart_time_seconds\tend_time_seconds\tlabel",
                id(0) + "_0\t0.000\t1.534\t/m/09x0r",
                id(1) + "_0\t5.000\t4.000\t/m/09x0r", // onset after offset
                id(1) + "_0\t0.500\t4.000\t/m/04rlf",
                id(2) + "_0\t0.000\t10.000\t/m/04rlf"));
        SegmentSelection rows = SegmentSelection.builder(strong).options(SegmentCsvOptions.builder()
                .errorPolicy(ErrorPolicy.SKIP).build()).build();
        RecordingSink sink = new RecordingSink();
        PackSummary[] summary = new PackSummary[1];
        String log = ErrorStreamCapture.capture(() -> summary[0] = PackStage.builder().downloads(downloads)
                .selection(rows).strong(strong).preparation(PREP).threads(1).build().run(sink));
        assertThat(summary[0].rowsWritten()).isEqualTo(3);
        assertThat(ErrorStreamCapture.count(log, strong + ":3: end_time_seconds is before start_time_seconds"))
                .as(log).isEqualTo(1);
        assertThat(log).contains("'5.000, 4.000'");
    }

    @Test
    void workersAreCappedSoThatHalfTheHeapHoldsTheirWorkArrays() {
        long mb = 1L << 20;
        assertThat(PackStage.workersFor(2, 256 * mb)).isEqualTo(2);
        assertThat(PackStage.workersFor(16, 256 * mb)).isEqualTo(5); // 128 MB / 24 MB
        assertThat(PackStage.workersFor(16, 8192 * mb)).isEqualTo(16);
        assertThat(PackStage.workersFor(4, 32 * mb)).isEqualTo(1); // never fewer than one
    }
}
