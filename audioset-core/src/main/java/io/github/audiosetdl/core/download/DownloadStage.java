package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.internal.DaemonPool;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.ProgressTracker;
import io.github.audiosetdl.core.progress.Stage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The download stage: for each selected segment, fetch only its section and write
 * {@code <out>/<name>_downloads/<name>_downloads_<job>/YT_<id>.wav}, logging every outcome to
 * {@code <out>/logs/<name>_goodlogs/goodLog_<job>.csv} or {@code <out>/logs/<name>_errorlogs/errorLog_<job>.csv}.
 *
 * <p>A run is resumable: clips already in any job folder are skipped, stale temporary files (older
 * than the tool timeout plus a minute) are removed at start, except by a dry run, and each clip
 * appears under its final name only when complete. Workers share one rate limiter (a
 * requests-per-minute budget, and a global pause after a rate limit). At most {@code 2 * threads}
 * segments are in flight, so memory does not grow with the CSV. A YTID repeated in the input is
 * fetched once, for its first row; each later row is a permanent failure, "duplicate id in the CSV
 * (row R)" with R the first row ({@link SegmentRow#row()}). Runs (job-array tasks) sharing one downloads folder
 * never fetch the same id twice: each claims an id in {@code <name>_downloads/.claims} before fetching it
 * (a {@code ClaimFolder}), and an id another live run has claimed is a transient failure, "claimed by another
 * task".
 *
 * <pre>{@code
 * DownloadConfig config = DownloadConfig.builder(out, DownloadConfig.nameOf(csv)).threads(8).build();
 * DownloadSummary summary = DownloadStage.builder().config(config).listener(PipelineListener.logging()).build()
 *         .run(SegmentSelection.builder(csv).shard(Shard.of(0, 4)).build());
 * if (!summary.complete()) {
 *     // transient failures are left: run again later, it resumes
 * }
 * }</pre>
 *
 * <p>One instance may run several times, one run at a time.
 */
public final class DownloadStage {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadStage.class);
    /** How much older than the tool timeout a temporary file must be to count as a killed run's. */
    private static final Duration STALE_MARGIN = Duration.ofMinutes(1);
    /** How long a stopped run waits for its workers (killing an ffmpeg may take up to 5 s). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    /** How long a shutdown waits for the workers to clean up after their tools are killed. */
    private static final Duration HOOK_WAIT = Duration.ofSeconds(5);

    private final DownloadConfig config;
    private final PipelineListener listener;

    private DownloadStage(Builder b) {
        this.config = b.config;
        this.listener = b.listener;
    }

    /** @return a builder; {@link Builder#config} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration */
    public DownloadConfig config() {
        return config;
    }

    /** @return {@code <out>/<name>_downloads}: the folder to hand to the pack stage */
    public Path downloadsDir() {
        return config.downloadsDir();
    }

    /**
     * @param shard a job
     * @return the folder its clips go to: {@code <name>_downloads_<job>} with per-job folders, else
     *     {@code <name>_downloads_0}
     */
    public Path jobDir(Shard shard) {
        requireNonNull(shard, "shard");
        return downloadsDir().resolve(config.name() + "_downloads_" + (config.perJobFolders() ? shard.index() : 0));
    }

    /**
     * @param shard a job
     * @return its good log
     */
    public Path goodLog(Shard shard) {
        return config.logsDir().resolve(config.name() + "_goodlogs").resolve("goodLog_" + shard.index() + ".csv");
    }

    /**
     * @param shard a job
     * @return its error log
     */
    public Path errorLog(Shard shard) {
        return config.logsDir().resolve(config.name() + "_errorlogs").resolve("errorLog_" + shard.index() + ".csv");
    }

    /**
     * Downloads a selection (its shard names the job).
     *
     * @param selection the segments
     * @return the summary
     * @throws IOException if the CSV or an output folder cannot be read or written
     * @throws io.github.audiosetdl.core.AudioSetException if a required tool is missing
     */
    public DownloadSummary run(SegmentSelection selection) throws IOException {
        requireNonNull(selection, "selection");
        long total = selection.count();
        try (Stream<SegmentRow> rows = selection.stream()) {
            return run(rows, selection.shard(), total);
        }
    }

    /**
     * Downloads the given rows as job {@code shard} (the rows are already this job's).
     *
     * @param rows the segments, consumed lazily
     * @param shard the job (names the folder and logs)
     * @param total the number of rows, for progress; {@code -1} if unknown
     * @return the summary
     * @throws IOException if an output folder cannot be written
     * @throws InterruptedIOException if the thread is interrupted (checked before each row; the flag is kept), or
     *     the JVM is shutting down (SIGTERM, Ctrl-C: a shutdown hook stops the workers and their tools)
     * @throws io.github.audiosetdl.core.AudioSetException if a required tool is missing
     */
    public DownloadSummary run(Stream<SegmentRow> rows, Shard shard, long total) throws IOException {
        requireNonNull(rows, "rows");
        requireNonNull(shard, "shard");
        long startNanos = System.nanoTime();
        Path jobDir = jobDir(shard);
        // the tools and the request budget first: a run refused for them leaves no empty folder behind
        ClipDownloader downloader = config.dryRun() ? null : downloader();
        if (!config.dryRun()) { // a dry run writes nothing: no folder, no log
            OutputFolder.createDirectories(jobDir); // a folder that takes none named, with the reason
            removeStaleTemporaries(jobDir);
            removeStaleToolFiles(Path.of(System.getProperty("java.io.tmpdir")));
        }
        List<Path> folders = jobFolders(jobDir);
        ClaimFolder claims = config.dryRun() ? null : ClaimFolder.in(downloadsDir(), ClaimFolder.foreignBound(config));
        if (claims != null) {
            claims.sweep();
        }
        LOG.info("download {}: {} into {} ({} job folder(s) checked for existing clips)", shard, config, jobDir,
                folders.size());
        Function<String, Optional<FailureReason>> gone = config.retryPermanent() ? id -> Optional.empty()
                : AvailabilityReport.permanentFailures(config.logsDir(), config.name());

        Counts counts = new Counts();
        ProgressTracker tracker = ProgressTracker.start(Stage.DOWNLOAD, total, listener);
        ExecutorService pool = config.dryRun() ? null : Executors.newFixedThreadPool(config.threads(), daemon());
        Semaphore inFlight = new Semaphore(2 * config.threads());
        AtomicReference<Throwable> fault = new AtomicReference<>();
        AtomicBoolean stoppedByHook = new AtomicBoolean();
        Thread hook;
        try {
            hook = pool == null ? null : shutdownHook(pool, stoppedByHook);
        } catch (IllegalStateException e) { // the JVM is shutting down already (a Ctrl-C while starting up)
            pool.shutdownNow();
            throw stopping();
        }
        try { // a log that cannot be opened (a link, an unwritable folder) leaves no pool or hook behind either
            try (DownloadLog good = config.dryRun() ? null : new DownloadLog(goodLog(shard));
                    DownloadLog errors = config.dryRun() ? null : new DownloadLog(errorLog(shard));
                    Stream<SegmentRow> closing = rows) {
                try {
                    Recorder recorder = new Recorder(counts, tracker, good, errors, !config.dryRun());
                    SeenIds seen = new SeenIds();
                    for (var it = closing.iterator(); it.hasNext() && fault.get() == null;) {
                        if (Thread.currentThread().isInterrupted()) { // a row needing no worker never waits for one
                            throw new InterruptedIOException("download interrupted");
                        }
                        SegmentRow row = it.next();
                        counts.select(row.segment());
                        long first = seen.firstRow(row.segment().ytid(), row.row());
                        if (first >= 0) {
                            recorder.record(new ClipResult(row, ClipStatus.FAILED, FailureClass.PERMANENT, 0,
                                    "duplicate id in the CSV (row " + first + ")", 0));
                            continue;
                        }
                        Optional<Path> existing = existing(folders, row.segment());
                        if (existing.isPresent()) {
                            recorder.record(skipped(row, existing.get()));
                            continue;
                        }
                        Optional<FailureReason> before = gone.apply(row.segment().ytid());
                        if (before.isPresent()) { // counted, not requested, not logged again (its row is there)
                            recorder.count(new ClipResult(row, ClipStatus.FAILED, FailureClass.PERMANENT, 0,
                                    "failed permanently in an earlier run (" + before.get().label() + "; "
                                            + "DownloadConfig.Builder.retryPermanent(true), the command line's"
                                            + " --retry-permanent, requests it again)", 0));
                            continue;
                        }
                        if (pool == null) {
                            recorder.record(new ClipResult(row, ClipStatus.PENDING, null, 0, "dry run", 0));
                            continue;
                        }
                        inFlight.acquire();
                        try {
                            pool.execute(() -> {
                                try {
                                    if (fault.get() != null) {
                                        return; // the run is stopping (disk full, a folder that cannot be written)
                                    }
                                    recorder.record(claimAndDownload(claims, downloader, row, jobDir));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                } catch (RuntimeException | Error e) {
                                    fault.compareAndSet(null, e);
                                } finally {
                                    inFlight.release();
                                }
                            });
                        } catch (RejectedExecutionException e) { // the shutdown hook has stopped the workers
                            inFlight.release();
                            throw stopping();
                        }
                    }
                    if (pool != null) {
                        pool.shutdown();
                        while (fault.get() == null && !pool.awaitTermination(1, TimeUnit.SECONDS)) {
                            LOG.debug("waiting for {} clips in flight",
                                    2 * config.threads() - inFlight.availablePermits());
                        }
                    }
                } finally {
                    // before the logs close: a clip finishing now is still logged, and no tool outlives run()
                    stop(pool);
                    removeHook(hook);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download interrupted");
            }
        } finally {
            if (pool != null && !pool.isShutdown()) { // the inner block stopped it already, waiting at most once
                stop(pool);
            }
            removeHook(hook);
        }
        if (stoppedByHook.get()) { // its clips in flight were stopped: not a finished run
            throw stopping();
        }
        Throwable t = fault.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        }
        tracker.finish();
        DownloadSummary summary = counts.summary(downloadsDir(), jobDir, Duration.ofNanos(System.nanoTime()
                - startNanos));
        LOG.info("download {} finished: {}", shard, summary);
        return summary;
    }

    /** @return what a run stopped by the JVM's shutdown (SIGTERM, Ctrl-C) throws */
    private static InterruptedIOException stopping() {
        return new InterruptedIOException("download stopped: the JVM is shutting down (SIGTERM or Ctrl-C); run again"
                + " to resume");
    }

    /**
     * Cancels the clips not started and interrupts the running ones (a worker kills its yt-dlp or
     * ffmpeg when interrupted), then waits for the workers, at most {@link #STOP_WAIT}. The caller's
     * interrupt flag is kept.
     */
    private static void stop(ExecutorService pool) {
        if (pool != null && !DaemonPool.stop(pool, STOP_WAIT)) {
            LOG.warn("download workers still running {} s after being stopped", STOP_WAIT.toSeconds());
        }
    }

    /**
     * A hook that, when the JVM shuts down during a run (SIGTERM, Ctrl-C), kills the tools the workers run
     * and waits (at most {@link #HOOK_WAIT}) for the workers, so that they delete their temporary files.
     * It sets {@code stopped} if the workers had not ended.
     */
    private static Thread shutdownHook(ExecutorService pool, AtomicBoolean stopped) {
        Thread hook = new Thread(() -> {
            if (!pool.isTerminated()) {
                stopped.set(true);
            }
            // interrupt the workers before their tools die: a worker that sees its ffmpeg killed then knows it was
            // stopped, and logs nothing (killed first, one on its last attempt could log a transient failure)
            pool.shutdownNow();
            Children.killAll();
            try {
                if (!pool.awaitTermination(HOOK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("download workers still running at shutdown");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "audioset-download-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs
        }
    }

    private ClipDownloader downloader() throws IOException {
        Path ffmpeg = ToolLocator.find("ffmpeg", config.ffmpeg());
        LOG.info("ffmpeg {}: {}", ffmpeg, Tools.version(ffmpeg, "-version"));
        MediaResolver resolver;
        if (config.resolver() == ResolverKind.YT_DLP) {
            Path ytDlp = Tools.find("yt-dlp", config.ytDlp(), null);
            String version = Tools.version(ytDlp, "--version");
            LOG.info("yt-dlp {}: {}", ytDlp, version);
            YtDlpResolver.checkVersion(version, config.cookies().isPresent());
            resolver = new YtDlpResolver(ytDlp, config);
        } else {
            resolver = new DirectResolver(config);
        }
        return new ClipDownloader(config, resolver, config.resolver() == ResolverKind.YT_DLP,
                new FfmpegSection(ffmpeg, config), RateLimiter.of(config));
    }

    /**
     * Removes temporary files ({@code .*.tmp}) a killed run left: those whose owner ({@link ProcessTag} in the
     * name) is a process of this host that has ended, and those of another host (or without an owner) untouched
     * for longer than the tool timeout plus a minute. A file of a live process of this host is never removed,
     * however old. A live run's files on another host are younger than that (the decode file is created just
     * before ffmpeg starts writing it, and ffmpeg writes it until it exits or is killed at the timeout; the WAV
     * is renamed as soon as it is written), so a run never deletes another live run's files, whatever the host,
     * folder, shard or job count (no lock file: file locks are unreliable on the network file systems clusters
     * share).
     */
    private void removeStaleTemporaries(Path jobDir) throws IOException {
        FileTime cutoff = FileTime.fromMillis(System.currentTimeMillis() - config.toolTimeout().toMillis()
                - STALE_MARGIN.toMillis());
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jobDir, ".*" + ClipDownloader.TEMP_SUFFIX)) {
            for (Path f : files) {
                Optional<ProcessTag> owner = ProcessTag.find(f.getFileName().toString());
                boolean ownerGone = owner.map(ProcessTag::isGone).orElse(false);
                boolean ownerLocal = owner.map(ProcessTag::isLocal).orElse(false);
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && (ownerGone
                        || !ownerLocal && Files.getLastModifiedTime(f).compareTo(cutoff) < 0)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} stale temporary file(s) from {}", removed, jobDir);
        }
    }

    /**
     * @param prefix {@link YtDlpResolver#TEMP_PREFIX} or {@link FfmpegSection#LOG_PREFIX}
     * @return the start of a temporary file's name in {@code java.io.tmpdir}: the prefix, this process's
     *     {@link ProcessTag} and a dot
     */
    static String tempPrefix(String prefix) {
        return prefix + ProcessTag.current() + ".";
    }

    /**
     * Removes the files in {@code tmpDir} that yt-dlp and ffmpeg runs of a killed download left: the private
     * copies of the cookies file (a session's cookies), yt-dlp's output (signed media URLs) and ffmpeg's logs.
     * A worker deletes its own when the clip ends; a process killed with SIGKILL cannot. Only files whose owner
     * ({@link ProcessTag} in the name) is a process of this host that has ended are removed, never a live run's;
     * a file that cannot be removed (another user's) is left alone.
     *
     * @param tmpDir the folder the temporary files are made in ({@code java.io.tmpdir})
     */
    static void removeStaleToolFiles(Path tmpDir) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(YtDlpResolver.TEMP_PREFIX) || n.startsWith(FfmpegSection.LOG_PREFIX);
        })) {
            for (Path f : files) {
                if (ProcessTag.find(f.getFileName().toString()).map(ProcessTag::isGone).orElse(false)
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (IOException e) {
                        LOG.debug("{}: cannot remove a killed run's temporary file ({})", f, e.toString());
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("{}: cannot list it for a killed run's temporary files ({})", tmpDir, e.toString());
        }
        if (removed > 0) {
            LOG.info("removed {} temporary file(s) of killed runs' yt-dlp and ffmpeg from {}", removed, tmpDir);
        }
    }

    /** Every {@code <name>_downloads_*} folder, this job's first. */
    private List<Path> jobFolders(Path jobDir) throws IOException {
        List<Path> folders = new ArrayList<>();
        folders.add(jobDir);
        if (!Files.isDirectory(downloadsDir())) {
            return folders; // a dry run before any download
        }
        for (Path d : jobFoldersIn(downloadsDir(), config.name())) {
            if (!d.equals(jobDir)) {
                folders.add(d);
            }
        }
        return folders;
    }

    /**
     * The job folders of data set {@code name}: the {@code <name>_downloads_*} folders of {@code downloadsDir},
     * matched by prefix, not by a glob (a name may hold {@code [}, <code>{</code> or {@code *}).
     *
     * @param downloadsDir a downloads folder ({@code <out>/<name>_downloads})
     * @param name the data set's name
     * @return its job folders, in the listing's order
     * @throws IOException if it cannot be listed
     */
    static List<Path> jobFoldersIn(Path downloadsDir, String name) throws IOException {
        List<Path> folders = new ArrayList<>();
        String prefix = name + "_downloads_";
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(downloadsDir,
                d -> d.getFileName().toString().startsWith(prefix))) {
            for (Path d : dirs) {
                if (Files.isDirectory(d)) {
                    folders.add(d);
                }
            }
        }
        return folders;
    }

    /**
     * Claims the id, checks again that no task has written its clip (listing the job folders anew: a task started
     * since has its own), downloads it and releases the claim. A live task's claim is a transient failure, so that
     * a later run fetches the clip if that task did not.
     */
    private ClipResult claimAndDownload(ClaimFolder claims, ClipDownloader downloader, SegmentRow row, Path jobDir)
            throws InterruptedException {
        String ytid = row.segment().ytid();
        Optional<String> holder;
        try {
            holder = claims.claim(ytid);
        } catch (IOException e) {
            throw new AudioSetException("cannot claim " + ytid + " in " + claims.dir() + ": " + e.getMessage(), e);
        }
        if (holder.isPresent()) {
            return new ClipResult(row, ClipStatus.FAILED, FailureClass.TRANSIENT, 0, "claimed by another task ("
                    + holder.get() + "): skipped so that it is fetched once; a later run fetches it if that task"
                    + " did not", 0);
        }
        try {
            Optional<Path> existing = existing(jobFolders(jobDir), row.segment());
            return existing.isPresent() ? skipped(row, existing.get()) : downloader.download(row, jobDir);
        } catch (IOException e) {
            throw new AudioSetException("cannot list " + downloadsDir() + ": " + e.getMessage(), e);
        } finally {
            claims.release(ytid);
        }
    }

    private static ClipResult skipped(SegmentRow row, Path clip) {
        return new ClipResult(row, ClipStatus.SKIPPED_EXISTING, null, 0, "already in " + clip.getParent().getFileName(),
                0);
    }

    private static Optional<Path> existing(List<Path> folders, Segment segment) {
        for (Path folder : folders) {
            Path clip = folder.resolve(segment.wavFileName());
            if (Files.isRegularFile(clip)) {
                return Optional.of(clip);
            }
        }
        return Optional.empty();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "audioset-download-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Records each outcome: counts, logs (unless {@code log} is false: a dry run), progress. */
    private record Recorder(Counts counts, ProgressTracker tracker, DownloadLog good, DownloadLog errors,
            boolean log) {
        void record(ClipResult r) {
            counts.add(r);
            if (log && (r.status() == ClipStatus.DOWNLOADED || r.status() == ClipStatus.SHORT)) {
                good.write(r);
            } else if (log && r.status() == ClipStatus.FAILED) {
                errors.write(r);
            }
            progress(r);
        }

        /** Counts an outcome and reports progress, without a log row. */
        void count(ClipResult r) {
            counts.add(r);
            progress(r);
        }

        private void progress(ClipResult r) {
            if (r.status() == ClipStatus.FAILED) {
                tracker.failed(r.row().segment().ytid(), r.failureClass().label() + ": " + r.message());
            } else {
                tracker.succeeded();
            }
        }
    }

    /** Thread-safe counters. */
    private static final class Counts {
        private final LongAdder selected = new LongAdder();
        private final Map<ClipStatus, LongAdder> byStatus = new EnumMap<>(ClipStatus.class);
        private final Map<FailureClass, LongAdder> byClass = new EnumMap<>(FailureClass.class);
        private final Map<String, LongAdder[]> labels = new ConcurrentHashMap<>();

        Counts() {
            for (ClipStatus s : ClipStatus.values()) {
                byStatus.put(s, new LongAdder());
            }
            for (FailureClass c : FailureClass.values()) {
                byClass.put(c, new LongAdder());
            }
        }

        void select(Segment s) {
            selected.increment();
            for (String mid : new LinkedHashSet<>(s.labelIds())) { // a MID the row names twice: counted once
                labels.computeIfAbsent(mid, k -> new LongAdder[] {new LongAdder(), new LongAdder()})[0].increment();
            }
        }

        void add(ClipResult r) {
            byStatus.get(r.status()).increment();
            r.failure().ifPresent(c -> byClass.get(c).increment());
            if (r.available()) {
                for (String mid : new LinkedHashSet<>(r.row().segment().labelIds())) {
                    labels.get(mid)[1].increment();
                }
            }
        }

        DownloadSummary summary(Path downloadsDir, Path jobDir, Duration elapsed) {
            Map<FailureClass, Long> failed = new EnumMap<>(FailureClass.class);
            byClass.forEach((c, n) -> failed.put(c, n.sum()));
            Map<String, LabelAvailability> perLabel = new HashMap<>();
            labels.forEach((mid, n) -> perLabel.put(mid, new LabelAvailability(n[0].sum(), n[1].sum())));
            return new DownloadSummary(downloadsDir, jobDir, selected.sum(), byStatus.get(ClipStatus.DOWNLOADED).sum(),
                    byStatus.get(ClipStatus.SHORT).sum(), byStatus.get(ClipStatus.SKIPPED_EXISTING).sum(),
                    byStatus.get(ClipStatus.PENDING).sum(), failed, perLabel, elapsed);
        }
    }

    /** Builder for {@link DownloadStage}; not thread-safe. */
    public static final class Builder {
        private DownloadConfig config;
        private PipelineListener listener = PipelineListener.NONE;

        private Builder() {
        }

        /**
         * @param downloadConfig what to download, where to, and how (required)
         * @return this
         */
        public Builder config(DownloadConfig downloadConfig) {
            this.config = requireNonNull(downloadConfig, "config");
            return this;
        }

        /**
         * @param l sees progress and per-clip failures ({@link Stage#DOWNLOAD}); default: none
         * @return this
         */
        public Builder listener(PipelineListener l) {
            this.listener = requireNonNull(l, "listener");
            return this;
        }

        /**
         * @return the stage
         * @throws IllegalStateException if the configuration is not set
         */
        public DownloadStage build() {
            if (config == null) {
                throw new IllegalStateException("download configuration not set: config(...)");
            }
            return new DownloadStage(this);
        }
    }
}
