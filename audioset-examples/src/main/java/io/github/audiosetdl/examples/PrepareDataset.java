package io.github.audiosetdl.examples;

import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Example: the whole job through {@link AudioSetPipeline#builder()}: download the clips of a segments CSV
 * that carry a label (with its ontology descendants), pack them, compute their cochleagrams.
 *
 * <pre>
 * java -cp audioset-cli.jar io.github.audiosetdl.examples.PrepareDataset eval_segments.csv out Dog
 * </pre>
 */
public final class PrepareDataset {
    private PrepareDataset() {
    }

    /**
     * Runs the example.
     *
     * @param csv a segments CSV
     * @param out the output folder
     * @param label a label name or MID to select (with its descendants)
     * @param resolver {@link ResolverKind#YT_DLP} for YouTube
     * @param urlTemplate the page URL template ({@code https://www.youtube.com/watch?v={id}} for YouTube)
     * @return what the pipeline did
     * @throws IOException if a file cannot be read or written
     */
    public static PipelineSummary run(Path csv, Path out, String label, ResolverKind resolver, String urlTemplate)
            throws IOException {
        DownloadConfig download = DownloadConfig.builder(out, DownloadConfig.nameOf(csv))
                .resolver(resolver).urlTemplate(urlTemplate).threads(4).build();
        try (AudioSetPipeline pipeline = AudioSetPipeline.builder()
                .download(download)
                .segments(SegmentSelection.builder(csv).label(label).build())
                .store(Hdf5DatasetStore.INSTANCE)
                .features(CochleagramFeatures.of(CochleagramConfig.seed()))
                .listener(PipelineListener.logging())
                .build()) {
            return pipeline.run(); // close() from another thread cancels it and waits for it to stop
        }
    }

    /**
     * @param args {@code <segments.csv> <out-dir> <label> [url-template]}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: PrepareDataset <segments.csv> <out-dir> <label> [url-template]");
            System.exit(2);
        }
        String template = args.length > 3 ? args[3] : DownloadConfig.YOUTUBE_TEMPLATE;
        PipelineSummary summary = run(Path.of(args[0]), Path.of(args[1]), args[2], ResolverKind.YT_DLP, template);
        System.out.println(summary);
        summary.files().forEach(f -> System.out.println("wrote " + f));
        System.exit(summary.complete() ? 0 : 3); // 3: transient failures left, run again to resume
    }
}
