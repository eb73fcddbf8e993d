package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.SegmentRow;
import java.util.Optional;

/**
 * The outcome of one segment, as written to the good or error log.
 *
 * @param row the segment and its CSV position
 * @param status what happened
 * @param failureClass the class of the last failure; {@code null} unless {@code status} is {@link ClipStatus#FAILED}
 * @param attempts fetch attempts made (0 for skipped and pending clips)
 * @param message a few words on the outcome (for failures, the tool's message)
 * @param frames frames written (0 unless downloaded or short)
 */
public record ClipResult(SegmentRow row, ClipStatus status, FailureClass failureClass, int attempts, String message,
        long frames) {
    /**
     * Validates.
     *
     * @param row the segment and its CSV position; not null
     * @param status what happened; not null
     * @param failureClass the last failure's class when {@code status} is {@link ClipStatus#FAILED}, else null
     * @param attempts fetch attempts, {@code >= 0}
     * @param message a few words on the outcome; not null
     * @param frames frames written, {@code >= 0}
     * @throws IllegalArgumentException if the failure class does not go with the status, or a count is negative
     */
    public ClipResult {
        requireNonNull(row, "row");
        requireNonNull(status, "status");
        requireNonNull(message, "message");
        if ((status == ClipStatus.FAILED) != (failureClass != null)) {
            throw new IllegalArgumentException("a failure class goes with FAILED and only with it, not " + status
                    + " / " + failureClass);
        }
        if (attempts < 0 || frames < 0) {
            throw new IllegalArgumentException("attempts " + attempts + " and frames " + frames + " must be >= 0");
        }
    }

    /** @return the failure class, present only for failures */
    public Optional<FailureClass> failure() {
        return Optional.ofNullable(failureClass);
    }

    /**
     * @return the reason of a failure, read from its message by the same table that gave its class; empty
     *     unless the clip failed
     */
    public Optional<FailureReason> reason() {
        return failureClass == null ? Optional.empty() : Optional.of(FailureClassifier.reason(message));
    }

    /** @return whether the clip is on disk after this run (downloaded, short or already there) */
    public boolean available() {
        return status == ClipStatus.DOWNLOADED || status == ClipStatus.SHORT || status == ClipStatus.SKIPPED_EXISTING;
    }
}
