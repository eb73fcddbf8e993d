package io.github.audiosetdl.examples;

import io.github.audiosetdl.core.Label;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Example: reading a waveform file row by row from Java (our files and the seed's), with each row's
 * labels decoded to names.
 *
 * <pre>
 * java -cp audioset-cli.jar io.github.audiosetdl.examples.ReadDataset out/eval_segments.hdf5
 * </pre>
 */
public final class ReadDataset {
    private ReadDataset() {
    }

    /**
     * One row as a user sees it.
     *
     * @param row the row index
     * @param ytid the YouTube id ({@code ?} for a seed file without metadata)
     * @param labels the label names
     * @param peak the row's max |x| (1 for a peak-normalised clip, 0 for silence)
     */
    public record Row(long row, String ytid, List<String> labels, double peak) {
        /** Copies. */
        public Row {
            labels = List.copyOf(labels);
        }
    }

    /**
     * Runs the example.
     *
     * @param file a waveform file
     * @param limit how many rows to read
     * @return the first rows (no label names when the file has no {@code /labels})
     * @throws IOException if the file cannot be read, or its rows carry another number of labels than AudioSet
     */
    public static List<Row> run(Path file, int limit) throws IOException {
        LabelIndex index = LabelIndex.audioSet();
        List<Row> rows = new ArrayList<>();
        try (WaveformFileReader reader = WaveformFileReader.open(file)) {
            if (reader.labelCount() != 0 && reader.labelCount() != index.size()) {
                throw new IOException(file + ": rows of " + reader.labelCount() + " labels, not AudioSet's "
                        + index.size());
            }
            float[] wav = new float[reader.rowLength()];
            for (long i = 0; i < Math.min(limit, reader.size()); i++) {
                reader.read(i, wav);
                double peak = 0;
                for (float x : wav) {
                    peak = Math.max(peak, Math.abs(x));
                }
                // a file without /labels (the cochleagram command takes those too) shows no label names
                List<String> names = reader.labelCount() == 0 ? List.of() : index.decode(reader.labels(i)).stream()
                        .map(mid -> index.byMid(mid).map(Label::displayName).orElse(mid))
                        .toList();
                String ytid = reader.hasMetadata() ? reader.metadata(i).ytid() : "?";
                rows.add(new Row(i, ytid, names, peak));
            }
        }
        return rows;
    }

    /**
     * @param args {@code <file.hdf5> [rows]}
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ReadDataset <file.hdf5> [rows]");
            System.exit(2);
        }
        for (Row r : run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 10)) {
            System.out.printf("%6d  %-11s  peak %.3f  %s%n", r.row(), r.ytid(), r.peak(),
                    String.join(", ", r.labels()));
        }
    }
}
