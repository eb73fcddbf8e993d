package io.github.audiosetdl.core.download;

import java.util.HashMap;
import java.util.Map;

/**
 * A byte of state per YouTube id, in bounded memory: an id is kept as its 64 bits in an open-addressing
 * table (9 bytes a slot, about 40 MB for two million ids; 4 more when {@link #putIfLater} keeps times), any other
 * id in a plain map. At most {@link #MAX_IDS} ids. Not thread-safe.
 */
final class IdStates {
    /** The most ids held. */
    static final int MAX_IDS = 20_000_000;

    private long[] keys = new long[1 << 10];
    private byte[] values = new byte[1 << 10];
    private int size;
    private final Map<String, Byte> others = new HashMap<>();
    /** Per slot, the time of its state for {@link #putIfLater}; null until that is first called. */
    private int[] times;
    private final Map<String, Integer> otherTimes = new HashMap<>();

    /**
     * Sets the state of {@code id} unless the state it has was set (by this method) at a later time.
     *
     * @param id an id
     * @param value its state, not 0
     * @param seconds when the state arose, in seconds (any fixed origin; equal times: the later call wins)
     * @throws IllegalStateException beyond {@link #MAX_IDS} ids
     */
    void putIfLater(String id, byte value, int seconds) {
        if (!SeenIds.isYouTubeId(id)) {
            Integer before = otherTimes.get(id);
            if (before == null || before <= seconds) {
                put(id, value);
                otherTimes.put(id, seconds);
            }
            return;
        }
        if (times == null) {
            times = new int[keys.length];
        }
        int slot = find(keys, values, SeenIds.key(id));
        if (values[slot] != 0 && times[slot] > seconds) {
            return;
        }
        put(id, value);
        times[find(keys, values, SeenIds.key(id))] = seconds; // found again: the put may have grown the table
    }

    /**
     * @param id an id
     * @return its state, 0 when it has none
     */
    byte get(String id) {
        if (!SeenIds.isYouTubeId(id)) {
            return others.getOrDefault(id, (byte) 0);
        }
        return values[find(keys, values, SeenIds.key(id))];
    }

    /**
     * @param id an id
     * @param value its state, not 0
     * @throws IllegalStateException beyond {@link #MAX_IDS} ids
     */
    void put(String id, byte value) {
        if (value == 0) {
            throw new IllegalArgumentException("0 means no state");
        }
        if (!SeenIds.isYouTubeId(id)) {
            if (!others.containsKey(id)) {
                checkRoom();
            }
            others.put(id, value);
            return;
        }
        long key = SeenIds.key(id);
        int slot = find(keys, values, key);
        if (values[slot] == 0) {
            checkRoom();
            keys[slot] = key;
            if (++size > keys.length / 4 * 3) {
                values[slot] = value;
                grow();
                return;
            }
        }
        values[slot] = value;
    }

    /** @return the number of ids with a state */
    long size() {
        return size + (long) others.size();
    }

    private void checkRoom() {
        if (size() >= MAX_IDS) {
            throw new IllegalStateException("more than " + MAX_IDS + " distinct ids in the logs");
        }
    }

    private static int find(long[] keys, byte[] values, long key) {
        int mask = keys.length - 1;
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ h >>> 32) & mask;
        while (values[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[] oldValues = values;
        int[] oldTimes = times;
        keys = new long[oldKeys.length * 2];
        values = new byte[oldValues.length * 2];
        times = oldTimes == null ? null : new int[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) {
                int slot = find(keys, values, oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                if (times != null) {
                    times[slot] = oldTimes[i];
                }
            }
        }
    }
}
