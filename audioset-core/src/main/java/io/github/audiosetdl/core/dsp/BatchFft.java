package io.github.audiosetdl.core.dsp;

/**
 * Complex forward DFTs {@code X_g[k] = sum_{t<L} x_g[t]·exp(-2πi·tk/L)} of {@code batch} signals of one length
 * {@code L} at once, unnormalised, for lengths with no prime factor above 13. Element {@code t} of signal
 * {@code g} sits at {@code data[2·(g + batch·t)]} (real part) and the next double (imaginary part): the signals
 * are interleaved, so every butterfly runs over {@code batch} adjacent complex values with the same twiddles,
 * which is what the SIMD passes need ({@link RealFft}'s class comment; the same passes and the same doubles).
 *
 * <p>The inverse DFT ({@code exp(+2πi·tk/L)}) is the forward DFT of the input with real and imaginary parts
 * swapped, with the result's parts swapped back; a caller that needs only moduli skips the second swap.
 *
 * <p>An instance is an immutable, thread-safe plan (tables of about {@code 16·L·(r-1)/r} bytes per radix pass);
 * the scratch is the caller's: a second array of {@link #size()} doubles and a {@link FftWorkspace}.
 */
public final class BatchFft {
    private final int length;
    private final int batch;
    private final StockhamPlan plan;

    /**
     * @param length the transform length {@code L}, with no prime factor above 13
     * @param batch the number of signals transformed together, {@code >= 1}
     * @throws IllegalArgumentException if {@code !supports(length)} or {@code batch < 1}
     */
    public BatchFft(int length, int batch) {
        if (!supports(length)) {
            throw new IllegalArgumentException("BatchFft does not support length " + length
                    + ": it must be positive and a product of 2, 3, 5, 7, 11 and 13");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, not " + batch);
        }
        this.length = length;
        this.batch = batch;
        this.plan = new StockhamPlan(length, Butterflies.simd());
    }

    /**
     * @param length a transform length
     * @return true if {@code length >= 1} has no prime factor above 13
     */
    public static boolean supports(int length) {
        if (length < 1) {
            return false;
        }
        int rest = length;
        for (int p = 2; p <= StockhamPlan.MAX_PRIME; p++) {
            while (rest % p == 0) {
                rest /= p;
            }
        }
        return rest == 1;
    }

    /** @return the transform length {@code L} */
    public int length() {
        return length;
    }

    /** @return the number of signals per call */
    public int batch() {
        return batch;
    }

    /** @return {@code 2·L·batch}, the doubles of the data and of the scratch array */
    public int size() {
        return 2 * length * batch;
    }

    /**
     * Transforms the batch. The passes write to {@code scratch} and {@code data} alternately.
     *
     * @param data the signals, laid out as the class comment says; read, then overwritten
     * @param scratch another array of at least {@link #size()} doubles, overwritten
     * @param ws scratch for the generic odd radix pass, used by one thread at a time
     * @return {@code data} or {@code scratch}, whichever holds {@code X_g[k]} at {@code 2·(g + batch·k)}
     * @throws IllegalArgumentException if an array is shorter than {@link #size()} or they are the same array
     */
    public double[] forward(double[] data, double[] scratch, FftWorkspace ws) {
        int size = size();
        if (data.length < size || scratch.length < size) {
            throw new IllegalArgumentException("arrays of " + data.length + " and " + scratch.length
                    + " doubles, need " + size);
        }
        if (data == scratch) {
            throw new IllegalArgumentException("the scratch must not be the data's array");
        }
        return plan.run(data, 0, batch, scratch, data, batch, ws);
    }
}
