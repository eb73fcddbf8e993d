package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.pipeline.DerivedFile;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.FeatureStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audioset stats}: a cochleagram file's normalisation statistics into {@code X_stats.npz}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Read a cochleagram file once and write OUT/X_stats.npz (numpy's zip of .npy, float64, no"
                + " pickle): mean (C, F), channel_mean (C), channel_std (C) over all clips and frames, the channel"
                + " covariance cov (C, C), and its eigendecomposition pca_values (C, descending) and pca_vectors"
                + " (C, C, as columns).", "",
            "Example:", "  audioset stats --in data/eval_segments_Coch.hdf5"})
final class StatsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "X_Coch.hdf5", description = "The cochleagram file.")
    private Path in;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the input's folder).")
    private Path out;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads for each clip's covariance (default: the processors).")
    private Integer threads;

    @Override
    public Integer call() throws Exception {
        int workers = AudioSetCli.fromOptions(spec, () -> CochleagramCommand.threads(threads, "--threads"));
        FileChecks.inputFile(in);
        Path dir = out != null ? out : in.toAbsolutePath().getParent();
        FileChecks.outputDirectory(dir);
        // beside the cochleagrams, recorded as those a run writes are (a run keeps them while they are up to date)
        Path file = dir.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize().getParent())
                ? writeBeside(in, workers)
                : FeatureStats.write(in, dir, workers);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + file);
        o.flush();
        return 0;
    }

    /**
     * Refuses, before anything is computed, cochleagrams too wide for the statistics a run would write after them:
     * without this check the cochleagram files were written, then the run failed and left the statistics of the
     * cochleagrams it replaced.
     *
     * @param spec the command, for the usage error
     * @param channels the cochleagrams' channels (C)
     * @throws CommandLine.ParameterException if C is above {@link FeatureStats#MAX_CHANNELS}, naming {@code --no-stats}
     */
    static void checkChannels(CommandSpec spec, int channels) {
        if (channels > FeatureStats.MAX_CHANNELS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "these parameters give " + channels
                    + " channels, and the statistics (_stats.npz, a C x C covariance) take at most "
                    + FeatureStats.MAX_CHANNELS + ": add --no-stats, or lower --n or --sample-factor");
        }
    }

    /**
     * @param rows the cochleagrams
     * @param frames frames of each
     * @return whether they are enough for statistics: a row, and two observations (frames) in all
     */
    static boolean enough(long rows, int frames) {
        return rows > 0 && rows * frames >= 2;
    }

    /**
     * The statistics of the cochleagram file a stage just wrote, beside it (as {@code cochleagram} and {@code run}
     * write them).
     *
     * @param features the cochleagram stage's summary: its first file is the cochleagram file
     * @param threads threads for each clip's covariance
     * @return the statistics file written
     * @throws IOException if reading or writing fails
     */
    static Path writeBeside(FeatureSummary features, int threads) throws IOException {
        return writeBeside(features.files().get(0), threads);
    }

    /**
     * The statistics beside {@code cochleagrams}, computed and recorded ({@link DerivedFile#writeLocked}): the
     * statistics file there is deleted first (it described the cochleagrams they replaced, and a run killed or failing
     * while computing the new statistics would leave it beside them), and the record names the cochleagram file as it
     * was read, so that {@link #staleBeside} knows the statistics describe it. The file is renamed into place under
     * the lock of its name ({@code .X_stats.npz.lock}), held until it is recorded.
     *
     * @param cochleagrams a cochleagram file
     * @param threads threads for each clip's covariance
     * @return the statistics file written beside it, named as {@code cochleagrams} is (relative if it is)
     * @throws IOException if reading or writing fails
     */
    static Path writeBeside(Path cochleagrams, int threads) throws IOException {
        Path stats = statsBeside(cochleagrams);
        // renamed into place under the lock of its name, released once recorded: a program writing the file
        // directly (FeatureStats.writeNpz) cannot replace it before the record, which would then name its file
        DerivedFile.writeLocked(stats, List.of(cochleagrams), () -> {
            DerivedFile.delete(stats); // under the lock of its name, as every deletion of it
            FeatureStats computed;
            try (CochleagramFileReader reader = CochleagramFileReader.open(cochleagrams)) {
                computed = FeatureStats.compute(reader, threads);
            }
            return computed.writeNpzLocked(stats);
        });
        return cochleagrams.resolveSibling(stats.getFileName());
    }

    /** @return the statistics file beside {@code cochleagrams} */
    static Path statsBeside(Path cochleagrams) {
        return FeatureStats.statsFile(cochleagrams, cochleagrams.toAbsolutePath().getParent());
    }

    /**
     * @param cochleagrams a cochleagram file
     * @return whether the statistics file beside it is missing or does not describe it: its record (written with it)
     *     names other cochleagrams (replaced since, whatever the files' times say), or it has none (a run killed
     *     while computing them, one that wrote new cochleagrams without statistics, an older version)
     * @throws IOException if the files' attributes cannot be read
     */
    static boolean staleBeside(Path cochleagrams) throws IOException {
        return DerivedFile.whyStale(statsBeside(cochleagrams), List.of(cochleagrams)).isPresent();
    }

    /**
     * Deletes the statistics file beside {@code cochleagrams}, and its record, when it does not describe them: it
     * describes cochleagrams that have since been replaced (by a run with {@code --no-stats}, or with no rows).
     *
     * @param cochleagrams a cochleagram file just written
     * @param o where to say so
     * @throws IOException if it cannot be deleted
     */
    static void removeStaleBeside(Path cochleagrams, PrintWriter o) throws IOException {
        Path stats = statsBeside(cochleagrams);
        // judged and deleted under the locks a run writing them holds until it has recorded them: judged before such
        // a run put fresh statistics in place and deleted after, they were deleted, and the statistics were missing
        if (Files.exists(stats) && staleBeside(cochleagrams)
                && DerivedFile.deleteIfStale(stats, List.of(cochleagrams))) {
            o.println("deleted " + stats + ": it described the cochleagrams this run replaced");
        }
    }
}
