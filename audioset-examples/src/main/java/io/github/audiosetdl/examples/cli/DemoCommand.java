package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.download.DownloadSummary;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.examples.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audioset demo}: the whole pipeline offline, on a loopback media server. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline offline: a loopback media server stands in for YouTube, serving"
                + " clips that ffmpeg synthesises for a built-in list of 28 real AudioSet segments (two fail on"
                + " purpose, one video ends early); then download, pack, cochleagram and a PNG.", "",
            "Example:", "  audioset demo --out demo-out"})
final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--resolver", paramLabel = "yt-dlp|direct",
            description = "How media URLs are found (default: yt-dlp when it is installed, else direct).")
    private String resolver;

    @Mixin
    private ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        ResolverKind kind = AudioSetCli.fromOptions(spec, () -> resolver == null ? null
                : DownloadOptions.resolver(resolver));
        PipelineListener listener = AudioSetCli.fromOptions(spec, () -> progress.listener(spec));
        Demo.Result r = Demo.run(FileChecks.outputDirectory(out), kind, listener);
        PipelineSummary s = r.summary();
        PrintWriter o = spec.commandLine().getOut();
        o.println();
        o.println("AudioSetDL demo: done in " + io.github.audiosetdl.core.progress.Progress.format(s.elapsed()) + ".");
        o.printf("media server:  %,d requests, %,d bytes served%n", r.requests(), r.bytesServed());
        DownloadSummary d = s.download().orElseThrow();
        o.println("download (" + (r.resolver() == ResolverKind.YT_DLP ? "resolved by yt-dlp" : "direct URLs")
                + "): " + d);
        Path wav = r.outputDir().resolve(Demo.NAME + ".hdf5");
        Path coch = r.outputDir().resolve(Demo.NAME + "_Coch.hdf5");
        // a second demo into the same folder finds the pack and the cochleagrams up to date, and keeps them
        s.pack().ifPresentOrElse((PackSummary p) -> o.printf("pack:          %,d clips -> /wav (%,d, 160000) float32%n",
                p.rowsWritten(), p.rowsWritten()), () -> o.println("pack:          up to date, kept: " + wav));
        s.features().ifPresentOrElse((FeatureSummary f) -> o.printf("cochleagram:   %,d rows of 171 x 2000 at %.1f"
                + " rows/s%n", f.rows(), f.rowsPerSecond()), () -> o.println("cochleagram:   up to date, kept: "
                        + coch));
        Path logs = r.outputDir().resolve("logs");
        List<Path> errorLogs;
        try (Stream<Path> files = Files.walk(logs)) {
            errorLogs = files.filter(x -> x.toString().contains("errorlogs") && Files.isRegularFile(x)).sorted()
                    .toList();
        }
        for (Path log : errorLogs) {
            List<String> lines = Files.readAllLines(log);
            o.println("error log " + r.outputDir().relativize(log) + ":");
            lines.forEach(line -> o.println("    " + line));
        }
        o.println();
        o.println("files:");
        for (Path file : List.of(wav, r.outputDir().resolve(Demo.NAME + "_metadata.npy"), coch,
                r.outputDir().resolve(Demo.NAME + "_average.npy"), r.stats(), r.png())) {
            o.printf("  %-44s %,12d bytes%n", r.outputDir().relativize(file), Files.size(file));
        }
        o.println();
        o.println("open them in Python (h5py, numpy) as the seed's files:");
        o.println("  import h5py, numpy as np");
        o.println("  with h5py.File('" + wav + "') as f:");
        o.println("      wav, labels = f['wav'][:], f['labels'][:].astype(bool)   # (N, 160000), (N, 527)");
        o.println("      ytid = f['meta/ytid'][:]");
        o.println("  with h5py.File('" + coch + "') as f:");
        o.println("      coch = np.reshape(f['coch'][0], (171, 2000))");
        o.println("  meta = np.load('" + r.outputDir().resolve(Demo.NAME + "_metadata.npy") + "')");
        o.println("  average = np.load('" + r.outputDir().resolve(Demo.NAME + "_average.npy") + "')");
        o.println("  stats = np.load('" + r.stats() + "')   # mean, channel_std, cov, pca_vectors, ...");
        o.println("look at the cochleagram: " + r.png());
        o.flush();
        return 0;
    }
}
