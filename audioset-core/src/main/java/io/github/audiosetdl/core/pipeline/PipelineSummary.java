package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.pack.PackSummary;
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
     * @return {@code 0} when nothing is left to retry, else the download stage's non-zero status
     *     ({@link DownloadSummary#EXIT_RETRY}: transient failures remain, run again to resume)
     */
    public int exitStatus() {
        return download == null ? 0 : download.exitStatus();
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
