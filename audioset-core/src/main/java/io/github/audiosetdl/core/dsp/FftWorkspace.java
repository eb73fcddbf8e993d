package io.github.audiosetdl.core.dsp;

/**
 * Scratch for the transforms of {@link RealFft} and {@link BatchFft}: not thread-safe, keep one per thread.
 * One workspace serves plans of any length: its arrays grow (once each) to the largest need seen and never
 * shrink. {@link RealFft#newWorkspace} returns one already grown for a plan.
 */
public final class FftWorkspace {
    private static final double[] NONE = new double[0];

    /**
     * The real forward's {@code n1 × n2} complex matrix between the two FFT steps, row {@code j2}
     * contiguous: {@code mid[2·(k1 + n1·j2)]} is the real part, the next element the imaginary part.
     */
    double[] mid = NONE;
    double[] bufA = NONE;
    double[] bufB = NONE;
    double[] bufC = NONE;
    double[] bufD = NONE;
    /** Per-butterfly sums and differences of the generic odd radix pass. */
    final double[] sumRe = new double[StockhamPlan.MAX_PRIME];
    final double[] sumIm = new double[StockhamPlan.MAX_PRIME];
    final double[] difRe = new double[StockhamPlan.MAX_PRIME];
    final double[] difIm = new double[StockhamPlan.MAX_PRIME];

    /** An empty workspace; it grows on first use. */
    public FftWorkspace() {
    }

    /** @return the bytes held by this workspace's arrays (payloads, without object headers) */
    public long bytes() {
        return 8L * (mid.length + bufA.length + bufB.length + bufC.length + bufD.length
                + 4 * StockhamPlan.MAX_PRIME);
    }

    /**
     * Grows the arrays to at least the given lengths.
     *
     * @param scratch doubles per batch buffer
     * @param midLength doubles of the real forward's intermediate matrix (0 when it is not needed)
     */
    void reserve(int scratch, int midLength) {
        if (bufA.length < scratch) {
            bufA = new double[scratch];
            bufB = new double[scratch];
            bufC = new double[scratch];
            bufD = new double[scratch];
        }
        if (mid.length < midLength) {
            mid = new double[midLength];
        }
    }
}
