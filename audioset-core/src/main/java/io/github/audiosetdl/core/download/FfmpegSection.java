package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.Segment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches and decodes one segment's section with ffmpeg: input seeking ({@code -ss start -t duration+0.5s
 * -i URL}; the exact sample count is cut afterwards) so only the section's byte ranges are read, the
 * resolver's headers except credentials, {@code -rw_timeout} and reconnect options, and a wall-clock limit
 * after which the process is killed. An http or https media URL never reaches ffmpeg's command line (where
 * any local user could read it in {@code ps}): ffmpeg reads a {@link MediaRelay} on {@code 127.0.0.1} under a
 * random token, which forwards its requests, {@code Range} included, with the resolver's headers and through
 * the proxy, and is closed when the clip ends. The output is a 32-bit float WAV at the target rate with the
 * source's channels (the channel average is taken afterwards, exactly); the media's duration is read from
 * ffmpeg's log.
 *
 * <p>What a hostile resolver or server cannot do: make ffmpeg read anything but the relay ({@code
 * -protocol_whitelist http,tcp}; {@code file} only when the direct resolver's URL template is a {@code file:}
 * URL) or make the relay follow a redirect to anything but http or https, receive a cookie or an
 * authorisation header (never forwarded: they would follow a redirect to another host), or see the media
 * URL, the headers or the proxy on a command line (the relay holds them). The command line is never logged;
 * ffmpeg's log goes to an owner-only temporary file, read once it has exited (the first and last 64 KB).
 */
final class FfmpegSection {
    /** The start of the names of ffmpeg's log files in {@code java.io.tmpdir}, as {@link YtDlpResolver#TEMP_PREFIX}. */
    static final String LOG_PREFIX = "audioset-ffmpeg.";
    /** The input's duration line, {@code "  Duration: 00:00:30.04, start: ..."}: at the start of a line, not a tag. */
    private static final Pattern DURATION = Pattern.compile("^\\s*Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final int KEPT_LINES = 40;
    /** A URL with a query string; group 1 is the URL without it. */
    private static final Pattern QUERY = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s?'\"]+)\\?[^\\s'\"]*");
    private static final long INPUT_MARGIN_MS = 500;
    /** How much of ffmpeg's log is read, from its start and from its end, in bytes. */
    private static final int LOG_BYTES = 64 * 1024;
    /** The protocols ffmpeg may use for web media: it reads only the loopback {@link MediaRelay}. */
    static final String WEB_PROTOCOLS = "http,tcp";
    /** The protocols ffmpeg may use when the URL template is a {@code file:} URL. */
    static final String FILE_PROTOCOLS = "file,crypto";
    /** Request headers never passed on to ffmpeg, lower case. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Set<String> SECRET_HEADERS = Set.of("cookie", "authorization", "proxy-authorization");
    private static final List<String> PROXY_VARIABLES = List.of("http_proxy", "https_proxy", "HTTP_PROXY",
            "HTTPS_PROXY");
    /**
     * Other variables that may hold a proxy and its credentials, removed from every child's environment: the
     * command line's own ({@code AUDIOSET_PROXY}, already in the configuration) and the all-protocol ones.
     */
    private static final List<String> OTHER_PROXY_VARIABLES = List.of("AUDIOSET_PROXY", "all_proxy", "ALL_PROXY");

    private final Path ffmpeg;
    private final DownloadConfig config;

    /**
     * @param ffmpeg the executable
     * @param config rate, timeouts and proxy
     */
    public FfmpegSection(Path ffmpeg, DownloadConfig config) {
        this.ffmpeg = ffmpeg;
        this.config = config;
    }

    /**
     * What ffmpeg reported about a finished run.
     *
     * @param mediaSeconds the input's duration from ffmpeg's log, {@code NaN} if it printed none
     */
    public record Report(double mediaSeconds) {
    }

    /**
     * @param url a media URL from a resolver
     * @return whether ffmpeg may read it: http or https, or a {@code file:} URL when the URL template is one
     */
    boolean allowed(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://")
                || fileTemplate() && lower.startsWith("file:");
    }

    private boolean fileTemplate() {
        return config.resolver() == ResolverKind.DIRECT
                && config.urlTemplate().toLowerCase(Locale.ROOT).startsWith("file:");
    }

    /**
     * The command line (program first) that decodes {@code segment} of {@code input} into {@code target}:
     * no secret in it (no media URL from a resolver, no header, no proxy).
     *
     * @param input the loopback relay's URL, or a {@code file:} URL of the direct resolver's file template
     * @param segment the segment
     * @param target the WAV file
     * @return the arguments
     */
    List<String> command(String input, Segment segment, Path target) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-nostats",
                "-loglevel", "info", "-y"));
        boolean web = !input.toLowerCase(Locale.ROOT).startsWith("file:");
        cmd.addAll(List.of("-protocol_whitelist", web ? WEB_PROTOCOLS : FILE_PROTOCOLS));
        cmd.addAll(List.of("-rw_timeout", Long.toString(config.socketTimeout().toNanos() / 1000)));
        if (web) {
            cmd.addAll(List.of("-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_on_network_error", "1",
                    "-reconnect_delay_max", "2"));
        }
        cmd.addAll(List.of("-ss", seconds(segment.startMs())));
        // read a little past the section: after an input seek some decoders (Opus pre-roll, a negative start
        // time) come up a few ms short of the section, and an output -t would cut by timestamps, not
        // samples; the clip is trimmed to the section's exact sample count afterwards
        cmd.addAll(List.of("-t", seconds(segment.durationMs() + INPUT_MARGIN_MS)));
        cmd.addAll(List.of("-i", input));
        cmd.addAll(List.of("-map", "0:a:0", "-af", "asetpts=PTS-STARTPTS", "-c:a", "pcm_f32le"));
        config.sampleRate().ifPresent(hz -> cmd.addAll(List.of("-ar", Integer.toString(hz))));
        cmd.addAll(List.of("-f", "wav", "file:" + target.toAbsolutePath()));
        return cmd;
    }

    /**
     * @param headers the resolver's headers
     * @return the headers ffmpeg may send, {@code Name: value\r\n} each; credentials, and any header whose name
     *     is not an HTTP token or whose value holds a control character (a smuggled line), left out
     */
    static String headers(Map<String, String> headers) {
        StringBuilder h = new StringBuilder();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            boolean wellFormed = HEADER_NAME.matcher(e.getKey()).matches()
                    && e.getValue().chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
            if (wellFormed && !SECRET_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
        }
        return h.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    /**
     * Decodes the section into {@code target}, which the caller has created (ffmpeg overwrites it).
     *
     * @param media the media URL and headers
     * @param segment the segment (its start and length)
     * @param target the float WAV to write
     * @return what ffmpeg reported
     * @throws ClipFailure classified, if ffmpeg failed or was killed, or the URL's scheme is not allowed
     * @throws InterruptedException if interrupted (the process is killed)
     */
    public Report decode(ResolvedMedia media, Segment segment, Path target) throws ClipFailure, InterruptedException {
        if (!allowed(media.url())) {
            throw new ClipFailure(FailureClass.PERMANENT, "refused media URL " + shown(media.url())
                    + ": only http and https are fetched" + (fileTemplate() ? " (and file:)" : ""));
        }
        Path log = null;
        Process process = null;
        MediaRelay relay = null;
        try {
            boolean web = !media.url().toLowerCase(Locale.ROOT).startsWith("file:");
            if (web) {
                relay = relay(media);
            }
            log = Files.createTempFile(DownloadStage.tempPrefix(LOG_PREFIX), ".log");
            ProcessBuilder pb = new ProcessBuilder(command(web ? relay.url() : media.url(), segment, target))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
            // ffmpeg talks to the loopback relay only, never through a proxy
            for (String name : PROXY_VARIABLES) {
                pb.environment().remove(name);
            }
            OTHER_PROXY_VARIABLES.forEach(pb.environment()::remove);
            process = Children.start(pb);
            process.getOutputStream().close();
            if (!process.waitFor(config.toolTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ClipFailure(FailureClass.TRANSIENT, "ffmpeg killed after " + config.toolTimeout().toSeconds()
                        + " s (stalled transfer)");
            }
            List<String> lines = logLines(log);
            if (process.exitValue() != 0) {
                String message = relay != null && relay.failure().isPresent() ? relay.failure().get()
                        : message(lines, process.exitValue());
                if (relay != null) {
                    String url = shown(media.url());
                    message = message.replace(relay.url(), url.substring(1, url.length() - 1));
                }
                throw new ClipFailure(FailureClassifier.classify(message), message);
            }
            return new Report(mediaSeconds(lines));
        } catch (IOException e) {
            throw new ClipFailure(FailureClass.TRANSIENT, (process == null ? "cannot start ffmpeg or its relay: "
                    : "ffmpeg I/O error: ") + e.getMessage(), e);
        } finally {
            if (process != null) {
                Children.kill(process);
            }
            if (relay != null) {
                relay.close();
            }
            ClipDownloader.deleteQuietly(log);
        }
    }

    private MediaRelay relay(ResolvedMedia media) throws ClipFailure, IOException {
        try {
            return MediaRelay.open(media.url(), headers(media.headers()), proxy(media.url(), config,
                    System.getenv()), config.socketTimeout());
        } catch (IllegalArgumentException e) {
            throw new ClipFailure(FailureClass.PERMANENT, "refused media URL " + shown(media.url()) + ": "
                    + e.getMessage().replaceAll("\\p{Cntrl}", "?"));
        }
    }

    /**
     * The proxy ffmpeg itself would have used for {@code url}: the configured one, else the environment's
     * {@code http_proxy} (for https too, as ffmpeg does) unless {@code no_proxy} names the host, or it is not an
     * {@code http://host:port} URL (ffmpeg connects directly then; the relay could not use it, and refused every
     * clip).
     *
     * @param url the media URL
     * @param config gives the configured proxy
     * @param env the environment
     * @return the proxy URL, if any
     */
    static Optional<String> proxy(String url, DownloadConfig config, Map<String, String> env) {
        if (config.proxy().isPresent()) {
            return config.proxy();
        }
        String fromEnv = env.get("http_proxy");
        if (fromEnv == null || !fromEnv.toLowerCase(Locale.ROOT).startsWith("http://")
                || !DownloadConfig.hasHost(fromEnv)) { // e.g. an @ in the password not written %40
            return Optional.empty();
        }
        String host;
        try {
            host = new java.net.URI(url).getHost();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
        return host != null && noProxy(env.get("no_proxy"), host) ? Optional.empty() : Optional.of(fromEnv);
    }

    /** @return whether a {@code no_proxy} list names {@code host}: {@code *}, the host, or a parent domain */
    static boolean noProxy(String list, String host) {
        if (list == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : list.toLowerCase(Locale.ROOT).split("[ ,]+")) {
            String e = entry.startsWith(".") ? entry.substring(1) : entry;
            if (e.equals("*") || !e.isEmpty() && (h.equals(e) || h.endsWith("." + e))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives a child the proxy of {@code config}, if any, through its environment ({@code http_proxy},
     * {@code https_proxy} and their upper-case forms; {@code no_proxy} removed so that every request takes it):
     * credentials in a proxy URL then never appear on a command line. {@code AUDIOSET_PROXY}, {@code all_proxy}
     * and {@code ALL_PROXY} are removed in any case.
     *
     * @param env the child's environment, changed
     * @param config gives the proxy
     */
    static void environment(Map<String, String> env, DownloadConfig config) {
        OTHER_PROXY_VARIABLES.forEach(env::remove);
        config.proxy().ifPresent(p -> {
            for (String name : PROXY_VARIABLES) {
                env.put(name, p);
            }
            env.remove("no_proxy");
            env.remove("NO_PROXY");
        });
    }

    /**
     * @return a URL for a message: at most 100 characters, its query left out (it may hold a signature) and any
     *     {@code user:password@} as {@code ***@}
     */
    private static String shown(String url) {
        String s = DownloadConfig.withoutSecrets(url);
        s = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** @return the lines of the log's first and last {@link #LOG_BYTES} bytes */
    private static List<String> logLines(Path log) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            byte[] head = new byte[(int) Math.min(length, LOG_BYTES)];
            f.readFully(head);
            List<String> lines = new ArrayList<>(new String(head, StandardCharsets.UTF_8).lines().toList());
            if (length > LOG_BYTES) {
                long from = Math.max(LOG_BYTES, length - LOG_BYTES);
                byte[] tail = new byte[(int) (length - from)];
                f.seek(from);
                f.readFully(tail);
                lines.addAll(new String(tail, StandardCharsets.UTF_8).lines().toList());
            }
            return lines;
        }
    }

    private static double mediaSeconds(List<String> lines) {
        for (String line : lines) {
            Matcher m = DURATION.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1)) * 3600.0 + Integer.parseInt(m.group(2)) * 60.0
                        + Double.parseDouble(m.group(3));
            }
        }
        return Double.NaN;
    }

    private static String message(List<String> lines, int exit) {
        List<String> kept = lines.subList(Math.max(0, lines.size() - KEPT_LINES), lines.size());
        List<String> errors = kept.stream().filter(FfmpegSection::looksLikeError).toList();
        List<String> chosen = errors.isEmpty() ? kept.subList(Math.max(0, kept.size() - 3), kept.size()) : errors;
        // a media URL's query may hold a signature or a token: kept out of messages and logs
        String text = QUERY.matcher(String.join(" | ", chosen).trim()).replaceAll("$1?...");
        if (text.isEmpty()) {
            text = "ffmpeg failed with exit code " + exit;
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static boolean looksLikeError(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        return l.contains("error") || l.contains("server returned") || l.contains("invalid") || l.contains("failed")
                || l.contains("timed out") || l.contains("refused") || l.contains("not found")
                || l.contains("matches no streams") || l.contains("reset") || l.contains("i/o")
                || l.contains("no space left") || l.contains("quota exceeded") || l.contains("not on whitelist");
    }
}
