package io.github.audiosetdl.core.pack;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.Label;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentCsv;
import io.github.audiosetdl.core.SegmentCsvOptions;
import io.github.audiosetdl.core.SegmentFormatException;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.StrongCsv;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.StrongIndex;
import io.github.audiosetdl.core.StrongRow;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.internal.DaemonPool;
import io.github.audiosetdl.core.internal.InputDigests;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.progress.ProgressTracker;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.WaveformSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pack stage: finds every {@code YT_<id>.wav} under a downloads folder (all its
 * {@code <name>_downloads_<job>} subfolders), joins them with the segments CSV, prepares each clip as the
 * seed did and writes it to a {@link WaveformSink}, in CSV order or shuffled with a seed. The CSV may be a
 * temporally-strong label file ({@link StrongCsv}: one 10-s row per segment); with {@link Builder#strong}, each
 * row is written with its strong events ({@link WaveformSink#write(SegmentRow, PreparedAudio, List)}; an empty
 * list for rows the strong file does not annotate).
 *
 * <p>The CSV is streamed; only a compact index of the files found is held (about 15 bytes per file),
 * plus, when shuffling, the matched segments. Reading and preparing run on {@code threads} workers (fewer
 * if half the heap cannot hold their work arrays, about 24 MB each: a warning says so), at most
 * {@code max(8, 4 × workers)} clips in flight; four more threads read the next clips' files ahead of them
 * into off-heap buffers (with {@code O_DIRECT} where the file system allows, bypassing the page cache; at
 * most 64 MB, files up to 4 MB), so that the workers compute rather than wait for the disk; the caller's
 * thread writes the clips in order. A WAV that
 * cannot be read, or whose id is not in the CSV, is skipped and reported ({@link PipelineListener#itemFailed},
 * counted in the {@link PackSummary}); it never leaves a hole. The sink is committed only at the end;
 * on failure it is not committed (the caller closes it, which discards it).
 */
public final class PackStage {
    private static final Logger LOG = LoggerFactory.getLogger(PackStage.class);

    /**
     * The heap one worker may need: its channel mix and FFT work arrays (about 10 MB for a 48 kHz clip) and
     * its share of the prepared clips in flight, with room to spare.
     */
    static final long HEAP_PER_WORKER = 24L << 20;
    /** Threads reading the next clips ahead of the workers (they wait on the disk, not on the CPU). */
    private static final int READERS = 4;

    private final Path downloads;
    private final Path segments;
    /** The rows to pack, or null for every row of {@link #segments}. */
    private final SegmentSelection selection;
    private final LabelIndex labels;
    private final Long shuffleSeed;
    private final SeedPreparation preparation;
    private final int threads;
    private final PipelineListener listener;
    private final Path strong;
    private final StrongVocabulary strongVocabulary;

    private PackStage(Builder b) {
        this.downloads = b.downloads;
        this.segments = b.segments;
        this.selection = b.selection;
        this.labels = b.labels;
        this.shuffleSeed = b.shuffleSeed;
        this.preparation = b.preparation;
        this.threads = b.threads;
        this.listener = b.listener;
        this.strong = b.strong;
        this.strongVocabulary = b.strongVocabulary;
    }

    /** @return a builder; {@link Builder#downloads} and {@link Builder#segments} are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Warns when the first clip's rate is below the rows': resampled up, the rows hold nothing above its Nyquist
     * frequency (16 kHz downloads packed at PANNs' 32 kHz). An unreadable header is left to the worker to report.
     */
    private void warnIfUpsampled(Path first) {
        try {
            int rate = WavReader.readFormat(first).sampleRate();
            if (rate < preparation.sampleRate()) {
                LOG.warn("pack: {} is {} Hz: the {} Hz rows resampled from such clips hold nothing above {} Hz"
                        + " (download at {} Hz for the full band)", first, rate, preparation.sampleRate(), rate / 2,
                        preparation.sampleRate());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("pack: cannot read the format of {}: {}", first, e.toString());
        }
    }

    /** @return the preparation applied to each clip (rate and length of the rows) */
    public SeedPreparation preparation() {
        return preparation;
    }

    /** @return the label index the rows' labels follow */
    public LabelIndex labels() {
        return labels;
    }

    private record Job(SegmentRow row, Path file) {
    }

    /** A job whose file is being read ahead ({@code contents} gives null: the worker reads the file itself). */
    private record Loading(Job job, Future<ByteBuffer> contents) {
    }

    private record Outcome(Job job, PreparedAudio audio, String error) {
    }

    /**
     * The output arrays the sink has written, for the workers to reuse: the prepared samples, and their int16
     * values at the level the sink {@linkplain WaveformSink#int16Level() names} ({@code level} null, and
     * {@code int16} unused, when it names none).
     */
    private record Spare(Queue<float[]> floats, Queue<short[]> int16, Int16Level level) {
    }

    /**
     * Packs every matched clip into {@code sink} and commits it. The caller still closes the sink. It returns,
     * also when it fails or is interrupted, once its worker and reading threads have ended (at most 30 s each).
     *
     * @param sink receives the rows; its rate and clip length must be the preparation's
     * @return what was written and skipped
     * @throws IOException if the folder or CSV cannot be read, the folder holds no {@code YT_<id>.wav} or none
     *     of them could be packed (an existing output is never replaced by an empty one), or writing fails (the
     *     sink is not committed)
     * @throws InterruptedIOException if the thread is interrupted
     * @throws IllegalArgumentException if the sink records a rate that is not the preparation's
     * @throws AudioSetException if the CSV is malformed or names an unknown label (the message names the
     *     file, line and value)
     */
    public PackSummary run(WaveformSink sink) throws IOException {
        requireNonNull(sink, "sink");
        checkRate(sink);
        return run(scan(), sink);
    }

    /**
     * Scans the downloads folder and digests everything the output of {@link #run(WaveformSink)} depends on, for a
     * caller that decides whether to pack at all (the pipeline keeps an output packed from the same inputs). Give
     * the result to {@link #run(Inputs, WaveformSink)}, so that the pack uses the files this scan found and the
     * folder is scanned once. Memory: the scan's index (about 15 bytes a file); the digests are streamed.
     *
     * @return the files found and the listing of the inputs
     * @throws IOException if the folder, the CSV or the strong file cannot be read
     * @throws InterruptedIOException if the thread is interrupted
     */
    public Inputs scan() throws IOException {
        if (!Files.isRegularFile(segments)) {
            throw new NoSuchFileException(segments.toString(), null, "segments CSV not found");
        }
        WavIndex index = WavIndex.scan(downloads);
        Map<String, String> listing = new LinkedHashMap<>();
        listing.put(Inputs.WAV_FILES, Long.toString(index.filesFound()));
        listing.put(Inputs.WAV_LISTING, index.listingDigest());
        listing.put(Inputs.SEGMENTS, InputDigests.file(segments));
        listing.put(Inputs.SELECTION, selection != null ? Inputs.describe(selection)
                : Inputs.describe(SegmentCsvOptions.builder().labelIndex(labels).build()));
        listing.put(Inputs.LABELS, Inputs.digest(labels));
        listing.put(Inputs.SHUFFLE, shuffleSeed != null ? shuffleSeed.toString() : "none");
        listing.put(Inputs.PREPARATION, preparation.sampleRate() + " Hz, " + preparation.clipSeconds() + " s, "
                + preparation.resampling());
        listing.put(Inputs.STRONG, strong != null ? InputDigests.file(strong) : "none");
        listing.put(Inputs.STRONG_VOCABULARY, strong != null ? InputDigests.text(String.join("\n",
                strongVocabulary.mids())) : "none");
        return new Inputs(this, index, listing);
    }

    /**
     * What {@link #scan()} found: the downloads folder's clips and a listing of every input and option the packed
     * output depends on. Two listings are equal when the same files (paths under the downloads folder, sizes and
     * modification times) and the same CSV, strong file, labels and options would be packed.
     */
    public static final class Inputs {
        /** Key of the number of {@code YT_<id>.wav} files found, duplicates included. */
        public static final String WAV_FILES = "wav.files";
        /** Key of the digest of the WAV files' paths, sizes and modification times. */
        public static final String WAV_LISTING = "wav.listing";
        /** Key of the SHA-256 of the segments CSV's bytes. */
        public static final String SEGMENTS = "segments";
        /** Key of the rows selected: label filter, limit, shard, label check, error policy, label index. */
        public static final String SELECTION = "selection";
        /** Key of the digest of the label index of the rows' multi-hot labels. */
        public static final String LABELS = "labels";
        /** Key of the shuffle seed, or {@code none}. */
        public static final String SHUFFLE = "shuffle";
        /** Key of the clip preparation: rate, length, resampling. */
        public static final String PREPARATION = "preparation";
        /** Key of the SHA-256 of the strong label file's bytes, or {@code none}. */
        public static final String STRONG = "strong";
        /** Key of the digest of the strong vocabulary's MIDs, or {@code none}. */
        public static final String STRONG_VOCABULARY = "strong.vocabulary";

        private final PackStage stage;
        private final WavIndex index;
        private final Map<String, String> listing;

        private Inputs(PackStage stage, WavIndex index, Map<String, String> listing) {
            this.stage = stage;
            this.index = index;
            this.listing = Collections.unmodifiableMap(listing);
        }

        /**
         * @return each input's key and its value or digest (SHA-256 as 64 hex digits), in a fixed order; the
         *     keys are this class's constants
         */
        public Map<String, String> listing() {
            return listing;
        }

        /** @return the {@code YT_<id>.wav} files found, duplicates included */
        public long wavFiles() {
            return index.filesFound();
        }

        /**
         * @param selection rows of a segments file
         * @return what decides the rows selected, in one line (not the file's contents: digest them apart): the
         *     SHA-256 of the label filter's MIDs, the limit, the shard and {@linkplain #describe(SegmentCsvOptions)
         *     the options}
         */
        public static String describe(SegmentSelection selection) {
            return "mids " + InputDigests.text(String.join("\n", new TreeSet<>(selection.labelMids()))) + ", limit "
                    + (selection.limit() == Long.MAX_VALUE ? "none" : selection.limit()) + ", " + selection.shard()
                    + ", " + describe(selection.options());
        }

        /**
         * @param options how a segments file is read
         * @return what of them decides the rows read, in one line: the SHA-256 of the label index, the label check
         *     and the error policy (not the error listener)
         */
        public static String describe(SegmentCsvOptions options) {
            return "labels " + digest(options.labelIndex()) + ", check labels " + options.checkLabels()
                    + ", on error " + options.errorPolicy();
        }

        /** @return the SHA-256 of the labels: index, MID and display name of each, in order */
        static String digest(LabelIndex index) {
            StringBuilder sb = new StringBuilder();
            for (Label l : index.labels()) {
                sb.append(l.index()).append('\t').append(l.mid()).append('\t').append(l.displayName()).append('\n');
            }
            return InputDigests.text(sb.toString());
        }
    }

    /**
     * Packs the clips {@code inputs} found into {@code sink} and commits it, as {@link #run(WaveformSink)} does.
     *
     * @param inputs this stage's {@link #scan()}
     * @param sink receives the rows; its rate and clip length must be the preparation's
     * @return what was written and skipped
     * @throws IOException as {@link #run(WaveformSink)}
     * @throws IllegalArgumentException if {@code inputs} is another stage's scan, or as {@link #run(WaveformSink)}
     */
    public PackSummary run(Inputs inputs, WaveformSink sink) throws IOException {
        requireNonNull(inputs, "inputs");
        requireNonNull(sink, "sink");
        if (inputs.stage != this) {
            throw new IllegalArgumentException("the inputs were scanned by another pack stage, of "
                    + inputs.stage.downloads);
        }
        checkRate(sink);
        WavIndex index = inputs.index;
        if (index.size() == 0) {
            throw new IOException(downloads + ": no YT_<id>.wav file under it; nothing packed (the downloads folder"
                    + " holds <name>_downloads_<job>/YT_<id>.wav)"); // it exists: not a "no such file"
        }
        LOG.info("pack: {} WAV files under {} ({} duplicates)", index.size(), downloads, index.duplicates().size());
        ProgressTracker progress = ProgressTracker.start(Stage.PACK, index.size() + index.duplicates().size(),
                listener);
        Map<String, Long> skipped = new TreeMap<>();
        for (Path dup : index.duplicates()) {
            skip(progress, skipped, PackSummary.DUPLICATE, dup, "the same id was found in another folder");
        }
        BitSet used = new BitSet(index.size());
        SegmentCsvOptions options = SegmentCsvOptions.builder().labelIndex(labels).build();
        int workers = workersFor(threads, Runtime.getRuntime().maxMemory());
        if (workers < threads) {
            LOG.warn("pack: {} threads requested, but a {} MB heap holds the work arrays of {}; using {}", threads,
                    Runtime.getRuntime().maxMemory() >> 20, workers, workers);
        }
        ExecutorService pool = DaemonPool.fixed("audioset-pack", workers);
        ReadAhead readAhead = new ReadAhead(READERS, Runtime.getRuntime().maxMemory());
        int window = Math.max(8, 4 * workers); // absorbs slow reads and writes; 640 kB per prepared clip
        Deque<Future<Outcome>> inFlight = new ArrayDeque<>(window);
        // The output arrays, recycled once the sink has written them (640 kB each at 16 kHz, and 320 kB of int16
        // for a sink that wants them: allocated per clip, they made G1 collect hundreds of times a second in a
        // small heap); at most window + workers of each.
        Spare spare = new Spare(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                sink.int16Level().orElse(null));
        long[] written = {0};
        // the strong file and the segments are read in turn (the same file, for a strong CSV): a skipped line is
        // reported once
        SegmentSelection rows = selection == null ? null
                : selection.withOptions(selection.options().reportingEachLineOnce());
        Function<SegmentRow, Optional<List<StrongEvent>>> events = strongEvents(rows != null ? rows.options()
                : options);
        try (Stream<SegmentRow> csv = rows != null ? rows.stream()
                : StrongCsv.isStrong(segments) ? StrongCsv.segments(segments, labels)
                : SegmentCsv.stream(segments, options)) {
            Iterator<Job> jobs = jobs(csv.iterator(), index, used, StrongCsv.isStrong(segments));
            boolean first = true;
            Deque<Loading> ahead = new ArrayDeque<>(window); // being read, not yet given to a worker
            while (jobs.hasNext() || !ahead.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("pack stage interrupted after " + written[0] + " rows");
                }
                while (ahead.size() < window && jobs.hasNext()) {
                    Job next = jobs.next();
                    if (first) {
                        warnIfUpsampled(next.file());
                        first = false;
                    }
                    ahead.addLast(new Loading(next, readAhead.submit(next.file())));
                }
                if (inFlight.size() == window) {
                    writeNext(spare, inFlight, sink, events, progress, skipped, written);
                }
                Loading job = ahead.removeFirst();
                inFlight.addLast(pool.submit(() -> prepare(job, spare, readAhead)));
            }
            while (!inFlight.isEmpty()) {
                writeNext(spare, inFlight, sink, events, progress, skipped, written);
            }
            for (int i = used.nextClearBit(0); i < index.size(); i = used.nextClearBit(i + 1)) {
                skip(progress, skipped, PackSummary.NOT_IN_CSV, index.path(i), "its id is not in " + segments
                        + (selection != null ? " (among the rows selected)" : ""));
            }
            if (written[0] == 0) {
                throw new IOException("pack: none of the " + index.size() + " WAV files under " + downloads
                        + " could be packed (skipped: " + skipped + "); nothing written");
            }
            List<Path> files = sink.commit();
            Progress done = progress.finish();
            LOG.info("pack: {} rows written, skipped {}, in {}", written[0], skipped.isEmpty() ? "none" : skipped,
                    Progress.format(done.elapsed()));
            return new PackSummary(written[0], index.size() + index.duplicates().size(), skipped, files,
                    done.elapsed());
        } catch (IOException | RuntimeException e) {
            inFlight.forEach(f -> f.cancel(true));
            throw e;
        } finally {
            // no worker of this run reads a clip after it returns
            if (!DaemonPool.stop(pool, DaemonPool.STOP_WAIT)) {
                LOG.warn("pack: workers still preparing clips {} s after the stage stopped; returning without them",
                        DaemonPool.STOP_WAIT.toSeconds());
            }
            readAhead.close();
        }
    }

    private void checkRate(WaveformSink sink) {
        OptionalInt sinkRate = sink.sampleRate();
        if (sinkRate.isPresent() && sinkRate.getAsInt() != preparation.sampleRate()) {
            throw new IllegalArgumentException("the sink records " + sinkRate.getAsInt() + " Hz, but this stage "
                    + "prepares clips at " + preparation.sampleRate() + " Hz: " + sink);
        }
    }

    /**
     * @param requested the threads asked for
     * @param maxHeap the JVM's maximum heap, in bytes
     * @return the workers that fit in half the heap at {@link #HEAP_PER_WORKER} each, at least 1
     */
    static int workersFor(int requested, long maxHeap) {
        return (int) Math.max(1, Math.min(requested, maxHeap / 2 / HEAP_PER_WORKER));
    }

    /**
     * @param options the segments' options: their error policy applies to the strong file's lines too
     * @return each row's strong events from {@link Builder#strong}'s file (times from the clip start; possibly
     *     none for a segment it annotates), or empty when it does not annotate the row or there is no file
     */
    private Function<SegmentRow, Optional<List<StrongEvent>>> strongEvents(SegmentCsvOptions options)
            throws IOException {
        if (strong == null) {
            return r -> Optional.empty();
        }
        StrongIndex index;
        try (Stream<StrongRow> rows = StrongCsv.stream(strong, options)) { // a bad line as the segments' policy says
            index = StrongIndex.build(rows, strong.toString(), strongVocabulary);
        }
        LOG.info("pack: {} strong events on {} segments from {}", index.events(), index.segments(), strong);
        if (!index.outsideVocabulary().isEmpty()) {
            LOG.warn("pack: events of {} MIDs outside the {}-MID strong vocabulary are not in /strong: {}",
                    index.outsideVocabulary().size(), strongVocabulary.size(), index.outsideVocabulary());
        }
        return r -> index.events(r.segment().ytid(), r.segment().startMs());
    }

    /**
     * @param strongCsv whether the rows are a temporally-strong file's segments: one that resumes after another
     *     segment's lines is then an error, as {@link #strong} makes it (a segment's lines must be together), not a
     *     row dropped with its labels
     */
    private Iterator<Job> jobs(Iterator<SegmentRow> rows, WavIndex index, BitSet used, boolean strongCsv) {
        long[] startOf = strongCsv ? new long[index.size()] : null; // each packed clip's segment start, in ms
        Iterator<Job> inOrder = new Iterator<>() {
            private Job next;

            @Override
            public boolean hasNext() {
                while (next == null && rows.hasNext()) {
                    SegmentRow row = rows.next();
                    int i = index.find(row.segment().ytid());
                    if (i >= 0 && !used.get(i)) {
                        used.set(i);
                        if (startOf != null) {
                            startOf[i] = row.segment().startMs();
                        }
                        next = new Job(row, index.path(i));
                    } else if (i >= 0 && startOf != null && startOf[i] == row.segment().startMs()) {
                        throw new SegmentFormatException(segments.toString(), row.line(), "this segment's lines"
                                + " are not together: it was listed before and resumes here",
                                row.segment().ytid() + "_" + row.segment().startMs());
                    }
                }
                return next != null;
            }

            @Override
            public Job next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Job j = next;
                next = null;
                return j;
            }
        };
        if (shuffleSeed == null) {
            return inOrder;
        }
        List<Job> all = new ArrayList<>();
        inOrder.forEachRemaining(all::add);
        Collections.shuffle(all, new Random(shuffleSeed));
        return all.iterator();
    }

    private Outcome prepare(Loading loading, Spare spare, ReadAhead readAhead) {
        Job job = loading.job();
        float[] into = spare.floats().poll();
        if (into == null) {
            into = new float[preparation.clipSamples()];
        }
        ByteBuffer contents = null;
        PreparedAudio audio = null;
        try {
            contents = loading.contents().get();
            audio = contents != null ? preparation.prepare(job.file(), contents, into)
                    : preparation.prepare(job.file(), into);
            if (spare.level() != null) {
                short[] values = spare.int16().poll();
                if (values == null) {
                    values = new short[preparation.clipSamples()];
                }
                spare.level().convert(audio, values);
                audio = audio.withInt16(spare.level(), values);
            }
            return new Outcome(job, audio, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(job, null, "interrupted");
        } catch (ExecutionException | IOException | RuntimeException e) {
            Throwable t = e instanceof ExecutionException ? e.getCause() : e;
            return new Outcome(job, null, t.getMessage() == null ? t.toString() : t.getMessage());
        } finally {
            if (audio == null) {
                spare.floats().offer(into); // no clip holds it
            }
            readAhead.recycle(contents);
        }
    }

    private static void writeNext(Spare spare, Deque<Future<Outcome>> inFlight, WaveformSink sink,
            Function<SegmentRow, Optional<List<StrongEvent>>> events, ProgressTracker progress,
            Map<String, Long> skipped,
            long[] written) throws IOException {
        Outcome o;
        try {
            o = inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("pack stage interrupted");
        } catch (ExecutionException e) {
            throw new AudioSetException("preparing a clip failed: " + e.getCause(), e.getCause());
        }
        if (o.error() != null) {
            skip(progress, skipped, PackSummary.UNREADABLE, o.job().file(), o.error());
            return;
        }
        sink.write(o.job().row(), o.audio(), events.apply(o.job().row()));
        spare.floats().offer(o.audio().samples()); // the sink keeps no reference (WaveformSink's contract)
        o.audio().int16().ifPresent(spare.int16()::offer); // attached only at the sink's level
        written[0]++;
        progress.succeeded();
    }

    private static void skip(ProgressTracker progress, Map<String, Long> skipped, String reason, Path file,
            String detail) {
        skipped.merge(reason, 1L, Long::sum);
        if (PackSummary.NOT_IN_CSV.equals(reason)) {
            LOG.debug("pack: skipped {}: {}: {}", file, reason, detail); // routine when packing a subset
        } else {
            LOG.warn("pack: skipped {}: {}: {}", file, reason, detail);
        }
        progress.failed(file.toString(), reason + ": " + detail);
    }

    /** Builder for {@link PackStage}; not thread-safe. */
    public static final class Builder {
        private Path downloads;
        private Path segments;
        private SegmentSelection selection;
        private LabelIndex labels = LabelIndex.audioSet();
        private Long shuffleSeed;
        private SeedPreparation preparation = SeedPreparation.DEFAULT;
        private int threads = Runtime.getRuntime().availableProcessors();
        private PipelineListener listener = PipelineListener.NONE;
        private Path strong;
        private StrongVocabulary strongVocabulary = StrongVocabulary.audioSet();

        private Builder() {
        }

        /**
         * @param file a temporally-strong label file ({@code audioset_eval_strong.tsv} and the like): each row
         *     whose segment (id and start) it annotates is written with its events; the file is held as a
         *     {@link StrongIndex} (about 10 bytes an event); a bad line fails the pack or is skipped and reported,
         *     as the segments' {@link SegmentCsvOptions#errorPolicy()} says
         * @return this
         */
        public Builder strong(Path file) {
            this.strong = requireNonNull(file, "strong");
            return this;
        }

        /**
         * @param vocabulary the MIDs kept from the strong file (default {@link StrongVocabulary#audioSet()})
         * @return this
         */
        public Builder strongVocabulary(StrongVocabulary vocabulary) {
            this.strongVocabulary = requireNonNull(vocabulary, "strongVocabulary");
            return this;
        }

        /**
         * @param folder the downloads folder (e.g. {@code eval_downloads}); every {@code YT_<id>.wav} under
         *     it, at any depth, is a clip
         * @return this
         */
        public Builder downloads(Path folder) {
            this.downloads = requireNonNull(folder, "downloads");
            return this;
        }

        /**
         * @param csv the segments CSV the clips were downloaded from
         * @return this
         */
        public Builder segments(Path csv) {
            this.segments = requireNonNull(csv, "segments");
            this.selection = null;
            return this;
        }

        /**
         * @param rows the segments to pack, of the CSV the clips were downloaded from: its label filter, limit,
         *     shard and error policy apply (instead of {@link #segments}: every row of the file)
         * @return this
         */
        public Builder selection(SegmentSelection rows) {
            this.selection = requireNonNull(rows, "selection");
            this.segments = rows.csv();
            return this;
        }

        /**
         * @param index the label index for the multi-hot rows (default {@link LabelIndex#audioSet()})
         * @return this
         */
        public Builder labels(LabelIndex index) {
            this.labels = requireNonNull(index, "labels");
            return this;
        }

        /**
         * @param seed shuffle the rows with this seed (the seed's files were shuffled at random); holds
         *     the matched segments in memory (about 200 bytes per clip)
         * @return this
         */
        public Builder shuffleSeed(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /**
         * @param p the clip preparation (default {@link SeedPreparation#DEFAULT}: 16 kHz, 10 s)
         * @return this
         */
        public Builder preparation(SeedPreparation p) {
            this.preparation = requireNonNull(p, "preparation");
            return this;
        }

        /**
         * @param count worker threads reading and resampling, {@code >= 1} (default: the processors)
         * @return this
         */
        public Builder threads(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threads " + count + " < 1");
            }
            this.threads = count;
            return this;
        }

        /**
         * @param l sees progress and every skipped file
         * @return this
         */
        public Builder listener(PipelineListener l) {
            this.listener = requireNonNull(l, "listener");
            return this;
        }

        /**
         * @return the stage
         * @throws IllegalStateException if the downloads folder or the segments CSV is not set
         */
        public PackStage build() {
            if (downloads == null) {
                throw new IllegalStateException("downloads folder not set");
            }
            if (segments == null) {
                throw new IllegalStateException("segments CSV not set");
            }
            return new PackStage(this);
        }
    }
}
