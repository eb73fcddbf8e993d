package io.github.audiosetdl.examples.demo;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentCsv;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.download.ToolLocator;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.examples.render.CochleagramRenderer;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.FeatureStats;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline demo: a loopback media server stands in for YouTube, serving clips that ffmpeg
 * synthesises for a built-in list of real AudioSet segments (a few deliberately fail), and the real
 * pipeline runs on it: download (through yt-dlp when it is installed, as for YouTube, or directly),
 * pack, cochleagram, and a rendered PNG.
 *
 * <p>Writes under the output folder: {@code demo_segments.csv}, {@code demo_segments_downloads/},
 * {@code logs/}, {@code demo_segments.hdf5}, {@code demo_segments_metadata.npy},
 * {@code demo_segments_Coch.hdf5}, {@code demo_segments_average.npy}, {@code demo_segments_stats.npz} (the
 * normalisation statistics, as {@code run} writes them) and {@code demo_segments_row0.png}.
 */
public final class Demo {
    /** The data set's name, which names every output. */
    public static final String NAME = "demo_segments";
    /** Ids the media server answers with "Video unavailable" (404). */
    static final String UNAVAILABLE_ID = "1NkUBIl2Plw";
    /** Ids the media server answers with an HTML page instead of media. */
    static final String NOT_MEDIA_ID = "02Ak1eIyj3M";
    /** An id whose video ends 5 s into its segment (kept, marked short). */
    static final String ENDS_EARLY_ID = "DUmXpq-Cksg";

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    /** How long a stop (SIGTERM, Ctrl-C) waits for the synthesis's ffmpeg runs to end, in seconds. */
    private static final long STOP_WAIT_SECONDS = 10;
    private static final String CSV_RESOURCE = "/io/github/audiosetdl/examples/demo/demo_segments.csv";

    private Demo() {
    }

    /**
     * What the demo did.
     *
     * @param outputDir the folder holding everything
     * @param resolver how media URLs were resolved ({@code yt-dlp} or {@code direct})
     * @param summary the pipeline's summary
     * @param stats the cochleagrams' normalisation statistics ({@code demo_segments_stats.npz})
     * @param png the rendered cochleagram of the first row
     * @param requests HTTP requests the media server answered
     * @param bytesServed media bytes it sent
     */
    public record Result(Path outputDir, ResolverKind resolver, PipelineSummary summary, Path stats, Path png,
            long requests, long bytesServed) {
        /** Validates. */
        public Result {
            requireNonNull(outputDir, "outputDir");
            requireNonNull(resolver, "resolver");
            requireNonNull(summary, "summary");
            requireNonNull(stats, "stats");
            requireNonNull(png, "png");
        }
    }

    /**
     * Runs the demo.
     *
     * @param outputDir where to write (created; an earlier demo's downloads there are reused, as a
     *     resumed run would)
     * @param resolver {@code null} to use yt-dlp when it is on {@code PATH} and resolve directly otherwise
     * @param listener sees the pipeline's progress
     * @return what it did
     * @throws IOException if a file cannot be written or ffmpeg fails to synthesise the media
     */
    public static Result run(Path outputDir, ResolverKind resolver, PipelineListener listener) throws IOException {
        requireNonNull(outputDir, "outputDir");
        requireNonNull(listener, "listener");
        Path out = outputDir.toAbsolutePath().normalize();
        OutputFolder.createDirectories(out); // a folder that takes none named, with the reason
        Path csv = out.resolve(NAME + ".csv");
        try (InputStream in = Demo.class.getResourceAsStream(CSV_RESOURCE)) {
            if (in == null) {
                throw new IOException("the demo's segment list " + CSV_RESOURCE + " is missing from the jar");
            }
            installSegmentList(in, csv);
        }
        Path ffmpeg = ToolLocator.find("ffmpeg", Optional.empty());
        Path media = out.resolve("media");
        synthesise(ffmpeg, csv, media);

        ResolverKind kind = resolver != null ? resolver
                : ToolLocator.onPath("yt-dlp").isPresent() ? ResolverKind.YT_DLP : ResolverKind.DIRECT;
        Map<String, DemoMediaServer.Failure> failures = Map.of(UNAVAILABLE_ID, DemoMediaServer.Failure.UNAVAILABLE,
                NOT_MEDIA_ID, DemoMediaServer.Failure.NOT_MEDIA);
        try (DemoMediaServer server = DemoMediaServer.start(media, failures)) {
            DownloadConfig download = DownloadConfig.builder(out, NAME).threads(4).resolver(kind)
                    .urlTemplate(server.baseUrl() + "/media/{id}").ffmpeg(ffmpeg).retries(1)
                    .retryDelay(Duration.ofMillis(200)).build();
            PipelineSummary summary = AudioSetPipeline.builder().download(download).segments(csv)
                    .store(Hdf5DatasetStore.INSTANCE).features(CochleagramFeatures.of(CochleagramConfig.seed()))
                    .listener(listener)
                    .build().run();
            Path cochleagrams = out.resolve(NAME + "_Coch.hdf5");
            Path png = out.resolve(NAME + "_row0.png");
            Path stats = FeatureStats.write(cochleagrams, out, Runtime.getRuntime().availableProcessors());
            try (CochleagramFileReader reader = CochleagramFileReader.open(cochleagrams)) {
                CochleagramRenderer.writePng(reader, OptionalLong.of(0), png);
            }
            return new Result(out, kind, summary, stats, png, server.requests(), server.bytesServed());
        }
    }

    /**
     * Puts the demo's segment list in the output folder as the project writes its other files: read whole, written
     * to a unique temporary file beside {@code csv}, synced and renamed onto it
     * ({@link AvailabilityReport#writeAtomically}). Copied straight to its final name, a demo killed mid-copy left a
     * truncated CSV there, which a user (or a pipeline run on it) read as the whole list until the next demo.
     *
     * @param in the list's bytes
     * @param csv its final name
     * @throws IOException if reading {@code in} or writing fails ({@code csv} is then as it was)
     */
    static void installSegmentList(InputStream in, Path csv) throws IOException {
        AvailabilityReport.writeAtomically(csv, in.readAllBytes());
    }

    /** Renders each segment's stand-in video (once; kept for reruns) in parallel. */
    private static void synthesise(Path ffmpeg, Path csv, Path media) throws IOException {
        OutputFolder.createDirectories(media);
        List<Segment> segments;
        try (Stream<SegmentRow> rows = SegmentCsv.stream(csv)) {
            segments = rows.map(SegmentRow::segment).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        // SIGTERM or Ctrl-C (of this JVM alone, e.g. kill PID) stops the ffmpeg runs and deletes their partial files
        Thread stop = new Thread(() -> {
            pool.shutdownNow(); // interrupts the workers: each stops its ffmpeg (BoundedProcess) and deletes its .part
            try {
                pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-synthesis-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Segment s : segments) {
                Path file = media.resolve(s.ytid() + "." + DemoSounds.Kind.of(s).extension);
                if (Files.isRegularFile(file)) {
                    continue;
                }
                // Each video runs from 0 s to 2 s past its segment's end; one ends 5 s into its segment.
                double seconds = s.ytid().equals(ENDS_EARLY_ID) ? s.startMs() / 1000.0 + 5 : s.endMs() / 1000.0 + 2;
                jobs.add(pool.submit(() -> {
                    DemoSounds.render(ffmpeg, s, seconds, file);
                    return null;
                }));
            }
            LOG.info("demo: synthesising {} stand-in videos with {}", jobs.size(), ffmpeg);
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while synthesising the demo's media");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("synthesising the demo's media failed", cause);
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs
            }
        }
    }
}
