package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.progress.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an {@link AudioSetPipeline} run did: one summary per stage that ran, and every file it wrote.
 *
 * <p>Immutable.
 */
public final class PipelineSummary {
    private final DownloadSummary download;
    private final PackSummary pack;
    private final FeatureSummary features;
    private final Duration elapsed;

    PipelineSummary(DownloadSummary download, PackSummary pack, FeatureSummary features, Duration elapsed) {
        this.download = download;
        this.pack = pack;
        this.features = features;
        this.elapsed = requireNonNull(elapsed, "elapsed");
    }

    /** @return the download stage's summary, if it ran */
    public Optional<DownloadSummary> download() {
        return Optional.ofNullable(download);
    }

    /** @return the pack stage's summary, if it ran */
    public Optional<PackSummary> pack() {
        return Optional.ofNullable(pack);
    }

    /** @return the feature stage's summary, if it ran */
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
        }
        if (features != null) {
            sb.append("; features: ").append(features.rows()).append(" rows");
        }
        return sb.toString();
    }
}
