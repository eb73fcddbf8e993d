package io.github.audiosetdl.cochlea;

/**
 * Computes cochleagrams from {@link Subbands}: for every channel the modulus of the analytic subband at all
 * {@code N} samples (the envelope), the downsampling FIR, rectification and compression. Two implementations,
 * X.
 * Immutable and thread-safe; each thread computes through its own {@link Worker}.
 */
interface EnvelopeEngine {

    /**
     * The pruned engine when the shape allows it ({@code PrunedEnvelopes.fits}) and {@code allowPruned}, else
     * the direct one.
     *
     * @param bands the weighted bands
     * @param fir the downsampling filter
     * @param compression applied to each rectified frame value
     * @param allowPruned false forces the direct engine (for tests)
     * @return the engine
     */
    static EnvelopeEngine create(Subbands bands, DownsamplingFir fir, Compression compression, boolean allowPruned) {
        if (allowPruned && PrunedEnvelopes.fits(bands.signalLength(), fir)) {
            return new PrunedEnvelopes(bands, fir, compression);
        }
        return new DirectEnvelopes(bands, fir, compression);
    }

    /** @return whether this is the pruned engine */
    boolean isPruned();

    /** @return a new worker (scratch buffers) for the calling thread */
    Worker newWorker();

    /** Per-thread state; not thread-safe. */
    interface Worker {
        /**
         * @param waveform {@code N} samples
         * @param out receives {@code channels * frames} values, row-major
         * @throws IllegalArgumentException naming the first sample that is NaN or infinite
         */
        void compute(float[] waveform, float[] out);

        /**
         * The full-rate envelope of one channel (before downsampling).
         *
         * @param waveform {@code N} samples
         * @param channel the channel
         * @param out receives {@code N} values
         * @throws IllegalArgumentException naming the first sample that is NaN or infinite
         */
        void envelope(float[] waveform, int channel, double[] out);
    }
}
