package io.github.audiosetdl.core.download;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a clip could not be downloaded, in words a reader of an availability report understands. The
 * retry policy uses {@link FailureClass}; this is for people. Written to the logs' {@code reason}
 * column as {@link #label()}.
 */
public enum FailureReason {
    /** YouTube says "Video unavailable" and gives no more detail. */
    UNAVAILABLE,
    /** A private video. */
    PRIVATE,
    /** Removed by the uploader or for breaking YouTube's rules. */
    REMOVED,
    /** The uploader's account was terminated. */
    ACCOUNT_TERMINATED,
    /** Taken down after a copyright claim. */
    COPYRIGHT,
    /** Needs a signed-in adult account. */
    AGE_RESTRICTED,
    /** Not available in the downloader's country. */
    REGION_BLOCKED,
    /** Only for the channel's paying members. */
    MEMBERS_ONLY,
    /** YouTube asked to "confirm you're not a bot" (or a captcha): an IP-level block, retryable later. */
    BOT_CHECK,
    /** HTTP 429 or another explicit request to slow down. */
    RATE_LIMITED,
    /** HTTP 404/410, or an id that cannot exist. */
    NOT_FOUND,
    /** HTTP 401/403, or a media URL refused before fetching. */
    FORBIDDEN,
    /** Timeouts, resets, refused connections, 5xx, a short transfer: worth retrying. */
    NETWORK,
    /** The fetched data is not usable audio (no stream, undecodable, starts past the end, too large). */
    BAD_MEDIA,
    /** Nothing above matched; the log's message says what happened. */
    OTHER;

    /** @return the lower-case name written to the logs and reports, e.g. {@code region_blocked} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label a {@link #label()} as written to a log
     * @return the reason, empty for anything else (including blank)
     */
    public static Optional<FailureReason> ofLabel(String label) {
        for (FailureReason r : values()) {
            if (r.label().equals(label)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
