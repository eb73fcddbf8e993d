package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.DownloadStage;
import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.download.FailureClass;
import io.github.audiosetdl.core.download.LabelAvailability;
import io.github.audiosetdl.core.progress.PipelineListener;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            "Example:", "  audioset download --csv eval_segments.csv --out data --threads 8 \\",
            "      --max-requests-per-minute 60"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; nothing transient is left to retry", "1:the command failed", "2:bad usage",
            "3:transient or rate-limited failures remain: run the same command again",
            "130:stopped by Ctrl-C (143: by SIGTERM); the clips on disk are complete, and the same command resumes"})
final class DownloadCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private SelectionOptions selection;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Folder receiving <name>_downloads/ and logs/ (default: the current folder).")
    private Path out;

    @Mixin
    private DownloadOptions download;

    @Mixin
    private ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        SegmentSelection sel = AudioSetCli.fromOptions(spec, () -> selection.selection(System.getenv()));
        DownloadConfig config = AudioSetCli.fromOptions(spec, () -> download.config(out,
                DownloadConfig.nameOf(sel.csv())));
        PipelineListener listener = AudioSetCli.fromOptions(spec, () -> progress.listener(spec));
        FileChecks.inputFile(sel.csv());
        SelectionOptions.requireSegments(sel);
        FileChecks.outputDirectory(out);
        DownloadStage stage = DownloadStage.builder().config(config).listener(listener).build();
        DownloadSummary summary = stage.run(sel);
        print(spec.commandLine().getOut(), sel, summary, stage, config.dryRun());
        AvailabilityFiles.afterRun(spec, config, sel);
        return AudioSetCli.exitCode(summary.complete());
    }

    private static void print(PrintWriter w, SegmentSelection sel, DownloadSummary s, DownloadStage stage,
            boolean dryRun) {
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
        if (dryRun) { // it writes none: naming them would send the reader to files that do not exist
            w.printf("logs               none written (dry run)%n");
        } else {
            w.printf("logs               %s, %s%n", stage.goodLog(sel.shard()), stage.errorLog(sel.shard()));
        }
        if (!s.complete()) {
            w.printf("%,d clip(s) failed transiently: run the same command again to retry them (exit code %d)%n",
                    s.transientLeft(), AudioSetCli.EXIT_RETRY);
        }
        w.flush();
    }
}
