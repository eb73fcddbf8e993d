package io.github.audiosetdl.hdf5;

import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.Spool;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The temporally-strong label datasets: {@code /strong} uint8 (N, frames, mids), frame f covering
 * [{@link #FRAME_SECONDS}·f, {@link #FRAME_SECONDS}·(f + 1)) s of the clip and 1 for a MID when one of its
 * events covers the frame's centre (start &le; centre &lt; end, compared in whole milliseconds, so that every
 * frame is judged alike and an event of 0.1 s marks one frame); an event that covers no centre (shorter than a
 * frame) marks the frame holding its midpoint, so no event inside the clip is lost; attribute {@code frame_seconds};
 * {@code /strong_mids} the vocabulary's MIDs in order; {@code /has_strong} bool (N,) (h5py's boolean enum),
 * true for rows the strong label file annotates, with events or without. One thread writes.
 */
final class StrongColumns {
    /** The length of a {@code /strong} frame, in seconds. */
    static final double FRAME_SECONDS = 0.1;
    private static final long FRAME_MS = 100;

    private final StrongVocabulary vocabulary;
    private final int frames;
    private final Spool strong;
    private final Spool has;
    private final byte[] row;
    private final Map<String, Long> unknown = new TreeMap<>();
    private long annotated;

    /**
     * @param file the row file the datasets go in
     * @param vocabulary the MIDs of the last axis
     * @param clipSeconds the clip length, in seconds (10 s: 100 frames)
     */
    StrongColumns(RowFile file, StrongVocabulary vocabulary, double clipSeconds) throws IOException {
        this.vocabulary = vocabulary;
        this.frames = (int) Math.round(clipSeconds / FRAME_SECONDS);
        if (frames < 1 || frames > 100_000) {
            throw new IllegalArgumentException("a clip of " + clipSeconds + " s has no sane number of frames");
        }
        this.strong = file.uint8Column("strong", new long[] {frames, vocabulary.size()},
                Map.of("frame_seconds", FRAME_SECONDS));
        this.has = file.column("has_strong", RowFile.ColumnType.BOOL, 1);
        file.strings("strong_mids", vocabulary.mids());
        this.row = new byte[frames * vocabulary.size()];
    }

    /**
     * @param events the row's events (times from the clip start)
     * @param known whether the strong label file annotates the row ({@code /has_strong}), events or not
     */
    void append(List<StrongEvent> events, boolean known) throws IOException {
        Arrays.fill(row, (byte) 0);
        int mids = vocabulary.size();
        for (StrongEvent e : events) {
            int m = vocabulary.indexOf(e.mid());
            if (m < 0) {
                unknown.merge(e.mid(), 1L, Long::sum);
                continue;
            }
            long startMs = Math.round(e.startSeconds() * 1000); // the strong files give milliseconds
            long endMs = Math.round(e.endSeconds() * 1000);
            boolean marked = false;
            for (int f = 0; f < frames; f++) {
                long centre = FRAME_MS * f + FRAME_MS / 2;
                if (startMs <= centre && centre < endMs) {
                    row[f * mids + m] = 1;
                    marked = true;
                }
            }
            long middle = Math.floorDiv(startMs + endMs, 2);
            if (!marked && middle >= 0 && middle < FRAME_MS * frames) {
                row[(int) (middle / FRAME_MS) * mids + m] = 1;
            }
        }
        strong.putBytes(row);
        has.putByte((byte) (known ? 1 : 0));
        if (known) {
            annotated++;
        }
    }

    /** @return rows given at least one event */
    long annotated() {
        return annotated;
    }

    /** @return events whose MID is not in the vocabulary (not in {@code /strong}), per MID */
    Map<String, Long> unknown() {
        return unknown;
    }
}
