package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.IOException;

/**
 * One row's metadata, as {@code /meta/*} of a waveform file (and the seed's {@code _metadata.npy})
 * record it.
 *
 * @param ytid the YouTube id
 * @param startSeconds the segment's start in the video, in seconds ({@code _metadata.npy} keeps
 *     whole seconds, as the seed did)
 * @param endSeconds the segment's end, in seconds
 * @param labels the positive label MIDs, comma-joined as in the segments CSV
 * @param norm the peak divided out, in full-scale units ({@code int16 units / 32768}); 0 for silence
 * @param padded whether the source was shorter than the clip and zero-padded
 * @param csvRow the 0-based data row of the segments CSV, or -1 when unknown (seed files)
 */
public record ClipMetadata(String ytid, double startSeconds, double endSeconds, String labels, double norm,
        boolean padded, long csvRow) {
    /**
     * Validates.
     *
     * @param ytid the YouTube id; not null
     * @param startSeconds the segment's start, in seconds
     * @param endSeconds the segment's end, in seconds
     * @param labels the comma-joined MIDs; not null
     * @param norm the peak divided out, in full-scale units
     * @param padded whether the source was zero-padded
     * @param csvRow the 0-based CSV data row, {@code >= -1} (-1: unknown)
     */
    public ClipMetadata {
        requireNonNull(ytid, "ytid");
        requireNonNull(labels, "labels");
        if (csvRow < -1) {
            throw new IllegalArgumentException("csvRow " + csvRow + " < -1");
        }
    }

    /**
     * @param reader a waveform or cochleagram file
     * @param row {@code 0 <= row < size()}
     * @return the row's {@code /meta} values
     * @throws IOException if reading fails or the file has no {@code /meta}
     */
    static ClipMetadata read(RowFileReader reader, long row) throws IOException {
        if (!reader.hasMetadata()) {
            throw new IOException(reader.file() + ": no /meta group (a seed file? its metadata is in _metadata.npy)");
        }
        return new ClipMetadata(reader.metaString("ytid", row), reader.metaNumber("start", row),
                reader.metaNumber("end", row), reader.metaString("labels", row), reader.metaNumber("norm", row),
                reader.metaNumber("padded", row) != 0,
                reader.hasMetaColumn("csv_row") ? (long) reader.metaNumber("csv_row", row) : -1);
    }
}
