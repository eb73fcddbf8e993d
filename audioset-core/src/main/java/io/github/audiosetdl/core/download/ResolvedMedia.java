package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A media URL ffmpeg can read, with the HTTP headers to send.
 *
 * @param url the media URL
 * @param headers request headers (name to value), in order
 * @param durationSeconds the media's duration if the resolver knows it, else {@code NaN}
 */
record ResolvedMedia(String url, Map<String, String> headers, double durationSeconds) {
    /** Validates and copies. */
    public ResolvedMedia {
        requireNonNull(url, "url");
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().indexOf('\r') >= 0 || h.getKey().indexOf('\n') >= 0
                    || h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + h.getKey() + " contains a line break");
            }
        }
    }
}
