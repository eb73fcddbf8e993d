package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One group or dataset of an HDF5 file, as {@link Hdf5Inspector} describes it.
 *
 * @param path the absolute path inside the file, e.g. {@code /meta/ytid}
 * @param group true for a group, false for a dataset
 * @param dataType for datasets, a NumPy-style type name ({@code float32}, {@code uint8}, {@code |S11},
 *     {@code enum}, …); empty for groups
 * @param shape for datasets, the dimensions (empty for a scalar); empty for groups
 * @param attributes attribute names to short printable values, in the file's order
 */
public record Hdf5Node(String path, boolean group, String dataType, List<Long> shape, Map<String, String> attributes) {
    /** Validates and copies. */
    public Hdf5Node {
        requireNonNull(path, "path");
        requireNonNull(dataType, "dataType");
        shape = List.copyOf(shape);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
