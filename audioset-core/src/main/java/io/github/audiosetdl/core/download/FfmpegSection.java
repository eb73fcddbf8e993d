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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches and decodes one segment's section with ffmpeg: input seeking ({@code -ss start -t duration+0.5s
 * -i URL}; the exact sample count is cut afterwards) so only the section's byte ranges are read, the
 * resolver's headers except credentials, {@code -rw_timeout} and reconnect options, and a wall-clock limit
 * after which the process is killed. The output is a 32-bit float WAV at the target rate with the
 * source's channels (the channel average is taken afterwards, exactly); the media's duration is read from
 * ffmpeg's log.
 *
 * <p>What a hostile resolver or server cannot do: make ffmpeg read anything but {@code http}/{@code https}
 * ({@code -protocol_whitelist}; {@code file} only when the direct resolver's URL template is a {@code file:}
 * URL),
 * receive a cookie or an authorisation header (never forwarded: they would follow a redirect to another
 * host and show in {@code ps}), or see the proxy's credentials on a command line (the proxy is given in
 * ffmpeg's environment, {@code http_proxy}). The command line is never logged; ffmpeg's log goes to an
 * owner-only temporary file, read once it has exited (the first and last 64 KB).
 */
final class FfmpegSection {
    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final int KEPT_LINES = 40;
    /** A URL with a query string; group 1 is the URL without it. */
    private static final Pattern QUERY = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s?'\"]+)\\?[^\\s'\"]*");
    private static final long INPUT_MARGIN_MS = 500;
    /** How much of ffmpeg's log is read, from its start and from its end, in bytes. */
    private static final int LOG_BYTES = 64 * 1024;
    /** The protocols ffmpeg may use for web media (httpproxy: https through an http proxy). */
    static final String WEB_PROTOCOLS = "http,https,tcp,tls,httpproxy,crypto";
    /** The protocols ffmpeg may use when the URL template is a {@code file:} URL. */
    static final String FILE_PROTOCOLS = "file,crypto";
    /** Request headers never passed on to ffmpeg, lower case. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Set<String> SECRET_HEADERS = Set.of("cookie", "authorization", "proxy-authorization");

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
     * The command line (program first) that decodes {@code segment} of {@code media} into {@code target}:
     * no secret in it (no cookie, no authorisation header, no proxy).
     *
     * @param media the media URL and headers
     * @param segment the segment
     * @param target the WAV file
     * @return the arguments
     */
    List<String> command(ResolvedMedia media, Segment segment, Path target) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-nostats",
                "-loglevel", "info", "-y"));
        boolean web = !media.url().toLowerCase(Locale.ROOT).startsWith("file:");
        cmd.addAll(List.of("-protocol_whitelist", web ? WEB_PROTOCOLS : FILE_PROTOCOLS));
        cmd.addAll(List.of("-rw_timeout", Long.toString(config.socketTimeout().toNanos() / 1000)));
        if (web) {
            cmd.addAll(List.of("-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_on_network_error", "1",
                    "-reconnect_delay_max", "2"));
            String headers = headers(media.headers());
            if (!headers.isEmpty()) {
                cmd.addAll(List.of("-headers", headers));
            }
        }
        cmd.addAll(List.of("-ss", seconds(segment.startMs())));
        // read a little past the section: after an input seek some decoders (Opus pre-roll, a negative start
        // time) come up a few ms short of the section, and an output -t would cut by timestamps, not
        // samples; the clip is trimmed to the section's exact sample count afterwards
        cmd.addAll(List.of("-t", seconds(segment.durationMs() + INPUT_MARGIN_MS)));
        cmd.addAll(List.of("-i", media.url()));
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
        try {
            log = Files.createTempFile("audioset-ffmpeg-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command(media, segment, target))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
            environment(pb.environment(), config);
            process = Children.start(pb);
            process.getOutputStream().close();
            if (!process.waitFor(config.toolTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ClipFailure(FailureClass.TRANSIENT, "ffmpeg killed after " + config.toolTimeout().toSeconds()
                        + " s (stalled transfer)");
            }
            List<String> lines = logLines(log);
            if (process.exitValue() != 0) {
                String message = message(lines, process.exitValue());
                throw new ClipFailure(FailureClassifier.classify(message), message);
            }
            return new Report(mediaSeconds(lines));
        } catch (IOException e) {
            throw new ClipFailure(FailureClass.TRANSIENT, (process == null ? "cannot start ffmpeg: "
                    : "ffmpeg I/O error: ") + e.getMessage(), e);
        } finally {
            if (process != null) {
                Children.kill(process);
            }
            ClipDownloader.deleteQuietly(log);
        }
    }

    /**
     * Gives a child the proxy of {@code config}, if any, through its environment ({@code http_proxy},
     * {@code https_proxy} and their upper-case forms; {@code no_proxy} removed so that every request takes it):
     * credentials in a proxy URL then never appear on a command line.
     *
     * @param env the child's environment, changed
     * @param config gives the proxy
     */
    static void environment(Map<String, String> env, DownloadConfig config) {
        config.proxy().ifPresent(p -> {
            for (String name : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")) {
                env.put(name, p);
            }
            env.remove("no_proxy");
            env.remove("NO_PROXY");
        });
    }

    /** @return a URL for a message: at most 100 characters, its query left out (it may hold a signature) */
    private static String shown(String url) {
        int q = url.indexOf('?');
        String s = q < 0 ? url : url.substring(0, q) + "?...";
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
