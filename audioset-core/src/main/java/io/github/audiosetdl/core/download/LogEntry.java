package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One row of a download log read back: enough to say what became of a segment.
 *
 * @param ytid the YouTube id
 * @param labelIds the segment's label MIDs, in log order
 * @param outcome the outcome as logged ({@link ClipStatus#label()}, e.g. {@code downloaded}, {@code failed})
 * @param failureClass the class of a failure; {@code null} unless the row is a failure
 * @param reason the reason of a failure: the {@code reason} column, or for a log written before it existed,
 *     derived from the message ({@link FailureReason#OTHER} when nothing matches); {@code null} unless a failure
 * @param message the logged message
 * @param timeMillis when the row was written, in milliseconds since the epoch (its {@code time} column), 0 when
 *     it has none that parses
 */
record LogEntry(String ytid, List<String> labelIds, String outcome, FailureClass failureClass, FailureReason reason,
        String message, long timeMillis) {
    LogEntry {
        requireNonNull(ytid, "ytid");
        labelIds = List.copyOf(labelIds);
        requireNonNull(outcome, "outcome");
        requireNonNull(message, "message");
        if ((failureClass == null) != (reason == null)) {
            throw new IllegalArgumentException("a failure has both a class and a reason: " + failureClass + " / "
                    + reason);
        }
    }

    /** @return whether the clip was written (downloaded or short) */
    boolean obtained() {
        return outcome.equals(ClipStatus.DOWNLOADED.label()) || outcome.equals(ClipStatus.SHORT.label());
    }

    /** @return the failure class, present only for failures */
    Optional<FailureClass> failure() {
        return Optional.ofNullable(failureClass);
    }
}
