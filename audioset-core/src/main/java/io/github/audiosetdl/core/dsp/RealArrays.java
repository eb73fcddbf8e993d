package io.github.audiosetdl.core.dsp;

/**
 * Kernels over rows of real values (small matrix products whose rows the JIT alone would stream through memory
 * once per term), on the FFT engine's SIMD vectors when they are available
 * ({@link io.github.audiosetdl.core.dsp the package comment}), with the same doubles as the scalar loops either
 * way: the SIMD code keeps a tile of the result in registers over all the terms.
 */
public final class RealArrays {
    private RealArrays() {
    }

    /**
     * {@code acc[r][i] += sum_{k < terms} coef[coefOff + r·coefStride + k] · x[k][i]} for {@code r < rows} and
     * {@code from <= i < to}, each element rounded as {@code fma(c_{terms-1}, x_{terms-1}, ... fma(c_0, x_0, acc))}
     * (the terms in ascending order, one fused multiply-add each): the product of a {@code rows × terms}
     * coefficient matrix and {@code terms} rows, added to {@code rows} accumulator rows.
     *
     * @param acc at least {@code rows} accumulator rows, each with at least {@code to} doubles; updated in place,
     *     must not be one of the {@code x} rows
     * @param rows the number of accumulator rows
     * @param coef the coefficients, row {@code r}'s {@code terms} ones from {@code coefOff + r·coefStride}
     * @param coefOff the index of {@code c(0, 0)}
     * @param coefStride the distance between rows of coefficients, {@code >= terms}
     * @param x at least {@code terms} rows, each with at least {@code to} doubles; only read
     * @param terms the number of terms
     * @param from the first index {@code i}
     * @param to the index after the last
     * @throws IllegalArgumentException if a count is negative, {@code from > to} or {@code coefStride < terms}
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void accumulateProducts(double[][] acc, int rows, double[] coef, int coefOff, int coefStride,
            double[][] x, int terms, int from, int to) {
        if (rows < 0 || terms < 0 || from < 0 || from > to || coefStride < terms) {
            throw new IllegalArgumentException("rows " + rows + ", terms " + terms + ", indices " + from + " .. "
                    + to + ", coefficient stride " + coefStride);
        }
        if (acc.length < rows || x.length < terms || rows > 0 && terms > 0
                && (coefOff < 0 || coefOff + (long) (rows - 1) * coefStride + terms > coef.length)) {
            throw new IndexOutOfBoundsException(rows + " rows of " + terms + " coefficients from " + coefOff
                    + " with stride " + coefStride + " in an array of " + coef.length + ", " + acc.length
                    + " accumulator rows and " + x.length + " term rows");
        }
        for (int r = 0; r < rows; r++) {
            checkLength(acc[r], to);
        }
        for (int k = 0; k < terms; k++) {
            checkLength(x[k], to);
        }
        Butterflies simd = Butterflies.simd();
        int done = simd == null ? from : simd.accumulateProducts(acc, rows, coef, coefOff, coefStride, x, terms,
                from, to);
        // without SIMD (or for the tail): four terms per pass over an accumulator row, a loop the JIT vectorises
        for (int r = 0; r < rows; r++) {
            double[] a = acc[r];
            int c = coefOff + r * coefStride;
            int k = 0;
            for (; k + 3 < terms; k += 4) {
                double c0 = coef[c + k];
                double c1 = coef[c + k + 1];
                double c2 = coef[c + k + 2];
                double c3 = coef[c + k + 3];
                double[] x0 = x[k];
                double[] x1 = x[k + 1];
                double[] x2 = x[k + 2];
                double[] x3 = x[k + 3];
                for (int i = done; i < to; i++) {
                    a[i] = Math.fma(c3, x3[i], Math.fma(c2, x2[i], Math.fma(c1, x1[i], Math.fma(c0, x0[i], a[i]))));
                }
            }
            for (; k < terms; k++) {
                double ck = coef[c + k];
                double[] xk = x[k];
                for (int i = done; i < to; i++) {
                    a[i] = Math.fma(ck, xk[i], a[i]);
                }
            }
        }
    }

    private static void checkLength(double[] row, int to) {
        if (row.length < to) {
            throw new IndexOutOfBoundsException("index " + to + " of a row of " + row.length);
        }
    }
}
