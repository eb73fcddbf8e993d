package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.progress.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an {@link AudioSetPipeline} run did: one summary per stage that ran, and every file it wrote.
 *
 * <p>Immutable. {@link AudioSetPipeline#run()} makes one; the public constructor lets code that handles a run's
 * outcome (a {@link io.github.audiosetdl.core.progress.PipelineListener} of one's own that also reports the
 * summary, a notifier, a report) be tested without running a pipeline.
 */
public final class PipelineSummary {
    private final DownloadSummary download;
    private final PackSummary pack;
    private final FeatureSummary features;
    private final Set<Stage> upToDate;
    private final Duration elapsed;

    /**
     * A run's summary, as {@link AudioSetPipeline#run()} makes it when every stage it included ran: each stage's
     * summary, or null for a stage that did not run.
     *
     * @param download the download stage's summary, or null
     * @param pack the pack stage's summary, or null
     * @param features the feature stage's summary, or null
     * @param elapsed the wall-clock time of the whole run, {@code >= 0}
     * @throws NullPointerException if {@code elapsed} is null
     * @throws IllegalArgumentException if {@code elapsed} is negative, or every stage's summary is null (a run runs
     *     at least one stage)
     */
    public PipelineSummary(DownloadSummary download, PackSummary pack, FeatureSummary features, Duration elapsed) {
        this(download, pack, features, Set.of(), elapsed);
    }

    /**
     * A run's summary where some stages kept an output that was up to date.
     *
     * @param download the download stage's summary, or null
     * @param pack the pack stage's summary, or null (it did not run, or kept its output)
     * @param features the feature stage's summary, or null (it did not run, or kept its output)
     * @param upToDate the stages that kept their output ({@link Stage#PACK}, {@link Stage#FEATURES}); a stage
     *     in it has a null summary
     * @param elapsed the wall-clock time of the whole run, {@code >= 0}
     * @throws NullPointerException if {@code upToDate} or {@code elapsed} is null
     * @throws IllegalArgumentException if {@code elapsed} is negative, a stage both ran and kept its output, the
     *     download is said to be up to date, or no stage ran or kept its output
     */
    public PipelineSummary(DownloadSummary download, PackSummary pack, FeatureSummary features,
            Set<Stage> upToDate, Duration elapsed) {
        requireNonNull(upToDate, "upToDate");
        requireNonNull(elapsed, "elapsed");
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed " + elapsed + " is negative");
        }
        if (upToDate.contains(Stage.DOWNLOAD) || pack != null && upToDate.contains(Stage.PACK)
                || features != null && upToDate.contains(Stage.FEATURES)) {
            throw new IllegalArgumentException("stages " + upToDate + " up to date: only the pack and feature stages"
                    + " keep an output, and a stage that kept it has no summary");
        }
        if (download == null && pack == null && features == null && upToDate.isEmpty()) {
            throw new IllegalArgumentException("no stage's summary: a run runs at least one stage");
        }
        this.download = download;
        this.pack = pack;
        this.features = features;
        this.upToDate = Collections.unmodifiableSet(upToDate.isEmpty() ? EnumSet.noneOf(Stage.class)
                : EnumSet.copyOf(upToDate));
        this.elapsed = elapsed;
    }

    /** @return the download stage's summary, if it ran */
    public Optional<DownloadSummary> download() {
        return Optional.ofNullable(download);
    }

    /**
     * @return the stages that found their output complete and up to date, and kept it rather than making it again:
     *     the pack stage when its output was packed from the same WAV files (paths, sizes and modification times),
     *     segments CSV, strong label file, labels and options, and is unchanged since; the feature stage when its
     *     output was computed from the waveform file as it is now, with the same extractor parameters and rows, and
     *     is unchanged since. Their summaries are empty, and {@link #files()} does not list their files
     */
    public Set<Stage> upToDate() {
        return upToDate;
    }

    /** @return the pack stage's summary, if it ran and packed (empty if its output was {@link #upToDate}) */
    public Optional<PackSummary> pack() {
        return Optional.ofNullable(pack);
    }

    /** @return the feature stage's summary, if it ran and computed (empty if its output was {@link #upToDate}) */
    public Optional<FeatureSummary> features() {
        return Optional.ofNullable(features);
    }

    /** @return the wall-clock time of the whole run */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * @return the files the pack and feature stages wrote, in order (the waveform file, its metadata,
     *     the feature file, its average); downloaded clips are not listed
     */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (pack != null) {
            out.addAll(pack.files());
        }
        if (features != null) {
            out.addAll(features.files());
        }
        return List.copyOf(out);
    }

    /**
     * @return whether nothing is left that running the pipeline again could fix: true unless the download stage
     *     ran and left transient failures ({@link DownloadSummary#complete()}); a rerun resumes
     */
    public boolean complete() {
        return download == null || download.complete();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("pipeline in ").append(Progress.format(elapsed));
        if (download != null) {
            sb.append("; download: ").append(download);
        }
        if (pack != null) {
            sb.append("; pack: ").append(pack.rowsWritten()).append(" rows");
        } else if (upToDate.contains(Stage.PACK)) {
            sb.append("; pack: up to date");
        }
        if (features != null) {
            sb.append("; features: ").append(features.rows()).append(" rows");
        } else if (upToDate.contains(Stage.FEATURES)) {
            sb.append("; features: up to date");
        }
        return sb.toString();
    }
}
