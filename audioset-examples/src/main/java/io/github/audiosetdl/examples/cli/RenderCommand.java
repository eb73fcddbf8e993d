package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.examples.features.CochleagramFeatures;
import io.github.audiosetdl.examples.render.CochleagramRenderer;
import io.github.audiosetdl.hdf5.ClipMetadata;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
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
            CochleagramConfig config = CochleagramFeatures.configFrom(coch.attributes());
            double[] cfs = Cochleagram.of(config).centerFrequencies();
            float[] values;
            String title;
            if (average) {
                values = coch.average();
                title = "average of " + coch.size() + " rows, " + in.getFileName();
            } else {
                if (row < 0 || row >= coch.size()) {
                    throw new IllegalArgumentException("--row " + row + " is outside 0.." + (coch.size() - 1) + " of "
                            + in);
                }
                values = new float[coch.channels() * coch.frames()];
                coch.read(row, values);
                title = "row " + row + " of " + in.getFileName();
                if (coch.hasMetadata()) {
                    ClipMetadata m = coch.metadata(row);
                    title = String.format(Locale.ROOT, "%s  %.1f-%.1f s  %s  (row %d)", m.ytid(), m.startSeconds(),
                            m.endSeconds(), m.labels(), row);
                }
            }
            BufferedImage image = CochleagramRenderer.standard().render(values, coch.channels(), coch.frames(), cfs,
                    config.envSampleRate(), title);
            CochleagramRenderer.writePng(image, out);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out);
        o.flush();
        return 0;
    }
}
