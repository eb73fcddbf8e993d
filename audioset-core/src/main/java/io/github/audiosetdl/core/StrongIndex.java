package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.internal.Base64Url;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The present events of a strong label file, held compactly for per-clip lookup: each event is a vocabulary
 * index ({@code short}) and two {@code float} times (10 bytes), each segment two {@code long}s and an
 * {@code int} (20 bytes); about 12 MB for {@code audioset_train_strong.tsv} (935k events, 103k segments).
 * The size is checked while reading against {@link #MAX_EVENTS} and {@link #MAX_SEGMENTS}.
 *
 * <p>Events whose MID is not in the vocabulary are not held: they are counted per MID in
 * {@link #outsideVocabulary()}, never dropped silently. {@code NOT_PRESENT} lines of a framed posneg file are
 * not events; a segment with only such lines is known (it is annotated) but has no events. Immutable and
 * thread-safe once built.
 */
public final class StrongIndex {
    /** The most present events held (about 200 MB). */
    public static final int MAX_EVENTS = 20_000_000;
    /** The most segments held. */
    public static final int MAX_SEGMENTS = 4_000_000;
    /** The most distinct MIDs outside the vocabulary counted (Google's files have none). */
    public static final int MAX_OUTSIDE_MIDS = 100_000;

    private final StrongVocabulary vocabulary;
    /** Per segment, sorted by (hi, lo): the id's first 10 characters (6 bits each). */
    private final long[] keyHi;
    /** Per segment: the id's last character (6 bits) above 40 bits of segment start in ms. */
    private final long[] keyLo;
    /** Per segment, its first event; {@code offsets[segments]} is the number of events. */
    private final int[] offsets;
    private final short[] mids;
    private final float[] starts;
    private final float[] ends;
    private final Map<String, Long> outside;
    private final long notPresent;

    private StrongIndex(StrongVocabulary vocabulary, long[] keyHi, long[] keyLo, int[] offsets, short[] mids,
            float[] starts, float[] ends, Map<String, Long> outside, long notPresent) {
        this.vocabulary = vocabulary;
        this.keyHi = keyHi;
        this.keyLo = keyLo;
        this.offsets = offsets;
        this.mids = mids;
        this.starts = starts;
        this.ends = ends;
        this.outside = Collections.unmodifiableMap(outside);
        this.notPresent = notPresent;
    }

    /**
     * Reads a strong file into an index.
     *
     * @param file a strong label file
     * @param vocabulary the MIDs kept (usually {@link StrongVocabulary#audioSet()})
     * @return the index
     * @throws IOException if the file cannot be read
     * @throws SegmentFormatException for a bad line, for more than {@link #MAX_EVENTS} events or
     *     {@link #MAX_SEGMENTS} segments, and for a segment whose lines are split across the file
     */
    public static StrongIndex read(Path file, StrongVocabulary vocabulary) throws IOException {
        requireNonNull(vocabulary, "vocabulary");
        try (Stream<StrongRow> rows = StrongCsv.stream(file)) {
            return build(rows, file.toString(), vocabulary);
        }
    }

    /**
     * Builds an index from rows (in file order, a segment's lines together).
     *
     * @param rows the rows, consumed
     * @param source their file, for messages
     * @param vocabulary the MIDs kept
     * @return the index
     * @throws SegmentFormatException as {@link #read(Path, StrongVocabulary)}
     */
    public static StrongIndex build(Stream<StrongRow> rows, String source, StrongVocabulary vocabulary) {
        requireNonNull(rows, "rows");
        requireNonNull(vocabulary, "vocabulary");
        Builder b = new Builder(source, vocabulary);
        rows.forEachOrdered(b::add);
        return b.build();
    }

    /** @return the vocabulary the events' MIDs index */
    public StrongVocabulary vocabulary() {
        return vocabulary;
    }

    /** @return the number of segments */
    public int segments() {
        return keyHi.length;
    }

    /** @return the number of present events held */
    public int events() {
        return mids.length;
    }

    /** @return events (present lines) whose MID is not in the vocabulary, per MID, sorted; they are not held */
    public Map<String, Long> outsideVocabulary() {
        return outside;
    }

    /** @return {@code NOT_PRESENT} lines read (framed posneg files only) */
    public long notPresent() {
        return notPresent;
    }

    /**
     * @param ytid a YouTube id
     * @param segmentStartMs the segment's start in the video, in ms
     * @return the segment's events in file order (times in seconds from the segment's start), empty when the
     *     file does not annotate it; an annotated segment with no present event in the vocabulary gives an
     *     empty list too
     */
    public Optional<List<StrongEvent>> events(String ytid, long segmentStartMs) {
        requireNonNull(ytid, "ytid");
        if (!Segment.isValidId(ytid) || segmentStartMs < 0 || segmentStartMs > StrongCsv.MAX_SEGMENT_START_MS) {
            return Optional.empty();
        }
        int i = find(hi(ytid), lo(ytid, segmentStartMs));
        if (i < 0) {
            return Optional.empty();
        }
        List<StrongEvent> out = new ArrayList<>(offsets[i + 1] - offsets[i]);
        for (int e = offsets[i]; e < offsets[i + 1]; e++) {
            out.add(new StrongEvent(vocabulary.mids().get(mids[e]), decimal(starts[e]), decimal(ends[e])));
        }
        return Optional.of(out);
    }

    private int find(long hi, long lo) {
        int low = 0;
        int high = keyHi.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(keyHi[mid], keyLo[mid], hi, lo);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private static int compare(long hiA, long loA, long hiB, long loB) {
        int c = Long.compare(hiA, hiB);
        return c != 0 ? c : Long.compare(loA, loB);
    }

    private static long hi(String ytid) {
        long k = 0;
        for (int i = 0; i < 10; i++) {
            k = k << 6 | Base64Url.value(ytid.charAt(i));
        }
        return k;
    }

    private static long lo(String ytid, long startMs) {
        return (long) Base64Url.value(ytid.charAt(10)) << 40 | startMs;
    }

    /** @return the {@code segment_id} ({@code <YouTube id>_<start ms>}) of the key {@link #hi}, {@link #lo} made */
    private static String segmentId(long hi, long lo) {
        char[] id = new char[11];
        id[10] = Base64Url.letter((int) (lo >>> 40));
        for (int i = 9; i >= 0; i--, hi >>>= 6) {
            id[i] = Base64Url.letter((int) (hi & 63));
        }
        return new String(id) + "_" + (lo & ((1L << 40) - 1));
    }

    /** Collects rows into growing arrays, then sorts the segments by key. */
    private static final class Builder {
        private final String source;
        private final StrongVocabulary vocabulary;
        private final Map<String, Long> outside = new TreeMap<>();
        private long[] keyHi = new long[1024];
        private long[] keyLo = new long[1024];
        private long[] lines = new long[1024];
        private int[] offsets = new int[1025];
        private int segments;
        private short[] mids = new short[4096];
        private float[] starts = new float[4096];
        private float[] ends = new float[4096];
        private int events;
        private long notPresent;

        Builder(String source, StrongVocabulary vocabulary) {
            this.source = source;
            this.vocabulary = vocabulary;
        }

        void add(StrongRow r) {
            long hi = hi(r.ytid());
            long lo = lo(r.ytid(), r.segmentStartMs());
            if (segments == 0 || keyHi[segments - 1] != hi || keyLo[segments - 1] != lo) {
                if (segments == MAX_SEGMENTS) {
                    throw new SegmentFormatException(source, r.line(), "more than " + MAX_SEGMENTS + " segments",
                            r.segmentId());
                }
                if (segments == keyHi.length) {
                    int n = (int) Math.min(MAX_SEGMENTS, 2L * segments);
                    keyHi = Arrays.copyOf(keyHi, n);
                    keyLo = Arrays.copyOf(keyLo, n);
                    lines = Arrays.copyOf(lines, n);
                    offsets = Arrays.copyOf(offsets, n + 1);
                }
                keyHi[segments] = hi;
                keyLo[segments] = lo;
                lines[segments] = r.line();
                offsets[segments] = events;
                segments++;
            }
            if (!r.present()) {
                notPresent++;
                return;
            }
            int mid = vocabulary.indexOf(r.event().mid());
            if (mid < 0) {
                if (outside.size() == MAX_OUTSIDE_MIDS && !outside.containsKey(r.event().mid())) {
                    throw new SegmentFormatException(source, r.line(), "more than " + MAX_OUTSIDE_MIDS
                            + " distinct MIDs outside the vocabulary " + vocabulary.source(), r.event().mid());
                }
                outside.merge(r.event().mid(), 1L, Long::sum);
                return;
            }
            if (events == MAX_EVENTS) {
                throw new SegmentFormatException(source, r.line(), "more than " + MAX_EVENTS + " events",
                        r.segmentId());
            }
            if (events == mids.length) {
                int n = (int) Math.min(MAX_EVENTS, 2L * events);
                mids = Arrays.copyOf(mids, n);
                starts = Arrays.copyOf(starts, n);
                ends = Arrays.copyOf(ends, n);
            }
            mids[events] = (short) mid;
            starts[events] = (float) r.event().startSeconds();
            ends[events] = (float) r.event().endSeconds();
            events++;
        }

        StrongIndex build() {
            offsets[segments] = events;
            Integer[] order = new Integer[segments];
            for (int i = 0; i < segments; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> compare(keyHi[a], keyLo[a], keyHi[b], keyLo[b]));
            long[] hi = new long[segments];
            long[] lo = new long[segments];
            int[] off = new int[segments + 1];
            short[] m = new short[events];
            float[] s = new float[events];
            float[] e = new float[events];
            int at = 0;
            for (int i = 0; i < segments; i++) {
                int seg = order[i];
                if (i > 0 && hi[i - 1] == keyHi[seg] && lo[i - 1] == keyLo[seg]) {
                    long firstLine = Math.min(lines[order[i - 1]], lines[seg]);
                    long laterLine = Math.max(lines[order[i - 1]], lines[seg]);
                    throw new SegmentFormatException(source, laterLine, "this segment's lines are not together:"
                            + " it was listed from line " + firstLine + " and resumes here",
                            segmentId(keyHi[seg], keyLo[seg]));
                }
                hi[i] = keyHi[seg];
                lo[i] = keyLo[seg];
                off[i] = at;
                int n = offsets[seg + 1] - offsets[seg];
                System.arraycopy(mids, offsets[seg], m, at, n);
                System.arraycopy(starts, offsets[seg], s, at, n);
                System.arraycopy(ends, offsets[seg], e, at, n);
                at += n;
            }
            off[segments] = at;
            return new StrongIndex(vocabulary, hi, lo, off, m, s, e, outside, notPresent);
        }
    }

    /**
     * @param stored a time as kept in the index (float32)
     * @return the time the file wrote, e.g. {@code 2.112} rather than float32's {@code 2.11199998855}: the
     *     shortest decimal that reads back as {@code stored} (the files give milliseconds, well within float32's
     *     precision for times up to 10 s), so frame centres and JSON see the file's own numbers
     */
    private static double decimal(float stored) {
        return Double.parseDouble(Float.toString(stored));
    }
}
