package io.github.audiosetdl.core.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code yt-dlp -j --ignore-config --no-playlist --socket-timeout S -f FORMAT [--cookies COPY]
 * -- <page URL>} ({@link #FORMAT}: the best audio over plain http(s)) and takes the media URL, HTTP headers
 * and duration from its JSON; a segmented stream (HLS, DASH fragments) is a permanent, unsettled failure. The
 * page URL is always a full URL, so ids that start with {@code -} are never read as options. The proxy, if
 * any, is given in the environment ({@code http_proxy}, {@code https_proxy}), so that its credentials are
 * never on a command line. yt-dlp rewrites the cookies file it is given, so each run gets a private,
 * owner-only copy of the user's file, deleted afterwards: the user's file is never changed, and parallel
 * workers never share one.
 */
final class YtDlpResolver implements MediaResolver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_OUTPUT = 8 << 20;
    /**
     * The start of the names of yt-dlp's temporary files in {@code java.io.tmpdir} (its output, and the private
     * cookies copy), followed by the owner ({@link io.github.audiosetdl.core.ProcessTag}) and a dot, so that a run
     * can remove those a killed run left ({@link DownloadStage#removeStaleToolFiles}).
     */
    static final String TEMP_PREFIX = "audioset-yt-dlp.";
    /** The largest cookies file copied, in bytes. */
    private static final int MAX_COOKIES = 16 << 20;
    /** The first yt-dlp that keeps cookies out of the downloader's headers (CVE-2023-35934). */
    static final String SAFE_VERSION = "2023.07.06";
    /** Where cookies are given, in the library's terms and the command line's. */
    private static final String COOKIES = "DownloadConfig.Builder.cookies, the command line's --cookies";
    private static final Pattern VERSION = Pattern.compile("\\b(\\d{4})\\.(\\d{1,2})\\.(\\d{1,2})");
    /**
     * The format asked for: the best audio fetched whole over http(s), else the best such format with audio, else
     * whatever yt-dlp finds best (a segmented stream, HLS or DASH fragments, is refused in {@link #parse}: ffmpeg
     * reads the media through the relay, one URL).
     */
    static final String FORMAT = "bestaudio[protocol^=http][protocol!*=dash]/best[protocol^=http][protocol!*=dash]"
            + "/bestaudio/best";

    private final Path ytDlp;
    private final DownloadConfig config;

    /**
     * @param ytDlp the executable
     * @param config the template, timeouts, cookies and proxy
     */
    public YtDlpResolver(Path ytDlp, DownloadConfig config) {
        this.ytDlp = ytDlp;
        this.config = config;
    }

    /**
     * @param pageUrl the page URL
     * @return the command line (program first), never a shell string
     */
    public List<String> command(String pageUrl) {
        return command(pageUrl, config.cookies().orElse(null));
    }

    /**
     * @param pageUrl the page URL
     * @param cookies the cookies file to give, or null
     * @return the command line (program first), never a shell string
     */
    private List<String> command(String pageUrl, Path cookies) {
        List<String> cmd = new ArrayList<>(List.of(ytDlp.toString(), "-j", "--ignore-config", "--no-playlist",
                "--no-progress", "--socket-timeout", Long.toString(Math.max(1, config.socketTimeout().toSeconds())),
                "-f", FORMAT));
        if (cookies != null) {
            cmd.addAll(List.of("--cookies", cookies.toString()));
        }
        cmd.add("--");
        cmd.add(pageUrl);
        return cmd;
    }

    /**
     * {@inheritDoc}
     *
     * <p>yt-dlp's output goes to two temporary files (owner-only, deleted afterwards), read once it
     * has exited; never to pipes. A process yt-dlp leaves behind that keeps its stdout or stderr open
     * therefore cannot hold the worker past the tool timeout, and no reader thread is needed.
     */
    @Override
    public ResolvedMedia resolve(Segment segment) throws ClipFailure, InterruptedException {
        Path out = null;
        Path err = null;
        Path cookies = null;
        Process process = null;
        try {
            out = Files.createTempFile(DownloadStage.tempPrefix(TEMP_PREFIX), ".out");
            err = Files.createTempFile(DownloadStage.tempPrefix(TEMP_PREFIX), ".err");
            if (config.cookies().isPresent()) {
                cookies = privateCopy(config.cookies().get());
            }
            ProcessBuilder pb = new ProcessBuilder(command(config.urlFor(segment.ytid()), cookies))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            FfmpegSection.environment(pb.environment(), config);
            process = Children.start(pb);
            process.getOutputStream().close();
            if (!process.waitFor(config.toolTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ClipFailure(FailureClass.TRANSIENT, "yt-dlp killed after " + config.toolTimeout().toSeconds()
                        + " s without an answer");
            }
            if (process.exitValue() != 0) {
                String message = errorLines(new String(head(err), StandardCharsets.UTF_8).trim());
                throw new ClipFailure(FailureClassifier.classify(message), message);
            }
            return parse(head(out), segment);
        } catch (IOException e) {
            throw new ClipFailure(FailureClass.TRANSIENT, (process == null ? "cannot start yt-dlp: "
                    : "yt-dlp I/O error: ") + e.getMessage(), e);
        } finally {
            if (process != null) {
                Children.kill(process);
            }
            ClipDownloader.deleteQuietly(out);
            ClipDownloader.deleteQuietly(err);
            ClipDownloader.deleteQuietly(cookies);
        }
    }

    /**
     * @param cookies the user's cookies file
     * @return an owner-only copy (new name, created with {@code CREATE_NEW}), at most {@link #MAX_COOKIES} bytes
     * @throws IOException if it cannot be read or is too large
     */
    private static Path privateCopy(Path cookies) throws IOException {
        byte[] content;
        try (InputStream in = Files.newInputStream(cookies)) {
            content = in.readNBytes(MAX_COOKIES + 1);
        }
        if (content.length > MAX_COOKIES) {
            throw new IOException("cookies file " + cookies + " is larger than " + (MAX_COOKIES >> 20) + " MB");
        }
        Path copy = Files.createTempFile(DownloadStage.tempPrefix(TEMP_PREFIX), ".cookies.txt");
        try {
            Files.write(copy, content, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            ClipDownloader.deleteQuietly(copy);
            throw e;
        }
        return copy;
    }

    /**
     * Refuses a yt-dlp that would leak cookies when cookies are given: before 2023.07.06 it passed the
     * session's cookies to the downloader as a header, which followed redirects to other hosts
     * (CVE-2023-35934).
     *
     * @param version what {@code yt-dlp --version} printed
     * @param cookies whether cookies are given
     * @throws AudioSetException naming the version and the CVE, if refused
     */
    public static void checkVersion(String version, boolean cookies) {
        if (!cookies) {
            return;
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            throw new AudioSetException("cannot tell yt-dlp's version from '" + version + "'; with cookies ("
                    + COOKIES + "), yt-dlp " + SAFE_VERSION + " or later is needed (CVE-2023-35934)");
        }
        String found = m.group(1) + "." + m.group(2) + "." + m.group(3);
        String padded = String.format(Locale.ROOT, "%04d.%02d.%02d", Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        if (padded.compareTo(SAFE_VERSION) < 0) {
            throw new AudioSetException("yt-dlp " + found + " is older than " + SAFE_VERSION + " and would send"
                    + " your cookies to other hosts (CVE-2023-35934): update yt-dlp, or run without cookies ("
                    + COOKIES + ")");
        }
    }

    private static ResolvedMedia parse(byte[] stdout, Segment segment) throws ClipFailure {
        JsonNode root;
        try {
            String text = new String(stdout, StandardCharsets.UTF_8).trim();
            int nl = text.indexOf('\n');
            root = JSON.readTree(nl < 0 ? text : text.substring(0, nl));
        } catch (IOException e) {
            throw new ClipFailure(FailureClass.TRANSIENT, "yt-dlp printed no JSON for " + segment.ytid() + ": "
                    + e.getMessage(), e);
        }
        JsonNode chosen = root;
        if (root.path("url").isMissingNode() && root.path("requested_formats").isArray()) {
            for (JsonNode f : root.path("requested_formats")) {
                if (!"none".equals(f.path("acodec").asText("none"))) {
                    chosen = f;
                    break;
                }
            }
        }
        String url = chosen.path("url").asText("");
        if (url.isEmpty()) {
            throw new ClipFailure(FailureClass.PERMANENT, "yt-dlp found no media URL for " + segment.ytid());
        }
        String protocol = chosen.path("protocol").asText("");
        if (!protocol.isEmpty() && !protocol.equals("http") && !protocol.equals("https")) {
            throw new ClipFailure(FailureClass.PERMANENT, "yt-dlp offers " + segment.ytid() + " only as a "
                    + protocol.replaceAll("[^A-Za-z0-9_+-]", "?") + " stream, which the download cannot fetch (one"
                    + " http or https URL); a newer yt-dlp may offer more");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = chosen.path("http_headers").isObject() ? chosen.path("http_headers") : root.path("http_headers");
        for (Map.Entry<String, JsonNode> e : h.properties()) {
            String value = e.getValue().asText("");
            if (!value.contains("\r") && !value.contains("\n") && !e.getKey().contains("\n")) {
                headers.put(e.getKey(), value);
            }
        }
        double duration = root.path("duration").isNumber() ? root.path("duration").asDouble() : Double.NaN;
        return new ResolvedMedia(url, headers, duration);
    }

    /**
     * @return the ERROR lines of yt-dlp's stderr (all of it if it has none), after the first WARNING line that
     *     names a rate limit or a bot check, if any: YouTube's 429 on the watch page is only a warning, and the
     *     error that follows ("No video formats found") names no rate limit, yet the rate limit is what failed
     */
    private static String errorLines(String stderr) {
        List<String> errors = stderr.lines().filter(l -> l.startsWith("ERROR")).toList();
        String text = errors.isEmpty() ? stderr : String.join(" | ", errors);
        if (!errors.isEmpty()) {
            text = stderr.lines().filter(l -> l.startsWith("WARNING")
                    && FailureClassifier.classify(l) == FailureClass.RATE_LIMITED).findFirst()
                    .map(warning -> warning + " | ").orElse("") + text;
        }
        if (text.isEmpty()) {
            return "yt-dlp failed without a message";
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    /** @return the first {@link #MAX_OUTPUT} bytes of a file */
    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_OUTPUT);
        }
    }
}
