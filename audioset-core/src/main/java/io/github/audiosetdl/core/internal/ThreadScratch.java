package io.github.audiosetdl.core.internal;

/**
 * A work array of doubles per thread, grown to the longest length asked for and never shrunk: workers that
 * prepare clip after clip reuse it instead of allocating (large arrays are G1 "humongous" objects in a
 * small heap).
 */
public final class ThreadScratch {
    private final ThreadLocal<double[]> arrays = new ThreadLocal<>();

    /**
     * @param length the elements needed
     * @return this thread's array of at least {@code length} doubles; its contents are unspecified
     */
    public double[] get(int length) {
        double[] a = arrays.get();
        if (a == null || a.length < length) {
            a = new double[length];
            arrays.set(a);
        }
        return a;
    }
}
