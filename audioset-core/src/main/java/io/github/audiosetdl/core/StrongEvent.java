package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

/**
 * One temporally-strong label event of a clip (Hershey et al., ICASSP 2021): a sound of class
 * {@code mid} heard from {@code startSeconds} to {@code endSeconds}, both measured from the start of
 * the clip's 10-s segment (not from the start of the video).
 *
 * @param mid the class's machine id (e.g. {@code /m/09x0r}); not blank
 * @param startSeconds the event's onset in seconds from the segment start, finite and {@code >= 0}
 * @param endSeconds the event's offset in seconds from the segment start, finite and
 *     {@code >= startSeconds}
 */
public record StrongEvent(String mid, double startSeconds, double endSeconds) {
    /**
     * Validates.
     *
     * @param mid the class's machine id; not null or blank
     * @param startSeconds the onset, in seconds from the segment start, finite and {@code >= 0}
     * @param endSeconds the offset, in seconds from the segment start, finite and {@code >= startSeconds}
     * @throws IllegalArgumentException naming the MID and its times
     */
    public StrongEvent {
        requireNonNull(mid, "mid");
        if (mid.isBlank()) {
            throw new IllegalArgumentException("blank MID");
        }
        if (!Double.isFinite(startSeconds) || !Double.isFinite(endSeconds) || startSeconds < 0
                || endSeconds < startSeconds) {
            throw new IllegalArgumentException("event " + mid + " [" + startSeconds + ", " + endSeconds
                    + "] s: times must be finite, >= 0 and end >= start");
        }
    }
}
