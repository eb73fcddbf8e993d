package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a download run did, for one job.
 *
 * @param downloadsDir {@code <out>/<name>_downloads}: the folder to hand to the pack stage
 * @param jobDir the job folder this run wrote to
 * @param selected segments in this job
 * @param downloaded full clips written
 * @param shortClips clips written shorter than their section because the video ends inside it
 * @param skippedExisting clips already on disk in some job folder
 * @param pending clips a dry run would have fetched (0 for a real run)
 * @param failed failed segments by class (every class present, possibly 0)
 * @param perLabel availability per label MID, in MID order
 * @param elapsed the run's wall-clock time
 */
public record DownloadSummary(Path downloadsDir, Path jobDir, long selected, long downloaded, long shortClips,
        long skippedExisting, long pending, Map<FailureClass, Long> failed, Map<String, LabelAvailability> perLabel,
        Duration elapsed) {

    /**
     * Validates and copies.
     *
     * @param downloadsDir the downloads folder; not null
     * @param jobDir the job folder written to; not null
     * @param selected segments in this job
     * @param downloaded full clips written
     * @param shortClips clips shorter than their section
     * @param skippedExisting clips already on disk
     * @param pending clips a dry run would fetch
     * @param failed failed segments by class, copied; a class missing from it counts 0
     * @param perLabel availability per MID, copied sorted
     * @param elapsed the wall-clock time; not null
     */
    public DownloadSummary {
        requireNonNull(downloadsDir, "downloadsDir");
        requireNonNull(jobDir, "jobDir");
        requireNonNull(failed, "failed");
        requireNonNull(perLabel, "perLabel");
        requireNonNull(elapsed, "elapsed");
        EnumMap<FailureClass, Long> f = new EnumMap<>(FailureClass.class);
        for (FailureClass c : FailureClass.values()) {
            f.put(c, failed.getOrDefault(c, 0L));
        }
        failed = java.util.Collections.unmodifiableMap(f);
        perLabel = java.util.Collections.unmodifiableMap(new TreeMap<>(perLabel));
    }

    /** @return failed segments of every class */
    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return failures a later run may still fix (transient and rate-limited) */
    public long transientLeft() {
        return failed.get(FailureClass.TRANSIENT) + failed.get(FailureClass.RATE_LIMITED);
    }

    /** @return clips on disk for this job's segments (downloaded, short, already there) */
    public long available() {
        return downloaded + shortClips + skippedExisting;
    }

    /**
     * @return whether nothing is left that a later run could fix: no transient or rate-limited failure (permanent
     *     failures never succeed, so they do not count). When false, running the same download again resumes and
     *     retries what is left
     */
    public boolean complete() {
        return transientLeft() == 0;
    }

    /** @return a one-line account, e.g. {@code 95 downloaded, 2 short, 0 already there, 3 failed (...)} */
    @Override
    public String toString() {
        return String.format("%d selected: %d downloaded, %d short, %d already there%s, %d failed (%d permanent, "
                + "%d transient, %d rate-limited) in %s", selected, downloaded, shortClips, skippedExisting,
                pending > 0 ? ", " + pending + " pending (dry run)" : "", failedTotal(),
                failed.get(FailureClass.PERMANENT), failed.get(FailureClass.TRANSIENT),
                failed.get(FailureClass.RATE_LIMITED), io.github.audiosetdl.core.progress.Progress.format(elapsed));
    }
}
