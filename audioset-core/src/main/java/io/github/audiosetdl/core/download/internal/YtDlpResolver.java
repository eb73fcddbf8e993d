package io.github.audiosetdl.core.download.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.FailureClass;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code yt-dlp -j --ignore-config --no-playlist --socket-timeout S -f bestaudio/best [--cookies F]
 * [--proxy P] -- <page URL>} and takes the media URL, HTTP headers and duration from its JSON. The
 * page URL is always a full URL, so ids that start with {@code -} are never read as options.
 */
public final class YtDlpResolver implements MediaResolver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_OUTPUT = 8 << 20;
    private static final String TEMP_PREFIX = "audioset-yt-dlp-";

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
        List<String> cmd = new ArrayList<>(List.of(ytDlp.toString(), "-j", "--ignore-config", "--no-playlist",
                "--no-progress", "--socket-timeout", Long.toString(Math.max(1, config.socketTimeout().toSeconds())),
                "-f", "bestaudio/best"));
        config.cookies().ifPresent(c -> cmd.addAll(List.of("--cookies", c.toString())));
        config.proxy().ifPresent(p -> cmd.addAll(List.of("--proxy", p)));
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
        List<String> cmd = command(config.urlFor(segment.ytid()));
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile(TEMP_PREFIX, ".out");
            err = Files.createTempFile(TEMP_PREFIX, ".err");
            process = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            ClipDownloader.deleteQuietly(out);
            ClipDownloader.deleteQuietly(err);
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

    private static String errorLines(String stderr) {
        List<String> errors = stderr.lines().filter(l -> l.startsWith("ERROR")).toList();
        String text = errors.isEmpty() ? stderr : String.join(" | ", errors);
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
