package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.hdf5.internal.BoundedInflate;
import io.github.audiosetdl.hdf5.internal.ReadableHdfFile;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.FixedPoint;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the temporally-strong labels of a file written by {@code pack --strong} ({@code /strong} uint8
 * (N, frames, mids), {@code /strong_mids}, attribute {@code frame_seconds}) back as events: each run of
 * consecutive frames set for a MID becomes one event from its first frame's start to its last frame's end.
 * Not thread-safe.
 */
public final class StrongLabelsReader implements Closeable {
    /** The most frames a row may have. */
    public static final int MAX_FRAMES = 100_000;
    /** The most MIDs of the last axis. */
    public static final int MAX_MIDS = Short.MAX_VALUE;
    /**
     * The most values a row may have, frames × MIDs (16 Mi; {@code pack --strong} writes 100 × 456): a row is read
     * whole, as an {@code int} per value.
     */
    public static final int MAX_ROW_VALUES = 1 << 24;
    /** The longest fixed-length name in {@code /strong_mids}, in bytes (a MID the vocabulary accepts has up to 36). */
    public static final int MAX_MID_BYTES = 256;

    private final Path file;
    private final HdfFile hdf;
    private final Dataset strong;
    private final List<String> mids;
    private final long rows;
    private final int frames;
    private final double frameSeconds;

    private StrongLabelsReader(Path file, HdfFile hdf, Dataset strong, List<String> mids, long rows, int frames,
            double frameSeconds) {
        this.file = file;
        this.hdf = hdf;
        this.strong = strong;
        this.mids = mids;
        this.rows = rows;
        this.frames = frames;
        this.frameSeconds = frameSeconds;
    }

    /**
     * @param file an HDF5 file
     * @return a reader of its strong labels, or empty when it has no {@code /strong}
     * @throws IOException if the file cannot be read, or its {@code /strong} is malformed, has rows of more than
     *     {@link #MAX_ROW_VALUES} values or names of more than {@link #MAX_MID_BYTES} bytes
     */
    public static Optional<StrongLabelsReader> open(Path file) throws IOException {
        requireNonNull(file, "file");
        HdfFile hdf = ReadableHdfFile.open(file);
        try {
            Node node = hdf.getChildren().get("strong");
            if (!(node instanceof Dataset strong)) {
                hdf.close();
                return Optional.empty();
            }
            long[] dims = strong.getDimensionsAsLong();
            Node midsNode = hdf.getChildren().get("strong_mids");
            Attribute frameAttr = strong.getAttribute("frame_seconds");
            if (dims.length != 3 || dims[1] < 1 || dims[1] > MAX_FRAMES || dims[2] < 1 || dims[2] > MAX_MIDS
                    || !(midsNode instanceof Dataset midsSet) || frameAttr == null
                    || !(frameAttr.getData() instanceof Number frameSeconds)
                    || !(frameSeconds.doubleValue() > 0 && frameSeconds.doubleValue() <= 10)) {
                throw new IOException(file + ": /strong is not (N, frames <= " + MAX_FRAMES + ", mids <= " + MAX_MIDS
                        + ") with /strong_mids and a frame_seconds attribute in (0, 10] s");
            }
            if (!(strong.getDataType() instanceof FixedPoint) || strong.getDataType().getSize() != 1) {
                throw new IOException(file + ": /strong holds " + Hdf5Inspector.typeName(strong.getDataType(),
                        strong.getJavaType()) + ", not uint8 frame flags");
            }
            if (dims[1] * dims[2] > MAX_ROW_VALUES) {
                throw new IOException(file + ": /strong rows of " + dims[1] + " frames x " + dims[2] + " mids are"
                        + " more than the " + MAX_ROW_VALUES + " values a row is read in");
            }
            if (midsSet.getDataType().getSize() > MAX_MID_BYTES) {
                throw new IOException(file + ": /strong_mids holds names of " + midsSet.getDataType().getSize()
                        + " bytes, more than " + MAX_MID_BYTES);
            }
            long[] midsDims = midsSet.getDimensionsAsLong();
            if (midsDims.length != 1 || midsDims[0] != dims[2]) { // checked before reading: it may declare billions
                throw new IOException(file + ": /strong_mids has shape " + Arrays.toString(midsDims)
                        + ", not the (" + dims[2] + ",) names of the columns of /strong");
            }
            Object names;
            try { // a chunked dataset read whole is decoded on the fork-join pool's threads, unbounded: a slice
                names = midsSet instanceof ChunkedDataset && !midsSet.isEmpty()
                        ? BoundedInflate.read(midsSet, () -> midsSet.getData(new long[] {0}, new int[] {(int) dims[2]}))
                        : midsSet.getData();
            } catch (RuntimeException e) {
                throw new IOException(file + ": cannot read /strong_mids" + damaged(e) + BoundedInflate.reason(e), e);
            }
            if (!(names instanceof String[] list) || list.length != dims[2]) {
                throw new IOException(file + ": /strong_mids does not name the " + dims[2] + " columns of /strong");
            }
            return Optional.of(new StrongLabelsReader(file, hdf, strong, List.of(list), dims[0], (int) dims[1],
                    frameSeconds.doubleValue()));
        } catch (IOException | RuntimeException e) {
            hdf.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(file + ": cannot read /strong: " + e.getMessage(), e);
        }
    }

    /** @return what a failed read adds before its reason: a guess of a damaged file, unless a filter is unsupported */
    private static String damaged(RuntimeException e) {
        return BoundedInflate.unsupportedFilter(e) ? ": " : " (a damaged file?): ";
    }

    /** @return the rows of {@code /strong} */
    public long size() {
        return rows;
    }

    /** @return the frame length, in seconds */
    public double frameSeconds() {
        return frameSeconds;
    }

    /**
     * @param row a row, {@code 0 <= row < size()}
     * @return its events (times from the clip start, in seconds), by MID column then time
     * @throws IOException if reading fails
     */
    public List<StrongEvent> events(long row) throws IOException {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("row " + row + " is outside 0.." + (rows - 1) + " of " + file);
        }
        Object data;
        try {
            data = BoundedInflate.read(strong, () -> strong.getData(new long[] {row, 0, 0},
                    new int[] {1, frames, mids.size()}));
        } catch (RuntimeException e) { // jhdf's errors on a damaged chunk index are not all HdfExceptions
            throw new IOException(file + ": cannot read row " + row + " of /strong" + damaged(e)
                    + BoundedInflate.reason(e), e);
        }
        Object slab = Array.get(data, 0);
        List<StrongEvent> out = new ArrayList<>();
        for (int m = 0; m < mids.size(); m++) {
            int start = -1;
            for (int f = 0; f <= frames; f++) {
                boolean on = f < frames && Array.getInt(Array.get(slab, f), m) != 0; // uint8 reads as int[]
                if (on && start < 0) {
                    start = f;
                } else if (!on && start >= 0) {
                    if (mids.get(m).isBlank()) { // a StrongEvent refuses it, with no file named
                        throw new IOException(file + ": row " + row + " of /strong flags column " + m
                                + ", whose name in /strong_mids is blank (a damaged file?)");
                    }
                    out.add(new StrongEvent(mids.get(m), start * frameSeconds, f * frameSeconds));
                    start = -1;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        hdf.close();
    }
}
