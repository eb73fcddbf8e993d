package io.github.audiosetdl.core.spi;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Computes a fixed-shape feature matrix, such as a cochleagram, from a fixed-length waveform.
 *
 * <p>An extractor is immutable and shared by all threads; each thread computes through its own
 * {@link Worker} (which may hold FFT plans and scratch buffers). Build one from any implementation
 * with {@link #of}:
 *
 * <pre>{@code
 * Cochleagram coch = Cochleagram.of(CochleagramConfig.seed());
 * FeatureExtractor features = FeatureExtractor.of("cochleagram", coch.signalLength(), coch.sampleRate(),
 *         coch.channels(), coch.frames(), coch.attributes(), () -> coch.newWorker()::compute);
 * }</pre>
 */
public interface FeatureExtractor {

    /** Computes one feature matrix; not thread-safe, one per thread. */
    @FunctionalInterface
    interface Worker {
        /**
         * @param waveform {@link #inputLength()} samples at {@link #sampleRate()}
         * @param out receives the {@code (rows, columns)} matrix flattened row-major: {@code rows() *
         *     columns()} values
         */
        void compute(float[] waveform, float[] out);
    }

    /** @return a short name, used for dataset attributes and logs (e.g. {@code cochleagram}) */
    String name();

    /**
     * @return the name of the dataset a store keeps the rows in (default: {@link #name()}; the cochleagram's is
     *     {@code coch}, as in the seed's files): 1 to 64 letters, digits and {@code _}, not {@code labels},
     *     {@code meta} or {@code average}
     */
    default String dataset() {
        return name();
    }

    /** @return the number of input samples per clip (e.g. 160000) */
    int inputLength();

    /** @return the input sample rate, in Hz (e.g. 16000) */
    int sampleRate();

    /** @return the number of rows of the output matrix (cochleagram channels, e.g. 171) */
    int rows();

    /** @return the number of columns of the output matrix (envelope frames, e.g. 2000) */
    int columns();

    /**
     * @return every parameter worth recording with the output, as names to numbers or strings (stored as the
     *     dataset's HDF5 attributes, as declared: declare the shape's names here too, e.g. the cochleagram's
     *     {@code channels} and {@code frames}). A store records {@code feature} ({@link #name()}),
     *     {@code input_length} and {@code sample_rate} itself: declared, they must say the same.
     */
    Map<String, Object> attributes();

    /** @return a new worker for the calling thread */
    Worker newWorker();

    /** @return {@code rows() * columns()} */
    default int outputLength() {
        return Math.multiplyExact(rows(), columns());
    }

    /**
     * An extractor from its parts, stored in a dataset named {@code name}.
     *
     * @param name a short name, which names the dataset too: 1 to 64 letters, digits and {@code _}, not {@code labels},
     *     {@code meta} or {@code average}
     * @param inputLength samples per clip, {@code > 0}
     * @param sampleRate input rate in Hz, {@code > 0}
     * @param rows output rows, {@code > 0}
     * @param columns output columns, {@code > 0}
     * @param attributes parameters to record (copied; numbers and strings); {@code feature}, {@code input_length}
     *     and {@code sample_rate}, which a store records itself, only with the name, input length and rate
     * @param workers makes one worker per thread
     * @return the extractor
     * @throws IllegalArgumentException if a size is not positive, an attribute is not a number or a string or
     *     contradicts what a store records itself, or the dataset name is not 1 to 64 letters, digits and
     *     {@code _}, not {@code labels}, {@code meta} or {@code average} (naming the value)
     */
    static FeatureExtractor of(String name, int inputLength, int sampleRate, int rows, int columns,
            Map<String, ?> attributes, Supplier<? extends Worker> workers) {
        return of(name, name, inputLength, sampleRate, rows, columns, attributes, workers);
    }

    /**
     * An extractor from its parts.
     *
     * @param name a short name
     * @param dataset the dataset to store the rows in ({@link #dataset()}): 1 to 64 letters, digits and {@code _}, not
     *     {@code labels}, {@code meta} or {@code average}
     * @param inputLength samples per clip, {@code > 0}
     * @param sampleRate input rate in Hz, {@code > 0}
     * @param rows output rows, {@code > 0}
     * @param columns output columns, {@code > 0}
     * @param attributes parameters to record (copied; numbers and strings); {@code feature}, {@code input_length}
     *     and {@code sample_rate}, which a store records itself, only with the name, input length and rate
     * @param workers makes one worker per thread
     * @return the extractor
     * @throws IllegalArgumentException if a size is not positive, an attribute is not a number or a string or
     *     contradicts what a store records itself, or the dataset name is not 1 to 64 letters, digits and
     *     {@code _}, not {@code labels}, {@code meta} or {@code average} (naming the value)
     */
    static FeatureExtractor of(String name, String dataset, int inputLength, int sampleRate, int rows, int columns,
            Map<String, ?> attributes, Supplier<? extends Worker> workers) {
        return new ExtractorParts(name, dataset, inputLength, sampleRate, rows, columns, attributes, workers);
    }
}
