package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.FailureClass;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            "", "Give --csv the download's CSV and the same --label and --limit it was given, so that the requested"
                + " segments are the ones it selected.",
            "", "Example:",
            "  audioset report --logs data/logs --out data --csv eval_segments.csv \\", "      --label Dog"})
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

    @Option(names = "--label", paramLabel = "NAME_OR_MID", description = "With --csv: the rows the download"
            + " kept, as its --label selected them (repeatable; default: every row).")
    private List<String> labelFilters = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "With --csv: at most N rows, as the download's"
            + " --limit kept them.")
    private Long limit;

    @Option(names = "--labels", paramLabel = "FILE", description = "With --csv: the class_labels_indices.csv the"
            + " download checked MIDs against (default: the bundled AudioSet one).")
    private Path labelsFile;

    @Option(names = "--ontology", paramLabel = "FILE",
            description = "With --csv: the ontology.json of --label (default: the bundled AudioSet ontology).")
    private Path ontologyFile;

    @Option(names = "--on-error", paramLabel = "fail|skip", description = "With --csv: a bad CSV row fails the"
            + " report, or is skipped as the download skipped it (default: fail).")
    private String onError;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The data set (default: the only one in --logs, else the CSV's base name).")
    private String name;

    @Override
    public Integer call() throws Exception {
        if (name != null && (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".")
                || name.equals(".."))) { // as pack's --name: a usage error that names the option, before any read
            throw new ParameterException(spec.commandLine(), "--name '" + name + "' is not a file name: give the"
                    + " data set's name, the <name> of its <name>_goodlogs folder in --logs");
        }
        FileChecks.inputDirectory(logs);
        SegmentSelection selection = null;
        if (csv != null) {
            FileChecks.inputFile(csv);
            selection = AudioSetCli.fromOptions(spec, () -> SelectionOptions.selection(csv,
                    SelectionOptions.csvOptions(labelsFile, onError == null ? "fail" : onError), labelFilters,
                    ontologyFile, limit).build()); // --limit -1, --on-error maybe: usage errors, as download's
        } else if (!labelFilters.isEmpty() || limit != null || labelsFile != null || ontologyFile != null
                || onError != null) {
            throw new ParameterException(spec.commandLine(), "--label, --limit, --labels, --ontology and --on-error"
                    + " select rows of --csv: give --csv too");
        }
        String dataset = name;
        if (dataset == null) {
            List<String> names = AvailabilityReport.namesIn(logs);
            if (names.size() == 1) {
                dataset = names.get(0);
            } else if (csv != null) {
                dataset = DownloadConfig.nameOf(csv);
            } else if (names.isEmpty()) { // the download's --out given instead of its logs folder, most likely
                // what the folder holds, not the option, is wrong: the command fails (exit 1), as for a file
                Path inside = logs.resolve("logs");
                throw new AudioSetException("--logs " + logs + " holds no download logs (no"
                        + " <name>_goodlogs or <name>_errorlogs folder): give the download's OUT/logs"
                        + (Files.isDirectory(inside) && !AvailabilityReport.namesIn(inside).isEmpty()
                                ? ", here --logs " + inside : ""));
            } else {
                throw new AudioSetException("--logs " + logs + " holds the logs of " + names + ": give --name");
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
