package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.FailureClass;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code audioset report}: the availability report of a data set from its download logs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the availability report of a downloaded data set from its logs:"
                + " OUT/<name>_availability.json (requested, obtained, failed per class, reasons, per label),"
                + " .csv (one row per label) and .png (obtained fraction per top-level class, the 30 worst labels).",
            "", "Example: audioset report --logs data/logs --out data --csv eval_segments.csv"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--logs", required = true, paramLabel = "DIR",
            description = "The logs folder (OUT/logs of download: <name>_goodlogs, <name>_errorlogs).")
    private Path logs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    private Path out;

    @Option(names = "--csv", paramLabel = "FILE", description = "The segments CSV (or strong label file) that was"
            + " requested: segments the logs never mention count as not attempted (default: the ids in the logs).")
    private Path csv;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The data set (default: the only one in --logs, else the CSV's base name).")
    private String name;

    @Override
    public Integer call() throws Exception {
        FileChecks.inputDirectory(logs);
        SegmentSelection selection = null;
        if (csv != null) {
            FileChecks.inputFile(csv);
            selection = SegmentSelection.builder(csv).build();
        }
        String dataset = name;
        if (dataset == null) {
            List<String> names = AvailabilityReport.namesIn(logs);
            if (names.size() == 1) {
                dataset = names.get(0);
            } else if (csv != null) {
                dataset = DownloadConfig.nameOf(csv);
            } else {
                throw new ParameterException(spec.commandLine(), "--logs " + logs + " holds the"
                        + " logs of " + (names.isEmpty() ? "no data set" : names) + ": give --name");
            }
        }
        FileChecks.outputDirectory(out);
        AvailabilityFiles.Written w = AvailabilityFiles.write(logs, dataset, selection, out);
        print(spec.commandLine().getOut(), w);
        return 0;
    }

    /**
     * @param o where to print
     * @param w the report and its files
     */
    static void print(PrintWriter o, AvailabilityFiles.Written w) {
        AvailabilityReport r = w.report();
        o.printf("availability      %,d of %,d obtained (%.1f%%); failed %,d permanent, %,d transient, %,d"
                + " rate-limited%s%n", r.obtained(), r.requested(), r.requested() == 0 ? 0.0
                        : 100.0 * r.obtained() / r.requested(), r.failed().get(FailureClass.PERMANENT),
                r.failed().get(FailureClass.TRANSIENT), r.failed().get(FailureClass.RATE_LIMITED),
                r.notAttempted() > 0 ? String.format(", %,d not attempted", r.notAttempted()) : "");
        for (Path f : w.files()) {
            o.printf("report            %s%n", f);
        }
        o.flush();
    }
}
