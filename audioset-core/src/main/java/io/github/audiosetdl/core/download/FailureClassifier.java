package io.github.audiosetdl.core.download;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a failure from the messages of yt-dlp (which exits 1 for everything) and ffmpeg. An
 * explicit HTTP status wins; then known phrases; anything unknown is transient, so no clip is given
 * up on for a message we have not seen.
 */
final class FailureClassifier {
    /** yt-dlp "HTTP Error 404: Not Found", ffmpeg "Server returned 404 Not Found" and "HTTP error 429 ...". */
    private static final Pattern STATUS = Pattern.compile(
            "(?i)(?:http error|server returned|status(?: code)?:?)\\s+([1-5][0-9][0-9])\\b");
    /** ffmpeg's "Server returned 5XX Server Error reply" and "4XX Client Error, but not one of 40{0,1,3,4}". */
    private static final Pattern STATUS_CLASS = Pattern.compile("(?i)server returned ([45])xx");

    private static final List<String> RATE_LIMITED = List.of("too many requests", "confirm you're not a bot",
            "confirm you\u2019re not a bot", "confirm you are not a bot", "rate-limit", "rate limit", "ratelimit");
    private static final List<String> PERMANENT = List.of("video unavailable", "private video", "is private",
            "has been removed", "been terminated", "no longer available", "not available", "unsupported url",
            "invalid data found", "does not contain any stream", "matches no streams", "no such file",
            "confirm your age", "members-only", "copyright", "starts past the end", "not a valid url",
            "requested format is not available", "no video formats", "this video is unavailable",
            "output file is empty", "incomplete youtube id", "forbidden");
    private static final List<String> TRANSIENT = List.of("timed out", "timeout", "connection reset",
            "connection refused", "reset by peer", "broken pipe", "temporary failure", "network is unreachable",
            "no route to host", "i/o error", "input/output error", "end of file", "short transfer",
            "unable to download", "remote end closed", "eof occurred", "killed after");

    private FailureClassifier() {
    }

    /**
     * @param message a tool's error output (any number of lines)
     * @return its class; {@link FailureClass#TRANSIENT} when nothing is recognised
     */
    public static FailureClass classify(String message) {
        String m = message == null ? "" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        for (String phrase : RATE_LIMITED) {
            if (lower.contains(phrase)) {
                return FailureClass.RATE_LIMITED;
            }
        }
        if (lower.contains("sign in to confirm") && !lower.contains("your age")) {
            return FailureClass.RATE_LIMITED;
        }
        Matcher status = STATUS.matcher(m);
        while (status.find()) {
            int code = Integer.parseInt(status.group(1));
            if (code == 429) {
                return FailureClass.RATE_LIMITED;
            }
            if (code >= 500 || code == 408) {
                return FailureClass.TRANSIENT;
            }
            if (code >= 400) {
                return FailureClass.PERMANENT;
            }
        }
        Matcher statusClass = STATUS_CLASS.matcher(m);
        if (statusClass.find()) {
            return statusClass.group(1).equals("5") ? FailureClass.TRANSIENT : FailureClass.PERMANENT;
        }
        for (String phrase : TRANSIENT) {
            if (lower.contains(phrase)) {
                return FailureClass.TRANSIENT;
            }
        }
        for (String phrase : PERMANENT) {
            if (lower.contains(phrase)) {
                return FailureClass.PERMANENT;
            }
        }
        return FailureClass.TRANSIENT;
    }
}
