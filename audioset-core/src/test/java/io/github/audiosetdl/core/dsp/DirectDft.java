package io.github.audiosetdl.core.dsp;

/** The complex DFT by its definition, for tests: exact angles from a table of the {@code n}-th roots of unity. */
final class DirectDft {
    private DirectDft() {
    }

    /**
     * @param x {@code batch} interleaved signals of {@code n} complex values, element {@code t} of signal
     *     {@code g} at {@code 2·(g + batch·t)}
     * @return a one-element array holding the forward DFTs in the same layout
     */
    static double[][] forward(double[] x, int n, int batch) {
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int e = 0; e < n; e++) {
            cos[e] = Math.cos(2 * Math.PI * e / n);
            sin[e] = -Math.sin(2 * Math.PI * e / n);
        }
        double[] out = new double[2 * n * batch];
        for (int g = 0; g < batch; g++) {
            for (int k = 0; k < n; k++) {
                double re = 0;
                double im = 0;
                int e = 0;
                for (int t = 0; t < n; t++) {
                    double xr = x[2 * (g + batch * t)];
                    double xi = x[2 * (g + batch * t) + 1];
                    re += xr * cos[e] - xi * sin[e];
                    im += xr * sin[e] + xi * cos[e];
                    e += k;
                    if (e >= n) {
                        e -= n;
                    }
                }
                out[2 * (g + batch * k)] = re;
                out[2 * (g + batch * k) + 1] = im;
            }
        }
        return new double[][] {out};
    }
}
