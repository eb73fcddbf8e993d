package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.StrongCsv;
import io.github.audiosetdl.core.StrongIndex;
import io.github.audiosetdl.core.StrongRow;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.DownloadStage;
import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.internal.InputDigests;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.NameLock;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole job, or any contiguous part of it: download → pack → features (cochleagram).
 *
 * <p>Where the run starts follows from what is given: a {@link Builder#download download configuration}
 * starts at the download stage; else a {@link Builder#downloads downloads folder} starts at the pack
 * stage; else a {@link Builder#waveforms waveform file} starts at the feature stage. It runs up to
 * {@link Builder#stopAfter}, by default the last stage that is configured (features when an extractor
 * is given, else the pack stage when a store or a downloads folder is). An option of a stage outside that
 * range (a shuffle seed or a layout on a run that only computes features, an extractor on a run that stops after
 * packing) is refused by {@link Builder#build()} rather than ignored. The files are named as the seed named them,
 * under the output folder:
 * {@code <name>_downloads/}, {@code logs/}, {@code <name>.hdf5}, {@code <name>_metadata.npy},
 * {@code <name>_Coch.hdf5} and {@code <name>_average.npy}; the name is the download configuration's, else
 * the input's: the segments CSV's when the run starts at the pack stage, the waveform file's when it starts at
 * the feature stage.
 *
 * <p>A {@link Builder#segments(SegmentSelection) selection} chooses the segments to download and pack; a run
 * that starts at the feature stage computes the rows of the waveform file whose YouTube id it selects, in the
 * file's order, with their labels and metadata.
 *
 * <pre>{@code
 * try (AudioSetPipeline pipeline = AudioSetPipeline.builder()
 *         .download(DownloadConfig.builder(Path.of("out"), "eval_segments").threads(8).build())
 *         .segments(SegmentSelection.builder(Path.of("eval_segments.csv")).label("Dog").build())
 *         .features(cochleagramFeatures)   // packs into HDF5 (audioset-hdf5's store), then computes
 *         .listener(PipelineListener.logging())
 *         .build()) {
 *     PipelineSummary summary = pipeline.run();
 * }
 * }</pre>
 *
 * <p>The pack and feature stages write through a {@link DatasetStore}: the one given to {@link Builder#store},
 * else the one {@link java.util.ServiceLoader} finds on the class path ({@code Hdf5DatasetStore} when
 * {@code audioset-hdf5} is there). {@link Builder#build()} refuses a run that needs one when there is none, or
 * several, and no {@code store(...)}.
 *
 * <p>Memory does not grow with the number of clips: every stage streams. Outputs are atomic: a failed
 * or cancelled run leaves no file under a final name (downloaded clips stay, and a rerun resumes).
 *
 * <p><b>A rerun keeps what is up to date.</b> Once the pack or feature stage has committed its files, it records
 * beside them, in the hidden file {@code .<main file name>.inputs}, what they were made from and the files as
 * committed (size, modification time, inode). The pack stage's record lists the WAV files its folder scan finds
 * (paths, sizes and modification times, digested in constant memory), the SHA-256 of the segments CSV and of the
 * strong label file, the selection, labels, strong vocabulary, shuffle seed, layout, name and store; the feature
 * stage's, the waveform file (size, modification time, inode), the extractor's parameters and the selection. A
 * rerun whose inputs are those recorded, and whose files are as recorded, keeps them ({@link
 * PipelineSummary#upToDate()}) and logs at INFO that it did; otherwise it logs why the stage runs again (new or
 * deleted WAV files, the CSV changed, an option changed, a file changed or is missing, no record). The record is
 * deleted before a stage writes and written only after its files are committed, so the output of a stage that
 * failed, was cancelled or killed, or was written by an older version or another program, is made again. From
 * just before a stage's files are renamed into place until its record is written, the run holds a lock on the
 * hidden file {@code .<main file name>.inputs.lock}, so two runs committing one output at once never leave a record
 * of one's inputs naming the other's files; WebDataset shards are judged under their writers' lock
 * ({@link WebDatasetWriter#lockName}), so a run beside a pack of the same name fails rather than judge shards half
 * written, and their record is written before the run's writer is closed: the writer's lock, which a writer of the
 * name outside a pipeline also takes, is held from the writer's creation until the record is written. The records
 * of HDF5 outputs are written before their writers are closed too: an HDF5 writer of {@code audioset-hdf5} locks
 * its file's name ({@code .<file name>.lock}) from just before it renames the file into place until it is closed,
 * and another writer of the file, in a pipeline or not, waits for that lock before its own renames. A store
 * whose outputs are not files in {@link #outputDir()} gets no record: its stages run every time.
 * {@link #run()} may be called by one thread at a time; {@link #cancel()} and {@link #close()} from any thread.
 *
 * <p>Between runs a pipeline holds no file and no thread: each stage opens its files and starts its worker
 * threads (or uses the {@link Builder#executor caller's pool}) inside {@code run()}, and stops them before
 * {@code run()} returns. {@link #close()} cancels a run in progress, waits for it to stop, and refuses further
 * runs.
 */
public final class AudioSetPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AudioSetPipeline.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final Stage first;
    private final Stage last;
    private final DownloadConfig download;
    private final SegmentSelection segments;
    private final Path downloads;
    private final Path waveforms;
    private final Path outputDir;
    private final String name;
    private final DatasetStore store;
    private final WaveformLayout layout;
    private final FeatureExtractor features;
    private final String featureSuffix;
    private final LabelIndex labels;
    private final Long shuffleSeed;
    /** The temporally-strong label file whose events the pack stage keeps, or null. */
    private final Path strong;
    private final StrongVocabulary strongVocabulary;
    private final int threads;
    private final ExecutorService executor;
    private final PipelineListener listener;
    /** The most threads {@link Builder#threads} takes (for packing and features). */
    public static final int MAX_THREADS = 1024;
    private static final String DEFAULT_FEATURE_SUFFIX = "_Coch";
    // the inputs of the output records (OutputRecord) besides the pack stage's own
    private static final String LAYOUT = "layout";
    private static final String DATA_SET_NAME = "name";
    private static final String STORE = "store";
    private static final String WAVEFORMS = "waveforms";
    private static final String EXTRACTOR = "extractor";
    private static final String SELECTION = "selection";
    /**
     * How long {@link #close()} waits for a run in progress on another thread to stop: 90 seconds. Each stage
     * returns once its workers and the tools they started have stopped (a worker that does not check interrupts
     * finishes its clip or row first; a stage waits for that at most 30 s, the pack stage for its workers and
     * then its readers, 60 s in all, so a slow pack still returns within this).
     */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(90);
    private volatile boolean cancelled;
    private volatile Thread runner;
    private boolean closed; // guarded by this

    private AudioSetPipeline(Builder b, Stage first, Stage last, Path outputDir, String name, DatasetStore store) {
        this.first = first;
        this.last = last;
        this.download = b.download;
        this.segments = b.segments;
        this.downloads = b.downloads;
        this.waveforms = b.waveforms;
        this.outputDir = outputDir;
        this.name = name;
        this.store = store;
        this.layout = b.layout != null ? b.layout : WaveformLayout.SEED;
        this.features = b.features;
        this.featureSuffix = b.featureSuffix != null ? b.featureSuffix : DEFAULT_FEATURE_SUFFIX;
        this.labels = b.labels != null ? b.labels
                : b.segments != null ? b.segments.options().labelIndex() : LabelIndex.audioSet();
        this.shuffleSeed = b.shuffleSeed;
        this.strong = b.strong;
        this.strongVocabulary = b.strongVocabulary != null ? b.strongVocabulary : StrongVocabulary.audioSet();
        this.threads = b.threads != null ? b.threads : Runtime.getRuntime().availableProcessors();
        this.executor = b.executor;
        this.listener = PipelineListener.safe(b.listener);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the first stage this pipeline runs */
    public Stage firstStage() {
        return first;
    }

    /** @return the last stage this pipeline runs */
    public Stage lastStage() {
        return last;
    }

    /** @return the data set's name, which names every output */
    public String name() {
        return name;
    }

    /** @return the folder the outputs go to */
    public Path outputDir() {
        return outputDir;
    }

    /** @return what the pack stage writes: its format, sample type, rate and shard size */
    public WaveformLayout layout() {
        return layout;
    }

    /**
     * @return the waveform file the pack stage writes (for WebDataset, its first shard), or the feature stage
     *     reads
     */
    public Path waveformFile() {
        return waveforms != null && first == Stage.FEATURES ? waveforms : layout.mainFile(outputDir, name);
    }

    /**
     * The hidden record beside an output that says what it was made from; a run keeps the output while the record
     * matches its inputs, so deleting it makes the next run redo that stage.
     *
     * @param mainFile a stage's main output ({@link #waveformFile()}, {@link #featureFile()})
     * @return its record, {@code .<file name>.inputs} beside it
     */
    public static Path recordOf(Path mainFile) {
        return OutputRecord.of(requireNonNull(mainFile, "mainFile"));
    }

    /** @return the feature file the feature stage writes ({@code <name>_Coch.hdf5} by default) */
    public Path featureFile() {
        return outputDir.resolve(name + featureSuffix + ".hdf5");
    }

    /**
     * Runs the stages in order; a pack or feature stage whose output is up to date keeps it (see the class
     * comment). When the download stage runs as a dry run ({@link DownloadConfig#dryRun()}), the pipeline stops
     * after it: nothing is packed or computed, and no output file is touched (the strong label file is still
     * checked, as a real run checks it before downloading). So it does when the download obtains
     * none of the selected clips and transient failures are left (offline, or rate-limited): the summary is not
     * {@link PipelineSummary#complete() complete}, and running again resumes.
     *
     * @return what each stage did
     * @throws IOException if a stage fails on I/O (no output of that stage appears under its final name)
     * @throws CancellationException if {@link #cancel()} was called
     * @throws io.github.audiosetdl.core.AudioSetException if the input is invalid (the message names the
     *     file, line and value), a required tool is missing, or there is nothing to pack: the selection is empty, or
     *     the download obtained none of its clips, each failing for good (gone, private, ...)
     * @throws IllegalStateException if another thread is running this pipeline, or it is {@link #close() closed}
     */
    public PipelineSummary run() throws IOException {
        synchronized (this) { // a cancel() before this run, or of an earlier one, does not stop it
            if (closed) {
                throw new IllegalStateException("pipeline '" + name + "' (output folder " + outputDir
                        + ") is closed: build a new one to run again");
            }
            if (runner != null) { // a second run would write the same files, and cancel() would reach only one
                throw new IllegalStateException("this pipeline is running already, in thread '" + runner.getName()
                        + "': run() is for one thread at a time");
            }
            cancelled = false;
            runner = Thread.currentThread();
        }
        long start = System.nanoTime();
        try {
            checkCancelled();
            // A dry run only counts what would be fetched: the later stages would replace the outputs.
            boolean dryRun = includes(Stage.DOWNLOAD) && download.dryRun();
            // the check, the download and the pack each read the file: a skipped line is reported once a run
            SegmentSelection rows = segments == null ? null
                    : segments.withOptions(segments.options().reportingEachLineOnce());
            // a bad line fails now, as the pack would, not after every clip is downloaded; a dry run checks it too:
            // it reads only, and a dry run that passes promises a real run that gets past this
            if (includes(Stage.DOWNLOAD) && includes(Stage.PACK) && strong != null) {
                checkStrong(rows);
            }
            if (!dryRun) { // which writes nothing, not even the output folder
                OutputFolder.createDirectories(outputDir);
            }
            DownloadSummary downloaded = null;
            Path folder = downloads;
            if (includes(Stage.DOWNLOAD)) {
                DownloadStage stage = DownloadStage.builder().config(download).listener(listener).build();
                LOG.info("download: {} -> {}", segments.csv(), stage.downloadsDir());
                downloaded = stage.run(rows);
                folder = stage.downloadsDir();
                checkCancelled();
            }
            if (dryRun && last != Stage.DOWNLOAD) {
                LOG.info("dry run: stopping after the download stage; nothing is packed or computed");
            }
            boolean nothingYet = !dryRun && last != Stage.DOWNLOAD && nothingObtained(downloaded);
            Set<Stage> kept = EnumSet.noneOf(Stage.class);
            PackSummary packed = null;
            if (includes(Stage.PACK) && !dryRun && !nothingYet) {
                packed = pack(folder, rows);
                if (packed == null) {
                    kept.add(Stage.PACK);
                }
                checkCancelled();
            }
            FeatureSummary computed = null;
            if (includes(Stage.FEATURES) && !dryRun && !nothingYet) {
                computed = features();
                if (computed == null) {
                    kept.add(Stage.FEATURES);
                }
            }
            PipelineSummary summary = new PipelineSummary(downloaded, packed, computed, kept,
                    Duration.ofNanos(System.nanoTime() - start));
            LOG.info("{}", summary);
            return summary;
        } catch (IOException | RuntimeException e) {
            // the interrupt surfaces as whatever the stage was doing: an InterruptedIOException, a
            // ClosedByInterruptException, a writer's failure
            if (cancelled && !(e instanceof CancellationException)) {
                CancellationException c = new CancellationException("pipeline cancelled");
                c.initCause(e);
                throw c;
            }
            throw e;
        } finally {
            synchronized (this) {
                runner = null;
                notifyAll(); // a close() waits for this
            }
            if (cancelled) {
                Thread.interrupted(); // the interrupt was ours: do not leak it to the caller
            }
        }
    }

    /**
     * Asks a running {@link #run()} to stop: the current stage is interrupted, its output discarded,
     * and {@code run()} throws {@link CancellationException}. Downloaded clips stay (a rerun resumes). Without a
     * running {@code run()} it does nothing (the pipeline can be run again).
     */
    public void cancel() {
        synchronized (this) {
            Thread t = runner;
            if (t != null) {
                cancelled = true;
                t.interrupt();
            }
        }
    }

    /**
     * Closes the pipeline: a {@link #run()} in progress on another thread is {@link #cancel() cancelled} (it
     * throws {@link CancellationException}; a pack or feature stage it stopped leaves no output under a final name,
     * and the clips already downloaded stay, so a rerun resumes), and this waits until it has returned, at most
     * {@link #CLOSE_TIMEOUT}; after that, {@code run()} throws {@link IllegalStateException}.
     * Closing again does nothing more than wait for that run likewise.
     *
     * <p>It does not shut down an {@link Builder#executor ExecutorService the caller gave}: the caller owns it.
     * The pipeline's own worker threads live only inside {@code run()}, which stops them before it returns.
     *
     * <p>If the run has not stopped after {@link #CLOSE_TIMEOUT}, or the thread calling this is interrupted while
     * it waits (the flag is restored), this logs a warning and returns with the run still stopping. Called from
     * the thread running {@code run()} (e.g. from a listener), it cancels the run and returns without waiting.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = runner;
            if (running == null) {
                return;
            }
            cancelled = true;
            running.interrupt();
            if (running == Thread.currentThread()) {
                return;
            }
            long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
            try {
                while (runner == running) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warn("pipeline '{}': the run in thread '{}' has not stopped {} s after close(); returning"
                                + " without it", name, running.getName(), CLOSE_TIMEOUT.toSeconds());
                        return;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("pipeline '{}': interrupted while close() waited for the run in thread '{}' to stop", name,
                        running.getName());
            }
        }
    }

    private boolean includes(Stage stage) {
        return stage.compareTo(first) >= 0 && stage.compareTo(last) <= 0;
    }

    private void checkCancelled() {
        if (cancelled) {
            throw new CancellationException("pipeline cancelled");
        }
    }

    /**
     * Whether the download stage ran and obtained none of its selected clips, so that there is nothing to pack.
     * With transient failures left the run stops after the download, incomplete ({@link PipelineSummary#complete()}
     * false: a rerun resumes) instead of failing in the pack stage on an empty downloads folder.
     *
     * @param downloaded the download stage's summary, or null if it did not run
     * @return true if the later stages are to be left out, transient failures being left
     * @throws AudioSetException if the selection is empty, or every selected clip failed for good: nothing can
     *     ever be packed
     */
    private boolean nothingObtained(DownloadSummary downloaded) {
        if (downloaded == null || downloaded.available() > 0) {
            return false;
        }
        if (downloaded.selected() == 0) {
            throw new AudioSetException(segments.csv() + ": the selection holds no segment (no row, or none its label"
                    + " filter and limit keep): nothing to download or pack");
        }
        if (!downloaded.complete()) {
            LOG.warn("download: none of the {} selected clips obtained yet ({} failed transiently or rate-limited):"
                    + " nothing packed or computed; run again to resume", downloaded.selected(),
                    downloaded.transientLeft());
            return true;
        }
        throw new AudioSetException(segments.csv() + ": the download obtained none of the " + downloaded.selected()
                + " selected clips (" + downloaded + "; reasons in " + download.logsDir()
                + "): nothing to pack");
    }

    /**
     * Reads {@link Builder#strong}'s file once, as the pack stage will (the segments' error policy applies to its
     * lines), streamed: about 10 bytes an event are held while it is read.
     *
     * @throws IOException if the file cannot be read
     * @throws io.github.audiosetdl.core.SegmentFormatException naming the file, line and value of a line the pack
     *     would refuse
     */
    private void checkStrong(SegmentSelection selection) throws IOException {
        try (Stream<StrongRow> rows = StrongCsv.stream(strong, selection.options())) {
            StrongIndex.build(rows, strong.toString(), strongVocabulary);
        }
    }

    /** @return the summary of the pack, or null if the output was up to date and kept */
    private PackSummary pack(Path folder, SegmentSelection selection) throws IOException {
        PackStage.Builder b = PackStage.builder().downloads(folder).selection(selection).labels(labels)
                .threads(threads).listener(listener).preparation(layout.preparation());
        if (shuffleSeed != null) {
            b.shuffleSeed(shuffleSeed);
        }
        if (strong != null) {
            b.strong(strong).strongVocabulary(strongVocabulary);
        }
        PackStage stage = b.build();
        PackStage.Inputs inputs = stage.scan();
        Map<String, String> listing = new LinkedHashMap<>(inputs.listing());
        listing.put(LAYOUT, layout.format().label() + ", " + layout.sampleType().label() + ", " + layout.sampleRate()
                + " Hz" + (layout.format() == PackFormat.WEBDATASET ? ", shards of " + layout.shardSize() : ""));
        listing.put(DATA_SET_NAME, name);
        listing.put(STORE, store.getClass().getName() + OutputRecord.buildOf(store.getClass()));
        Path record = OutputRecord.of(waveformFile());
        Optional<String> stale;
        // WebDataset shards are judged under their writers' lock: a pack of the name writing now (the pack command)
        // would show a mix of its shards and older ones
        Closeable shards = layout.format() == PackFormat.WEBDATASET ? lockShards() : null;
        try {
            // a shard beyond those recorded (a longer pack by the pack command, which keeps the recorded shards
            // untouched) would be read as part of this data set: packed again, which deletes it
            stale = OutputRecord.whyStale(record, listing, this::packChange, files -> {
                Path next = outputDir.resolve(WaveformLayout.shardName(name, files.size()));
                return layout.format() == PackFormat.WEBDATASET && Files.exists(next, LinkOption.NOFOLLOW_LINKS)
                        ? Optional.of(next + " is a shard beyond the " + files.size() + " this run packed")
                        : Optional.empty();
            });
            if (stale.isEmpty()) {
                LOG.info("pack: {} is up to date (the same {} WAV files, segments CSV, labels and options as when it"
                        + " was packed): kept", waveformFile(), inputs.wavFiles());
                return null;
            }
            LOG.info("pack: {} -> {}{}: packing, as {}", folder, waveformFile(), strong != null
                    ? " with the strong labels of " + strong : "", stale.get());
            Files.deleteIfExists(record); // before the output changes: a pack that fails is never up to date
        } finally {
            if (shards != null) {
                shards.close(); // never throws; released before the store's writer takes it
            }
        }
        PackSummary summary;
        try (RecordLock.Commit commit = new RecordLock.Commit(record, RecordLock.WAIT)) {
            if (layout.format() == PackFormat.WEBDATASET) {
                commit.take(); // full shards are renamed into place as the pack goes, before it commits
            }
            try (WaveformSink sink = commit.around(WaveformSink.class, strong != null
                    ? store.createWaveforms(outputDir, name, labels, layout, strongVocabulary)
                    : store.createWaveforms(outputDir, name, labels, layout))) {
                summary = stage.run(inputs, sink);
                // before the sink is closed: a WebDataset writer holds its name's lock until then, and an HDF5
                // writer its file's from its renames, so no writer of the output that does not take the record's
                // lock (another program's) replaces the files between their commit and this record
                writeRecord(record, listing, summary.files(), commit);
            }
        }
        return summary;
    }

    /**
     * @return the lock of the WebDataset shards' name in the output folder ({@link WebDatasetWriter#lockName})
     * @throws IOException naming the first shard, if a pack of the name is writing them (or the lock file cannot be
     *     created)
     */
    private Closeable lockShards() throws IOException {
        try {
            return WebDatasetWriter.lockName(outputDir, name);
        } catch (IOException e) {
            if (!Files.exists(outputDir.resolve(NameLock.fileName(name)), LinkOption.NOFOLLOW_LINKS)) {
                throw e; // no lock file, so no pack holds it: the folder takes no file (NameLock names it and why)
            }
            throw new IOException("pack: cannot judge whether " + waveformFile() + " and the shards after it are up"
                    + " to date: " + e.getMessage() + "; run again once it has finished", e);
        }
    }

    /** The words for a changed input of the pack stage. */
    private Optional<String> packChange(String key, Map<String, String> was, Map<String, String> now) {
        String before = was.get(key);
        String after = now.get(key);
        return switch (key) {
            case PackStage.Inputs.WAV_FILES -> {
                long n = Long.parseLong(after) - Long.parseLong(before);
                yield Optional.of(Math.abs(n) + (n > 0 ? " new" : " fewer") + " WAV file" + (Math.abs(n) == 1 ? ""
                        : "s") + " since the last pack (" + before + " then, " + after + " now)");
            }
            case PackStage.Inputs.WAV_LISTING -> was.get(PackStage.Inputs.WAV_FILES)
                    .equals(now.get(PackStage.Inputs.WAV_FILES))
                    ? Optional.of("WAV files were added, deleted, replaced or touched since the last pack")
                    : Optional.empty();
            case PackStage.Inputs.SEGMENTS -> Optional.of("the segments CSV " + segments.csv() + " changed");
            case PackStage.Inputs.SELECTION -> Optional.of("the rows selected changed (label filter, limit, shard,"
                    + " label check or error policy)");
            case PackStage.Inputs.LABELS -> Optional.of("the label index changed");
            case PackStage.Inputs.SHUFFLE -> Optional.of("the shuffle seed changed (" + before + " then, " + after
                    + " now)");
            case PackStage.Inputs.STRONG -> Optional.of("none".equals(before) ? "strong labels are now kept from "
                    + strong : "none".equals(after) ? "strong labels are no longer kept" : "the strong label file "
                    + strong + " changed");
            case PackStage.Inputs.STRONG_VOCABULARY -> "none".equals(before) || "none".equals(after)
                    ? Optional.empty() : Optional.of("the strong vocabulary changed");
            default -> Optional.of("the " + key + " changed (" + before + " then, " + after + " now)");
        };
    }

    /**
     * Records a complete output; a failure is logged, not thrown: the output is complete, and the next run makes it
     * again.
     */
    private static void writeRecord(Path record, Map<String, String> listing, List<Path> files,
            RecordLock.Commit commit) {
        if (!commit.recordable()) {
            return; // committed without the lock, beside another run's commit (logged)
        }
        if (files.isEmpty() || !files.stream().allMatch(Files::isRegularFile)) {
            LOG.debug("not recording the inputs of {}: not files on this file system", files);
            return; // a store that writes elsewhere: made again on every run, as before
        }
        try {
            OutputRecord.write(record, listing, files);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record the inputs of {} in {} ({}): a rerun makes them again", files, record,
                    e.toString());
        }
    }

    /** @return the summary of the features computed, or null if the output was up to date and kept */
    private FeatureSummary features() throws IOException {
        FeatureStage.Builder b = FeatureStage.builder().extractor(features).threads(threads).listener(listener);
        if (executor != null) {
            b.executor(executor);
        }
        Path record = OutputRecord.of(featureFile());
        Map<String, String> listing = featureListing(); // null: always computed
        if (listing != null) {
            Optional<String> stale = OutputRecord.whyStale(record, listing, this::featureChange);
            if (stale.isEmpty()) {
                LOG.info("{}: {} is up to date (computed from {} as it is now, with the same parameters): kept",
                        features.name(), featureFile(), waveformFile());
                return null;
            }
            LOG.info("{}: {} -> {}: computing, as {}", features.name(), waveformFile(), featureFile(), stale.get());
        } else {
            LOG.info("{}: {} -> {}", features.name(), waveformFile(), featureFile());
        }
        Files.deleteIfExists(record);
        FeatureSummary summary;
        try (RecordLock.Commit commit = new RecordLock.Commit(record, RecordLock.WAIT)) {
            try (WaveformSource source = selected(store.openWaveforms(waveformFile()));
                    FeatureSink sink = listing != null ? commit.around(FeatureSink.class, store.createFeatures(
                            featureFile(), source, features)) : store.createFeatures(featureFile(), source, features)) {
                summary = b.build().run(source, sink);
                if (listing != null) { // before the sink is closed: see pack()
                    writeRecord(record, listing, summary.files(), commit);
                }
            }
        }
        return summary;
    }

    /**
     * @return the inputs of the feature stage's record, or null for a store whose waveforms are not a file here
     * @throws IOException if the waveform file's attributes or the CSV cannot be read
     */
    private Map<String, String> featureListing() throws IOException {
        if (features == null || !Files.isRegularFile(waveformFile())) {
            return null;
        }
        Map<String, String> listing = new LinkedHashMap<>();
        listing.put(WAVEFORMS, OutputRecord.identity(waveformFile()).replace('\t', ' '));
        listing.put(EXTRACTOR, InputDigests.text(features.name() + "\n" + features.dataset() + "\n"
                + features.inputLength() + "\n" + features.sampleRate() + "\n" + features.rows() + "\n"
                + features.columns() + "\n" + new TreeMap<>(features.attributes())));
        listing.put(SELECTION, first != Stage.FEATURES || segments == null ? "all rows"
                : InputDigests.file(segments.csv()) + ", " + PackStage.Inputs.describe(segments));
        listing.put(STORE, store.getClass().getName() + OutputRecord.buildOf(store.getClass()));
        return listing;
    }

    /**
     * What the record beside {@link #featureFile()} says of it, without running anything: for a caller with its
     * own rule for keeping a feature file (the {@code cochleagram} command's), which is to defer to a record that
     * knows the file is not up to date (computed from an earlier waveform file, whatever the files' times say).
     *
     * @return empty if a run would keep the feature file as up to date; else why not (no record, no feature
     *     extractor, the waveform file or the parameters changed since, a file changed or is missing)
     * @throws IOException if the waveform file's attributes or the CSV cannot be read
     */
    public Optional<String> whyFeaturesStale() throws IOException {
        Map<String, String> listing = featureListing();
        if (listing == null) {
            return Optional.of(features == null ? "no feature extractor" : waveformFile() + " is not a file");
        }
        return OutputRecord.whyStale(OutputRecord.of(featureFile()), listing, this::featureChange);
    }

    /** The words for a changed input of the feature stage. */
    private Optional<String> featureChange(String key, Map<String, String> was, Map<String, String> now) {
        return Optional.of(switch (key) {
            case WAVEFORMS -> "the waveform file " + waveformFile() + " changed";
            case EXTRACTOR -> "the " + features.name() + " parameters changed";
            case SELECTION -> "the rows selected changed";
            default -> "the " + key + " changed";
        });
    }

    /**
     * @param all a waveform file's rows, closed here if this fails
     * @return {@code all} when the run packed them or no selection is given, else the rows whose YouTube id the
     *     selection holds, in file order (memory: the selected ids, and one {@code long} per row kept)
     */
    private WaveformSource selected(WaveformSource all) throws IOException {
        if (first != Stage.FEATURES || segments == null) {
            return all;
        }
        try {
            if (!all.hasIds()) {
                throw new AudioSetException(all.path() + ": its rows carry no YouTube ids (a seed file?), so the"
                        + " selection of " + segments.csv() + " cannot be applied; leave out segments(...) to compute"
                        + " every row");
            }
            Set<String> ids = new HashSet<>();
            try (Stream<SegmentRow> rows = segments.stream()) {
                rows.forEach(r -> ids.add(r.segment().ytid()));
            }
            long n = all.size();
            long[] keep = new long[(int) Math.min(n, 1024)];
            int kept = 0;
            for (long row = 0; row < n; row++) {
                if (ids.contains(all.ytid(row))) {
                    if (kept == keep.length) {
                        keep = Arrays.copyOf(keep, Math.min(Integer.MAX_VALUE - 8, 2 * kept));
                    }
                    keep[kept++] = row;
                }
            }
            LOG.info("{}: {} of {} rows are in the selection of {} ({} segments)", all.path(), kept, n,
                    segments.csv(), ids.size());
            return all.select(Arrays.copyOf(keep, kept));
        } catch (IOException | RuntimeException e) {
            try {
                all.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Builder for {@link AudioSetPipeline}; not thread-safe. */
    public static final class Builder {
        private DownloadConfig download;
        private SegmentSelection segments;
        private Path downloads;
        private Path waveforms;
        private Path outputDir;
        private String name;
        private Stage stopAfter;
        // null: not set (build() refuses a set option that only a stage it does not run would use)
        private DatasetStore store;
        private WaveformLayout layout;
        private FeatureExtractor features;
        private String featureSuffix;
        private LabelIndex labels;
        private Long shuffleSeed;
        private Path strong;
        private StrongVocabulary strongVocabulary;
        private Integer threads;
        private ExecutorService executor;
        private PipelineListener listener = PipelineListener.NONE;

        private Builder() {
        }

        /**
         * Starts the run at the download stage. Its output folder and name are the pipeline's.
         *
         * @param config the download configuration
         * @return this
         */
        public Builder download(DownloadConfig config) {
            this.download = requireNonNull(config, "download");
            return this;
        }

        /**
         * @param selection the segments to download (its shard names the job) and whose CSV the pack stage
         *     joins the clips with; needed for the download and pack stages. A run that starts at the feature
         *     stage computes only the waveform rows whose YouTube id the selection holds (the waveform file must
         *     record ids, as ours do in {@code /meta/ytid}); a sharded selection is for a run that stops after the
         *     download ({@link #build()} refuses it when the pipeline packs or computes features: each writes one
         *     file). Under {@link io.github.audiosetdl.core.ErrorPolicy#SKIP} its error listener is given each
         *     skipped line once a run, though the run reads the file more than once
         *     ({@link io.github.audiosetdl.core.SegmentCsvOptions#reportingEachLineOnce()})
         * @return this
         */
        public Builder segments(SegmentSelection selection) {
            this.segments = requireNonNull(selection, "segments");
            return this;
        }

        /**
         * @param csv the whole segments CSV (see {@link #segments(SegmentSelection)})
         * @return this
         */
        public Builder segments(Path csv) {
            return segments(SegmentSelection.builder(requireNonNull(csv, "segments")).build());
        }

        /**
         * Starts the run at the pack stage, with clips already on disk.
         *
         * @param folder a downloads folder ({@code YT_<id>.wav} files at any depth)
         * @return this
         */
        public Builder downloads(Path folder) {
            this.downloads = requireNonNull(folder, "downloads");
            return this;
        }

        /**
         * Starts the run at the feature stage, with a waveform file already written (ours or the seed's).
         *
         * @param file a waveform file
         * @return this
         */
        public Builder waveforms(Path file) {
            this.waveforms = requireNonNull(file, "waveforms");
            return this;
        }

        /**
         * @param dir the folder for the outputs (default: the download configuration's; else, for a run from
         *     {@link #downloads}, the downloads folder's parent, where the download stage puts it; else the
         *     waveform file's folder)
         * @return this
         */
        public Builder outputDir(Path dir) {
            this.outputDir = requireNonNull(dir, "outputDir");
            return this;
        }

        /**
         * @param dataSetName names every output, e.g. {@code eval_segments} (default: the download
         *     configuration's, else the input's file name without extension: the segments CSV's when the run
         *     starts at the pack stage, the waveform file's when it starts at the feature stage); the rule of
         *     {@link DownloadConfig#checkName}
         * @return this
         */
        public Builder name(String dataSetName) {
            this.name = DownloadConfig.checkName(dataSetName);
            return this;
        }

        /**
         * @param stage the last stage to run (default: the last one configured)
         * @return this
         */
        public Builder stopAfter(Stage stage) {
            this.stopAfter = requireNonNull(stage, "stopAfter");
            return this;
        }

        /**
         * @param datasetStore where the waveform and feature files live (e.g. {@code Hdf5DatasetStore.INSTANCE}
         *     from {@code audioset-hdf5}); for the pack and feature stages, refused by {@link #build()} when
         *     neither runs. Optional: without it they use the one {@link DatasetStore} service on the class path
         *     ({@link java.util.ServiceLoader}, the thread's context class loader), which is
         *     {@code Hdf5DatasetStore} when {@code audioset-hdf5} is there; give it to choose another, or one
         *     among several. Setting it also makes a run that starts with a download pack by default (as
         *     {@code stopAfter(Stage.PACK)} does)
         * @return this
         */
        public Builder store(DatasetStore datasetStore) {
            this.store = requireNonNull(datasetStore, "store");
            return this;
        }

        /**
         * @param waveformLayout what the pack stage writes (default {@link WaveformLayout#SEED}: the seed's HDF5
         *     layout, float32, 16 kHz); the feature stage reads the seed layout only, so a run that packs and then
         *     computes features needs {@link PackFormat#SEED}; for the pack stage only ({@link #build()} refuses it
         *     when the pack stage does not run)
         * @return this
         */
        public Builder layout(WaveformLayout waveformLayout) {
            this.layout = requireNonNull(waveformLayout, "layout");
            return this;
        }

        /**
         * @param extractor the features to compute (a cochleagram from {@code audioset-cochlea}, or your own); makes
         *     the feature stage the last by default, and is refused by {@link #build()} when an earlier
         *     {@link #stopAfter} leaves it out
         * @return this
         */
        public Builder features(FeatureExtractor extractor) {
            this.features = requireNonNull(extractor, "features");
            return this;
        }

        /**
         * @param suffix what follows the name in the feature file's name (default {@code _Coch}, as the seed); for
         *     the feature stage only
         * @return this
         */
        public Builder featureSuffix(String suffix) {
            requireNonNull(suffix, "featureSuffix");
            if (!suffix.isEmpty() && !NAME.matcher(suffix).matches()) {
                throw new IllegalArgumentException("featureSuffix '" + suffix + "' must match " + NAME.pattern());
            }
            this.featureSuffix = suffix;
            return this;
        }

        /**
         * @param index the label index of the waveform file's multi-hot rows (default: the segments
         *     selection's, which defaults to AudioSet's 527 classes); for the pack stage only
         * @return this
         */
        public Builder labels(LabelIndex index) {
            this.labels = requireNonNull(index, "labels");
            return this;
        }

        /**
         * @param seed shuffle the packed rows with this seed (default: CSV order); for the pack stage only
         * @return this
         */
        public Builder shuffleSeed(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /**
         * Keeps the clips' temporally-strong events: the pack stage writes each row with the events the file gives
         * its segment (matched by YouTube id and start, in ms), through {@link DatasetStore#createWaveforms(Path,
         * String, LabelIndex, WaveformLayout, StrongVocabulary)} (the seed layout adds {@code /strong}, uint8
         * (N, 100, MIDs) frames of 0.1 s, {@code /strong_mids} and {@code /has_strong}; WebDataset shards put the
         * events, in seconds from the clip start, in each clip's JSON). The file is held as an index of about 10
         * bytes an event while packing; a bad line fails the run or is skipped and reported as the segments'
         * {@link io.github.audiosetdl.core.SegmentCsvOptions#errorPolicy() error policy} says. When the segments
         * file is itself a strong file, give it here too to keep its events (its rows' weak labels hold only the
         * MIDs of the 527-class index). For the pack stage only; {@link #build()} refuses it with the PANNs
         * layout, which has no place for strong labels.
         *
         * @param file a temporally-strong label file ({@code audioset_eval_strong.tsv} and the like)
         * @return this
         */
        public Builder strong(Path file) {
            this.strong = requireNonNull(file, "strong");
            return this;
        }

        /**
         * @param vocabulary the MIDs {@link #strong}'s events are kept for, the last axis of {@code /strong}
         *     (default {@link StrongVocabulary#audioSet()}: 456 MIDs; events of other MIDs are counted and logged);
         *     needs {@link #strong}; for the pack stage only
         * @return this
         */
        public Builder strongVocabulary(StrongVocabulary vocabulary) {
            this.strongVocabulary = requireNonNull(vocabulary, "strongVocabulary");
            return this;
        }

        /**
         * @param count worker threads for packing and features, {@code >= 1} (default: the processors); the
         *     download stage has its own in its configuration, so {@link #build()} refuses this on a run that only
         *     downloads
         * @return this
         */
        public Builder threads(int count) {
            if (count < 1 || count > MAX_THREADS) {
                throw new IllegalArgumentException("threads " + count + " is not in 1.." + MAX_THREADS);
            }
            this.threads = count;
            return this;
        }

        /**
         * @param pool a caller-owned pool for the feature stage: the pipeline neither shuts it down, not even in
         *     {@link AudioSetPipeline#close()}, nor closes it; for the feature stage only. Shutting it down while
         *     the stage computes ends the run with an {@link IllegalStateException} naming the waveform file and row
         *     (nothing is committed)
         * @return this
         */
        public Builder executor(ExecutorService pool) {
            this.executor = requireNonNull(pool, "executor");
            return this;
        }

        /**
         * @param l sees every stage's progress and failures
         * @return this
         */
        public Builder listener(PipelineListener l) {
            this.listener = requireNonNull(l, "listener");
            return this;
        }

        /**
         * @return the pipeline
         * @throws IllegalStateException if no starting point is given, or a stage in the range lacks what it needs
         *     (segments for download and pack, a store for pack and features: without {@link #store}, exactly one
         *     {@link DatasetStore} service on the class path; an extractor for features), or the options contradict
         *     each other: among them an option set for stages the pipeline does not run ({@link #store}: pack,
         *     features; {@link #layout}, {@link #labels}, {@link #shuffleSeed}, {@link #strong},
         *     {@link #strongVocabulary}: pack; {@link #features}, {@link #featureSuffix}, {@link #executor}: features;
         *     {@link #threads}: pack, features), or an {@link #outputDir} or {@link #name} other than the download
         *     configuration's (the same folder spelt differently, or through a symbolic link, is the same), or a data
         *     set name that cannot name the WebDataset shards the pack stage writes
         *     ({@link WebDatasetWriter#checkName}), or a sharded {@link #segments} selection on a run that packs or
         *     computes features, or {@link #strong} with the PANNs layout, or {@link #strongVocabulary} without
         *     {@link #strong}
         */
        public AudioSetPipeline build() {
            Stage first;
            if (download != null) {
                first = Stage.DOWNLOAD;
                check(downloads == null && waveforms == null,
                        "give either a download configuration, a downloads folder or a waveform file, not several");
            } else if (downloads != null) {
                first = Stage.PACK;
                check(waveforms == null, "give either a downloads folder or a waveform file, not both");
            } else if (waveforms != null) {
                first = Stage.FEATURES;
            } else {
                throw new IllegalStateException(
                        "nothing to start from: give a download configuration, a downloads folder or a waveform file");
            }
            Stage last = stopAfter != null ? stopAfter
                    : features != null ? Stage.FEATURES : store != null ? Stage.PACK : Stage.DOWNLOAD;
            last = last.compareTo(first) < 0 ? first : last;
            check(stopAfter == null || stopAfter.compareTo(first) >= 0,
                    "stopAfter(" + stopAfter + ") comes before the first stage " + first);
            boolean packs = first.compareTo(Stage.PACK) <= 0 && last.compareTo(Stage.PACK) >= 0;
            check(first != Stage.DOWNLOAD && !packs || segments != null,
                    "the " + first.label() + " stage needs segments(...)");
            DatasetStore found = store != null || !packs && last != Stage.FEATURES ? store
                    : serviceStore(packs ? Stage.PACK : Stage.FEATURES);
            check(last != Stage.FEATURES || features != null, "the features stage needs features(...)");
            WaveformLayout packed = layout != null ? layout : WaveformLayout.SEED;
            check(!packs || last != Stage.FEATURES || packed.format() == PackFormat.SEED,
                    "the features stage reads the seed layout; the " + packed.format().label()
                            + " format can only be packed: leave out features(...)");
            checkUsed(first, last);
            check(strongVocabulary == null || strong != null, "strongVocabulary is set but no strong(...) file:"
                    + " give the strong label file, or leave the vocabulary out");
            check(strong == null || packed.format() != PackFormat.PANNS, "the PANNs layout has no strong labels:"
                    + " leave out strong(...), or pack the seed layout or WebDataset shards");
            check(strong == null || !packs || found.writesStrongLabels(), "strong(...) is set but the store " + found
                    + " does not write strong labels (DatasetStore.writesStrongLabels()): leave out strong(...)");
            if (packs && !segments.shard().isAll()) {
                throw new IllegalStateException("the pack stage writes one file for the whole selection, not for "
                        + segments.shard() + ": give the shard to the download tasks (stopAfter(DOWNLOAD)), then"
                        + " pack once (downloads(...))");
            }
            if (last == Stage.FEATURES && segments != null && !segments.shard().isAll()) {
                throw new IllegalStateException("the features stage writes one file for the whole selection, not for "
                        + segments.shard() + ": every task would replace it with its own rows; compute the rows in"
                        + " parts with FeatureFileParts (audioset-hdf5), or leave the shard out");
            }
            if (packs && last == Stage.FEATURES && (features.sampleRate() != packed.preparation().sampleRate()
                    || features.inputLength() != packed.preparation().clipSamples())) {
                throw new IllegalStateException("the features stage takes " + features.inputLength() + " samples at "
                        + features.sampleRate() + " Hz, but the pack stage writes "
                        + packed.preparation().clipSamples() + " at " + packed.preparation().sampleRate() + " Hz");
            }

            int packRate = packed.preparation().sampleRate();
            if (download != null && packs && download.sampleRate().orElse(packRate) < packRate) {
                LOG.warn("packing {} Hz clips from {} Hz downloads: they hold nothing above {} Hz (download at {} Hz"
                        + " for the full band: DownloadConfig.Builder.sampleRate)", packRate,
                        download.sampleRate().getAsInt(), download.sampleRate().getAsInt() / 2, packRate);
            }
            Path out = outputDir;
            String dataSet = name;
            if (download != null) {
                check(out == null || sameFile(out, download.outputDir()), "outputDir " + out
                        + " differs from the download configuration's " + download.outputDir());
                check(dataSet == null || dataSet.equals(download.name()), "name '" + dataSet
                        + "' differs from the download configuration's '" + download.name() + "'");
                out = download.outputDir();
                dataSet = download.name();
            }
            if (dataSet == null) {
                dataSet = DownloadConfig.nameOf(first == Stage.FEATURES ? waveforms : segments.csv());
            }
            if (packs && packed.format() == PackFormat.WEBDATASET) {
                try {
                    WebDatasetWriter.checkName(dataSet);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("the data set's name cannot name WebDataset shards: "
                            + e.getMessage() + " (it is name(...), else the download configuration's, else the"
                            + " segments file's name without extension)", e);
                }
            }
            if (out == null) { // beside the input, as the download stage puts <out>/<name>_downloads in <out>
                Path input = first == Stage.FEATURES ? waveforms : downloads;
                Path parent = input != null ? input.toAbsolutePath().getParent() : null;
                out = parent != null ? parent : Path.of("");
            }
            AudioSetPipeline p = new AudioSetPipeline(this, first, last, out, dataSet, found);
            check(last != Stage.FEATURES || !sameFile(p.featureFile(), p.waveformFile()), "the feature file "
                    + p.featureFile() + " is the waveform file " + p.waveformFile()
                    + ": give another featureSuffix (default " + DEFAULT_FEATURE_SUFFIX + ")");
            return p;
        }

        /**
         * The store of a pipeline built without {@link #store}: the one {@link DatasetStore} that
         * {@link ServiceLoader} finds through the thread's context class loader ({@code audioset-hdf5} registers
         * {@code Hdf5DatasetStore} in {@code META-INF/services}).
         *
         * @param stage the first stage that needs a store, named in the errors
         * @throws IllegalStateException if there is none, several, or one that cannot be loaded
         */
        static DatasetStore serviceStore(Stage stage) {
            String needs = "the " + stage.label() + " stage needs store(...)";
            List<ServiceLoader.Provider<DatasetStore>> providers;
            try {
                providers = ServiceLoader.load(DatasetStore.class).stream().toList();
                if (providers.isEmpty()) {
                    throw new IllegalStateException(needs + ": no DatasetStore service is on the class path; add"
                            + " audioset-hdf5 (its Hdf5DatasetStore is then found without store(...)), or call"
                            + " store(...) with your own");
                }
                if (providers.size() > 1) {
                    throw new IllegalStateException(needs + ": several DatasetStore services are on the class path ("
                            + String.join(", ", providers.stream().map(p -> p.type().getName()).toList())
                            + "); choose one with store(...)");
                }
                DatasetStore store = providers.get(0).get();
                LOG.debug("the {} stage uses the DatasetStore service {}", stage.label(), store.getClass().getName());
                return store;
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException(needs + ": the DatasetStore service on the class path cannot be"
                        + " loaded (" + e.getMessage() + "); fix its META-INF/services entry, or call store(...)", e);
            }
        }

        /**
         * Refuses an option set for stages outside {@code first..last}: it would be ignored, which a caller who
         * set it does not expect (e.g. a shuffle seed on a run that only computes features).
         */
        private void checkUsed(Stage first, Stage last) {
            boolean packs = first.compareTo(Stage.PACK) <= 0 && last.compareTo(Stage.PACK) >= 0;
            boolean computes = last == Stage.FEATURES;
            String runs = first == last ? first.name() : first.name() + ".." + last.name();
            unused(store != null && !packs && !computes, "store", runs, "pack and features");
            unused(layout != null && !packs, "layout", runs, "pack");
            unused(labels != null && !packs, "labels", runs, "pack");
            unused(shuffleSeed != null && !packs, "shuffleSeed", runs, "pack");
            unused(strong != null && !packs, "strong", runs, "pack");
            unused(strongVocabulary != null && !packs, "strongVocabulary", runs, "pack");
            check(threads == null || packs || computes, "threads is set but the pipeline runs only " + runs
                    + ": it is for the pack and features stage(s); leave it out or run them (the download's threads"
                    + " are DownloadConfig.Builder.threads)");
            unused(features != null && !computes, "features", runs, "features");
            unused(featureSuffix != null && !computes, "featureSuffix", runs, "features");
            unused(executor != null && !computes, "executor", runs, "features");
        }

        private static void unused(boolean unused, String option, String runs, String stages) {
            check(!unused, option + " is set but the pipeline runs only " + runs + ": it is for the " + stages
                    + " stage(s); leave it out or run them");
        }

        /**
         * @return whether {@code a} and {@code b} name the same file or folder: the same absolute path once
         *     {@code .} and {@code ..} are resolved, or, when both exist, the same file on disk (e.g. through a
         *     symbolic link)
         */
        static boolean sameFile(Path a, Path b) {
            if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
                return true;
            }
            try {
                return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
            } catch (IOException e) {
                return false; // unreadable: taken as different, as the paths are
            }
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalStateException(message);
            }
        }
    }
}
