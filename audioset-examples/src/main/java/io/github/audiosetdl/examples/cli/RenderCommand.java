package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.examples.render.CochleagramRenderer;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = "--row", paramLabel = "I", defaultValue = "0", description = "The row (default: ${DEFAULT-VALUE}).")
    private long row;

    @Option(names = "--average", description = "Draw the file's average cochleagram instead of a row.")
    private boolean average;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        try (CochleagramFileReader coch = CochleagramFileReader.open(in)) {
            if (!average && (row < 0 || row >= coch.size())) {
                throw new IllegalArgumentException("--row " + row + " is outside 0.." + (coch.size() - 1) + " of "
                        + in);
            }
            CochleagramRenderer.writePng(coch, average ? OptionalLong.empty() : OptionalLong.of(row), out);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out);
        o.flush();
        return 0;
    }
}
