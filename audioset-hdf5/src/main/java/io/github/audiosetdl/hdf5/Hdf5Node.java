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
 * @param group true for a group (or a hard link back to one already listed), false for a dataset or a link
 * @param dataType for datasets, a NumPy-style type name ({@code float32}, {@code uint8}, {@code |S11},
 *     {@code enum}, …); empty for groups; for links, which are listed but not followed, {@code (hard link to
 *     /g)}, {@code (soft link to /wav)} or {@code (external link to other.h5:/wav)}
 * @param shape for datasets, the dimensions (empty for a scalar); empty for groups
 * @param attributes attribute names to short printable values, in the file's order
 */
public record Hdf5Node(String path, boolean group, String dataType, List<Long> shape, Map<String, String> attributes) {
    /**
     * Validates and copies.
     *
     * @param path the absolute path in the file; not null
     * @param group whether it is a group
     * @param dataType the NumPy-style type name, or empty; not null
     * @param shape the dimensions, copied
     * @param attributes attribute names to printable values, copied in order
     */
    public Hdf5Node {
        requireNonNull(path, "path");
        requireNonNull(dataType, "dataType");
        shape = List.copyOf(shape);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
