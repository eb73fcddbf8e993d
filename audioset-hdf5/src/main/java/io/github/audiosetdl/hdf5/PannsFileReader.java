package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the PANNs layout ({@code <name>_panns.h5}, {@link PannsFileWriter}'s, or PANNs' own
 * {@code pack_waveforms_to_hdf5}'s): per clip its {@code /audio_name} ({@code Y<id>.wav}), its {@code /waveform}
 * row (int16, {@link #clipSamples()} samples at {@link #sampleRate()} Hz, mono, at the clip's own level) and its
 * {@code /target} row (multi-hot over {@link #labelCount()} labels, 527 for AudioSet, in
 * {@code class_labels_indices.csv} order). One row at a time, in any order: memory does not depend on the file's
 * size; names and labels also in blocks of rows ({@link #blockRows()}), for a pass over a chunked file. PANNs'
 * packer leaves an empty row (empty name, zeros) for each clip of its CSV it did not find: {@link #isEmptyRow} tells
 * them, and {@link #ytid} refuses them.
 *
 * <p>{@link #open} refuses a file that is not that layout, naming the file and what is wrong: a missing dataset;
 * {@code /waveform} not 2-D int16; {@code /target} not a 2-D dataset of one-byte elements (h5py's {@code bool},
 * {@code int8} or {@code uint8}); {@code /audio_name} not a 1-D fixed-length string; the three not of the same
 * number of rows N; a missing root attribute {@code sample_rate}, or one not in 1..{@link #MAX_SAMPLE_RATE} Hz; rows
 * longer than 10.1 s ({@link Segment#MAX_DURATION_MS}) at that rate; and the sizes every reader of this package
 * refuses (more than 2^26 rows, rows of more than 64 MB, datasets beyond the file's end). Used by one thread at a
 * time.
 */
public final class PannsFileReader implements Closeable {
    /** The highest {@code sample_rate} accepted, in Hz (as the pack stage's). */
    public static final int MAX_SAMPLE_RATE = WaveformFileReader.MAX_SAMPLE_RATE;
    /** PANNs' {@code int16_to_float32} divisor: {@link #read(long, float[])} returns {@code value / 32767}. */
    public static final double INT16_SCALE = 32767.0;

    /** The most megabytes of a column {@link #audioNames(long, int)} and {@link #labels(long, int)} read at once. */
    public static final int MAX_BLOCK_MB = (int) (RowFileReader.MAX_BLOCK_BYTES >> 20);

    private static final String WAVEFORM = "waveform";
    private static final String TARGET = "target";
    private static final String NAME = "audio_name";

    private final RowFileReader reader;
    private final int sampleRate;
    /** A row's int16 values for {@link #read(long, float[])}; allocated at its first call. */
    private short[] scratch;

    private PannsFileReader(RowFileReader reader, int sampleRate) {
        this.reader = reader;
        this.sampleRate = sampleRate;
    }

    /**
     * @param file a PANNs layout file
     * @return a reader
     * @throws IOException if the file is missing or is not the PANNs layout (the message names the file and what
     *     is wrong)
     */
    public static PannsFileReader open(Path file) throws IOException {
        RowFileReader rows = RowFileReader.open(requireNonNull(file, "file"), WAVEFORM, TARGET, List.of(NAME));
        try {
            return new PannsFileReader(rows, checked(rows));
        } catch (IOException | RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    /** @return the sample rate, after checking the datasets' types and shapes */
    private static int checked(RowFileReader r) throws IOException {
        String waveform = r.dtype(WAVEFORM).orElseThrow();
        long[] wav = r.dims(WAVEFORM).orElseThrow();
        if (!waveform.equals("int16") || wav.length != 2) {
            throw new IOException(r.file() + ": /waveform is " + waveform + " " + shape(wav)
                    + ", not int16 (N, samples): not a PANNs file");
        }
        long n = wav[0];
        String target = r.dtype(TARGET).orElseThrow(() -> new IOException(r.file() + ": no dataset /target: not a"
                + " PANNs file"));
        long[] t = r.dims(TARGET).orElseThrow();
        if (!(target.equals("bool") || target.equals("int8") || target.equals("uint8")) || t.length != 2 || t[1] < 1) {
            throw new IOException(r.file() + ": /target is " + target + " " + shape(t) + ", not bool (N, labels): not a"
                    + " PANNs file");
        }
        String name = r.dtype(NAME).orElseThrow(() -> new IOException(r.file() + ": no dataset /audio_name: not a"
                + " PANNs file"));
        long[] a = r.dims(NAME).orElseThrow();
        if (!name.startsWith("S") || a.length != 1) {
            throw new IOException(r.file() + ": /audio_name is " + name + " " + shape(a) + ", not a fixed-length"
                    + " string (N,) such as S20: not a PANNs file");
        }
        if (t[0] != n || a[0] != n) {
            throw new IOException(r.file() + ": /waveform has " + n + " rows, /target " + t[0] + " and /audio_name "
                    + a[0] + ": the three must have one row per clip");
        }
        if (r.size() != n) {
            throw new IOException(r.file() + ": attribute size is " + r.size() + " but /waveform has " + n + " rows");
        }
        return WaveformFileReader.checkedRate(r, true);
    }

    private static String shape(long[] dims) {
        return Arrays.toString(dims).replace('[', '(').replace(']', ')');
    }

    /** @return the file */
    public Path path() {
        return reader.file();
    }

    /** @return N, the rows in the file: one per clip, and the empty rows ({@link #isEmptyRow}) if any */
    public long size() {
        return reader.size();
    }

    /** @return the root attribute {@code sample_rate}, in Hz (32000 as PANNs trains) */
    public int sampleRate() {
        return sampleRate;
    }

    /** @return samples per clip, {@code /waveform}'s second dimension (320,000 for 10 s at 32 kHz) */
    public int clipSamples() {
        return reader.rowLength();
    }

    /** @return labels per clip, {@code /target}'s second dimension (527 for AudioSet) */
    public int labelCount() {
        return reader.labelCount();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the clip's {@code /audio_name}, without trailing NULs: {@code Y<id>.wav} as PANNs names clips
     * @throws IOException if reading fails
     * @throws IndexOutOfBoundsException if {@code row} is not in the file (the message names it)
     */
    public String audioName(long row) throws IOException {
        return reader.readString(NAME, row);
    }

    /**
     * Whether a row is empty: its {@code /audio_name} is empty (NULs or blanks only), as PANNs' own
     * {@code pack_waveforms_to_hdf5} leaves the row of each clip of its CSV that it did not find on disk (a missing
     * clip: the packer sizes the file from the CSV, and such a row's {@code /waveform} and {@code /target} stay at
     * their fill value, zeros: silence with no label). {@link PannsFileWriter} writes no such row. An empty row has
     * no clip: {@link #ytid} refuses it, and callers skip it.
     *
     * @param row {@code 0 <= row < size()}
     * @return whether the row's {@code /audio_name} is empty
     * @throws IOException if reading fails
     * @throws IndexOutOfBoundsException if {@code row} is not in the file (the message names it)
     */
    public boolean isEmptyRow(long row) throws IOException {
        return audioName(row).isEmpty();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the clip's YouTube id: its {@link #audioName} without the {@code Y} and the {@code .wav}
     * @throws IOException if reading fails; if the row is empty ({@link #isEmptyRow}: a missing clip, the message says
     *     so and names the file and the row); or if the name is not {@code Y<id>.wav} with a YouTube id (the message
     *     names the file, the row and the name)
     */
    public String ytid(long row) throws IOException {
        String name = audioName(row);
        if (name.isEmpty()) {
            throw new IOException(path() + ": row " + row + " is an empty row (its audio_name is empty), as PANNs'"
                    + " pack_waveforms_to_hdf5 leaves for a missing clip, one it did not find: it has no YouTube id"
                    + " (isEmptyRow tells such rows, to skip them)");
        }
        String id = name.length() > 5 && name.startsWith("Y") && name.endsWith(".wav")
                ? name.substring(1, name.length() - 4) : "";
        if (!Segment.isValidId(id)) {
            throw new IOException(path() + ": row " + row + ": audio_name '" + name + "' is not Y<id>.wav with an"
                    + " 11-character YouTube id");
        }
        return id;
    }

    /**
     * Reads a clip's samples exactly as stored.
     *
     * @param row {@code 0 <= row < size()}
     * @param into receives {@link #clipSamples()} int16 values (a longer array keeps its rest)
     * @throws IOException if reading fails
     */
    public void read(long row, short[] into) throws IOException {
        reader.readRow(row, requireNonNull(into, "into"));
    }

    /**
     * Reads a clip's samples as PANNs' training code does ({@code int16_to_float32}): each value divided by
     * {@value #INT16_SCALE}, so full scale is about ±1.
     *
     * @param row {@code 0 <= row < size()}
     * @param into receives {@link #clipSamples()} values (a longer array keeps its rest)
     * @throws IOException if reading fails
     */
    public void read(long row, float[] into) throws IOException {
        requireNonNull(into, "into");
        if (into.length < clipSamples()) {
            throw new IllegalArgumentException(path() + ": an array of " + into.length + " values cannot hold row "
                    + row + " of " + clipSamples());
        }
        if (scratch == null) {
            scratch = new short[clipSamples()];
        }
        reader.readRow(row, scratch);
        for (int i = 0; i < scratch.length; i++) {
            into[i] = (float) (scratch[i] / INT16_SCALE);
        }
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the clip's {@code /target} row: {@link #labelCount()} values, 1 for a label present and 0 otherwise,
     *     in the label index's order ({@code LabelIndex.decode} gives the MIDs)
     * @throws IOException if reading fails
     */
    public byte[] labels(long row) throws IOException {
        return reader.readLabels(row);
    }

    /**
     * The rows {@link #audioNames(long, int)} and {@link #labels(long, int)} read best at once: as many as fit
     * {@value #MAX_BLOCK_MB} MB of {@code /target} and of {@code /audio_name} (at least one), a multiple of their
     * chunks' rows when they are chunked (h5py's {@code chunks=} or {@code compression=}), so that a pass over the
     * file reads each chunk about once, where a row at a time reads every chunk a row touches for each of its rows.
     *
     * @return rows per block, at least 1 and at most {@link #size()} (or 1 for an empty file)
     * @throws IOException if the datasets' storage cannot be read
     */
    public int blockRows() throws IOException {
        return Math.min(reader.blockRows(NAME), reader.blockRows(TARGET));
    }

    /**
     * The {@link #audioName} of rows {@code row .. row + count - 1}, read at once.
     *
     * @param row the first row, {@code 0 <= row <= size() - count}
     * @param count the rows, at most {@link #blockRows()} (a larger block of more than {@value #MAX_BLOCK_MB} MB is
     *     refused)
     * @return their names, without trailing NULs (an empty row's is empty)
     * @throws IOException if reading fails
     * @throws IndexOutOfBoundsException if the rows are not all in the file (the message names it)
     */
    public List<String> audioNames(long row, int count) throws IOException {
        return List.of(reader.readStrings(NAME, row, count));
    }

    /**
     * The {@link #labels(long)} of rows {@code row .. row + count - 1}, read at once.
     *
     * @param row the first row, {@code 0 <= row <= size() - count}
     * @param count the rows, at most {@link #blockRows()} (a larger block of more than {@value #MAX_BLOCK_MB} MB is
     *     refused)
     * @return their {@code /target} rows one after the other, {@code count * labelCount()} values of 0 or 1: row
     *     {@code row + i}'s label {@code j} at {@code i * labelCount() + j}
     * @throws IOException if reading fails
     * @throws IndexOutOfBoundsException if the rows are not all in the file (the message names it)
     */
    public byte[] labels(long row, int count) throws IOException {
        return reader.readLabels(row, count);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    @Override
    public String toString() {
        return "PannsFileReader(" + path() + ", " + size() + " clips)";
    }
}
