package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.DownloadStage;
import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.download.FailureClass;
import io.github.audiosetdl.core.download.LabelAvailability;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.pipeline.PipelineListener;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audioset download}: fetches each selected segment's 10-s section as {@code YT_<id>.wav}. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download the clips of a segments CSV: only each segment's section is fetched, decoded to"
                + " 16-bit WAV (16 kHz mono by default) and written as <out>/<name>_downloads/<name>_downloads_<job>/"
                + "YT_<id>.wav, with good and error logs under <out>/logs/. Rerun to resume.", "",
            "Example: audioset download --csv eval_segments.csv --out data --threads 8 --max-requests-per-minute 60"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; nothing transient is left to retry", "1:the command failed", "2:bad usage",
            "3:transient or rate-limited failures remain: run the same command again"})
final class DownloadCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private SelectionOptions selection;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Folder receiving <name>_downloads/ and logs/ (default: the current folder).")
    private Path out;

    @Option(names = {"--threads", "-e"}, paramLabel = "T", defaultValue = "4",
            description = "Parallel downloads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = {"--per-job-folders", "-m"},
            description = "Each job writes to its own <name>_downloads_<job> folder (default: all jobs share _0).")
    private boolean perJobFolders;

    @Option(names = "--sample-rate", paramLabel = "HZ|source", defaultValue = "16000",
            description = "Output rate in Hz, mono (the channel average); 'source' keeps the source's rate and"
                    + " channels (default: ${DEFAULT-VALUE}).")
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
            description = "First retry delay, doubling each retry with jitter; fractions allowed"
                    + " (default: ${DEFAULT-VALUE}).")
    private BigDecimal retryDelay;

    @Option(names = "--max-requests-per-minute", paramLabel = "X", defaultValue = "0",
            description = "Request budget shared by all threads (yt-dlp runs and media fetches); 0: no limit.")
    private double maxRequestsPerMinute;

    @Option(names = "--cookies", paramLabel = "FILE", description = "Netscape cookies file passed to yt-dlp.")
    private Path cookies;

    @Option(names = "--proxy", paramLabel = "URL", description = "Proxy for yt-dlp (and ffmpeg, if http).")
    private String proxy;

    @Option(names = "--yt-dlp", paramLabel = "PATH", description = "The yt-dlp program (default: from PATH).")
    private Path ytDlp;

    @Option(names = "--ffmpeg", paramLabel = "PATH",
            description = "The ffmpeg program (default: from PATH, else the bundled org.bytedeco build).")
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

    @Override
    public Integer call() throws Exception {
        SegmentSelection sel = selection.selection(System.getenv());
        DownloadConfig.Builder b = DownloadConfig.builder(out, DownloadConfig.nameOf(sel.csv()))
                .threads(threads).perJobFolders(perJobFolders).sampleRate(sampleRate)
                .resolver(ResolverKind.parse(resolver)).retries(retries)
                .retryDelay(seconds(retryDelay, "--retry-delay"))
                .maxRequestsPerMinute(maxRequestsPerMinute).socketTimeout(seconds(socketTimeout, "--socket-timeout"))
                .toolTimeout(seconds(toolTimeout, "--timeout")).dryRun(dryRun);
        Duration delay = seconds(retryDelay, "--retry-delay");
        if (delay.compareTo(Duration.ofMinutes(2)) > 0) {
            b.maxRetryDelay(delay.multipliedBy(8));
        }
        if (urlTemplate != null) {
            b.urlTemplate(urlTemplate);
        }
        if (cookies != null) {
            b.cookies(cookies);
        }
        if (proxy != null) {
            b.proxy(proxy);
        }
        if (ytDlp != null) {
            b.ytDlp(ytDlp);
        }
        if (ffmpeg != null) {
            b.ffmpeg(ffmpeg);
        }
        DownloadStage stage = new DownloadStage(b.build(), PipelineListener.logging());
        DownloadSummary summary = stage.run(sel);
        print(spec.commandLine().getOut(), sel, summary, stage);
        return summary.exitStatus() == 0 ? 0 : AudioSetCli.EXIT_RETRY;
    }

    private static Duration seconds(BigDecimal value, String flag) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException(flag + " " + value.toPlainString() + " must be >= 0 seconds");
        }
        return Duration.ofNanos(value.movePointRight(9).longValue());
    }

    private static void print(PrintWriter w, SegmentSelection sel, DownloadSummary s, DownloadStage stage) {
        w.printf("selection          %s (%s)%n", sel.shard(), sel.csv().getFileName());
        w.printf("downloads folder   %s%n", s.downloadsDir());
        w.printf("job folder         %s%n", s.jobDir());
        w.printf("selected           %,d%n", s.selected());
        w.printf("downloaded         %,d%n", s.downloaded());
        w.printf("short (video ends) %,d%n", s.shortClips());
        w.printf("already there      %,d%n", s.skippedExisting());
        if (s.pending() > 0) {
            w.printf("to fetch (dry run) %,d%n", s.pending());
        }
        for (FailureClass c : FailureClass.values()) {
            w.printf("failed %-11s %,d%n", c.label(), s.failed().get(c));
        }
        List<Map.Entry<String, LabelAvailability>> worst = s.perLabel().entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> e.getValue().fraction())).limit(5).toList();
        if (!worst.isEmpty() && s.pending() == 0) {
            w.printf("least available labels:%n");
            for (Map.Entry<String, LabelAvailability> e : worst) {
                w.printf("  %-12s %,d of %,d%n", e.getKey(), e.getValue().available(), e.getValue().selected());
            }
        }
        w.printf("logs               %s, %s%n", stage.goodLog(sel.shard()), stage.errorLog(sel.shard()));
        if (s.exitStatus() != 0) {
            w.printf("%,d clip(s) failed transiently: run the same command again to retry them (exit code %d)%n",
                    s.transientLeft(), AudioSetCli.EXIT_RETRY);
        }
        w.flush();
    }
}
