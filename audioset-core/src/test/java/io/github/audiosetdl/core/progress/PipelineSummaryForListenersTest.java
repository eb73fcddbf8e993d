package io.github.audiosetdl.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.download.FailureClass;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A user's listener that also reports a run's {@link PipelineSummary} is tested without running a pipeline: the
 * summary is built with its public constructor (before, it had none outside its package).
 */
class PipelineSummaryForListenersTest {
    /** A listener of one's own: it counts failed items and, at the end, says what the run left. */
    private static final class Notifier implements PipelineListener {
        final List<String> said = new ArrayList<>();
        private long failedItems;

        @Override
        public synchronized void itemFailed(Stage stage, String item, String reason) {
            failedItems++;
        }

        @Override
        public synchronized void stageFinished(Progress progress) {
            said.add(progress.stage() + " done: " + progress.done());
        }

        synchronized void runFinished(PipelineSummary summary) {
            said.add((summary.complete() ? "complete" : "rerun to resume") + ", " + failedItems + " failed items, "
                    + summary.files().size() + " files in " + summary.elapsed().toSeconds() + " s");
        }
    }

    private static DownloadSummary download(long transientFailures) {
        return new DownloadSummary(Path.of("out/eval_downloads"), Path.of("out/eval_downloads/eval_downloads_0"),
                10, 9 - transientFailures, 0, 0, 0, Map.of(FailureClass.PERMANENT, 1L, FailureClass.TRANSIENT,
                transientFailures), Map.of(), Duration.ofSeconds(40));
    }

    @Test
    void aListenerIsDrivenWithSummariesBuiltByHand() {
        PackSummary pack = new PackSummary(8, 9, Map.of(PackSummary.UNREADABLE, 1L),
                List.of(Path.of("out/eval.hdf5"), Path.of("out/eval_metadata.npy")), Duration.ofSeconds(5));
        FeatureSummary features = new FeatureSummary(8, List.of(Path.of("out/eval_cochleagram.hdf5")),
                Duration.ofSeconds(12));
        Notifier n = new Notifier();
        n.itemFailed(Stage.DOWNLOAD, "abcdefghijk", "private video");
        n.stageFinished(new Progress(Stage.DOWNLOAD, 10, 1, 10, 40_000_000_000L));
        n.runFinished(new PipelineSummary(download(0), pack, features, Duration.ofSeconds(57)));
        n.runFinished(new PipelineSummary(download(2), null, null, Duration.ofSeconds(40)));
        assertThat(n.said).containsExactly("DOWNLOAD done: 10", "complete, 1 failed items, 3 files in 57 s",
                "rerun to resume, 1 failed items, 0 files in 40 s");
        PipelineSummary onlyFeatures = new PipelineSummary(null, null, features, Duration.ZERO);
        assertThat(onlyFeatures.download()).isEmpty();
        assertThat(onlyFeatures.features()).contains(features);
        assertThat(onlyFeatures.complete()).isTrue();
        assertThat(onlyFeatures.toString()).isEqualTo("pipeline in 0s; features: 8 rows");
    }

    @Test
    void theConstructorRefusesASummaryNoRunCouldMake() {
        FeatureSummary features = new FeatureSummary(1, List.of(), Duration.ZERO);
        assertThatThrownBy(() -> new PipelineSummary(null, null, features, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("elapsed");
        assertThatThrownBy(() -> new PipelineSummary(null, null, features, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new PipelineSummary(null, null, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one stage");
    }
}
