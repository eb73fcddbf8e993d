package io.github.audiosetdl.core.dsp;

/**
 * The functions windowed-sinc filters are built from: the cochleagram's Kaiser-windowed low-pass
 * ({@code audioset-cochlea}) and the PANNs layout's resampler share them.
 */
public final class WindowFunctions {
    private WindowFunctions() {
    }

    /**
     * The modified Bessel function of the first kind, order 0, by its power series
     * {@code sum_k ((x/2)^k / k!)^2}, summed until the terms no longer change the sum.
     *
     * @param x the argument
     * @return {@code I0(x)}
     */
    public static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return sum;
    }

    /**
     * @param x the argument
     * @return the normalised sinc, {@code sin(pi x) / (pi x)}, 1 at 0
     */
    public static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }
}
