package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.CochleagramPreset;
import io.github.audiosetdl.cochlea.Compression;
import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.CochleagramFileWriter;
import io.github.audiosetdl.hdf5.FeatureFileParts;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audioset cochleagram}: a waveform file into a cochleagram file and its average. */
@Command(name = "cochleagram", mixinStandardHelpOptions = true,
        description = {"Compute the cochleagram of every row of a waveform file (ours, or the seed's h5py file):"
                + " writes OUT/<name>_Coch.hdf5 (/coch (N, C*F) float32, labels and metadata copied) and"
                + " OUT/<name>_average.npy (C, F) float32, and OUT/<name>_stats.npz (see 'stats') unless --no-stats;"
                + " <name> from the input's file name. Run again over files that are complete (newer than the"
                + " input, every row, the same parameters), it only writes statistics that are missing or were"
                + " computed from other cochleagrams: delete the files to compute them anew.", "",
            "Example:", "  audioset cochleagram --in data/eval_segments.hdf5 --threads 2", "",
            "Split across processes (e.g. a SLURM job array): each of --jobs N tasks computes its rows into a work"
                + " folder beside the output, then one 'cochleagram --finish' makes the files (the same as one"
                + " process writes). A task whose rows are done, or a finish whose files exist and are newer than the"
                + " input, does nothing."})
final class CochleagramCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE.hdf5", description = "The waveform file.")
    private Path in;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the input's folder).")
    private Path out;

    @Mixin
    private CochleagramOptions cochleagram;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the processors).")
    private Integer threads;

    @Option(names = "--no-stats", description = "Do not write <name>_stats.npz (a second pass over the output).")
    private boolean noStats;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ShardOptions jobs;

    @Option(names = "--finish", description = "Combine the rows that --jobs N tasks computed into the output files"
            + " (run once, after every task).")
    private boolean finish;

    @Override
    public Integer call() throws Exception {
        CochleagramConfig.Builder parameters = AudioSetCli.fromOptions(spec, cochleagram::builder);
        int workers = AudioSetCli.fromOptions(spec, () -> threads(threads, "--threads"));
        PipelineListener listener = AudioSetCli.fromOptions(spec, () -> progress.listener(spec));
        FileChecks.inputFile(in);
        FileChecks.outputDirectory(out != null ? out : in.toAbsolutePath().getParent());
        CochleagramConfig config;
        long inputRows;
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(in)) {
            config = AudioSetCli.fromOptions(spec, () -> cochleagram.forFile(parameters, in, source.sampleRate(),
                    source.rowLength()));
            inputRows = source.size();
        }
        Shard shard = AudioSetCli.fromOptions(spec, () -> jobs.shard(System.getenv()));
        if (finish && !shard.isAll()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--finish combines every job's rows: leave"
                    + " out --jobs and --job-index (and run it outside the job array)");
        }
        if (!noStats && shard.isAll()) { // a task of --jobs N writes no statistics
            StatsCommand.checkChannels(spec, config.channels());
        }
        AudioSetPipeline.Builder b = AudioSetPipeline.builder().waveforms(in).store(Hdf5DatasetStore.INSTANCE)
                .features(CochleagramFeatures.of(config)).threads(workers).listener(listener);
        if (out != null) {
            b.outputDir(out);
        }
        AudioSetPipeline pipeline = b.build();
        // a folder at a final name fails now, not after every row is computed
        FileChecks.outputFile(pipeline.featureFile());
        FileChecks.outputFile(CochleagramFileWriter.averageFile(pipeline.featureFile()));
        if (!noStats && shard.isAll()) {
            FileChecks.outputFile(StatsCommand.statsBeside(pipeline.featureFile()));
        }
        PrintWriter o = spec.commandLine().getOut();
        Path target = pipeline.featureFile();
        // Complete already (a rerun after a kill in the statistics, a task of a finished array): only the missing
        // statistics are written. Killed while computing them, a run left the cochleagrams without them. A record of
        // the inputs beside them (run, cochleagram) knows better than the files' times: one that says they were
        // computed from another waveform file (one moved or copied in with its older time) is believed.
        Path record = AudioSetPipeline.recordOf(target);
        if (Files.exists(target) && Files.isRegularFile(CochleagramFileWriter.averageFile(target))
                && (!Files.exists(record, LinkOption.NOFOLLOW_LINKS) || pipeline.whyFeaturesStale().isEmpty())
                && !FeatureFileParts.started(target)
                && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(in)) >= 0
                && madeWith(target, config, inputRows)) {
            o.println("complete already: " + target);
            // a finish killed after it published the file, before it deleted the parts' folder, left that folder
            // (a part sum per task, megabytes each): this rerun is the last to see it
            FeatureFileParts.removeLeftByFinish(target);
            // and a run killed after its renames, before it deleted its staging folder, left that folder
            CochleagramFileWriter.removeLeftByKilledWriters(target);
            if (!noStats && shard.isAll() && StatsCommand.enough(inputRows, config.frames())
                    && StatsCommand.staleBeside(target)) {
                o.println("wrote " + StatsCommand.writeBeside(target, workers));
            }
            o.flush();
            return 0;
        }
        FeatureSummary features;
        if (shard.isAll() && !finish) {
            Optional<FeatureSummary> computed = pipeline.run().features();
            if (computed.isEmpty()) { // recorded as computed from this input (the check above may differ on mtimes)
                o.println("complete already: " + target);
                if (!noStats && StatsCommand.enough(inputRows, config.frames()) && StatsCommand.staleBeside(target)) {
                    o.println("wrote " + StatsCommand.writeBeside(target, workers));
                }
                o.flush();
                return 0;
            }
            features = computed.get();
        } else {
            try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(in)) {
                if (finish) {
                    Files.deleteIfExists(record); // it describes the cochleagrams these replace
                    long start = System.nanoTime();
                    List<Path> files = FeatureFileParts.finish(target, source, CochleagramFeatures.of(config));
                    features = new FeatureSummary(source.size(), files, Duration.ofNanos(System.nanoTime() - start));
                } else {
                    FeatureStage stage = FeatureStage.builder().extractor(CochleagramFeatures.of(config))
                            .threads(workers).listener(listener).build();
                    features = FeatureFileParts.computePart(target, source, stage, shard);
                    if (shard.size(source.size()) == 0) { // more jobs than rows
                        o.printf("%s: no rows (the input has %d)%n", shard, source.size());
                    } else {
                        o.printf("%s: rows %d..%d of %d%s%n", shard, shard.start(source.size()),
                                shard.end(source.size()) - 1, source.size(),
                                features.files().isEmpty() ? " were done already" : "");
                    }
                }
            }
        }
        if (finish) { // the rows were computed by the tasks: a rate here would be the combining's
            o.printf("cochleagrams: %,d rows of %d x %d (%s) combined in %s%n", features.rows(), config.channels(),
                    config.frames(), describe(config), Progress.format(features.elapsed()));
        } else {
            o.printf("cochleagrams: %,d rows of %d x %d (%s) in %s, %.2f rows/s%n", features.rows(),
                    config.channels(), config.frames(), describe(config), Progress.format(features.elapsed()),
                    features.rowsPerSecond());
        }
        features.files().forEach(f -> o.println("wrote " + f));
        boolean stats = !noStats && shard.isAll(); // a task of --jobs N writes rows only; --finish writes the stats
        if (stats && StatsCommand.enough(features.rows(), config.frames())) {
            o.println("wrote " + StatsCommand.writeBeside(features, workers));
        } else if (shard.isAll() && !features.files().isEmpty()) {
            o.println(!stats ? "no statistics written (--no-stats)" : features.rows() == 0
                    ? "no rows: no statistics written" : "one frame in all: too few for statistics, none written");
            StatsCommand.removeStaleBeside(features.files().get(0), o);
        }
        o.flush();
        return 0;
    }

    /**
     * @return whether {@code file} is a cochleagram file of {@code rows} rows computed with {@code config} (a file
     *     of other parameters, or one that cannot be read as ours, is computed anew as one process would)
     */
    private static boolean madeWith(Path file, CochleagramConfig config, long rows) {
        try (CochleagramFileReader coch = CochleagramFileReader.open(file)) {
            return coch.size() == rows && CochleagramFeatures.configFrom(coch.attributes()).equals(config);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The most compute threads an option accepts (pack, cochleagram, stats, run). */
    static final int MAX_THREADS = 1024;

    /**
     * @param value a thread count option, or null
     * @param flag its name, for the message
     * @return the count, the processors when null
     */
    static int threads(Integer value, String flag) {
        if (value != null && (value < 1 || value > MAX_THREADS)) {
            throw new IllegalArgumentException(flag + " " + value + " is not in 1.." + MAX_THREADS);
        }
        return value != null ? value : Runtime.getRuntime().availableProcessors();
    }

    static String describe(CochleagramConfig c) {
        return c.preset() + ", n=" + c.n() + ", sample factor " + c.sampleFactor() + ", " + c.lowLimit() + "-"
                + c.highLimit() + " Hz, env " + c.envSampleRate() + " Hz, " + c.compression();
    }

    /** The cochleagram's parameters, shared by {@code cochleagram} and {@code run}. */
    static final class CochleagramOptions {
        @Option(names = "--preset", paramLabel = "seed|pycochleagram", defaultValue = "seed",
                description = "The envelope pipeline: the seed's 2017 graph (sqrt) or pycochleagram's own"
                        + " (power 0.3) (default: ${DEFAULT-VALUE}).")
        private String preset;

        @Option(names = "--n", paramLabel = "N", description = "Band-pass filters before oversampling (default 40).")
        private Integer n;

        @Option(names = "--sample-factor", paramLabel = "S",
                description = "Filter oversampling: 1 or an even number up to 64 (default 4).")
        private Integer sampleFactor;

        @Option(names = "--low-lim", paramLabel = "HZ", description = "Lowest filter edge in Hz (default 20).")
        private Double lowLim;

        @Option(names = "--high-lim", paramLabel = "HZ", description = "Highest filter edge in Hz (default 8000).")
        private Double highLim;

        @Option(names = "--env-sr", paramLabel = "HZ", description = "Envelope rate in Hz (default 200).")
        private Integer envSr;

        @Option(names = "--compression", paramLabel = "sqrt|none|power:P",
                description = "Compression (default: the preset's: sqrt for seed, power:0.3 for pycochleagram).")
        private String compression;

        /** The library's names for the parameters, in its messages, and what the user typed for them. */
        private static final Map<String, String> FLAGS = Map.of("preset", "--preset", "compression", "--compression",
                "power exponent", "the --compression power exponent", "sampleFactor", "--sample-factor",
                "lowLimit", "--low-lim", "highLimit", "--high-lim", "envSampleRate", "--env-sr",
                "sampleRate", "the input's sample rate", "signalLength", "the input's row length");
        private static final Pattern NAMES = Pattern.compile("\\bn\\b|\\b(" + String.join("|", FLAGS.keySet())
                + ")\\b");

        /**
         * @param sampleRate the waveform rows' rate in Hz
         * @param signalLength the waveform rows' length in samples
         * @return the configuration: the preset, then each option given
         * @throws IllegalArgumentException naming the option (not the library's parameter) and its value
         */
        CochleagramConfig config(int sampleRate, int signalLength) {
            return build(builder(), sampleRate, signalLength);
        }

        /**
         * The configuration of the cochleagrams of one waveform file. A value valid in itself that the file does not
         * allow is a failure of the command (exit 1, as {@code render --row} past the file's last row), not a usage
         * error: it names the file, the value and the file's limit. The options' own conflicts (a {@code --low-lim}
         * at or above {@code --high-lim}, too many channels) stay usage errors.
         *
         * @param b the options' parameters, from {@link #builder()}
         * @param file the waveform file, for the messages
         * @param sampleRate its rows' rate in Hz
         * @param signalLength its rows' length in samples
         * @return the configuration
         * @throws AudioSetException naming the file if the high limit (given or the preset's) is above its Nyquist
         *     frequency, the envelope rate does not divide its sample rate, its rate or row length is invalid, or its
         *     rows' length would make cochleagram rows above {@link CochleagramConfig#MAX_OUTPUT_LENGTH} values
         * @throws IllegalArgumentException naming the options if they conflict among themselves
         */
        CochleagramConfig forFile(CochleagramConfig.Builder b, Path file, int sampleRate, int signalLength) {
            try {
                b.sampleRate(sampleRate).signalLength(signalLength);
            } catch (IllegalArgumentException e) {
                throw new AudioSetException(file + ": " + inFlagTerms(e).getMessage(), e);
            }
            CochleagramConfig defaults = CochleagramConfig.of(CochleagramPreset.parse(preset));
            double high = highLim != null ? highLim : defaults.highLimit();
            int env = envSr != null ? envSr : defaults.envSampleRate();
            String given = highLim != null ? "--high-lim " : "the default --high-lim ";
            if (high > sampleRate / 2.0) {
                throw new AudioSetException(file + ": " + given + hz(high) + " Hz is above the Nyquist limit "
                        + hz(sampleRate / 2.0) + " Hz of its sample rate, " + sampleRate + " Hz: give a --high-lim of"
                        + " at most " + hz(sampleRate / 2.0));
            }
            if (env > sampleRate || sampleRate % env != 0) {
                throw new AudioSetException(file + ": " + (envSr != null ? "--env-sr " : "the default --env-sr ")
                        + env + " Hz does not divide its sample rate, " + sampleRate + " Hz (the envelope is"
                        + " decimated by an integer factor): give an --env-sr that does");
            }
            try { // the options among themselves, on rows of any length
                b.signalLength(2).build();
            } catch (IllegalArgumentException e) {
                throw inFlagTerms(e);
            } finally {
                b.signalLength(signalLength);
            }
            try { // what is left depends on the rows' length: a row above CochleagramConfig.MAX_OUTPUT_LENGTH
                return b.build();
            } catch (IllegalArgumentException e) {
                throw new AudioSetException(file + ": " + inFlagTerms(e).getMessage(), e);
            }
        }

        /** @return {@code value} without a fraction of zero: 8000, 8000.5 */
        private static String hz(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                    : Double.toString(value);
        }

        /**
         * @param b the options' parameters, from {@link #builder()}
         * @param sampleRate the waveform rows' rate in Hz
         * @param signalLength the waveform rows' length in samples
         * @return the configuration
         * @throws IllegalArgumentException naming the option and value if they do not fit the input
         */
        static CochleagramConfig build(CochleagramConfig.Builder b, int sampleRate, int signalLength) {
            try {
                return b.sampleRate(sampleRate).signalLength(signalLength).build();
            } catch (IllegalArgumentException e) {
                throw inFlagTerms(e);
            }
        }

        /**
         * @return the preset's parameters with each option given, each checked alone (those that must fit the
         *     input, such as the high limit against Nyquist, are checked by {@link #build})
         * @throws IllegalArgumentException naming the option and its value
         */
        CochleagramConfig.Builder builder() {
            try {
                return parameters();
            } catch (IllegalArgumentException e) {
                throw inFlagTerms(e);
            }
        }

        /** The library's message with its parameter names replaced by the options'. */
        private static IllegalArgumentException inFlagTerms(IllegalArgumentException e) {
            Matcher m = NAMES.matcher(e.getMessage());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) == null ? "--n" : FLAGS.get(m.group(1))));
            }
            m.appendTail(sb);
            return new IllegalArgumentException(sb.toString(), e);
        }

        private CochleagramConfig.Builder parameters() {
            CochleagramPreset p = CochleagramPreset.parse(preset);
            CochleagramConfig.Builder b = CochleagramConfig.of(p).toBuilder();
            if (n != null) {
                b.n(n);
            }
            if (sampleFactor != null) {
                b.sampleFactor(sampleFactor);
            }
            if (lowLim != null) {
                b.lowLimit(lowLim);
            }
            if (highLim != null) {
                b.highLimit(highLim);
            }
            if (envSr != null) {
                b.envSampleRate(envSr);
            }
            if (compression != null) {
                b.compression(Compression.parse(compression));
            }
            return b;
        }
    }
}
