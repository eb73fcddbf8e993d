package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code audioset run}: download, pack and cochleagram in one go. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run every stage from a segments CSV: download the clips, pack them into OUT/<name>.hdf5"
                + " (+ _metadata.npy), compute OUT/<name>_Coch.hdf5 (+ _average.npy, _stats.npz); <name> is the CSV's"
                + " base name. Takes the options of download, pack (--shuffle-seed, --strong; a strong --csv keeps"
                + " its events in /strong) and cochleagram; rerun to resume: a pack made from the same clips, CSV and"
                + " options, and cochleagrams of the same waveform file and options, are kept. With --downloads, start"
                + " from a downloads folder instead: nothing is downloaded, the --csv selects the rows to pack.", "",
            "Example:", "  audioset run --csv eval_segments.csv --out data --label Dog --threads 8", "",
            "From a downloads folder:", "  audioset run --downloads data/eval_segments_downloads \\",
            "      --csv eval_segments.csv --out data --stop-after pack"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; nothing transient is left to retry", "1:the command failed", "2:bad usage",
            "3:transient download failures remain: run again. The files were written from the clips obtained"
                + " (none when no clip was: nothing is packed then), and a rerun rewrites them with the new ones"})
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private SelectionOptions selection;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Folder receiving everything (default: the current folder).")
    private Path out;

    @Mixin
    private DownloadOptions download;

    @Option(names = "--downloads", paramLabel = "DIR", description = "Start from this downloads folder (with its"
            + " <name>_downloads_<job> subfolders) instead of downloading: pack its clips of the --csv selection,"
            + " then go on as --stop-after says; the download options are refused.")
    private Path downloadsDir;

    @Option(names = "--shuffle-seed", paramLabel = "S", description = "Shuffle the packed rows with this seed.")
    private Long shuffleSeed;

    @Option(names = "--strong", paramLabel = "FILE", description = "A temporally-strong label file for the pack"
            + " stage, as pack's --strong: adds /strong uint8 (N, 100, 456) frames of 0.1 s, /strong_mids and"
            + " /has_strong. A strong --csv is its own: its events are kept without this (except with --format"
            + " panns, which has no strong labels).")
    private Path strong;

    @Mixin
    private FormatOptions format;

    @Option(names = "--pack-sample-rate", paramLabel = "HZ",
            description = "Rate of the packed clips (default: 32000 for --format panns, 16000 otherwise;"
                    + " --sample-rate is the download's, this rate unless given).")
    private Integer packSampleRate;

    @Mixin
    private CochleagramCommand.CochleagramOptions cochleagram;

    @Option(names = "--compute-threads", paramLabel = "T",
            description = "Threads for packing and cochleagrams (default: the processors; --threads is the"
                    + " download's).")
    private Integer computeThreads;

    @Option(names = "--no-stats", description = "Do not write <name>_stats.npz beside the cochleagrams.")
    private boolean noStats;

    @Option(names = "--stop-after", paramLabel = "download|pack|cochleagram", defaultValue = "cochleagram",
            description = "The last stage to run (default: ${DEFAULT-VALUE}); the options of the stages after it"
                    + " are refused.")
    private String stopAfter;

    @Mixin
    private ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        SegmentSelection sel = AudioSetCli.fromOptions(spec, () -> selection.selection(System.getenv()));
        Stage last = AudioSetCli.fromOptions(spec, () -> switch (stopAfter.toLowerCase(Locale.ROOT)) {
            case "download" -> Stage.DOWNLOAD;
            case "pack" -> Stage.PACK;
            case "cochleagram", "features" -> Stage.FEATURES;
            default -> throw new IllegalArgumentException("--stop-after '" + stopAfter
                    + "' is not download, pack or cochleagram");
        });
        refuseOptionsOfStagesNotRun(last);
        if (downloadsDir != null) {
            refuseDownloadOptions(last);
        }
        if (sel.shard().count() > 1 && last != Stage.DOWNLOAD) {
            throw new CommandLine.ParameterException(spec.commandLine(), "this is job " + sel.shard().index()
                    + " of " + sel.shard().count() + ": every job would pack and convert the same files; run"
                    + " 'download' (or 'run --stop-after download') in each job, then 'pack' and 'cochleagram' once");
        }
        WaveformLayout layout = AudioSetCli.fromOptions(spec, () -> {
            WaveformLayout l = format.layout(packSampleRate);
            if (l.format() != PackFormat.SEED && last == Stage.FEATURES) {
                throw new IllegalArgumentException("--format " + l.format().label() + " can only be packed: add"
                        + " --stop-after pack (cochleagrams are computed from the seed layout)");
            }
            if (l.format() == PackFormat.WEBDATASET && last == Stage.PACK) { // refused before the download starts
                try {
                    WebDatasetWriter.checkName(DownloadConfig.nameOf(sel.csv()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--format webdataset names its shards after the --csv file: "
                            + e.getMessage() + "; rename the CSV", e);
                }
            }
            return l;
        });
        SeedPreparation clips = layout.preparation(); // what the pack stage writes
        // downloaded at the packed clips' rate unless --sample-rate says otherwise: PANNs' 32 kHz rows from 16 kHz
        // downloads would hold nothing above 8 kHz
        DownloadConfig config = downloadsDir != null ? null : AudioSetCli.fromOptions(spec, () -> download.config(out,
                DownloadConfig.nameOf(sel.csv()), clips.sampleRate()));
        // the defaults need not fit clips that are only packed (e.g. --high-lim 8000 at --pack-sample-rate 8000)
        CochleagramConfig coch = last != Stage.FEATURES ? null : AudioSetCli.fromOptions(spec,
                () -> cochleagram.config(clips.sampleRate(), clips.clipSamples()));
        if (coch != null && !noStats) { // refused before the download rather than after the cochleagrams
            StatsCommand.checkChannels(spec, coch.channels());
        }
        int workers = AudioSetCli.fromOptions(spec, () -> CochleagramCommand.threads(computeThreads,
                "--compute-threads"));
        PipelineListener listener = AudioSetCli.fromOptions(spec, () -> progress.listener(spec));
        FileChecks.inputFile(sel.csv());
        // as pack decides; checked before the download starts
        Path strongLabels = last == Stage.DOWNLOAD ? null
                : PackCommand.strongFile(spec, strong, sel.csv(), layout.format());
        if (downloadsDir != null) {
            FileChecks.inputDirectory(downloadsDir);
        }
        SelectionOptions.requireSegments(sel);
        FileChecks.outputDirectory(out);
        AudioSetPipeline.Builder b = AudioSetPipeline.builder().segments(sel).stopAfter(last).listener(listener);
        if (config != null) {
            b.download(config);
        } else { // the name is the CSV's, as the download stage would give it
            b.downloads(downloadsDir).outputDir(out);
        }
        if (last != Stage.DOWNLOAD) { // the pipeline refuses options of stages it does not run
            b.labels(sel.options().labelIndex()).store(Hdf5DatasetStore.INSTANCE).layout(layout).threads(workers);
            if (shuffleSeed != null) {
                b.shuffleSeed(shuffleSeed);
            }
            if (strongLabels != null) {
                b.strong(strongLabels);
            }
        }
        if (last == Stage.FEATURES) {
            b.features(CochleagramFeatures.of(coch));
        }
        AudioSetPipeline pipeline = b.build();
        PipelineSummary summary = pipeline.run();
        PrintWriter o = spec.commandLine().getOut();
        print(o, summary, coch, pipeline);
        Optional<FeatureSummary> features = summary.features(); // the statistics, with the other files written
        if (features.isPresent() && !features.get().files().isEmpty()) {
            if (!noStats && StatsCommand.enough(features.get().rows(), coch.frames())) {
                o.printf("wrote        %s%n", StatsCommand.writeBeside(features.get(), workers));
            } else {
                StatsCommand.removeStaleBeside(features.get().files().get(0), o);
            }
        } else if (summary.upToDate().contains(Stage.FEATURES)) { // as cochleagram: only missing statistics
            Path target = pipeline.featureFile();
            long rows;
            try (CochleagramFileReader reader = CochleagramFileReader.open(target)) {
                rows = reader.size();
            }
            if (!noStats && StatsCommand.enough(rows, coch.frames())) {
                if (StatsCommand.staleBeside(target)) {
                    o.printf("wrote        %s%n", StatsCommand.writeBeside(target, workers));
                }
            } else {
                StatsCommand.removeStaleBeside(target, o);
            }
        }
        printEnd(o, summary);
        if (config != null) { // without a download, the logs are another run's
            AvailabilityFiles.afterRun(spec, config, sel);
        }
        return AudioSetCli.exitCode(summary.complete());
    }

    /**
     * Refuses an option typed for a stage that {@code --stop-after} leaves out, as the pipeline builder refuses
     * its own: it would be ignored. Options left at their defaults are not typed, so they pass.
     *
     * @throws CommandLine.ParameterException naming the option and the stages that run
     */
    private void refuseOptionsOfStagesNotRun(Stage last) {
        if (last == Stage.FEATURES) {
            return;
        }
        Map<String, String> stageOf = new LinkedHashMap<>();
        if (last == Stage.DOWNLOAD) {
            stageOf.put("--shuffle-seed", "pack and cochleagram stages");
            stageOf.put("--compute-threads", "pack and cochleagram stages");
            for (OptionSpec o : spec.mixins().get("format").options()) {
                stageOf.put(o.longestName(), "pack stage");
            }
            stageOf.put("--pack-sample-rate", "pack stage");
            stageOf.put("--strong", "pack stage");
        }
        for (OptionSpec o : spec.mixins().get("cochleagram").options()) {
            stageOf.put(o.longestName(), "cochleagram stage");
        }
        stageOf.put("--no-stats", "cochleagram stage");
        ParseResult typed = spec.commandLine().getParseResult();
        for (Map.Entry<String, String> e : stageOf.entrySet()) {
            if (typed.hasMatchedOption(e.getKey())) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getKey() + " is for the "
                        + e.getValue() + ", but --stop-after " + last.name().toLowerCase(Locale.ROOT) + " runs only "
                        + (last == Stage.DOWNLOAD ? "the download" : "the download and pack stages")
                        + ": leave it out");
            }
        }
    }

    /**
     * Refuses, with {@code --downloads}, the options of the download it replaces ({@link DownloadOptions}, the
     * sharding of {@code --jobs}/{@code --job-index}) and {@code --stop-after download}: they would be ignored.
     *
     * @throws CommandLine.ParameterException naming the option
     */
    private void refuseDownloadOptions(Stage last) {
        if (last == Stage.DOWNLOAD) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stop-after download: --downloads starts"
                    + " after the download, at the pack stage; run 'download', or stop after pack or cochleagram");
        }
        ParseResult typed = spec.commandLine().getParseResult();
        List<OptionSpec> refused = new ArrayList<>(spec.mixins().get("download").options());
        refused.addAll(spec.mixins().get("selection").mixins().get("sharding").options());
        for (OptionSpec o : refused) {
            if (typed.hasMatchedOption(o.longestName())) {
                throw new CommandLine.ParameterException(spec.commandLine(), o.longestName() + " is a download"
                        + " option, but --downloads starts from clips already downloaded: leave it out, or leave out"
                        + " --downloads to download");
            }
        }
    }

    private static void print(PrintWriter o, PipelineSummary s, CochleagramConfig coch, AudioSetPipeline pipeline)
            throws java.io.IOException {
        DownloadSummary d = s.download().orElse(null);
        if (d != null) {
            o.println("download     " + d);
        }
        if (s.upToDate().contains(Stage.PACK)) {
            o.println("pack         up to date, kept: " + pipeline.waveformFile());
        }
        s.pack().ifPresent((PackSummary p) -> {
            o.printf("pack         %,d rows written, %,d skipped%n", p.rowsWritten(), p.skippedTotal());
            for (Map.Entry<String, Long> e : p.skipped().entrySet()) {
                if (e.getValue() > 0) {
                    o.printf("             skipped (%s): %,d%n", e.getKey(), e.getValue());
                }
            }
        });
        s.features().ifPresent((FeatureSummary f) -> o.printf("cochleagram  %,d rows of %d x %d (%s), %.2f rows/s%n",
                f.rows(), coch.channels(), coch.frames(), CochleagramCommand.describe(coch), f.rowsPerSecond()));
        if (s.upToDate().contains(Stage.FEATURES)) {
            o.println("cochleagram  up to date, kept: " + pipeline.featureFile());
        }
        for (Path file : s.files()) {
            o.printf("wrote        %s (%,d bytes)%n", file, Files.size(file));
        }
        o.flush();
    }

    /** The lines after every file written: the time taken, and what a rerun would do. */
    private static void printEnd(PrintWriter o, PipelineSummary s) {
        o.println("done in " + Progress.format(s.elapsed()));
        DownloadSummary d = s.download().orElse(null);
        if (d != null && !s.complete()) {
            o.printf("%,d clip(s) failed transiently: run the same command again (exit code %d)%n", d.transientLeft(),
                    AudioSetCli.exitCode(false));
        }
        o.flush();
    }
}
