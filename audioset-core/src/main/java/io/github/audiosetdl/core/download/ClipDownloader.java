package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.AudioClip;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.ProcessTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one segment: resolve, fetch and decode the section, validate its length, write
 * {@code YT_<id>.wav} atomically (16-bit PCM; mono is the exact average of the source channels),
 * retrying transient and rate-limited failures with exponential backoff and jitter. Thread-safe.
 */
final class ClipDownloader {
    /** Suffix of every temporary file the stage writes (all start with a dot). */
    public static final String TEMP_SUFFIX = ".tmp";
    /**
     * How much shorter than the media's remaining length a short clip may be, and how far past the section's end a
     * media's stated duration may be while it still counts as ending inside the section, or, when nothing decodes,
     * past the section's start while the section counts as starting past the end (a container states a little
     * more than decodes: 10.00 s for a 9.99-s Opus, 10.03 s for a 9.99-s MP3), in seconds.
     */
    private static final double SHORT_TOLERANCE_SECONDS = 0.25;
    /** The largest decoded section read, in bytes (10.6 s of 8 channels at 192 kHz in 32-bit floats is 65 MB). */
    private static final long MAX_DECODED_BYTES = 96L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ClipDownloader.class);
    /** For tests only: runs in the worker once ffmpeg has exited, before its output is read. */
    static volatile java.util.function.Consumer<Segment> afterDecode = s -> { };

    private final DownloadConfig config;
    private final MediaResolver resolver;
    private final boolean resolverRequests;
    private final FfmpegSection ffmpeg;
    private final RateLimiter limiter;

    /**
     * @param config retries, delays and the output format
     * @param resolver finds media URLs
     * @param resolverRequests whether each resolution is a network request (counted by the limiter)
     * @param ffmpeg fetches and decodes
     * @param limiter the limiter shared by every worker
     */
    public ClipDownloader(DownloadConfig config, MediaResolver resolver, boolean resolverRequests,
            FfmpegSection ffmpeg, RateLimiter limiter) {
        this.config = config;
        this.resolver = resolver;
        this.resolverRequests = resolverRequests;
        this.ffmpeg = ffmpeg;
        this.limiter = limiter;
    }

    /**
     * Creates the temporary file ffmpeg decodes into: a fresh, unpredictable name
     * ({@code .YT_<id>.<owner>.<n>.decode.tmp}, the owner a {@link ProcessTag},
     * created owner-only with {@code CREATE_NEW}, so never through a planted link), unique to this attempt, so
     * that two writers of the same clip never share one.
     *
     * @param segment a segment
     * @param jobDir the folder receiving its clip
     * @return the new, empty file
     * @throws IOException if it cannot be created
     */
    static Path decodeTemp(Segment segment, Path jobDir) throws IOException {
        return Files.createTempFile(jobDir, ".YT_" + segment.ytid() + "." + ProcessTag.current() + ".",
                ".decode" + TEMP_SUFFIX);
    }

    /**
     * Downloads with retries.
     *
     * @param row the segment
     * @param jobDir the folder receiving {@code YT_<id>.wav}
     * @return the outcome (never throws for a failed clip)
     * @throws InterruptedException if interrupted, also when the interrupt made an attempt fail (a read of
     *     ffmpeg's output stopped by it): a cancelled clip is no failure, and is not logged
     * @throws AudioSetException when the disk is full or the folder cannot be written: the run must stop
     */
    public ClipResult download(SegmentRow row, Path jobDir) throws InterruptedException {
        Segment segment = row.segment();
        if (segment.durationMs() > Segment.MAX_DURATION_MS) {
            return new ClipResult(row, ClipStatus.FAILED, FailureClass.PERMANENT, 0, String.format(Locale.ROOT,
                    "segment is %.3f s long, more than the %.1f s allowed", segment.durationMs() / 1000.0,
                    Segment.MAX_DURATION_MS / 1000.0), 0);
        }
        ClipFailure last = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= config.retries() + 1; attempt++) {
            attempts = attempt;
            Path[] temp = new Path[1]; // created by the attempt just before ffmpeg writes it
            try {
                ClipResult result = attempt(row, jobDir, temp, attempt);
                limiter.succeeded();
                return result;
            } catch (ClipFailure f) {
                if (Thread.interrupted()) { // a cancel, not the clip, made the attempt fail (a read it stopped)
                    throw new InterruptedException(segment.ytid() + ": download cancelled");
                }
                if (diskFull(f.getMessage())) {
                    throw new AudioSetException("disk full while writing " + segment.ytid() + " into " + jobDir + " ("
                            + f.getMessage() + "); free some space and run again: finished clips are kept", f);
                }
                last = f;
                LOG.debug("{} attempt {}: {} ({})", segment.ytid(), attempt, f.getMessage(),
                        f.failureClass().label());
                if (f.failureClass() == FailureClass.PERMANENT) {
                    break;
                }
                if (f.failureClass() == FailureClass.RATE_LIMITED) {
                    long pause = limiter.rateLimited();
                    LOG.warn("rate limited on {}: every worker pauses {} ms", segment.ytid(), pause / 1_000_000);
                } else if (attempt <= config.retries()) {
                    Thread.sleep(backoffMillis(attempt));
                }
            } finally {
                deleteQuietly(temp[0]);
            }
        }
        return new ClipResult(row, ClipStatus.FAILED, last.failureClass(), attempts, last.getMessage(), 0);
    }

    /**
     * {@link #decodeTemp}, a failure fatal to the run (no other clip could be written there either).
     *
     * @throws AudioSetException naming {@code jobDir} and the reason ("disk full: " first if it is)
     */
    static Path createTemp(Segment segment, Path jobDir) {
        try {
            return decodeTemp(segment, jobDir);
        } catch (IOException e) { // the folder, not the hidden name
            IOException named = OutputFolder.cannotWriteIn(jobDir.resolve(segment.wavFileName()), ".YT_"
                    + segment.ytid() + "." + ProcessTag.current() + ".<random>.decode" + TEMP_SUFFIX, e);
            throw new AudioSetException((diskFull(named.getMessage()) ? "disk full: " : "") + named.getMessage(), e);
        }
    }

    /**
     * @param message a tool's or the system's error message
     * @return whether it says the disk (or the user's quota) is full: fatal, since no retry can succeed
     */
    static boolean diskFull(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("no space left on device") || m.contains("disk quota exceeded");
    }

    /**
     * @param attempt the attempt that failed, from 1
     * @return the delay before the next: {@code retryDelay * 2^(attempt-1)}, capped, times a jitter in [0.5, 1.5)
     */
    long backoffMillis(int attempt) {
        double base = config.retryDelay().toMillis() * Math.pow(2, Math.min(30, attempt - 1));
        double capped = Math.min(base, config.maxRetryDelay().toMillis());
        return (long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * @param temp receives the decode file, created ({@code CREATE_NEW}) only once the media is resolved and the
     *     rate limiter lets the request go, right before ffmpeg writes it: a file waiting for a slot would look
     *     abandoned to a run on another host (see {@code DownloadStage}'s clean-up)
     */
    private ClipResult attempt(SegmentRow row, Path jobDir, Path[] temp, int attempt)
            throws ClipFailure, InterruptedException {
        Segment segment = row.segment();
        if (resolverRequests) {
            limiter.acquire();
        }
        ResolvedMedia media = resolver.resolve(segment);
        limiter.acquire();
        temp[0] = createTemp(segment, jobDir);
        FfmpegSection.Report report = ffmpeg.decode(media, segment, temp[0]);
        afterDecode.accept(segment);
        double mediaSeconds = Double.isNaN(report.mediaSeconds()) ? media.durationSeconds() : report.mediaSeconds();
        if (!Double.isNaN(mediaSeconds) && segment.startSeconds() >= mediaSeconds) {
            throw pastTheEnd(segment, mediaSeconds);
        }
        AudioClip clip;
        try {
            long size = Files.size(temp[0]);
            if (size > MAX_DECODED_BYTES) {
                throw new ClipFailure(FailureClass.PERMANENT, "the decoded section is " + (size >> 20) + " MB, more"
                        + " than " + (MAX_DECODED_BYTES >> 20) + " MB: too many channels or too high a rate");
            }
            clip = size > 0 ? WavReader.read(temp[0]) : null;
        } catch (IOException | RuntimeException e) {
            throw new ClipFailure(FailureClass.TRANSIENT, "short transfer: unreadable output: " + e.getMessage(), e);
        }
        if (clip == null || clip.frames() == 0) {
            if (!Double.isNaN(mediaSeconds) && segment.startSeconds() > mediaSeconds - SHORT_TOLERANCE_SECONDS) {
                throw pastTheEnd(segment, mediaSeconds); // a stated duration a little longer than what decodes
            }
            throw new ClipFailure(FailureClass.TRANSIENT, "short transfer: ffmpeg wrote no samples");
        }
        int rate = clip.sampleRate();
        long expected = Math.round(segment.durationMs() * (double) rate / 1000.0);
        ClipStatus status = ClipStatus.DOWNLOADED;
        long keep = expected;
        if (clip.frames() < expected) {
            boolean endsInside = !Double.isNaN(mediaSeconds)
                    && mediaSeconds * 1000 < segment.endMs() + SHORT_TOLERANCE_SECONDS * 1000;
            long remaining = endsInside ? Math.min(expected, Math.round((mediaSeconds - segment.startSeconds()) * rate))
                    : expected;
            if (!endsInside || clip.frames() < remaining - SHORT_TOLERANCE_SECONDS * rate) {
                throw new ClipFailure(FailureClass.TRANSIENT, "short transfer: " + clip.frames() + " of "
                        + remaining + " frames decoded");
            }
            status = ClipStatus.SHORT;
            keep = Math.min(clip.frames(), remaining);
        }
        float[][] channels = shape(clip, (int) keep);
        Path target = jobDir.resolve(segment.wavFileName());
        try {
            WavWriter.write(target, rate, channels, WavEncoding.PCM_16);
        } catch (IOException e) {
            throw new AudioSetException((diskFull(e.getMessage()) ? "disk full: " : "") + "cannot write " + target
                    + ": " + e.getMessage(), e);
        }
        String message = status == ClipStatus.SHORT
                ? String.format("short: media ends at %.3f s, %d of %d frames", mediaSeconds, keep, expected)
                : "ok";
        return new ClipResult(row, status, null, attempt, message, keep);
    }

    private static ClipFailure pastTheEnd(Segment segment, double mediaSeconds) {
        return new ClipFailure(FailureClass.PERMANENT, String.format(Locale.ROOT, "segment starts past the end:"
                + " start %.3f s, media %.3f s", segment.startSeconds(), mediaSeconds));
    }

    /** Trims to {@code frames} and, unless the source format is kept, averages the channels. */
    private float[][] shape(AudioClip clip, int frames) {
        int n = clip.channelCount();
        if (config.sampleRate().isEmpty()) {
            float[][] out = new float[n][];
            for (int c = 0; c < n; c++) {
                out[c] = java.util.Arrays.copyOf(clip.channel(c), frames);
            }
            return out;
        }
        float[] mono = new float[frames];
        for (int c = 0; c < n; c++) {
            float[] ch = clip.channel(c);
            for (int i = 0; i < frames; i++) {
                mono[i] += ch[i];
            }
        }
        if (n > 1) {
            float scale = 1.0f / n;
            for (int i = 0; i < frames; i++) {
                mono[i] *= scale;
            }
        }
        return new float[][] {mono};
    }

    /** Deletes a temporary file if there is one ({@code p} may be null), logging a failure. */
    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete temporary file {}: {}", p, e.getMessage());
        }
    }
}
