package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.internal.DataSetNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the download stage needs besides the segments: where to write, how many workers, the
 * output format, the resolver, retries, the rate limit and the tools. An immutable, validated value,
 * thread-safe: made by {@link #builder(Path, String)}, which holds the defaults and checks each setting
 * as it is set. The canonical constructor checks every component and their combinations with the
 * builder's messages, so no invalid configuration can exist. {@link #toString()} shows no secret: no
 * proxy, no cookies file, and the URL template without its {@code user:password} and query.
 *
 * <p>The components that may be absent are {@link Optional} ({@link OptionalInt} for the sample rate), as
 * their accessors have always returned; pass {@code Optional.empty()}, never null.
 *
 * @param outputDir the folder that receives {@code <name>_downloads/} and {@code logs/}
 * @param name the data set's name ({@link #checkName(String)}), usually the CSV's file name without its
 *     extension ({@link #nameOf(Path)})
 * @param threads the number of worker threads, {@code 1..}{@value #MAX_THREADS}
 * @param perJobFolders whether each job writes to its own {@code <name>_downloads_<job>} folder (the seed's
 *     {@code -m}); otherwise every job writes to {@code <name>_downloads_0}
 * @param sampleRate the output rate in Hz, {@code 1000..384000} (the output is mono, the average of the
 *     channels), or empty to keep the source's rate and channels
 * @param resolver how media URLs are found
 * @param urlTemplate the URL template with {@value #ID_PLACEHOLDER} (http, https or file): a page URL for
 *     yt-dlp (the builder's default is {@value #YOUTUBE_TEMPLATE}), the media URL for direct, whose http or
 *     https host the media relay must be able to read; never null
 * @param retries retries after the first attempt for transient and rate-limited failures,
 *     {@code 0..}{@value #MAX_RETRIES}
 * @param retryDelay the delay before the first retry, 0 to {@link #MAX_RETRY_DELAY} and at most
 *     {@code maxRetryDelay}; it doubles each retry, with jitter
 * @param maxRetryDelay the cap on a retry delay and on the global slow-down after a rate limit, 0 to
 *     {@link #MAX_RETRY_DELAY}
 * @param maxRequestsPerMinute the budget of requests (yt-dlp runs and media fetches) per minute over all
 *     workers: 0 for none, else at least {@link #MIN_REQUESTS_PER_MINUTE} (one request an hour)
 * @param budgetFolder the folder whose budget file spaces the requests of every process of this user on this
 *     host that shares it ({@link #defaultBudgetFolder()} unless set), or empty for a budget of this process
 *     alone
 * @param cookies a Netscape cookies file passed to yt-dlp (it must exist), if any
 * @param proxy an {@code http://} proxy URL with a host the media relay can read, passed to yt-dlp and the
 *     media relay, if any
 * @param ytDlp the yt-dlp executable given (it must be executable), if any (otherwise {@code PATH})
 * @param ffmpeg the ffmpeg executable given (it must be executable), if any (otherwise {@code PATH}, then a
 *     {@link ToolLocator})
 * @param socketTimeout the network read timeout (yt-dlp {@code --socket-timeout}, ffmpeg
 *     {@code -rw_timeout}), {@link #MIN_SOCKET_TIMEOUT} to {@link #MAX_SOCKET_TIMEOUT}
 * @param toolTimeout the wall-clock limit of one yt-dlp or ffmpeg run, {@link #MIN_TOOL_TIMEOUT} to
 *     {@link #MAX_TOOL_TIMEOUT}; a process still running then is killed
 * @param dryRun whether to only report what would be fetched
 * @param retryPermanent whether clips whose latest outcome in this name's logs is a permanent failure are
 *     requested again (by default they are not: a rerun fetches only what is missing for a reason that may
 *     pass)
 */
public record DownloadConfig(Path outputDir, String name, int threads, boolean perJobFolders,
        OptionalInt sampleRate, ResolverKind resolver, String urlTemplate, int retries, Duration retryDelay,
        Duration maxRetryDelay, double maxRequestsPerMinute, Optional<Path> budgetFolder, Optional<Path> cookies,
        Optional<String> proxy, Optional<Path> ytDlp, Optional<Path> ffmpeg, Duration socketTimeout,
        Duration toolTimeout, boolean dryRun, boolean retryPermanent) {
    /** The default page URL template: YouTube's watch page. */
    public static final String YOUTUBE_TEMPLATE = "https://www.youtube.com/watch?v={id}";
    /** The placeholder replaced by the video id in a URL template. */
    public static final String ID_PLACEHOLDER = "{id}";
    /** The most worker threads. */
    public static final int MAX_THREADS = 1024;
    /** The most retries after a clip's first attempt. */
    public static final int MAX_RETRIES = 100;
    /** The smallest request budget other than 0 (no limit): one request an hour. */
    public static final double MIN_REQUESTS_PER_MINUTE = 1.0 / 60;
    /** The shortest network read timeout. */
    public static final Duration MIN_SOCKET_TIMEOUT = Duration.ofMillis(100);
    /** The longest network read timeout. */
    public static final Duration MAX_SOCKET_TIMEOUT = Duration.ofMinutes(10);
    /** The shortest wall-clock limit of one tool run. */
    public static final Duration MIN_TOOL_TIMEOUT = Duration.ofSeconds(1);
    /** The longest wall-clock limit of one tool run. */
    public static final Duration MAX_TOOL_TIMEOUT = Duration.ofHours(1);
    /** The longest retry delay, first or longest (a day). */
    public static final Duration MAX_RETRY_DELAY = Duration.ofDays(1);

    /**
     * Checks every component, then their combinations, with the messages of the builder's setters and of
     * {@link Builder#build()}.
     *
     * @param outputDir the output folder; not null
     * @param name the data set's name, as {@link #checkName(String)} accepts
     * @param threads worker threads, {@code 1..}{@value #MAX_THREADS}
     * @param perJobFolders whether each job writes to its own folder
     * @param sampleRate the output rate, in Hz, {@code 1000..384000}, or empty for the source's
     * @param resolver how media URLs are found; not null
     * @param urlTemplate the URL template, holding {@value #ID_PLACEHOLDER}, with an http, https or file scheme;
     *     not null
     * @param retries retries after the first attempt, {@code 0..}{@value #MAX_RETRIES}
     * @param retryDelay the first retry's delay, 0 to {@link #MAX_RETRY_DELAY} and at most {@code maxRetryDelay}
     * @param maxRetryDelay the cap on a retry delay, 0 to {@link #MAX_RETRY_DELAY}
     * @param maxRequestsPerMinute requests per minute over all workers, 0 for no budget or at least
     *     {@link #MIN_REQUESTS_PER_MINUTE}
     * @param budgetFolder the shared budget's folder, or empty for this process alone; not null
     * @param cookies an existing Netscape cookies file, or empty
     * @param proxy an {@code http://} proxy URL, or empty
     * @param ytDlp an executable yt-dlp, or empty for {@code PATH}
     * @param ffmpeg an executable ffmpeg, or empty for {@code PATH} and then a {@link ToolLocator}
     * @param socketTimeout the network read timeout, {@link #MIN_SOCKET_TIMEOUT} to {@link #MAX_SOCKET_TIMEOUT}
     * @param toolTimeout one tool run's wall-clock limit, {@link #MIN_TOOL_TIMEOUT} to {@link #MAX_TOOL_TIMEOUT}
     * @param dryRun whether to only report what would be fetched
     * @param retryPermanent whether permanent failures in the logs are requested again
     * @throws NullPointerException if a component is null (an absent one is an empty {@link Optional})
     * @throws IllegalArgumentException naming the first bad value, or the combination that cannot work: a
     *     first retry delay longer than the longest, the direct resolver without a URL template or with an
     *     http or https one whose host the media relay cannot read
     */
    public DownloadConfig {
        requireNonNull(outputDir, "outputDir");
        checkName(name);
        checkThreads(threads);
        requireNonNull(sampleRate, "sampleRate").ifPresent(DownloadConfig::checkSampleRate);
        requireNonNull(resolver, "resolver");
        if (urlTemplate != null) {
            checkUrlTemplate(urlTemplate);
        }
        checkRetries(retries);
        between(requireNonNull(retryDelay, "retryDelay"), "retry delay", Duration.ZERO, MAX_RETRY_DELAY);
        between(requireNonNull(maxRetryDelay, "maxRetryDelay"), "max retry delay", Duration.ZERO, MAX_RETRY_DELAY);
        checkRequestsPerMinute(maxRequestsPerMinute);
        maxRequestsPerMinute += 0.0; // -0.0 is 0 (no limit): one value, for equals
        requireNonNull(budgetFolder, "budgetFolder");
        requireNonNull(cookies, "cookies").ifPresent(DownloadConfig::checkCookies);
        requireNonNull(proxy, "proxy").ifPresent(DownloadConfig::checkProxy);
        requireNonNull(ytDlp, "ytDlp").ifPresent(p -> executable(p, "yt-dlp"));
        requireNonNull(ffmpeg, "ffmpeg").ifPresent(p -> executable(p, "ffmpeg"));
        between(requireNonNull(socketTimeout, "socketTimeout"), "socket timeout", MIN_SOCKET_TIMEOUT,
                MAX_SOCKET_TIMEOUT);
        between(requireNonNull(toolTimeout, "toolTimeout"), "tool timeout", MIN_TOOL_TIMEOUT, MAX_TOOL_TIMEOUT);
        String conflict = conflict(resolver, urlTemplate, retryDelay, maxRetryDelay);
        if (conflict != null) {
            throw new IllegalArgumentException(conflict);
        }
        requireNonNull(urlTemplate, "urlTemplate (the builder's default for yt-dlp is YOUTUBE_TEMPLATE)");
    }

    /**
     * @param outputDir the folder that receives {@code <name>_downloads/} and {@code logs/}
     * @param name the data set's name, usually the CSV file name without extension ({@link #nameOf(Path)})
     * @return a builder with the defaults (4 threads, 16 kHz mono, yt-dlp, 3 retries from 2 s, no rate limit)
     */
    public static Builder builder(Path outputDir, String name) {
        return new Builder(outputDir, name);
    }

    /**
     * The rule for data-set names, which become parts of file names ({@code <name>_downloads},
     * {@code <name>.hdf5}): not blank, no path separator, no control character, not {@code .} or {@code ..}.
     * Spaces and other characters a file name may hold are allowed (a CSV's own name is the default).
     *
     * @param name a data-set name
     * @return {@code name}
     * @throws IllegalArgumentException if it breaks the rule (the message shows it)
     */
    public static String checkName(String name) {
        return DataSetNames.check(name);
    }

    /**
     * The seed's data-set name for a CSV: its file name without the extension.
     *
     * @param csv e.g. {@code /data/balanced_train_segments.csv}
     * @return e.g. {@code balanced_train_segments}
     */
    public static String nameOf(Path csv) {
        String file = requireNonNull(csv, "csv").getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /**
     * @return a builder holding these settings; a yt-dlp configuration's template {@value #YOUTUBE_TEMPLATE} is held
     *     as the builder's default, so that a copy switched to the direct resolver must be given a media URL
     */
    public Builder toBuilder() {
        Builder b = new Builder(outputDir, name).threads(threads).perJobFolders(perJobFolders).resolver(resolver)
                .retries(retries).retryDelay(retryDelay).maxRetryDelay(maxRetryDelay)
                .maxRequestsPerMinute(maxRequestsPerMinute).socketTimeout(socketTimeout).toolTimeout(toolTimeout)
                .dryRun(dryRun).retryPermanent(retryPermanent);
        b.sampleRate = sampleRate.orElse(0);
        b.budgetFolder = budgetFolder.orElse(null);
        // the default build() fills in for yt-dlp stays a default: a copy switched to direct needs its own
        b.urlTemplate = resolver == ResolverKind.YT_DLP && YOUTUBE_TEMPLATE.equals(urlTemplate) ? null : urlTemplate;
        b.cookies = cookies.orElse(null);
        b.proxy = proxy.orElse(null);
        b.ytDlp = ytDlp.orElse(null);
        b.ffmpeg = ffmpeg.orElse(null);
        return b;
    }

    /** @return {@code <outputDir>/<name>_downloads}: the folder to hand to the pack stage */
    public Path downloadsDir() {
        return outputDir.resolve(name + "_downloads");
    }

    /** @return {@code <outputDir>/logs} */
    public Path logsDir() {
        return outputDir.resolve("logs");
    }

    /**
     * @param ytid a video id
     * @return the template with the id filled in
     */
    public String urlFor(String ytid) {
        return urlTemplate.replace(ID_PLACEHOLDER, requireNonNull(ytid, "ytid"));
    }

    /**
     * @return {@code <java.io.tmpdir>/audioset-<user>}: host-local on a usual machine, so that the array tasks
     *     placed on one node share one budget (a budget is per IP)
     */
    public static Path defaultBudgetFolder() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "audioset-" + user);
    }

    /**
     * @return the settings for a log, without secrets: no proxy (its password), no cookies file, and the URL
     *     template without its {@code user:password} and query ({@link #withoutSecrets(String)})
     */
    @Override
    public String toString() {
        return "DownloadConfig[" + downloadsDir() + ", threads=" + threads + ", rate="
                + (sampleRate.isEmpty() ? "source" : sampleRate.getAsInt() + " Hz mono") + ", resolver=" + resolver
                + ", template=" + withoutSecrets(urlTemplate) + ", retries=" + retries + " from " + retryDelay
                + ", rpm=" + (maxRequestsPerMinute == 0 ? "unlimited" : maxRequestsPerMinute)
                + (dryRun ? ", dry run" : "") + (retryPermanent ? ", permanent failures retried" : "") + "]";
    }

    /**
     * @param url a URL or template, or null
     * @return it for a log: any {@code user:password@} as {@code ***@}, and a query (a signature, a token) as
     *     {@code ?...}
     */
    static String withoutSecrets(String url) {
        if (url == null) {
            return null;
        }
        String s = redacted(url);
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q) + "?...";
    }

    /**
     * @return {@code url} with any {@code user:password@} replaced by {@code ***@}, for messages: up to the last
     *     {@code @} before the query, so that a password holding a raw {@code @} or {@code /} is hidden whole
     */
    static String redacted(String url) {
        return url.replaceFirst("://[^?#]*@", "://***@");
    }

    /** @return whether {@code url} parses as a URL with a host, as the media relay reads its URLs */
    static boolean hasHost(String url) {
        try {
            return new java.net.URI(url).getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * The checks across components, shared by the constructor (which throws an
     * {@link IllegalArgumentException}) and {@link Builder#build()} (an {@link IllegalStateException}).
     *
     * @return why these settings cannot work together, or null if they can
     */
    private static String conflict(ResolverKind resolver, String urlTemplate, Duration retryDelay,
            Duration maxRetryDelay) {
        if (retryDelay.compareTo(maxRetryDelay) > 0) {
            return "the first retry delay " + retryDelay.toMillis() + " ms is longer than the longest, "
                    + maxRetryDelay.toMillis() + " ms";
        }
        if (resolver == ResolverKind.DIRECT && urlTemplate == null) {
            return "the direct resolver needs a URL template (the media URL with " + ID_PLACEHOLDER + ")";
        }
        if (resolver == ResolverKind.DIRECT && !urlTemplate.toLowerCase(Locale.ROOT).startsWith("file:")
                && !hasHost(urlTemplate.replace(ID_PLACEHOLDER, "abcdefghijk"))) {
            return "the direct resolver's URL template '" + withoutSecrets(urlTemplate) + "' has no host the media"
                    + " relay can read (a host name with an underscore, or an @ in a password not written %40?)";
        }
        return null;
    }

    private static int checkThreads(int threads) {
        return between(threads, "threads", 1, MAX_THREADS);
    }

    private static int checkRetries(int retries) {
        return between(retries, "retries", 0, MAX_RETRIES);
    }

    private static int between(int value, String what, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is not in " + min + ".." + max);
        }
        return value;
    }

    private static int checkSampleRate(int hz) {
        if (hz < 1000 || hz > 384_000) {
            throw new IllegalArgumentException("sample rate " + hz + " Hz is not in 1000..384000");
        }
        return hz;
    }

    private static String checkUrlTemplate(String template) {
        if (!template.contains(ID_PLACEHOLDER)) {
            throw new IllegalArgumentException("URL template '" + withoutSecrets(template) + "' has no "
                    + ID_PLACEHOLDER);
        }
        String lower = template.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:"))) {
            throw new IllegalArgumentException("URL template '" + withoutSecrets(template) + "' must start with"
                    + " http://, https:// or file:");
        }
        return template;
    }

    private static double checkRequestsPerMinute(double perMinute) {
        if (!(perMinute >= 0) || Double.isInfinite(perMinute)
                || perMinute > 0 && perMinute < MIN_REQUESTS_PER_MINUTE) {
            throw new IllegalArgumentException("max requests per minute " + perMinute
                    + " must be 0 (no limit) or at least 1/60 (one an hour)");
        }
        return perMinute;
    }

    private static Path checkCookies(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cookies file " + file + " does not exist");
        }
        return file;
    }

    private static String checkProxy(String url) {
        if (!url.matches("[A-Za-z][A-Za-z0-9+.-]*://\\S+")) {
            throw new IllegalArgumentException("proxy '" + redacted(url) + "' is not a URL like http://host:port");
        }
        String scheme = url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("proxy '" + redacted(url) + "': the media relay, which fetches"
                    + " the media, cannot use a " + scheme + " proxy; give an http:// proxy (one that forwards to"
                    + " yours, e.g. privoxy or gost, if yours is SOCKS)");
        }
        if (!hasHost(url)) { // else the media relay would refuse every clip, each a permanent failure
            throw new IllegalArgumentException("proxy '" + redacted(url) + "' is not a URL like http://host:port"
                    + " (an @, : or / in the user name or password must be written %40, %3A or %2F)");
        }
        return url;
    }

    private static Duration between(Duration d, String what, Duration min, Duration max) {
        requireNonNull(d, what);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " " + d + " is not in " + min + ".." + max);
        }
        return d;
    }

    private static Path executable(Path p, String what) {
        requireNonNull(p, what);
        if (!java.nio.file.Files.isExecutable(p)) {
            throw new IllegalArgumentException(what + " '" + p + "' is not an executable file");
        }
        return p;
    }

    /**
     * Builder for {@link DownloadConfig}: holds the defaults, and each setter checks its argument with the
     * messages of the canonical constructor. Not thread-safe.
     */
    public static final class Builder {
        private final Path outputDir;
        private final String name;
        private int threads = 4;
        private boolean perJobFolders;
        private int sampleRate = SeedPreparation.DEFAULT.sampleRate(); // 0: the source's
        private ResolverKind resolver = ResolverKind.YT_DLP;
        private String urlTemplate; // null: YOUTUBE_TEMPLATE for yt-dlp, none (refused) for direct
        private int retries = 3;
        private Duration retryDelay = Duration.ofSeconds(2);
        private Duration maxRetryDelay = Duration.ofMinutes(2);
        private double maxRequestsPerMinute;
        private Path budgetFolder = defaultBudgetFolder();
        private Path cookies;
        private String proxy;
        private Path ytDlp;
        private Path ffmpeg;
        private Duration socketTimeout = Duration.ofSeconds(20);
        private Duration toolTimeout = Duration.ofSeconds(120);
        private boolean dryRun;
        private boolean retryPermanent;

        private Builder(Path outputDir, String name) {
            this.outputDir = requireNonNull(outputDir, "outputDir");
            this.name = checkName(name);
        }

        /**
         * @param threads worker threads, {@code 1..1024}
         * @return this
         */
        public Builder threads(int threads) {
            this.threads = checkThreads(threads);
            return this;
        }

        /**
         * @param perJobFolders each job writes to its own folder (the seed's {@code -m})
         * @return this
         */
        public Builder perJobFolders(boolean perJobFolders) {
            this.perJobFolders = perJobFolders;
            return this;
        }

        /**
         * @param hz the output rate, {@code 1000..384000} Hz; the output is mono (the average of the channels)
         * @return this
         */
        public Builder sampleRate(int hz) {
            this.sampleRate = checkSampleRate(hz);
            return this;
        }

        /**
         * Keeps the source's sample rate and channels instead.
         *
         * @return this
         */
        public Builder sourceFormat() {
            this.sampleRate = 0;
            return this;
        }

        /**
         * @param resolver how media URLs are found
         * @return this
         */
        public Builder resolver(ResolverKind resolver) {
            this.resolver = requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * @param template a URL containing {@value #ID_PLACEHOLDER} (http, https or file); for yt-dlp the
         *     page URL (default {@value #YOUTUBE_TEMPLATE}), for direct the media URL (required)
         * @return this
         */
        public Builder urlTemplate(String template) {
            this.urlTemplate = checkUrlTemplate(requireNonNull(template, "template"));
            return this;
        }

        /**
         * @param retries retries after the first attempt, {@code 0..100}
         * @return this
         */
        public Builder retries(int retries) {
            this.retries = checkRetries(retries);
            return this;
        }

        /**
         * @param delay the first retry's delay, 0 to {@link #MAX_RETRY_DELAY}
         * @return this
         */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = between(delay, "retry delay", Duration.ZERO, MAX_RETRY_DELAY);
            return this;
        }

        /**
         * @param delay the longest retry delay and global slow-down, 0 to {@link #MAX_RETRY_DELAY}
         * @return this
         */
        public Builder maxRetryDelay(Duration delay) {
            this.maxRetryDelay = between(delay, "max retry delay", Duration.ZERO, MAX_RETRY_DELAY);
            return this;
        }

        /**
         * @param perMinute requests per minute over all workers: 0 for no limit, else at least {@code 1/60} (one
         *     request an hour; a smaller budget would stall the run for days per clip)
         * @return this
         */
        public Builder maxRequestsPerMinute(double perMinute) {
            this.maxRequestsPerMinute = checkRequestsPerMinute(perMinute);
            return this;
        }

        /**
         * @param folder where the budget file lives that the processes of this user on this host share (created
         *     owner-only; keep it on a local disk: file locks on network file systems are unreliable), or null for
         *     a budget of this process alone (default {@link DownloadConfig#defaultBudgetFolder()})
         * @return this
         */
        public Builder budgetFolder(Path folder) {
            this.budgetFolder = folder;
            return this;
        }

        /**
         * @param file a Netscape cookies file for yt-dlp; it must exist
         * @return this
         */
        public Builder cookies(Path file) {
            this.cookies = checkCookies(requireNonNull(file, "file"));
            return this;
        }

        /**
         * @param url an HTTP proxy URL, e.g. {@code http://proxy:3128} or {@code http://user:secret@proxy:3128};
         *     yt-dlp gets it in its environment (never on a command line) and the media relay, which fetches
         *     the media for ffmpeg, sends its requests through it. Other schemes (SOCKS) are refused: the relay
         *     speaks HTTP to its proxy only, and a URL without a host it can read (an {@code @}, {@code :} or
         *     {@code /} in the user name or password must be percent-encoded: {@code %40}, {@code %3A}, {@code %2F})
         * @return this
         */
        public Builder proxy(String url) {
            this.proxy = checkProxy(requireNonNull(url, "url"));
            return this;
        }

        /**
         * @param executable the yt-dlp program to run
         * @return this
         */
        public Builder ytDlp(Path executable) {
            this.ytDlp = executable(executable, "yt-dlp");
            return this;
        }

        /**
         * @param executable the ffmpeg program to run
         * @return this
         */
        public Builder ffmpeg(Path executable) {
            this.ffmpeg = executable(executable, "ffmpeg");
            return this;
        }

        /**
         * @param timeout the network read timeout, {@code 100 ms .. 10 min}
         * @return this
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = between(timeout, "socket timeout", MIN_SOCKET_TIMEOUT, MAX_SOCKET_TIMEOUT);
            return this;
        }

        /**
         * @param timeout the wall-clock limit of one tool run, {@code 1 s .. 1 h}
         * @return this
         */
        public Builder toolTimeout(Duration timeout) {
            this.toolTimeout = between(timeout, "tool timeout", MIN_TOOL_TIMEOUT, MAX_TOOL_TIMEOUT);
            return this;
        }

        /**
         * @param dryRun only report what would be fetched
         * @return this
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * @param retry whether to request again the clips whose latest outcome in this name's logs is a permanent
         *     failure (default false: they are counted as failed again without a request)
         * @return this
         */
        public Builder retryPermanent(boolean retry) {
            this.retryPermanent = retry;
            return this;
        }

        /**
         * @return the configuration, with {@value #YOUTUBE_TEMPLATE} as the URL template of yt-dlp if none was
         *     given
         * @throws IllegalStateException if the first retry delay is longer than the longest, or the direct
         *     resolver has no URL template, or an http or https one whose host the media relay cannot read (an
         *     underscore in it, a raw {@code @} in a password): every clip would fail
         * @throws IllegalArgumentException if the cookies file or an executable given is gone since it was set
         */
        public DownloadConfig build() {
            String conflict = conflict(resolver, urlTemplate, retryDelay, maxRetryDelay);
            if (conflict != null) {
                throw new IllegalStateException(conflict);
            }
            String template = urlTemplate == null && resolver == ResolverKind.YT_DLP ? YOUTUBE_TEMPLATE : urlTemplate;
            return new DownloadConfig(outputDir, name, threads, perJobFolders,
                    sampleRate == 0 ? OptionalInt.empty() : OptionalInt.of(sampleRate), resolver, template, retries,
                    retryDelay, maxRetryDelay, maxRequestsPerMinute, Optional.ofNullable(budgetFolder),
                    Optional.ofNullable(cookies), Optional.ofNullable(proxy), Optional.ofNullable(ytDlp),
                    Optional.ofNullable(ffmpeg), socketTimeout, toolTimeout, dryRun, retryPermanent);
        }
    }
}
