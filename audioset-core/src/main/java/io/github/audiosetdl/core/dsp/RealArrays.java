package io.github.audiosetdl.core.dsp;

/**
 * Kernels over rows of real values (small matrix products whose rows the JIT alone would stream through memory
 * once per term; the Gram matrix of a block of observations), on the FFT engine's SIMD vectors when they are
 * available ({@link io.github.audiosetdl.core.dsp the package comment}), with the same doubles as the scalar loops
 * either way: the SIMD code keeps a tile of the result in registers over many terms.
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

    /**
     * {@code acc[i·n + j] += sum_{k < terms} x[k·stride + i] · x[k·stride + j]} for {@code j <= i < n}, each element
     * rounded as {@code fma(x_i(terms-1), x_j(terms-1), ... fma(x_i(0), x_j(0), acc))} (the terms in ascending order,
     * one fused multiply-add each): the lower triangle of the Gram matrix {@code X^T X} of a {@code terms × n}
     * matrix, added to a {@code n × n} accumulator (for the scatter of {@code terms} observations of an
     * {@code n}-vector, one observation per row of {@code x}). The work can be shared between threads: a call
     * computes the rows of the blocks of 4 rows {@code [4b, 4b + 4)} with {@code b % parts == part}, so the calls
     * for {@code part = 0 .. parts - 1} (in any order, at the same time) write disjoint rows and together compute
     * them all. Elements above the diagonal ({@code j > i}) are scratch: their values after the call are unspecified.
     *
     * @param acc the {@code n × n} accumulator, row-major, at least {@code n·n} doubles; updated in place
     * @param x the terms: row {@code k} from {@code k·stride}, its first {@code n} values used; only read
     * @param stride the distance between rows of {@code x}, {@code >= n}
     * @param n the size of the accumulator
     * @param terms the rows of {@code x}
     * @param part which blocks of rows to compute, {@code 0 <= part < parts}
     * @param parts the number of parts the work is split into, {@code >= 1}
     * @throws IllegalArgumentException if a count is negative, {@code stride < n} or {@code part} is not in
     *     {@code 0 .. parts - 1}
     * @throws IndexOutOfBoundsException if {@code acc} or {@code x} is too short
     */
    public static void accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts) {
        if (n < 0 || terms < 0 || stride < n || parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("n " + n + ", terms " + terms + ", stride " + stride + ", part " + part
                    + " of " + parts);
        }
        if (acc.length < (long) n * n || terms > 0 && (long) (terms - 1) * stride + n > x.length) {
            throw new IndexOutOfBoundsException(n + " x " + n + " accumulator in " + acc.length + " doubles, "
                    + terms + " rows of stride " + stride + " in " + x.length);
        }
        accumulateGram(acc, x, stride, n, terms, part, parts, GramKernels.simd());
    }

    /** {@link #accumulateGram(double[], double[], int, int, int, int, int)} on {@code simd}, or scalar if null. */
    static void accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts,
            GramKernels simd) {
        int done = simd == null ? 0 : simd.accumulateGram(acc, x, stride, n, terms, part, parts);
        // without SIMD (or for the last rows): 4 x 4 tiles of elements over a chunk of terms in cache
        int first = 4 * part;
        while (first < done) {
            first += 4 * parts;
        }
        for (int k0 = 0; k0 < terms; k0 += GramKernels.CHUNK) {
            int k1 = Math.min(terms, k0 + GramKernels.CHUNK);
            for (int i0 = first; i0 < n; i0 += 4 * parts) {
                if (i0 + 4 <= n) {
                    for (int j0 = 0; j0 <= i0; j0 += 4) {
                        gramTile(acc, x, stride, n, i0, j0, k0, k1);
                    }
                } else {
                    for (int i = i0; i < n; i++) {
                        for (int j = 0; j <= i; j++) {
                            double s = acc[i * n + j];
                            for (int k = k0; k < k1; k++) {
                                s = Math.fma(x[k * stride + i], x[k * stride + j], s);
                            }
                            acc[i * n + j] = s;
                        }
                    }
                }
            }
        }
    }

    /** Adds the terms {@code k0 .. k1 - 1} to the 4 x 4 tile of {@code acc} at row {@code i0}, column {@code j0}. */
    private static void gramTile(double[] acc, double[] x, int stride, int n, int i0, int j0, int k0, int k1) {
        int r0 = i0 * n + j0;
        int r1 = r0 + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        double s00 = acc[r0];
        double s01 = acc[r0 + 1];
        double s02 = acc[r0 + 2];
        double s03 = acc[r0 + 3];
        double s10 = acc[r1];
        double s11 = acc[r1 + 1];
        double s12 = acc[r1 + 2];
        double s13 = acc[r1 + 3];
        double s20 = acc[r2];
        double s21 = acc[r2 + 1];
        double s22 = acc[r2 + 2];
        double s23 = acc[r2 + 3];
        double s30 = acc[r3];
        double s31 = acc[r3 + 1];
        double s32 = acc[r3 + 2];
        double s33 = acc[r3 + 3];
        for (int k = k0; k < k1; k++) {
            int b = k * stride;
            double x0 = x[b + i0];
            double x1 = x[b + i0 + 1];
            double x2 = x[b + i0 + 2];
            double x3 = x[b + i0 + 3];
            double y0 = x[b + j0];
            double y1 = x[b + j0 + 1];
            double y2 = x[b + j0 + 2];
            double y3 = x[b + j0 + 3];
            s00 = Math.fma(x0, y0, s00);
            s01 = Math.fma(x0, y1, s01);
            s02 = Math.fma(x0, y2, s02);
            s03 = Math.fma(x0, y3, s03);
            s10 = Math.fma(x1, y0, s10);
            s11 = Math.fma(x1, y1, s11);
            s12 = Math.fma(x1, y2, s12);
            s13 = Math.fma(x1, y3, s13);
            s20 = Math.fma(x2, y0, s20);
            s21 = Math.fma(x2, y1, s21);
            s22 = Math.fma(x2, y2, s22);
            s23 = Math.fma(x2, y3, s23);
            s30 = Math.fma(x3, y0, s30);
            s31 = Math.fma(x3, y1, s31);
            s32 = Math.fma(x3, y2, s32);
            s33 = Math.fma(x3, y3, s33);
        }
        acc[r0] = s00;
        acc[r0 + 1] = s01;
        acc[r0 + 2] = s02;
        acc[r0 + 3] = s03;
        acc[r1] = s10;
        acc[r1 + 1] = s11;
        acc[r1 + 2] = s12;
        acc[r1 + 3] = s13;
        acc[r2] = s20;
        acc[r2 + 1] = s21;
        acc[r2 + 2] = s22;
        acc[r2 + 3] = s23;
        acc[r3] = s30;
        acc[r3 + 1] = s31;
        acc[r3 + 2] = s32;
        acc[r3 + 3] = s33;
    }

    private static void checkLength(double[] row, int to) {
        if (row.length < to) {
            throw new IndexOutOfBoundsException("index " + to + " of a row of " + row.length);
        }
    }
}
