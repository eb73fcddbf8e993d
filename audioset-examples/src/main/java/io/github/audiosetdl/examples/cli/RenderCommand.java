package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.examples.render.CochleagramRenderer;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.StrongLabelsReader;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code audioset render}: one cochleagram (or the average) as a PNG. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Draw one row of a cochleagram file as a PNG: time in s across, a log-frequency axis"
                + " with Hz ticks up, a colour scale.", "",
            "Example:", "  audioset render --in data/eval_segments_Coch.hdf5 --row 3 --out dog.png"})
final class RenderCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE_Coch.hdf5", description = "The cochleagram file.")
    private Path in;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Which which = new Which();

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    private Path out;

    @Option(names = "--strong", paramLabel = "FILE.hdf5", description = "Overlay the row's temporally-strong events"
            + " from this file's /strong (pack --strong). Default: the input's own /strong, else that of the"
            + " waveform file <name>.hdf5 beside <name>_Coch.hdf5, when it has one.")
    private Path strong;

    /** What to draw: one row, or the average; not both. */
    static final class Which {
        @Option(names = "--row", paramLabel = "I", description = "The row (default: 0).")
        private long row;

        @Option(names = "--average", description = "Draw the file's average cochleagram instead of a row.")
        private boolean average;
    }

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " must end in .png: render writes PNG");
        }
        if (which.row < 0) {
            throw new ParameterException(spec.commandLine(), "--row " + which.row + " must be 0 or more");
        }
        FileChecks.inputFile(in);
        FileChecks.outputFile(out);
        try (CochleagramFileReader coch = CochleagramFileReader.open(in)) {
            if (!which.average && coch.size() == 0) {
                throw new IllegalArgumentException(in + " has no rows to draw (its average is all zeros too)");
            }
            if (!which.average && (which.row < 0 || which.row >= coch.size())) {
                throw new IllegalArgumentException("--row " + which.row + " is outside 0.." + (coch.size() - 1)
                        + " of " + in);
            }
            List<StrongEvent> events = which.average ? List.of() : strongEvents(coch, which.row);
            CochleagramRenderer.writePng(coch, which.average ? OptionalLong.empty() : OptionalLong.of(which.row),
                    events, out);
            if (!events.isEmpty()) {
                spec.commandLine().getOut().println("overlaid " + events.size() + " strong event(s)");
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out);
        o.flush();
        return 0;
    }

    /** @return the row's strong events from {@code --strong}, the input, or its waveform file; empty if none */
    private List<StrongEvent> strongEvents(CochleagramFileReader coch, long row) throws IOException {
        List<Path> candidates = new ArrayList<>();
        if (strong != null) {
            FileChecks.inputFile(strong);
            candidates.add(strong);
        } else {
            candidates.add(in);
            String name = in.getFileName().toString();
            if (name.endsWith("_Coch.hdf5")) {
                candidates.add(in.resolveSibling(name.substring(0, name.length() - "_Coch.hdf5".length()) + ".hdf5"));
            }
        }
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Optional<StrongLabelsReader> reader = StrongLabelsReader.open(file);
            if (reader.isEmpty()) {
                if (strong != null) {
                    throw new IllegalArgumentException("--strong " + strong + " has no /strong dataset");
                }
                continue;
            }
            try (StrongLabelsReader r = reader.get()) {
                if (row >= r.size()) {
                    throw new IllegalArgumentException("row " + row + " is outside the " + r.size() + " rows of /strong"
                            + " in " + file);
                }
                if (!file.equals(in) && coch.hasMetadata()) {
                    try (WaveformFileReader wav = WaveformFileReader.open(file)) {
                        if (wav.hasIds() && !wav.ytid(row).equals(coch.metadata(row).ytid())) {
                            throw new IllegalArgumentException("row " + row + " of " + file + " is " + wav.ytid(row)
                                    + ", not " + coch.metadata(row).ytid() + ": the files' rows differ");
                        }
                    }
                }
                return r.events(row);
            }
        }
        return List.of();
    }
}
