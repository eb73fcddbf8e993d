package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.ErrorPolicy;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentCsvOptions;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.StrongCsv;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audioset pack}: a downloads folder and its segments CSV into {@code <name>.hdf5} + metadata. */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Pack downloaded clips (every YT_<id>.wav under --downloads) into one waveform file:"
                + " OUT/<name>.hdf5 (16 kHz, 10 s, peak-normalised, multi-hot labels, /meta) and"
                + " OUT/<name>_metadata.npy, in CSV order (or shuffled with --shuffle-seed); or, with --format,"
                + " PANNs' HDF5 or WebDataset tar shards. Always packs; the files are put in place under the lock of"
                + " their record of inputs (.<file>.inputs), which it writes: a run with the same inputs keeps them.",
            "",
            "Example:", "  audioset pack --downloads data/eval_segments_downloads \\",
            "      --csv eval_segments.csv --out data"})
final class PackCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--downloads", required = true, paramLabel = "DIR",
            description = "The downloads folder (with its <name>_downloads_<job> subfolders).")
    private Path downloads;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The segments CSV.")
    private Path csv;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    private Path out;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "class_labels_indices.csv to use (default: the AudioSet one bundled).")
    private Path labels;

    @Option(names = "--shuffle-seed", paramLabel = "S", description = "Shuffle the rows with this seed.")
    private Long shuffleSeed;

    @Option(names = "--name", paramLabel = "NAME", description = "Output base name (default: the CSV's base name).")
    private String name;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the processors).")
    private Integer threads;

    @Option(names = "--strong", paramLabel = "FILE", description = "A temporally-strong label file"
            + " (audioset_eval_strong.tsv and the like): adds /strong uint8 (N, 100, 456) frames of 0.1 s,"
            + " /strong_mids and /has_strong. A strong --csv is its own: its events are kept without this"
            + " (except with --format panns, which has no strong labels).")
    private Path strong;

    @Mixin
    private FormatOptions format;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A bad CSV row: fail at once, or skip it and report each (default: ${DEFAULT-VALUE}).")
    private String onError;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = "Rate of the packed clips (default: 32000 for --format panns, 16000 otherwise).")
    private Integer sampleRate;

    @Mixin
    private ProgressOptions progress;

    /**
     * The strong label file whose events a pack keeps, as {@code pack} and {@code run} decide: {@code --strong} when
     * given; else the {@code --csv} itself when it is a temporally-strong label file (its rows' weak labels hold
     * only the MIDs of the 527-class index: the events, with their times and strong-only MIDs, would be lost);
     * else none. The PANNs layout, which has no place for strong labels, refuses {@code --strong} and keeps only
     * the weak labels of a strong {@code --csv} (said on the error stream).
     *
     * @param spec the command, for its error stream and usage errors
     * @param strong {@code --strong}, or null
     * @param csv {@code --csv}, an existing file
     * @param format the layout packed
     * @return the strong label file, or null for none
     * @throws CommandLine.ParameterException for {@code --strong} with the PANNs layout
     * @throws IOException if a file cannot be read
     */
    static Path strongFile(CommandSpec spec, Path strong, Path csv, PackFormat format) throws IOException {
        if (strong != null) {
            if (format == PackFormat.PANNS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--strong: the PANNs layout has no"
                        + " strong labels; use --format seed or webdataset");
            }
            return FileChecks.inputFile(strong);
        }
        if (!StrongCsv.isStrong(csv)) {
            return null;
        }
        if (format == PackFormat.PANNS) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("note: " + csv + " is a temporally-strong label file, but the PANNs layout has no strong"
                    + " labels: only its events' weak classes are kept (in the labels); use --format seed or"
                    + " webdataset to keep the events");
            err.flush();
            return null;
        }
        return csv;
    }

    @Override
    public Integer call() throws Exception {
        String base = name != null ? name : DownloadConfig.nameOf(csv);
        WaveformLayout layout = AudioSetCli.fromOptions(spec, () -> format.layout(sampleRate));
        AudioSetPipeline.Builder builder = AudioSetCli.fromOptions(spec, () -> {
            if (base.isBlank() || base.contains("/") || base.contains("\\")) {
                throw new IllegalArgumentException("--name '" + base + "' is not a file name");
            }
            if (layout.format() == PackFormat.WEBDATASET) {
                try {
                    WebDatasetWriter.checkName(base);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--name (default: the --csv file's name): " + e.getMessage(),
                            e);
                }
            }
            AudioSetPipeline.Builder b = AudioSetPipeline.builder().name(base).layout(layout)
                    .threads(CochleagramCommand.threads(threads, "--threads")).listener(progress.listener(spec))
                    .store(Hdf5DatasetStore.INSTANCE).stopAfter(Stage.PACK);
            if (shuffleSeed != null) {
                b.shuffleSeed(shuffleSeed);
            }
            return b;
        });
        FileChecks.inputDirectory(downloads);
        FileChecks.inputFile(csv);
        if (labels != null) {
            FileChecks.inputFile(labels);
        }
        Path strongLabels = strongFile(spec, strong, csv, layout.format());
        if (strongLabels != null) {
            builder.strong(strongLabels);
        }
        FileChecks.outputDirectory(out);
        LabelIndex index = labels == null ? LabelIndex.audioSet() : LabelIndex.read(labels);
        ErrorPolicy policy = AudioSetCli.fromOptions(spec, () -> SelectionOptions.policy(onError));
        // Through the pipeline, so that the files are put in place under the lock of their record of inputs, as a
        // run's are: a run committing the same output at that instant never leaves a record naming this pack's files.
        // Its record, deleted first, makes the pack run whatever a record said (pack always packs), and is written
        // again once the files are committed (a run with the same inputs then keeps them).
        AudioSetPipeline pipeline = builder.downloads(downloads).outputDir(out).labels(index).segments(
                SegmentSelection.builder(csv).options(SegmentCsvOptions.builder().labelIndex(index).errorPolicy(policy)
                        .build()).build()).build();
        Path main = pipeline.waveformFile();
        Path created = FileChecks.firstMissing(out);
        PipelineSummary ran;
        try {
            Files.deleteIfExists(AudioSetPipeline.recordOf(main));
            ran = pipeline.run();
        } catch (IOException | RuntimeException e) { // no clip, a bad CSV line, stopped: no empty --out left behind
            FileChecks.removeCreated(out, created);
            throw e;
        }
        if (ran.pack().isEmpty()) { // a run recorded these inputs between the deletion and the pack: its files stand
            spec.commandLine().getOut().printf("up to date, kept: %s (a run packed the same inputs just now)%n", main);
            spec.commandLine().getOut().flush();
            return 0;
        }
        PackSummary summary = ran.pack().get();
        PrintWriter o = spec.commandLine().getOut();
        List<Path> files = summary.files();
        if (layout.format() == PackFormat.WEBDATASET) {
            o.printf("wrote %,d clips in %d shard%s: %s%s (%.1f clips/s)%n", summary.rowsWritten(), files.size(),
                    files.size() == 1 ? "" : "s", files.isEmpty() ? "none" : files.get(0),
                    files.size() > 1 ? " .. " + files.get(files.size() - 1).getFileName() : "",
                    summary.clipsPerSecond());
        } else {
            o.printf("wrote %,d rows to %s (%.1f clips/s)%n", summary.rowsWritten(), files.get(0),
                    summary.clipsPerSecond());
        }
        if (layout.format() != PackFormat.WEBDATASET && files.size() > 1) {
            o.printf("%-17s %s%s%n", layout.format() == PackFormat.WEBDATASET ? "shards" : "metadata",
                    summary.files().get(1), summary.files().size() > 2 ? " ... " + summary.files().size() + " files"
                            : "");
        }
        o.printf("WAV files found   %,d%n", summary.wavFilesFound());
        for (Map.Entry<String, Long> e : summary.skipped().entrySet()) {
            o.printf("skipped: %-24s %,d%n", e.getKey(), e.getValue());
        }
        o.flush();
        long notInCsv = summary.skipped().getOrDefault(PackSummary.NOT_IN_CSV, 0L);
        if (notInCsv * 2 > summary.wavFilesFound()) { // a subset is packed on purpose, rarely most of the folder
            PrintWriter err = spec.commandLine().getErr();
            err.printf("warning: %,d of the %,d WAV files found are not in %s: is it the CSV the clips were"
                    + " downloaded from?%n", notInCsv, summary.wavFilesFound(), csv);
            err.flush();
        }
        return 0;
    }
}
