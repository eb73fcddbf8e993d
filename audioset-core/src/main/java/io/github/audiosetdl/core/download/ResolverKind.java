package io.github.audiosetdl.core.download;

/** How a segment's media URL is found. */
public enum ResolverKind {
    /**
     * Run yt-dlp ({@code -j}) on the page URL the template gives; its JSON names the media URL and
     * the HTTP headers to send.
     */
    YT_DLP,
    /** The URL template gives the media URL itself (a local mirror, tests); no headers. */
    DIRECT;

    /**
     * @param text {@code yt-dlp} or {@code direct} (case-insensitive; {@code ytdlp} and {@code yt_dlp} too)
     * @return the kind
     * @throws IllegalArgumentException naming the text if it is neither
     */
    public static ResolverKind parse(String text) {
        String t = java.util.Objects.requireNonNull(text, "text").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "yt-dlp", "ytdlp", "yt_dlp" -> YT_DLP;
            case "direct" -> DIRECT;
            default -> throw new IllegalArgumentException("resolver must be yt-dlp or direct, not '" + text + "'");
        };
    }
}
