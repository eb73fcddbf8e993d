package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

/**
 * One AudioSet class, as listed in {@code class_labels_indices.csv}.
 *
 * @param index the column of this class in multi-hot label arrays, {@code 0..526} for AudioSet
 * @param mid the Freebase/knowledge-graph machine id, e.g. {@code /m/09x0r}
 * @param displayName the human-readable name, e.g. {@code Speech}
 */
public record Label(int index, String mid, String displayName) {
    /**
     * Validates.
     *
     * @param index the multi-hot column, {@code >= 0}
     * @param mid the machine id; not null or blank
     * @param displayName the human-readable name; not null
     * @throws IllegalArgumentException if {@code index} is negative or {@code mid} blank
     */
    public Label {
        requireNonNull(mid, "mid");
        requireNonNull(displayName, "displayName");
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " < 0 for " + mid);
        }
        if (mid.isBlank()) {
            throw new IllegalArgumentException("blank mid at index " + index);
        }
    }
}
