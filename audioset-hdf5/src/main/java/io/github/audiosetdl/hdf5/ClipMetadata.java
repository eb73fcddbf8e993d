package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

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
    /** Validates. */
    public ClipMetadata {
        requireNonNull(ytid, "ytid");
        requireNonNull(labels, "labels");
        if (csvRow < -1) {
            throw new IllegalArgumentException("csvRow " + csvRow + " < -1");
        }
    }
}
