package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.internal.Base64Url;
import java.util.HashMap;
import java.util.Map;

/**
 * The YTIDs seen so far in one run, each with the CSV row it was first seen in, in bounded memory.
 *
 * <p>A YouTube id is 11 base64url characters encoding 64 bits (the last character carries 4 bits, so
 * it is one of {@code AEIMQUYcgkosw048}); such an id is kept exactly as a {@code long} in an
 * open-addressing table with its row as an {@code int}: 12 bytes a slot, at most 24 bytes an id
 * (about 50 MB, 75 MB while the table grows, for the 2 million rows of
 * {@code unbalanced_train_segments.csv}, where a {@code HashSet<String>} takes about 200 MB). Any
 * other id (a mirror's own naming) goes to a plain map. Not thread-safe: the stage's reading thread
 * alone uses it.
 */
final class SeenIds {
    private static final int YTID_LENGTH = 11;
    private static final int MIN_CAPACITY = 1 << 10;
    /** Rows stored in the table are {@code row + 1}; 0 marks a free slot. */
    private static final long MAX_TABLE_ROW = Integer.MAX_VALUE - 1L;

    private long[] keys = new long[MIN_CAPACITY];
    private int[] rows = new int[MIN_CAPACITY];
    private int size;
    private final Map<String, Long> others = new HashMap<>();

    /**
     * Records an id unless it was seen before.
     *
     * @param ytid the id
     * @param row its 0-based CSV data row
     * @return the row the id was first seen in, or {@code -1} if it is new (it is then recorded with
     *     {@code row})
     */
    public long firstRow(String ytid, long row) {
        if (row < 0) {
            throw new IllegalArgumentException("row " + row + " < 0");
        }
        if (row >= MAX_TABLE_ROW || !isYouTubeId(ytid)) {
            Long first = others.putIfAbsent(ytid, row);
            return first == null ? -1 : first;
        }
        long key = key(ytid);
        int slot = find(keys, rows, key);
        if (rows[slot] != 0) {
            return rows[slot] - 1L;
        }
        keys[slot] = key;
        rows[slot] = (int) (row + 1);
        if (++size > keys.length / 4 * 3) {
            grow();
        }
        return -1;
    }

    /** @return how many distinct ids were recorded */
    public long size() {
        return size + others.size();
    }

    /** @return whether {@code id} is 11 base64url characters whose last one carries 4 bits (a YouTube id) */
    static boolean isYouTubeId(String id) {
        if (id.length() != YTID_LENGTH) {
            return false;
        }
        for (int i = 0; i < YTID_LENGTH; i++) {
            if (Base64Url.value(id.charAt(i)) < 0) {
                return false;
            }
        }
        return (Base64Url.value(id.charAt(YTID_LENGTH - 1)) & 3) == 0;
    }

    /** @return the 64 bits a YouTube id encodes: 10 characters of 6 bits, then the top 4 bits of the last */
    static long key(String id) {
        long key = 0;
        for (int i = 0; i < YTID_LENGTH - 1; i++) {
            key = key << 6 | Base64Url.value(id.charAt(i));
        }
        return key << 4 | Base64Url.value(id.charAt(YTID_LENGTH - 1)) >>> 2;
    }

    /** @return the slot holding {@code key}, else the free slot where it goes (linear probing) */
    private static int find(long[] keys, int[] rows, long key) {
        int mask = keys.length - 1;
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ h >>> 32) & mask;
        while (rows[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldRows = rows;
        keys = new long[oldKeys.length * 2];
        rows = new int[oldRows.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldRows[i] != 0) {
                int slot = find(keys, rows, oldKeys[i]);
                keys[slot] = oldKeys[i];
                rows[slot] = oldRows[i];
            }
        }
    }
}
