package io.github.audiosetdl.core.download.internal;

import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResultFuture;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.FailureClass;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches and decodes one segment's section with ffmpeg (through jaffree): input seeking
 * ({@code -ss start -t duration+0.5s -i URL}; the exact sample count is cut afterwards) so only the
 * section's byte ranges are read, the resolver's headers, {@code -rw_timeout} and reconnect options,
 * and a wall-clock limit after which the process is killed. The output is a 32-bit float WAV at the
 * target rate with the source's channels (the channel average is taken afterwards, exactly); the
 * media's duration is read from ffmpeg's log.
 */
public final class FfmpegSection {
    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final int KEPT_LINES = 40;
    private static final long INPUT_MARGIN_MS = 500;
    /** How long {@link #kill} waits for a killed ffmpeg to end. */
    private static final long KILL_WAIT_MS = 5_000;
    /** How often {@link #kill} looks again for the process while it waits. */
    private static final long KILL_POLL_MS = 50;

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
     * Decodes the section into {@code target} (replaced).
     *
     * @param media the media URL and headers
     * @param segment the segment (its start and length)
     * @param target the float WAV to write
     * @return what ffmpeg reported
     * @throws ClipFailure classified, if ffmpeg failed or was killed
     * @throws InterruptedException if interrupted (the process is killed)
     */
    public Report decode(ResolvedMedia media, Segment segment, Path target) throws ClipFailure, InterruptedException {
        Deque<String> lines = new ArrayDeque<>();
        double[] mediaSeconds = {Double.NaN};
        FFmpeg ff = new FFmpeg(ffmpeg)
                .addArgument("-nostdin")
                .addArgument("-hide_banner")
                .setLogLevel(LogLevel.INFO)
                .setOverwriteOutput(true)
                .setExecutorTimeoutMillis(2000)
                .setContextName(segment.ytid())
                .setOutputListener(line -> {
                    synchronized (lines) {
                        if (Double.isNaN(mediaSeconds[0])) {
                            Matcher m = DURATION.matcher(line);
                            if (m.find()) {
                                mediaSeconds[0] = Integer.parseInt(m.group(1)) * 3600.0
                                        + Integer.parseInt(m.group(2)) * 60.0 + Double.parseDouble(m.group(3));
                            }
                        }
                        lines.addLast(line);
                        if (lines.size() > KEPT_LINES) {
                            lines.removeFirst();
                        }
                    }
                })
                .addInput(input(media, segment))
                .addOutput(output(target));
        FFmpegResultFuture future = ff.executeAsync();
        long limitMs = config.toolTimeout().toMillis();
        try {
            future.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill(future, target);
            throw new ClipFailure(FailureClass.TRANSIENT, "ffmpeg killed after " + config.toolTimeout().toSeconds()
                    + " s (stalled transfer)");
        } catch (InterruptedException e) {
            kill(future, target);
            throw e;
        } catch (ExecutionException e) {
            String message = message(lines, e.getCause());
            throw new ClipFailure(FailureClassifier.classify(message), message, e.getCause());
        }
        synchronized (lines) {
            return new Report(mediaSeconds[0]);
        }
    }

    private UrlInput input(ResolvedMedia media, Segment segment) {
        UrlInput in = UrlInput.fromUrl(media.url());
        String lower = media.url().toLowerCase(Locale.ROOT);
        in.addArguments("-rw_timeout", Long.toString(config.socketTimeout().toNanos() / 1000));
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            in.addArguments("-reconnect", "1")
                    .addArguments("-reconnect_streamed", "1")
                    .addArguments("-reconnect_on_network_error", "1")
                    .addArguments("-reconnect_delay_max", "2");
            if (!media.headers().isEmpty()) {
                StringBuilder h = new StringBuilder();
                for (Map.Entry<String, String> e : media.headers().entrySet()) {
                    h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
                }
                in.addArguments("-headers", h.toString());
            }
            config.proxy().filter(p -> p.toLowerCase(Locale.ROOT).startsWith("http"))
                    .ifPresent(p -> in.addArguments("-http_proxy", p));
        }
        in.setPosition(segment.startMs());
        // read a little past the section: after an input seek some decoders (Opus pre-roll, a negative start
        // time) come up a few ms short of the section, and an output -t would cut by timestamps, not
        // samples; the clip is trimmed to the section's exact sample count afterwards
        in.setDuration(segment.durationMs() + INPUT_MARGIN_MS);
        return in;
    }

    private UrlOutput output(Path target) {
        UrlOutput out = UrlOutput.toPath(target)
                .setFormat("wav")
                .addArguments("-map", "0:a:0")
                // restart timestamps at the first decoded sample, so that the output's -t counts from there
                .addArguments("-af", "asetpts=PTS-STARTPTS")
                .setCodec(StreamType.AUDIO, "pcm_f32le");
        config.sampleRate().ifPresent(hz -> out.addArguments("-ar", Integer.toString(hz)));
        return out;
    }

    /**
     * Kills the ffmpeg writing {@code target} (found by its arguments; jaffree's stop alone is not enough) and
     * waits, at most {@link #KILL_WAIT_MS}, until jaffree reports it ended. The search repeats while waiting: an
     * interrupt may come while jaffree is still starting the process, which then appears only after the first
     * search. Keeps the thread's interrupt status.
     */
    private static void kill(FFmpegResultFuture future, Path target) {
        String marker = target.toString();
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS);
        try {
            future.forceStop();
        } catch (RuntimeException e) {
            // not started yet, or already gone: the search below covers both
        }
        while (true) {
            List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(p -> p.isAlive()
                    && p.info().arguments().map(a -> Arrays.asList(a).contains(marker)).orElse(false)).toList();
            alive.forEach(ProcessHandle::destroyForcibly);
            if (alive.isEmpty() && future.isDone() || System.nanoTime() >= deadline) {
                break;
            }
            try {
                // jaffree may report the end before the process is gone, or the process may not exist yet
                if (alive.isEmpty()) {
                    future.get(KILL_POLL_MS, TimeUnit.MILLISECONDS);
                } else {
                    alive.get(0).onExit().get(KILL_POLL_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // still running (search again), or ended: its result does not matter
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String message(Deque<String> lines, Throwable cause) {
        List<String> kept;
        synchronized (lines) {
            kept = new ArrayList<>(lines);
        }
        List<String> errors = kept.stream().filter(FfmpegSection::looksLikeError).toList();
        List<String> chosen = errors.isEmpty() ? kept.subList(Math.max(0, kept.size() - 3), kept.size()) : errors;
        String text = String.join(" | ", chosen).trim();
        if (text.isEmpty()) {
            text = cause == null ? "ffmpeg failed" : "ffmpeg failed: " + cause.getMessage();
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static boolean looksLikeError(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        return l.contains("error") || l.contains("server returned") || l.contains("invalid") || l.contains("failed")
                || l.contains("timed out") || l.contains("refused") || l.contains("not found")
                || l.contains("matches no streams") || l.contains("reset") || l.contains("i/o");
    }
}
