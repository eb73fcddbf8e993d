package io.github.audiosetdl.core.download;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Classifies a failure from the messages of yt-dlp (which exits 1 for everything), ffmpeg and this
 * library's own checks: one ordered table of patterns, each giving a {@link FailureReason} for people
 * and a {@link FailureClass} for the retry policy. The first matching pattern wins; a message nothing
 * matches is {@link FailureReason#OTHER} and transient, so no clip is given up on for a message we
 * have not seen.
 *
 * <p>The YouTube phrases follow the wording of yt-dlp's YouTube extractor (the player's
 * {@code playabilityStatus} reasons it passes on, its age-gate and geo-restriction checks and its
 * rate-limit hint); the status phrases cover yt-dlp's "HTTP Error 404: Not Found" and ffmpeg's
 * "Server returned 404 Not Found", "HTTP error 429 ..." and "Server returned 5XX Server Error reply".
 */
final class FailureClassifier {
    /** An explicit HTTP status in yt-dlp's or ffmpeg's wording; {@code %s} is the status pattern. */
    private static final String STATUS = "(?:http error|server returned|status(?: code)?:?)\\s+%s\\b";

    /** One row of the table. */
    record Rule(Pattern pattern, FailureReason reason, FailureClass failureClass) {
    }

    /** The table, in the order it is tried. Case-insensitive; {@code ’} is accepted where yt-dlp has {@code '}. */
    static final List<Rule> RULES = List.of(
            // Rate limits and bot checks first: every worker must pause, whatever else the message says.
            rule("confirm you(?:'|\u2019| a)re not a bot|sign in to confirm (?!your age)|captcha",
                    FailureReason.BOT_CHECK, FailureClass.RATE_LIMITED),
            rule(String.format(STATUS, "429") + "|too many requests|rate[- ]?limit"
                    + "|content isn(?:'|\u2019)t available, try again later",
                    FailureReason.RATE_LIMITED, FailureClass.RATE_LIMITED),
            // Explicit statuses.
            rule(String.format(STATUS, "(?:5[0-9][0-9]|408)") + "|server returned 5xx",
                    FailureReason.NETWORK, FailureClass.TRANSIENT),
            rule(String.format(STATUS, "(?:404|410)"), FailureReason.NOT_FOUND, FailureClass.PERMANENT),
            rule(String.format(STATUS, "(?:401|403)"), FailureReason.FORBIDDEN, FailureClass.PERMANENT),
            rule(String.format(STATUS, "4[0-9][0-9]") + "|server returned 4xx",
                    FailureReason.OTHER, FailureClass.PERMANENT),
            // A certificate this machine does not trust (a company's TLS proxy, a missing CA): every clip fails
            // alike until the setup changes, so neither retried clip by clip nor settled.
            rule("certificate verify failed|certificate_verify_failed|pkix path|valid certification path",
                    FailureReason.OTHER, FailureClass.PERMANENT),
            // Network trouble without a status.
            rule("timed out|timeout|connection reset|connection refused|reset by peer|broken pipe"
                    + "|temporary failure|network is unreachable|no route to host|i/o error|input/output error"
                    + "|end of file|short transfer|unable to download|remote end closed|eof occurred|killed after",
                    FailureReason.NETWORK, FailureClass.TRANSIENT),
            // YouTube's reasons, most specific first ("... no longer available because the account ...").
            rule("not made this video available in your country|not available in your country"
                    + "|blocked it in your country|not available from your location|geo.?restrict",
                    FailureReason.REGION_BLOCKED, FailureClass.PERMANENT),
            rule("account associated with this video has been terminated|account has been terminated"
                    + "|been terminated", FailureReason.ACCOUNT_TERMINATED, FailureClass.PERMANENT),
            rule("copyright", FailureReason.COPYRIGHT, FailureClass.PERMANENT),
            rule("members-only|members only|available to this channel(?:'|\u2019)s members|join this channel",
                    FailureReason.MEMBERS_ONLY, FailureClass.PERMANENT),
            rule("confirm your age|age-restricted|age restricted|inappropriate for some users",
                    FailureReason.AGE_RESTRICTED, FailureClass.PERMANENT),
            rule("private video|video is private|is private", FailureReason.PRIVATE, FailureClass.PERMANENT),
            rule("has been removed|removed for violating", FailureReason.REMOVED, FailureClass.PERMANENT),
            // Media this library cannot use.
            rule("invalid data found|does not contain any stream|matches no streams|starts past the end"
                    + "|output file is empty|requested format is not available|no video formats"
                    + "|decoded section is|no media url", FailureReason.BAD_MEDIA, FailureClass.PERMANENT),
            rule("incomplete youtube id|no such file", FailureReason.NOT_FOUND, FailureClass.PERMANENT),
            rule("forbidden|refused media url", FailureReason.FORBIDDEN, FailureClass.PERMANENT),
            // "The following content is not available on this app": YouTube refusing yt-dlp's client for every
            // video until yt-dlp is updated; not the video's doing, so never "unavailable" (not requested again)
            rule("unsupported url|not a valid url|duplicate id in the csv|not available on this app",
                    FailureReason.OTHER, FailureClass.PERMANENT),
            // The generic YouTube wording last: "Video unavailable", "This video is no longer available".
            rule("video unavailable|video is unavailable|no longer available|not available",
                    FailureReason.UNAVAILABLE, FailureClass.PERMANENT));

    /** What a message nothing matches gets. */
    static final Rule UNKNOWN = new Rule(Pattern.compile("$^"), FailureReason.OTHER, FailureClass.TRANSIENT);

    private FailureClassifier() {
    }

    private static Rule rule(String regex, FailureReason reason, FailureClass failureClass) {
        return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), reason,
                failureClass);
    }

    /**
     * @param message a tool's error output (any number of lines); {@code null} is treated as empty
     * @return the first rule whose pattern occurs in it, else {@link #UNKNOWN}
     */
    static Rule match(String message) {
        String m = message == null ? "" : message;
        for (Rule r : RULES) {
            if (r.pattern().matcher(m).find()) {
                return r;
            }
        }
        return UNKNOWN;
    }

    /**
     * @param message a tool's error output (any number of lines)
     * @return its class; {@link FailureClass#TRANSIENT} when nothing is recognised
     */
    public static FailureClass classify(String message) {
        return match(message).failureClass();
    }

    /**
     * @param message a tool's error output, or a failure message read back from a log
     * @return its reason; {@link FailureReason#OTHER} when nothing is recognised
     */
    public static FailureReason reason(String message) {
        return match(message).reason();
    }
}
