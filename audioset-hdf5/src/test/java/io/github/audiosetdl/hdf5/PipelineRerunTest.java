package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.webdataset.WebDatasetClip;
import io.github.audiosetdl.core.webdataset.WebDatasetReader;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline run again over the same inputs keeps the waveform and feature files it made (the pack stage does not
 * pack again, so the feature stage finds its input unchanged), and packs again when a WAV file, the CSV or an option
 * changed, or when the last pack did not complete.
 */
class PipelineRerunTest {
    @TempDir
    Path dir;
    private Path downloads;
    private Path csv;
    private Path out;
    /** Feature rows computed, over every run. */
    private final AtomicInteger computed = new AtomicInteger();

    @BeforeEach
    void clips() throws IOException {
        downloads = Files.createDirectories(dir.resolve("r_downloads/r_downloads_0"));
        StringBuilder rows = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int c = 0; c < 4; c++) {
            wav(c, 220);
            rows.append(id(c)).append(", 0.000, 10.000, \"/m/09x0r\"\n");
        }
        rows.append(id(4)).append(", 0.000, 10.000, \"/m/05zppz\"\n"); // not downloaded yet
        csv = Files.writeString(dir.resolve("r.csv"), rows);
        out = dir.resolve("out");
    }

    private static String id(int c) {
        return "rerunClip0" + c;
    }

    private Path wav(int c, double hz) throws IOException {
        return wav(c, hz, 0);
    }

    /** @param peak if not 0, the first sample: the clip's peak (its other samples are at most 0.3) */
    private Path wav(int c, double hz, float peak) throws IOException {
        float[][] x = new float[1][160_000];
        for (int i = 0; i < x[0].length; i++) {
            x[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * (c + 1) * i / 16_000.0));
        }
        if (peak != 0) {
            x[0][0] = peak;
        }
        Path file = downloads.resolve("YT_" + id(c) + ".wav");
        WavWriter.write(file, 16_000, x, WavEncoding.PCM_16);
        return file;
    }

    private FeatureExtractor features() {
        return FeatureExtractor.of("level", 160_000, 16_000, 1, 2, Map.of("unit", "rms"), () -> (w, o) -> {
            computed.incrementAndGet();
            double s = 0;
            for (float v : w) {
                s += v * v;
            }
            o[0] = (float) Math.sqrt(s / w.length);
            o[1] = w[0];
        });
    }

    /** @return the options of a WebDataset pack in shards of {@code shardSize} clips (it replaces the builder) */
    private UnaryOperator<AudioSetPipeline.Builder> webDataset(int shardSize) {
        WaveformLayout shards = WaveformLayout.builder().format(PackFormat.WEBDATASET).shardSize(shardSize).build();
        return ignored -> AudioSetPipeline.builder().downloads(dir.resolve("r_downloads")).segments(csv)
                .outputDir(out).store(Hdf5DatasetStore.INSTANCE).layout(shards).threads(2);
    }

    private PipelineSummary run() throws IOException {
        return run(b -> b);
    }

    private PipelineSummary run(UnaryOperator<AudioSetPipeline.Builder> options) throws IOException {
        try (AudioSetPipeline p = options.apply(AudioSetPipeline.builder().downloads(dir.resolve("r_downloads"))
                .segments(csv).outputDir(out).store(Hdf5DatasetStore.INSTANCE).features(features()).threads(2))
                .build()) {
            return p.run();
        }
    }

    /** @return the file's inode (file key) and modification time */
    private static String identity(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() + " " + a.lastModifiedTime().toInstant();
    }

    private void assertRepacks(PipelineSummary summary, String before) throws IOException {
        assertThat(summary.upToDate()).isEmpty();
        assertThat(summary.pack()).isPresent();
        assertThat(summary.features()).as("features of a waveform file packed again").isPresent();
        assertThat(identity(out.resolve("r.hdf5"))).isNotEqualTo(before);
        // and, nothing more changing, the next run keeps what this one made
        String now = identity(out.resolve("r.hdf5"));
        assertThat(run().upToDate()).containsExactlyInAnyOrder(Stage.PACK, Stage.FEATURES);
        assertThat(identity(out.resolve("r.hdf5"))).isEqualTo(now);
    }

    @Test
    void aRerunWithNothingChangedKeepsTheWaveformAndFeatureFiles() throws IOException {
        PipelineSummary first = run();
        assertThat(first.pack().orElseThrow().rowsWritten()).isEqualTo(4);
        assertThat(first.upToDate()).isEmpty();
        assertThat(computed.get()).isEqualTo(4);
        String wav = identity(out.resolve("r.hdf5"));
        String npy = identity(out.resolve("r_metadata.npy"));
        String coch = identity(out.resolve("r_Coch.hdf5"));

        PipelineSummary second = run();
        assertThat(second.upToDate()).containsExactlyInAnyOrder(Stage.PACK, Stage.FEATURES);
        assertThat(second.pack()).isEmpty();
        assertThat(second.features()).isEmpty();
        assertThat(second.files()).isEmpty();
        assertThat(second.toString()).contains("pack: up to date").contains("features: up to date");
        assertThat(identity(out.resolve("r.hdf5"))).isEqualTo(wav);
        assertThat(identity(out.resolve("r_metadata.npy"))).isEqualTo(npy);
        assertThat(identity(out.resolve("r_Coch.hdf5"))).isEqualTo(coch);
        assertThat(computed.get()).as("no feature row computed again").isEqualTo(4);
        try (WaveformFileReader r = WaveformFileReader.open(out.resolve("r.hdf5"))) {
            assertThat(r.size()).isEqualTo(4);
        }
    }

    @Test
    void withoutStoreThePipelineFindsThisModulesStoreAndARerunWithItIsUpToDate() throws IOException {
        assertThat(ServiceLoader.load(DatasetStore.class).stream().map(p -> p.type().getName()).toList())
                .containsExactly(Hdf5DatasetStore.class.getName());
        PipelineSummary first;
        try (AudioSetPipeline p = AudioSetPipeline.builder().downloads(dir.resolve("r_downloads")).segments(csv)
                .outputDir(out).features(features()).threads(2).build()) {
            first = p.run();
        }
        assertThat(first.pack().orElseThrow().rowsWritten()).isEqualTo(4);
        assertThat(first.features()).isPresent();
        try (WaveformFileReader r = WaveformFileReader.open(out.resolve("r.hdf5"))) {
            assertThat(r.size()).isEqualTo(4);
        }
        assertThat(out.resolve("r_Coch.hdf5")).isRegularFile();
        // the store found is the one store(Hdf5DatasetStore.INSTANCE) names: nothing to do again
        assertThat(run().upToDate()).containsExactlyInAnyOrder(Stage.PACK, Stage.FEATURES);
        // and without features, a downloads folder is packed: the pack stage is the last one configured
        try (AudioSetPipeline p = AudioSetPipeline.builder().downloads(dir.resolve("r_downloads")).segments(csv)
                .outputDir(dir.resolve("packOnly")).build()) {
            assertThat(p.lastStage()).isEqualTo(Stage.PACK);
            assertThat(p.run().pack().orElseThrow().rowsWritten()).isEqualTo(4);
        }
        assertThat(dir.resolve("packOnly/r.hdf5")).isRegularFile();
    }

    @Test
    void aNewWavFileIsPackedAndTheFeaturesComputedAgain() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        wav(4, 330);
        assertRepacks(run(), before);
        try (WaveformFileReader r = WaveformFileReader.open(out.resolve("r.hdf5"))) {
            assertThat(r.size()).isEqualTo(5);
        }
    }

    @Test
    void aDeletedWavFileRepacks() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        Files.delete(downloads.resolve("YT_" + id(2) + ".wav"));
        assertRepacks(run(), before);
        try (WaveformFileReader r = WaveformFileReader.open(out.resolve("r.hdf5"))) {
            assertThat(r.size()).isEqualTo(3);
        }
    }

    @Test
    void aTouchedOrReplacedWavFileRepacks() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        Path file = downloads.resolve("YT_" + id(1) + ".wav");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 60_000));
        assertRepacks(run(), before);

        before = identity(out.resolve("r.hdf5"));
        FileTime time = Files.getLastModifiedTime(file);
        wav(1, 440); // other samples, the same size
        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 1000));
        assertRepacks(run(), before);
    }

    @Test
    void aWavFileInAnotherFolderThatWinsAsADuplicateRepacks() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        // a folder that sorts first: its copy of the id is the one packed
        Path other = Files.createDirectories(dir.resolve("r_downloads/a_first"));
        Files.copy(downloads.resolve("YT_" + id(0) + ".wav"), other.resolve("YT_" + id(0) + ".wav"));
        assertRepacks(run(), before);
    }

    @Test
    void aChangedCsvRepacks() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        Files.writeString(csv, Files.readString(csv).replace(id(3) + ", 0.000, 10.000, \"/m/09x0r\"",
                id(3) + ", 0.000, 10.000, \"/m/05zppz\""));
        assertRepacks(run(), before);
        try (WaveformFileReader r = WaveformFileReader.open(out.resolve("r.hdf5"))) {
            assertThat(LabelIndex.audioSet().decode(r.labels(3))).containsExactly("/m/05zppz");
        }
    }

    @Test
    void aChangedOptionRepacks() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        PipelineSummary shuffled = run(b -> b.shuffleSeed(7));
        assertThat(shuffled.pack()).isPresent();
        assertThat(identity(out.resolve("r.hdf5"))).isNotEqualTo(before);
        assertThat(run(b -> b.shuffleSeed(7)).upToDate()).containsExactlyInAnyOrder(Stage.PACK, Stage.FEATURES);
        assertThat(run(b -> b.shuffleSeed(8)).pack()).as("another seed").isPresent();

        before = identity(out.resolve("r.hdf5"));
        WaveformLayout int16 = WaveformLayout.builder().sampleType(SampleType.INT16).build();
        assertThat(run(b -> b.layout(int16)).pack()).as("int16 rows").isPresent();
        assertThat(identity(out.resolve("r.hdf5"))).isNotEqualTo(before);
        assertThat(run(b -> b.layout(int16)).upToDate()).contains(Stage.PACK);
        assertThat(run().pack()).as("float32 rows again").isPresent();

        assertThat(run(b -> b.featureSuffix("_other")).upToDate()).as("another feature file").containsExactly(
                Stage.PACK);
    }

    @Test
    void aChangedFeatureExtractorComputesTheFeaturesAgainButKeepsThePack() throws IOException {
        run();
        int before = computed.get();
        FeatureExtractor other = FeatureExtractor.of("level", 160_000, 16_000, 1, 2, Map.of("unit", "peak"),
                () -> (w, o) -> computed.incrementAndGet());
        PipelineSummary s = run(b -> b.features(other));
        assertThat(s.upToDate()).containsExactly(Stage.PACK);
        assertThat(s.features()).isPresent();
        assertThat(computed.get()).isEqualTo(before + 4);
    }

    @Test
    void anOutputWithoutItsRecordIsPackedAgain() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        // as an older version, or the pack command, leaves it; or a run killed between its commit and its record
        Files.delete(out.resolve(".r.hdf5.inputs"));
        assertRepacks(run(), before);
    }

    @Test
    void aChangedOutputIsPackedAgain() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        Files.delete(out.resolve("r_metadata.npy"));
        assertRepacks(run(), before);
        Files.setLastModifiedTime(out.resolve("r.hdf5"), FileTime.fromMillis(1_000_000));
        String touched = identity(out.resolve("r.hdf5"));
        assertRepacks(run(), touched);
    }

    @Test
    void aPackThatFailedIsNeverTakenAsUpToDate() throws IOException {
        run();
        String before = identity(out.resolve("r.hdf5"));
        // a pack of a CSV whose last row names an unknown label fails there, after every clip was written...
        String rows = Files.readString(csv);
        Files.writeString(csv, rows + "badRow00001, 0.000, 10.000, \"/m/notALabel\"\n");
        assertThatThrownBy(this::run).hasMessageContaining("/m/notALabel");
        assertThat(identity(out.resolve("r.hdf5"))).as("the output of the first run stays").isEqualTo(before);
        // ... and, the inputs back as they were, the next run packs rather than trust what is there
        Files.writeString(csv, rows);
        assertRepacks(run(), before);
    }

    @Test
    void aPackThatNeverCompletedIsPackedAgain() throws IOException {
        String rows = Files.readString(csv);
        Files.writeString(csv, rows + "badRow00001, 0.000, 10.000, \"/m/notALabel\"\n");
        assertThatThrownBy(this::run).hasMessageContaining("/m/notALabel");
        assertThat(out.resolve("r.hdf5")).doesNotExist();
        Files.writeString(csv, rows);
        PipelineSummary s = run();
        assertThat(s.upToDate()).isEmpty();
        assertThat(s.pack().orElseThrow().rowsWritten()).isEqualTo(4);
    }

    @Test
    void webDatasetShardsAreKeptOnARerunAndPackedAgainWhenAClipIsAdded() throws IOException {
        UnaryOperator<AudioSetPipeline.Builder> wds = webDataset(3);
        assertThat(run(wds).pack().orElseThrow().files()).hasSize(2);
        Path first = out.resolve("r-000000.tar");
        Path second = out.resolve("r-000001.tar");
        String firstWas = identity(first);
        String secondWas = identity(second);
        assertThat(out.resolve(".r-000000.tar.inputs")).isRegularFile();
        assertThat(run(wds).upToDate()).containsExactly(Stage.PACK);
        assertThat(identity(first)).isEqualTo(firstWas);
        assertThat(identity(second)).isEqualTo(secondWas);

        Files.delete(second); // a shard gone: packed again
        assertThat(run(wds).pack()).isPresent();
        assertThat(second).isRegularFile();
        assertThat(run(wds).upToDate()).containsExactly(Stage.PACK);

        wav(4, 330);
        PipelineSummary grown = run(wds);
        assertThat(grown.pack().orElseThrow().rowsWritten()).isEqualTo(5);
        assertThat(run(wds).upToDate()).containsExactly(Stage.PACK);
        assertThat(run(w -> wds.apply(w).layout(WaveformLayout.builder().format(PackFormat.WEBDATASET)
                .shardSize(2).build())).pack()).as("another shard size").isPresent();
    }

    @Test
    void webDatasetShardsAreNotJudgedWhileAPackOfTheNameHoldsItsLock() throws IOException {
        UnaryOperator<AudioSetPipeline.Builder> wds = webDataset(3);
        assertThat(run(wds).pack()).isPresent();
        String first = identity(out.resolve("r-000000.tar"));
        // a pack of the same name, half-way: it holds .r.lock until it commits or closes
        try (WebDatasetWriter pack = WebDatasetWriter.create(out, "r", LabelIndex.audioSet(), 16_000, 160_000, 3)) {
            assertThatThrownBy(() -> run(wds)).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot judge whether " + out.resolve("r-000000.tar"))
                    .hasMessageContaining("another pack is writing WebDataset 'r'").hasMessageContaining(".r.lock");
            assertThat(pack).isNotNull();
        }
        assertThat(identity(out.resolve("r-000000.tar"))).isEqualTo(first);
        assertThat(run(wds).upToDate()).as("the pack gone, the shards are judged").containsExactly(Stage.PACK);
        // and a run releases the lock once it has judged: a pack of the name can start
        WebDatasetWriter.create(out, "r", LabelIndex.audioSet(), 16_000, 160_000, 3).close();
    }

    /**
     * @return the HDF5 store, whose feature sinks run {@code afterCommit} once their files are in place (renamed),
     *     before the pipeline writes its record: the instant another run's commit may land in
     */
    private static DatasetStore commitHook(Runnable afterCommit) {
        return commitHook(afterCommit, () -> { });
    }

    /** @return {@link #commitHook(Runnable)}, whose feature sinks also run {@code afterClose} once closed */
    private static DatasetStore commitHook(Runnable afterCommit, Runnable afterClose) {
        return (DatasetStore) Proxy.newProxyInstance(DatasetStore.class.getClassLoader(),
                new Class<?>[] {DatasetStore.class}, (store, call, args) -> {
                    Object made = invoke(call, Hdf5DatasetStore.INSTANCE, args);
                    return !(made instanceof FeatureSink sink) ? made : Proxy.newProxyInstance(
                            FeatureSink.class.getClassLoader(), new Class<?>[] {FeatureSink.class}, (p, m, a) -> {
                                Object result = invoke(m, sink, a);
                                if (m.getName().equals("commit")) {
                                    afterCommit.run();
                                } else if (m.getName().equals("close")) {
                                    afterClose.run();
                                }
                                return result;
                            });
                });
    }

    /**
     * @return the HDF5 store, whose waveform sinks run {@code afterCommit} once their files are in place (for
     *     WebDataset, once its writer has committed the shards) and {@code beforeClose} before they are closed
     */
    private static DatasetStore waveformHook(Runnable afterCommit, Runnable beforeClose) {
        return (DatasetStore) Proxy.newProxyInstance(DatasetStore.class.getClassLoader(),
                new Class<?>[] {DatasetStore.class}, (store, call, args) -> {
                    Object made = invoke(call, Hdf5DatasetStore.INSTANCE, args);
                    return !(made instanceof WaveformSink sink) ? made : Proxy.newProxyInstance(
                            WaveformSink.class.getClassLoader(), new Class<?>[] {WaveformSink.class}, (p, m, a) -> {
                                if (m.getName().equals("close")) {
                                    beforeClose.run();
                                }
                                Object result = invoke(m, sink, a);
                                if (m.getName().equals("commit")) {
                                    afterCommit.run();
                                }
                                return result;
                            });
                });
    }

    /**
     * A pack of the same name (a program writing the shards with {@link WebDatasetWriter} itself) starting between
     * a run's commit of its shards and its record: it must not rewrite them, or the record would name its shards with
     * the run's inputs, and a rerun would keep them as the run's.
     */
    @Test
    void aPackOfTheNameCannotRewriteWebDatasetShardsBetweenTheirCommitAndTheirRecord() throws Exception {
        AtomicReference<Object> other = new AtomicReference<>();
        AtomicBoolean recordedBeforeClose = new AtomicBoolean();
        Path record = out.resolve(".r-000000.tar.inputs");
        DatasetStore hooked = waveformHook(() -> other.set(foreignPack()),
                () -> recordedBeforeClose.set(Files.isRegularFile(record)));
        assertThat(run(b -> webDataset(3).apply(b).store(hooked)).pack()).isPresent();
        // a rerun keeps the shards as the run's: they must hold its clips, not the other pack's
        DatasetStore plain = waveformHook(() -> { }, () -> { }); // the same store class, as the record names it
        assertThat(run(b -> webDataset(3).apply(b).store(plain)).upToDate()).containsExactly(Stage.PACK);
        try (Stream<WebDatasetClip> clips = WebDatasetReader.stream(out, "r")) {
            assertThat(clips.map(WebDatasetClip::key)).containsExactly(id(0), id(1), id(2), id(3));
        }
        assertThat(other.get()).as("the other pack, between the commit and the record").isInstanceOf(IOException.class);
        assertThat(((IOException) other.get()).getMessage()).contains("another pack is writing WebDataset 'r'");
        assertThat(recordedBeforeClose).as("the record is written before the writer (and its lock) is closed")
                .isTrue();
        WebDatasetWriter.create(out, "r", LabelIndex.audioSet(), 16_000, 160_000, 3).close(); // the run released it
    }

    /**
     * @return the exception of a pack of {@code r} into {@link #out} in shards of 3 (4 other clips, as many shards as
     *     the run's), or "packed" if it could rewrite them
     */
    private Object foreignPack() {
        try (WebDatasetWriter w = WebDatasetWriter.create(out, "r", LabelIndex.audioSet(), 16_000, 160_000, 3)) {
            for (int i = 0; i < 4; i++) {
                w.write(new SegmentRow(i, i + 1L, new Segment("otherClip0" + i, 0, 10_000, List.of("/m/09x0r"))),
                        new PreparedAudio(new float[160_000], 1, false));
            }
            w.commit();
            return "packed";
        } catch (IOException e) {
            return e;
        }
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** @return a pipeline computing {@code r_Coch.hdf5} from {@code r.hdf5}, the "level" extractor in {@code unit} */
    private AudioSetPipeline levels(String unit, Runnable afterCommit) {
        return levels(unit, afterCommit, () -> { });
    }

    /** @return {@link #levels(String, Runnable)}, its feature sink running {@code afterClose} once closed */
    private AudioSetPipeline levels(String unit, Runnable afterCommit, Runnable afterClose) {
        FeatureExtractor level = FeatureExtractor.of("level", 160_000, 16_000, 1, 2, Map.of("unit", unit),
                () -> (w, o) -> o[0] = unit.length());
        return AudioSetPipeline.builder().waveforms(out.resolve("r.hdf5")).store(commitHook(afterCommit, afterClose))
                .features(level).threads(1).build();
    }

    /**
     * Two runs of other options committing one output at the same instant: the record left beside it is that of
     * the run whose files are there (or none), never one run's inputs naming the other's files.
     */
    @Test
    void twoRunsCommittingOneOutputAtOnceLeaveNoRecordNamingTheOtherRunsFiles() throws Exception {
        run();
        CountDownLatch firstCommitted = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (AudioSetPipeline first = levels("a", () -> {
            firstCommitted.countDown();
            try { // the second run commits and records now, unless it must wait for this one's record
                secondDone.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); AudioSetPipeline second = levels("bb", () -> { })) {
            Future<PipelineSummary> running = pool.submit(first::run);
            assertThat(firstCommitted.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.run().features()).isPresent();
            secondDone.countDown();
            assertThat(running.get(60, TimeUnit.SECONDS).features()).isPresent();
        } finally {
            secondDone.countDown();
            pool.shutdownNow();
        }
        // the second run's file is in place, whatever order the records were written in
        try (CochleagramFileReader coch = CochleagramFileReader.open(out.resolve("r_Coch.hdf5"), "level")) {
            assertThat(coch.attributes()).containsEntry("unit", "bb");
        }
        try (AudioSetPipeline a = levels("a", () -> { }); AudioSetPipeline bb = levels("bb", () -> { })) {
            assertThat(a.whyFeaturesStale()).as("the first run's options: its file was replaced").isPresent();
            assertThat(bb.whyFeaturesStale()).as("the second run's options: its file and record").isEmpty();
        }
        assertThat(out.resolve(".r_Coch.hdf5.inputs.lock")).isEmptyFile();
    }

    /** @return the options of a pack of the seed layout alone, through {@code store} (it replaces the builder) */
    private UnaryOperator<AudioSetPipeline.Builder> seedPack(DatasetStore store) {
        return ignored -> AudioSetPipeline.builder().downloads(dir.resolve("r_downloads")).segments(csv)
                .outputDir(out).store(store).threads(2);
    }

    /**
     * @param pool runs {@code otherCommit}
     * @param otherCommit the commit of another writer of the run's file, not in a pipeline
     * @param started set to the other commit once the hook has started it
     * @param early set if the other commit completed within 2 s of its start: before the run has recorded its file
     *     and closed its writer (the hook blocks that long)
     * @return the hook between a run's commit and its record: starts {@code otherCommit} there
     */
    private static Runnable otherCommitAtTheHook(ExecutorService pool, Callable<List<Path>> otherCommit,
            AtomicReference<Future<List<Path>>> started, AtomicBoolean early) {
        return () -> {
            Future<List<Path>> commit = pool.submit(otherCommit);
            started.set(commit);
            try {
                commit.get(2, TimeUnit.SECONDS);
                early.set(true);
            } catch (TimeoutException e) {
                // it waits for the run's writer to be closed, after the record
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the other writer's commit failed", e.getCause());
            }
        };
    }

    /**
     * A program writing {@code r.hdf5} with {@link WaveformFileWriter} itself, committing between a run's rename of
     * the file and its record: its renames must wait until the run has recorded its file and closed its writer, or
     * the record would name the other program's file with the run's inputs, and a rerun would keep it as the run's.
     */
    @Test
    void aWriterOfTheWaveformFileCannotReplaceItBetweenTheRunsRenameAndItsRecord() throws Exception {
        Path file = out.resolve("r.hdf5");
        Files.createDirectories(out);
        AtomicReference<Future<List<Path>>> other = new AtomicReference<>();
        AtomicBoolean early = new AtomicBoolean();
        AtomicBoolean recordedBeforeClose = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (WaveformFileWriter w = WaveformFileWriter.create(file, LabelIndex.audioSet(), 16_000, 160_000)) {
            w.write(new SegmentRow(0, 1, new Segment("otherClip00", 0, 10_000, List.of("/m/09x0r"))),
                    new PreparedAudio(new float[160_000], 1, false));
            DatasetStore hooked = waveformHook(otherCommitAtTheHook(pool, w::commit, other, early),
                    () -> recordedBeforeClose.set(Files.isRegularFile(out.resolve(".r.hdf5.inputs"))));
            assertThat(run(seedPack(hooked)).pack()).isPresent();
            assertThat(other.get().get(60, TimeUnit.SECONDS)).as("put in place once the run closed its writer")
                    .contains(file);
        } finally {
            pool.shutdownNow();
        }
        assertThat(early).as("the other writer's commit waited for the run's record and close").isFalse();
        assertThat(recordedBeforeClose).as("the record is written before the writer is closed").isTrue();
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).as("the other writer's file").isEqualTo(1);
        }
        // the record names the run's file, which was replaced since: the rerun packs again
        PipelineSummary again = run(seedPack(waveformHook(() -> { }, () -> { })));
        assertThat(again.upToDate()).isEmpty();
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(4);
        }
        assertThat(out.resolve(".r.hdf5.lock")).isEmptyFile();
    }

    /** As the test above, for a feature file and a {@link CochleagramFileWriter} outside the pipeline. */
    @Test
    void aWriterOfTheFeatureFileCannotReplaceItBetweenTheRunsRenameAndItsRecord() throws Exception {
        run();
        Path file = out.resolve("r_Coch.hdf5");
        AtomicReference<Future<List<Path>>> other = new AtomicReference<>();
        AtomicBoolean early = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        FeatureExtractor zz = FeatureExtractor.of("level", 160_000, 16_000, 1, 2, Map.of("unit", "zz"),
                () -> (w, o) -> { });
        try (WaveformFileReader source = WaveformFileReader.open(out.resolve("r.hdf5"));
                CochleagramFileWriter w = CochleagramFileWriter.create(file, source, zz)) {
            for (long i = 0; i < source.size(); i++) {
                w.write(new float[] {9, 9});
            }
            // once the run's writer is closed, the other commit completes before the run goes on: a record written
            // after the close, not before, would name its file
            Runnable otherDone = () -> {
                try {
                    other.get().get(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the other writer's commit did not complete", e);
                }
            };
            try (AudioSetPipeline a = levels("a", otherCommitAtTheHook(pool, w::commit, other, early), otherDone)) {
                assertThat(a.run().features()).isPresent();
            }
            assertThat(other.get().get(60, TimeUnit.SECONDS)).contains(file);
        } finally {
            pool.shutdownNow();
        }
        assertThat(early).as("the other writer's commit waited for the run's record and close").isFalse();
        try (CochleagramFileReader coch = CochleagramFileReader.open(file, "level")) {
            assertThat(coch.attributes()).containsEntry("unit", "zz");
        }
        try (AudioSetPipeline a = levels("a", () -> { })) {
            assertThat(a.whyFeaturesStale()).as("its record names the file the other writer replaced").isPresent();
        }
        assertThat(out.resolve(".r_Coch.hdf5.lock")).isEmptyFile();
    }

    @Test
    void aWebDatasetShardBeyondThoseRecordedIsPackedAgainAndDeleted() throws IOException {
        // as pack over the same clips and more leaves it: the recorded shards untouched, one more after them
        UnaryOperator<AudioSetPipeline.Builder> wds = webDataset(2);
        assertThat(run(wds).pack().orElseThrow().files()).hasSize(2);
        Path extra = Files.copy(out.resolve("r-000001.tar"), out.resolve("r-000002.tar"));

        PipelineSummary again = run(wds);
        assertThat(again.upToDate()).as("a data set of 3 shards is not the 2 recorded").isEmpty();
        assertThat(again.pack().orElseThrow().files()).hasSize(2);
        assertThat(extra).doesNotExist();
        assertThat(run(wds).upToDate()).containsExactly(Stage.PACK);
    }

    @Test
    void aWavFileReplacedByOtherSamplesOfTheSamePeakIsPackedAgainIntoItsWebDatasetShard() throws IOException {
        // the shard's clip has the same key, header and JSON (times, labels, the peak divided out): only its
        // samples tell that the WAV file it came from was replaced
        wav(1, 220, 0.9f);
        UnaryOperator<AudioSetPipeline.Builder> wds = webDataset(3);
        assertThat(run(wds).pack()).isPresent();
        Path first = out.resolve("r-000000.tar");
        byte[] before = Files.readAllBytes(first);

        wav(1, 440, 0.9f);
        assertThat(run(wds).pack()).as("a WAV file replaced").isPresent();
        assertThat(Files.readAllBytes(first)).as("the shard holds the new samples").isNotEqualTo(before);
        assertThat(run(wds).upToDate()).containsExactly(Stage.PACK);
    }
}
