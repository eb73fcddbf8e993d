package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SubmittedJobs#stop()}, what its shutdown hook runs, called directly (the signal itself is tested on the
 * real cluster in {@code SlurmSubmitFailureTest}).
 */
class SubmittedJobsTest {
    private final List<Map<String, String>> cancelled = new ArrayList<>();
    private final StringWriter err = new StringWriter();

    private SubmittedJobs jobs(int steps) {
        return new SubmittedJobs(steps, ids -> {
            cancelled.add(ids);
            return " were cancelled";
        }, new PrintWriter(err, true));
    }

    /** Records the download and pack steps as submitted, as jobs 11 and 12. */
    private static void submitDownloadAndPack(SubmittedJobs jobs) {
        jobs.starting("download");
        jobs.submitted("download", "11");
        jobs.starting("pack");
        jobs.submitted("pack", "12");
    }

    @Test
    void aStopBeforeTheLastStepCancelsWhatWasSubmittedAndAllowsNoMore() {
        try (SubmittedJobs jobs = jobs(3)) {
            submitDownloadAndPack(jobs);
            jobs.stop();
            assertThat(cancelled).containsExactly(Map.of("download", "11", "pack", "12"));
            assertThat(err.toString()).contains("slurm: stopped before every step was submitted; the jobs submitted"
                    + " (download 11, pack 12) were cancelled");
            assertThat(jobs.stopping()).isTrue();
            assertThatThrownBy(() -> jobs.starting("cochleagram")).hasMessageContaining("stopped by a signal");
        }
    }

    @Test
    void aStopAfterTheLastStepWasSubmittedLeavesTheChainQueued() {
        try (SubmittedJobs jobs = jobs(2)) {
            submitDownloadAndPack(jobs);
            jobs.stop(); // the signal came after the last sbatch, before the hook was removed
            assertThat(cancelled).isEmpty();
            assertThat(err.toString()).isEmpty();
        }
    }
}
