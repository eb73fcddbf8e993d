package io.github.audiosetdl.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small thread-safe cache that keeps the {@code capacity} entries used last (FFT plans by length).
 *
 * @param <K> the key
 * @param <V> the value
 */
public final class LruCache<K, V> {
    private final Map<K, V> entries;

    /** @param capacity the most entries kept, {@code >= 1} */
    public LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be >= 1");
        }
        this.entries = new LinkedHashMap<>(2 * capacity, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * @param key the key
     * @param make makes the value when the key is not cached (called under the cache's lock)
     * @return the cached or new value; the same instance while the key stays in the cache
     */
    public synchronized V get(K key, Function<? super K, ? extends V> make) {
        return entries.computeIfAbsent(key, make);
    }
}
