package io.github.audiosetdl.cochlea.features;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.CochleagramPreset;
import io.github.audiosetdl.cochlea.Compression;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import java.lang.reflect.Array;
import java.util.Map;

/**
 * A {@link Cochleagram} as the pipeline's {@link FeatureExtractor}, and back from a cochleagram file's
 * attributes to the configuration that made it.
 */
public final class CochleagramFeatures {
    /** The dataset a cochleagram file keeps the rows in, as the seed's {@code _Coch.hdf5} files do. */
    public static final String DATASET = "coch";

    private CochleagramFeatures() {
    }

    /**
     * @param cochleagram the cochleagram to compute (shared by all workers; each worker gets its own
     *     FFT plans and scratch buffers)
     * @return the extractor: {@code signalLength} samples in, {@code (channels, frames)} out, named
     *     {@code cochleagram}, stored in the dataset {@value #DATASET}, with every parameter as an attribute
     *     ({@link Cochleagram#attributes()}, {@code channels} and {@code frames} included)
     */
    public static FeatureExtractor of(Cochleagram cochleagram) {
        requireNonNull(cochleagram, "cochleagram");
        return FeatureExtractor.of("cochleagram", DATASET, cochleagram.signalLength(), cochleagram.sampleRate(),
                cochleagram.channels(), cochleagram.frames(), cochleagram.attributes(),
                () -> cochleagram.newWorker()::compute);
    }

    /**
     * @param config the cochleagram's configuration
     * @return the extractor for {@code Cochleagram.of(config)}
     */
    public static FeatureExtractor of(CochleagramConfig config) {
        return of(Cochleagram.of(requireNonNull(config, "config")));
    }

    /**
     * Rebuilds the configuration recorded in a cochleagram file's {@code /coch} attributes.
     *
     * @param attributes the attributes ({@code preset}, {@code sample_rate}, {@code signal_length},
     *     {@code n}, {@code sample_factor}, {@code low_lim}, {@code hi_lim}, {@code env_sr},
     *     {@code compression})
     * @return the configuration
     * @throws IllegalArgumentException if an attribute is missing or invalid (naming it)
     */
    public static CochleagramConfig configFrom(Map<String, Object> attributes) {
        requireNonNull(attributes, "attributes");
        return CochleagramConfig.builder()
                .preset(CochleagramPreset.parse(text(attributes, "preset")))
                .sampleRate(number(attributes, "sample_rate").intValue())
                .signalLength(number(attributes, "signal_length").intValue())
                .n(number(attributes, "n").intValue())
                .sampleFactor(number(attributes, "sample_factor").intValue())
                .lowLimit(number(attributes, "low_lim").doubleValue())
                .highLimit(number(attributes, "hi_lim").doubleValue())
                .envSampleRate(number(attributes, "env_sr").intValue())
                .compression(Compression.parse(text(attributes, "compression")))
                .build();
    }

    private static Object value(Map<String, Object> attributes, String name) {
        Object v = attributes.get(name);
        if (v != null && v.getClass().isArray() && Array.getLength(v) == 1) {
            v = Array.get(v, 0);
        }
        if (v == null) {
            throw new IllegalArgumentException("attribute '" + name + "' is missing (not a cochleagram file of ours?)");
        }
        return v;
    }

    private static Number number(Map<String, Object> attributes, String name) {
        Object v = value(attributes, name);
        if (v instanceof Number n) {
            return n;
        }
        try {
            return Double.valueOf(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("attribute '" + name + "' is not a number: '" + v + "'", e);
        }
    }

    private static String text(Map<String, Object> attributes, String name) {
        return value(attributes, name).toString();
    }
}
