package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.examples.render.CochleagramRenderer;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
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
            "Example: audioset render --in out/eval_segments_Coch.hdf5 --row 3 --out dog.png"})
final class RenderCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE_Coch.hdf5", description = "The cochleagram file.")
    private Path in;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Which which = new Which();

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    private Path out;

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
            CochleagramRenderer.writePng(coch, which.average ? OptionalLong.empty() : OptionalLong.of(which.row),
                    out);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out);
        o.flush();
        return 0;
    }
}
