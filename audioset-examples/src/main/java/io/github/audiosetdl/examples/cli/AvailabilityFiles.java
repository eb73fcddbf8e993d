package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.examples.render.AvailabilityChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** Writes {@code <name>_availability.json}, {@code .csv} and {@code .png} (for report, download and run). */
final class AvailabilityFiles {
    /** Runs between reading the logs and writing the files; a test's hook, else nothing. */
    static volatile Runnable afterRead = () -> { };

    private AvailabilityFiles() {
    }

    /**
     * @param logsDir the logs folder
     * @param name the data set's name
     * @param selection the requested segments, or {@code null} for the ids in the logs
     * @param outDir where the files go
     * @return the report and the files written (json, csv, png)
     * @throws IOException if the logs cannot be read or the files written
     */
    static Written write(Path logsDir, String name, SegmentSelection selection, Path outDir) throws IOException {
        // from reading the logs to the last rename, one writer at a time: the tasks of an array each write the
        // report at their end, and one that read the logs earlier must not rename its report over a newer one
        ReportLock lock = ReportLock.acquire(logsDir, name);
        try {
            AvailabilityReport report = selection == null ? AvailabilityReport.fromLogs(logsDir, name)
                    : AvailabilityReport.fromLogs(logsDir, name, selection);
            afterRead.run();
            List<Path> files = new ArrayList<>(report.write(outDir));
            Path png = outDir.resolve(name + "_availability.png");
            AvailabilityChart.write(report, png);
            files.add(png);
            return new Written(report, List.copyOf(files));
        } finally {
            lock.close();
        }
    }

    /**
     * Writes the report at the end of a {@code download} or {@code run}; a failure to write it is printed, never
     * fatal (the clips are on disk either way). A dry run writes none.
     *
     * @param spec the command, for its output streams
     * @param config the run's configuration (logs folder, name, output folder)
     * @param sel the selection: its segments are the requested ones; of a shard (one task of an array), those of
     *     the whole array (the rows of tasks not run yet, or cancelled, are not attempted)
     */
    static void afterRun(CommandSpec spec, DownloadConfig config, SegmentSelection sel) {
        if (config.dryRun()) {
            return;
        }
        try {
            Written w = write(config.logsDir(), config.name(), sel.withShard(Shard.ALL), config.outputDir());
            ReportCommand.print(spec.commandLine().getOut(), w);
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("availability report not written: " + e);
            spec.commandLine().getErr().flush();
        }
    }

    /**
     * @param report the report
     * @param files the files written
     */
    record Written(AvailabilityReport report, List<Path> files) {
    }
}
