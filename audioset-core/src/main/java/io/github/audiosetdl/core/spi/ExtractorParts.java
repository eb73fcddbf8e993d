package io.github.audiosetdl.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@link FeatureExtractor#of}'s extractor: immutable parts. */
final class ExtractorParts implements FeatureExtractor {
    /** {@link FeatureExtractor#dataset()}'s rule: it names an HDF5 dataset. */
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,64}");
    /** The datasets a feature file keeps beside the rows. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("labels", "meta", "average");

    private final String name;
    private final String dataset;
    private final int inputLength;
    private final int sampleRate;
    private final int rows;
    private final int columns;
    private final Map<String, Object> attributes;
    private final Supplier<? extends Worker> workers;

    ExtractorParts(String name, String dataset, int inputLength, int sampleRate, int rows, int columns,
            Map<String, ?> attributes, Supplier<? extends Worker> workers) {
        this.name = requireNonNull(name, "name");
        this.dataset = requireNonNull(dataset, "dataset");
        if (!DATASET.matcher(dataset).matches() || RESERVED.contains(dataset)) {
            throw new IllegalArgumentException("the feature's dataset name '" + dataset + "' (its name unless given)"
                    + " must be 1 to 64 letters, digits and _ (" + DATASET.pattern() + "), and not one of the"
                    + " datasets kept beside the rows " + new java.util.TreeSet<>(RESERVED));
        }
        this.workers = requireNonNull(workers, "workers");
        for (int v : new int[] {inputLength, sampleRate, rows, columns}) {
            if (v <= 0) {
                throw new IllegalArgumentException("sizes must be positive: inputLength=" + inputLength
                        + ", sampleRate=" + sampleRate + ", rows=" + rows + ", columns=" + columns);
            }
        }
        this.inputLength = inputLength;
        this.sampleRate = sampleRate;
        this.rows = rows;
        this.columns = columns;
        Map<String, Object> attrs = new LinkedHashMap<>();
        requireNonNull(attributes, "attributes").forEach((k, v) -> {
            if (!(v instanceof Number) && !(v instanceof String)) {
                throw new IllegalArgumentException("attribute '" + k + "' must be a number or a string, not " + v);
            }
            attrs.put(k, v);
        });
        // what a store records itself beside the declared attributes: a declared value of its own would replace it
        Map<String, Object> own = Map.of("feature", name, "input_length", inputLength, "sample_rate", sampleRate);
        own.forEach((k, v) -> {
            Object declared = attrs.get(k);
            if (declared != null && !sameValue(declared, v)) {
                throw new IllegalArgumentException("attribute '" + k + "' is '" + declared + "', but a store records"
                        + " the feature's own " + k + ", '" + v + "', under that name: declare the same value or"
                        + " leave it out");
            }
        });
        this.attributes = Collections.unmodifiableMap(attrs);
    }

    /** @return whether a declared attribute says what the store records under its name (a number by its value) */
    private static boolean sameValue(Object declared, Object own) {
        return own instanceof Number n ? declared instanceof Number d && d.doubleValue() == n.doubleValue()
                : own.equals(declared);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String dataset() {
        return dataset;
    }

    @Override
    public int inputLength() {
        return inputLength;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public Worker newWorker() {
        return requireNonNull(workers.get(), "worker supplier returned null");
    }

    @Override
    public String toString() {
        return name + "(" + inputLength + " samples at " + sampleRate + " Hz -> " + rows + " x " + columns + ")";
    }
}
