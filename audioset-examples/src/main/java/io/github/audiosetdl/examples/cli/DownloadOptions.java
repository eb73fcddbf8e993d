package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.ResolverKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** The download stage's options, shared by {@code download} and {@code run}. */
final class DownloadOptions {
    /** The environment variable holding the proxy URL, which may carry credentials. */
    static final String PROXY_VARIABLE = "AUDIOSET_PROXY";
    /** The longest number of seconds echoed digit by digit in an error; a longer one is shown with an exponent. */
    private static final int MAX_SHOWN_DIGITS = 24;

    @Option(names = {"--threads", "-e"}, paramLabel = "T", defaultValue = "4",
            description = "Parallel downloads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = {"--per-job-folders", "-m"},
            description = "Each job writes to its own <name>_downloads_<job> folder (default: all jobs share _0).")
    private boolean perJobFolders;

    @Option(names = "--sample-rate", paramLabel = "HZ|source",
            description = "Output rate in Hz, mono (the channel average); 'source' keeps the source's rate and"
                    + " channels (default: 16000; for 'run', the packed clips' rate: 32000 with --format panns).")
    private String sampleRate;

    @Option(names = "--resolver", paramLabel = "yt-dlp|direct", defaultValue = "yt-dlp",
            description = "yt-dlp resolves a page URL; direct uses the URL template as the media URL"
                    + " (default: ${DEFAULT-VALUE}).")
    private String resolver;

    @Option(names = "--url-template", paramLabel = "T",
            description = "URL with {id}: the page URL for yt-dlp (default: https://www.youtube.com/watch?v={id}),"
                    + " the media URL for direct (required there).")
    private String urlTemplate;

    @Option(names = "--retries", paramLabel = "R", defaultValue = "3",
            description = "Retries of a transient or rate-limited failure (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--retry-delay", paramLabel = "SECONDS", defaultValue = "2",
            description = "First retry delay, doubling each retry with jitter; fractions allowed, at most 86400"
                    + " (default: ${DEFAULT-VALUE}).")
    private BigDecimal retryDelay;

    @Option(names = "--max-requests-per-minute", paramLabel = "X", defaultValue = "0",
            description = "Request budget shared by all threads (yt-dlp runs and media fetches) and by every process"
                    + " of this user on this host (through --budget-dir); 0: no limit.")
    private BigDecimal maxRequestsPerMinute; // echoed in an error as typed (-5, not -5.0)

    @Option(names = "--budget-dir", paramLabel = "DIR|none",
            description = "Host-local folder of the request budget file the processes on this host share (default:"
                    + " <java.io.tmpdir>/audioset-<user>); none: a budget for this process alone.")
    private String budgetDir;

    @Option(names = "--cookies", paramLabel = "FILE", description = "Netscape cookies file passed to yt-dlp.")
    private Path cookies;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "HTTP proxy (http://host:port) for yt-dlp and ffmpeg. A proxy with a password goes in the"
                    + " environment variable " + PROXY_VARIABLE + " instead: a command line is visible to every"
                    + " user.")
    private String proxy;

    @Option(names = "--yt-dlp", paramLabel = "PATH", description = "The yt-dlp program (default: from PATH).")
    private Path ytDlp;

    @Option(names = "--ffmpeg", paramLabel = "PATH",
            description = "The ffmpeg program (default: from PATH, else the bundled static build).")
    private Path ffmpeg;

    @Option(names = "--socket-timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = "Network read timeout (default: ${DEFAULT-VALUE}).")
    private BigDecimal socketTimeout;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Wall-clock limit of one yt-dlp or ffmpeg run; it is killed then"
                    + " (default: ${DEFAULT-VALUE}).")
    private BigDecimal toolTimeout;

    @Option(names = "--dry-run", description = "Only count what would be fetched; nothing is downloaded.")
    private boolean dryRun;

    @Option(names = "--retry-permanent", description = "Request again the clips whose latest outcome in the logs is"
            + " a permanent failure (unavailable, private, removed, ...); by default a rerun counts them as failed"
            + " without a request.")
    private boolean retryPermanent;

    /** @return whether {@code --dry-run} was given */
    boolean dryRunRequested() {
        return dryRun;
    }

    /**
     * @param out the folder receiving {@code <name>_downloads/} and {@code logs/}
     * @param name the data set's name
     * @return the configuration these options describe
     * @throws IllegalArgumentException naming the option and its value, in the option's units
     * @throws IOException if {@code --cookies}, {@code --yt-dlp} or {@code --ffmpeg} names no readable file
     */
    DownloadConfig config(Path out, String name) throws IOException {
        return config(out, name, SeedPreparation.DEFAULT.sampleRate());
    }

    /**
     * @param out the folder receiving {@code <name>_downloads/} and {@code logs/}
     * @param name the data set's name
     * @param defaultRate the output rate in Hz when {@code --sample-rate} is not given
     * @return the configuration these options describe
     * @throws IllegalArgumentException naming the option and its value, in the option's units
     * @throws IOException if {@code --cookies}, {@code --yt-dlp} or {@code --ffmpeg} names no readable file
     */
    DownloadConfig config(Path out, String name, int defaultRate) throws IOException {
        ResolverKind kind = resolver(resolver);
        if (kind == ResolverKind.DIRECT && urlTemplate == null) {
            throw new IllegalArgumentException("--resolver direct needs --url-template, the media URL with "
                    + DownloadConfig.ID_PLACEHOLDER + " (e.g. http://host/media/" + DownloadConfig.ID_PLACEHOLDER
                    + ".m4a)");
        }
        // The ranges are DownloadConfig.Builder's, checked here to name the option and its unit.
        between(threads, "--threads", 1, DownloadConfig.MAX_THREADS);
        between(retries, "--retries", 0, DownloadConfig.MAX_RETRIES);
        if (maxRequestsPerMinute.signum() < 0 || Double.isInfinite(maxRequestsPerMinute.doubleValue())) {
            throw new IllegalArgumentException("--max-requests-per-minute " + maxRequestsPerMinute
                    + " must be a number >= 0");
        }
        Duration delay = seconds(retryDelay, "--retry-delay", BigDecimal.ZERO,
                seconds(DownloadConfig.MAX_RETRY_DELAY));
        DownloadConfig.Builder b = DownloadConfig.builder(out, name)
                .threads(threads).perJobFolders(perJobFolders)
                .resolver(kind).retries(retries).retryDelay(delay)
                .maxRequestsPerMinute(maxRequestsPerMinute.doubleValue())
                .socketTimeout(seconds(socketTimeout, "--socket-timeout", seconds(DownloadConfig.MIN_SOCKET_TIMEOUT),
                        seconds(DownloadConfig.MAX_SOCKET_TIMEOUT)))
                .toolTimeout(seconds(toolTimeout, "--timeout", seconds(DownloadConfig.MIN_TOOL_TIMEOUT),
                        seconds(DownloadConfig.MAX_TOOL_TIMEOUT))).dryRun(dryRun).retryPermanent(retryPermanent);
        OptionalInt rate = sampleRate == null ? OptionalInt.of(defaultRate) : sampleRate(sampleRate);
        if (rate.isPresent()) {
            b.sampleRate(rate.getAsInt());
        } else {
            b.sourceFormat();
        }
        if (delay.compareTo(Duration.ofMinutes(2)) > 0) {
            Duration longest = delay.multipliedBy(8);
            b.maxRetryDelay(longest.compareTo(DownloadConfig.MAX_RETRY_DELAY) > 0 ? DownloadConfig.MAX_RETRY_DELAY
                    : longest);
        }
        if (urlTemplate != null) {
            try {
                b.urlTemplate(urlTemplate);
            } catch (IllegalArgumentException e) { // no {id}, not http(s) or file: name the option
                throw new IllegalArgumentException("--url-template: " + e.getMessage(), e);
            }
        }
        if (budgetDir != null) {
            if (budgetDir.isEmpty()) { // --budget-dir "$DIR" with the variable unset: Path.of("") is the current folder
                throw new IllegalArgumentException("--budget-dir: an empty path; give a folder, or none for a budget"
                        + " of this process alone");
            }
            b.budgetFolder(budgetDir.equals("none") ? null : Path.of(budgetDir));
        }
        if (cookies != null) {
            b.cookies(FileChecks.inputFile(cookies));
        }
        if (proxy != null) {
            if (proxy.matches("[A-Za-z][A-Za-z0-9+.-]*://[^/@]*@.*")) {
                throw new IllegalArgumentException("--proxy holds credentials, which every user can read on a command"
                        + " line; give the proxy in the environment variable " + PROXY_VARIABLE + " instead");
            }
            b.proxy(proxy);
        } else {
            String fromEnv = System.getenv(PROXY_VARIABLE);
            if (fromEnv != null && !fromEnv.isBlank()) {
                b.proxy(fromEnv.trim());
            }
        }
        if (ytDlp != null) {
            b.ytDlp(FileChecks.inputFile(ytDlp));
        }
        if (ffmpeg != null) {
            b.ffmpeg(FileChecks.inputFile(ffmpeg));
        }
        try {
            return b.build();
        } catch (IllegalStateException e) { // a template the media relay cannot read: a bad option value
            throw new IllegalArgumentException("--url-template: " + e.getMessage(), e);
        }
    }

    /**
     * @param text the value of {@code --resolver}
     * @return the resolver
     * @throws IllegalArgumentException naming the option and the value if it is neither
     */
    static ResolverKind resolver(String text) {
        try {
            return ResolverKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--resolver '" + text + "' is not yt-dlp or direct", e);
        }
    }

    /**
     * @param text the value of {@code --sample-rate}: a rate in Hz, or {@code source}
     * @return the rate, or empty for {@code source} (keep the source's rate and channels)
     * @throws IllegalArgumentException naming the option and the value if it is neither
     */
    static OptionalInt sampleRate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("source")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--sample-rate '" + text + "' is not a number of Hz or 'source'", e);
        }
    }

    private static void between(int value, String flag, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " " + value + " is not in " + min + ".." + max);
        }
    }

    /** @return {@code d} in seconds, without trailing zeros (100 ms: {@code 0.1}) */
    private static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
    }

    /** @return {@code value} as a person writes it: 0.5, 120; 1E+400 rather than its 401 digits */
    private static String shown(BigDecimal value) {
        String plain = value.toPlainString();
        return plain.length() <= MAX_SHOWN_DIGITS ? plain : value.toString();
    }

    /** A duration option in seconds, checked against {@code [min, max]} seconds ({@code max} null: none). */
    private static Duration seconds(BigDecimal value, String flag, BigDecimal min, BigDecimal max) {
        if (value.compareTo(min) < 0 || max != null && value.compareTo(max) > 0) {
            throw new IllegalArgumentException(flag + " " + shown(value) + " s "
                    + (max == null ? "must be >= " + min.toPlainString() + " s"
                    : "is not in " + min.toPlainString() + ".." + max.toPlainString() + " s"));
        }
        return Duration.ofNanos(value.movePointRight(9).longValue());
    }
}
