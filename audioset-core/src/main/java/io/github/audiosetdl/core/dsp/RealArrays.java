package io.github.audiosetdl.core.dsp;

/**
 * Kernels over rows of real values (small matrix products whose rows the JIT alone would stream through memory
 * once per term; the Gram matrix of a block of observations), on the FFT engine's SIMD vectors when they are
 * available ({@link io.github.audiosetdl.core.dsp the package comment}), with the same doubles as the scalar loops
 * either way: the SIMD code keeps a tile of the result in registers over many terms.
 */
public final class RealArrays {
    /** The chains each sum of {@link #accumulateGram} is formed in: the lanes of two 256-bit vectors of doubles. */
    public static final int GRAM_CHAINS = 8;

    /** The scale of {@link #toInt16(float)}: {@code round(x × 32767)}, read back as {@code v / 32767}. */
    public static final int INT16_SCALE = 32767;

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
            throw new IllegalArgumentException("rows " + rows + ", terms " + terms + ", indices " + from + ".."
                    + (to - 1) + ", coefficient stride " + coefStride);
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
        ArrayKernels simd = ArrayKernels.simd();
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
     * {@code acc[i·n + j] += sum_{k < terms} x[i·stride + k] · x[j·stride + k]} for {@code j <= i < n}: the lower
     * triangle of the Gram matrix {@code X X^T} of an {@code n × terms} matrix {@code X} (row {@code i} holds
     * variable {@code i}'s {@code terms} observations, contiguous), added to an {@code n × n} accumulator: the
     * scatter of {@code terms} observations of an {@code n}-vector, given variable by variable.
     *
     * <p>Each sum is formed in {@link #GRAM_CHAINS} interleaved chains, chain {@code l} fusing the terms
     * {@code k ≡ l (mod 8)} in ascending order from zero ({@code fma(x_ik, x_jk, chain)}), the chains then added as
     * {@code ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))} and the result added to {@code acc}: the same
     * doubles on every machine, with SIMD (256-bit vectors) or without.
     *
     * <p>The work can be shared between threads: a call computes the rows of the blocks of 4 rows
     * {@code [4b, 4b + 4)} with {@code b % parts == part}, so the calls for {@code part = 0 .. parts - 1} (in any
     * order, at the same time) write disjoint rows and together compute them all. Elements above the diagonal
     * ({@code j > i}) are scratch: their values after the call are unspecified. Allocates about 1 KB per 16
     * elements of the part's rows (480 KB for half of a 171 × 171 accumulator), the sums over a chunk of terms.
     *
     * @param acc the {@code n × n} accumulator, row-major, at least {@code n·n} doubles; updated in place
     * @param x the matrix: row {@code i} from {@code i·stride}, its first {@code terms} values used; only read
     * @param stride the distance between rows of {@code x}, {@code >= terms}
     * @param n the rows of {@code x}, the size of the accumulator
     * @param terms the values per row (the observations)
     * @param part which blocks of rows to compute, {@code 0 <= part < parts}
     * @param parts the number of parts the work is split into, {@code >= 1}
     * @throws IllegalArgumentException if a count is negative, {@code stride < terms} or {@code part} is not in
     *     {@code 0 .. parts - 1}
     * @throws IndexOutOfBoundsException if {@code acc} or {@code x} is too short
     */
    public static void accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts) {
        if (n < 0 || terms < 0 || stride < terms || parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("n " + n + ", terms " + terms + ", stride " + stride + ", part " + part
                    + " of " + parts);
        }
        if (acc.length < (long) n * n || n > 0 && (long) (n - 1) * stride + terms > x.length) {
            throw new IndexOutOfBoundsException(n + " x " + n + " accumulator in " + acc.length + " doubles, "
                    + n + " rows of stride " + stride + " in " + x.length);
        }
        accumulateGram(acc, x, stride, n, terms, part, parts, ArrayKernels.simd());
    }

    /** {@link #accumulateGram(double[], double[], int, int, int, int, int)} on {@code simd}, or scalar if null. */
    static void accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts,
            ArrayKernels simd) {
        int done = simd == null ? 0 : simd.accumulateGram(acc, x, stride, n, terms, part, parts);
        // without SIMD (or for the last rows): element by element, the chains in registers
        for (int b0 = 4 * part; b0 < n; b0 += 4 * parts) {
            for (int i = Math.max(b0, done); i < Math.min(n, b0 + 4); i++) {
                for (int j = 0; j <= i; j++) {
                    acc[i * n + j] += chainedDot(x, i * stride, j * stride, terms);
                }
            }
        }
    }

    /** The 8-chain sum of {@code x[a + k]·x[b + k]} over {@code k < terms}, as {@link #accumulateGram} forms it. */
    private static double chainedDot(double[] x, int a, int b, int terms) {
        double c0 = 0;
        double c1 = 0;
        double c2 = 0;
        double c3 = 0;
        double c4 = 0;
        double c5 = 0;
        double c6 = 0;
        double c7 = 0;
        int k = 0;
        for (; k + GRAM_CHAINS <= terms; k += GRAM_CHAINS) {
            c0 = Math.fma(x[a + k], x[b + k], c0);
            c1 = Math.fma(x[a + k + 1], x[b + k + 1], c1);
            c2 = Math.fma(x[a + k + 2], x[b + k + 2], c2);
            c3 = Math.fma(x[a + k + 3], x[b + k + 3], c3);
            c4 = Math.fma(x[a + k + 4], x[b + k + 4], c4);
            c5 = Math.fma(x[a + k + 5], x[b + k + 5], c5);
            c6 = Math.fma(x[a + k + 6], x[b + k + 6], c6);
            c7 = Math.fma(x[a + k + 7], x[b + k + 7], c7);
        }
        int left = terms - k; // fewer than 8: term k + l goes to chain l
        c0 = left > 0 ? Math.fma(x[a + k], x[b + k], c0) : c0;
        c1 = left > 1 ? Math.fma(x[a + k + 1], x[b + k + 1], c1) : c1;
        c2 = left > 2 ? Math.fma(x[a + k + 2], x[b + k + 2], c2) : c2;
        c3 = left > 3 ? Math.fma(x[a + k + 3], x[b + k + 3], c3) : c3;
        c4 = left > 4 ? Math.fma(x[a + k + 4], x[b + k + 4], c4) : c4;
        c5 = left > 5 ? Math.fma(x[a + k + 5], x[b + k + 5], c5) : c5;
        c6 = left > 6 ? Math.fma(x[a + k + 6], x[b + k + 6], c6) : c6;
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7));
    }

    /**
     * {@code dst[dstOff + k] = src[srcOff + k]} for {@code k < length} (exactly: every float is a double), and the sum
     * of the values, formed as {@link #accumulateGram}'s sums are: 8 chains ({@code k ≡ l (mod 8)} in ascending order
     * from zero) added as {@code ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))}; the same doubles with SIMD or
     * without.
     *
     * @param src the floats, {@code src[srcOff .. srcOff + length)}
     * @param srcOff the first float
     * @param dst receives the doubles at {@code dst[dstOff .. dstOff + length)}
     * @param dstOff the first double
     * @param length the number of values, {@code >= 0}
     * @return their sum
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static double sumWidened(float[] src, int srcOff, double[] dst, int dstOff, int length) {
        checkRange(src.length, srcOff, length);
        checkRange(dst.length, dstOff, length);
        return sumWidened(src, srcOff, dst, dstOff, length, ArrayKernels.simd());
    }

    /** {@link #sumWidened(float[], int, double[], int, int)} on {@code simd}, or scalar if null. */
    static double sumWidened(float[] src, int srcOff, double[] dst, int dstOff, int length, ArrayKernels simd) {
        double[] chains = new double[GRAM_CHAINS];
        int k = simd == null ? 0 : simd.sumWidened(src, srcOff, dst, dstOff, length, chains);
        for (; k < length; k++) {
            double v = src[srcOff + k];
            dst[dstOff + k] = v;
            chains[k % GRAM_CHAINS] += v;
        }
        return addChains(chains, 0);
    }

    /**
     * Updates a running mean with {@code x} and centres {@code x}: for {@code k < length},
     * {@code mean[meanOff + k] += (x[off + k] - mean[meanOff + k]) · weight} (Welford's update when
     * {@code weight = 1 / (observations so far)}), then {@code x[off + k] -= centre}; each a separate multiply and add,
     * the same doubles with SIMD or without.
     *
     * @param x the values, {@code x[off .. off + length)}; centred in place
     * @param off the first value
     * @param length the number of values, {@code >= 0}
     * @param centre subtracted from each value
     * @param mean the running means, {@code mean[meanOff .. meanOff + length)}; updated in place, not {@code x}'s
     *     range
     * @param meanOff the first mean
     * @param weight the new values' weight in the means
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void followAndCentre(double[] x, int off, int length, double centre, double[] mean, int meanOff,
            double weight) {
        checkRange(x.length, off, length);
        checkRange(mean.length, meanOff, length);
        ArrayKernels simd = ArrayKernels.simd();
        int k = simd == null ? 0 : simd.followAndCentre(x, off, length, centre, mean, meanOff, weight);
        for (; k < length; k++) {
            double v = x[off + k];
            mean[meanOff + k] += (v - mean[meanOff + k]) * weight;
            x[off + k] = v - centre;
        }
    }

    /**
     * A polyphase FIR filter (the sinc resampler's inner loop): for {@code from <= j < to}, with
     * {@code q = j · down}, phase {@code p = q mod up} and start {@code s = xOff + floor(q / up)},
     * <pre>out[j] = (float) Σ_{k &lt; taps} table[p · taps + k] · x[s + k]</pre>
     * summed in 4 chains (chain {@code l} the terms {@code k ≡ l (mod 4)}, each a fused multiply-add in ascending
     * {@code k} from zero) added as {@code (c0 + c1) + (c2 + c3)}: the same doubles with SIMD or without (for
     * finite samples: the SIMD kernel for twice the rate copies {@code x[s + c] + 0} for a row that is a single
     * coefficient 1, which a non-finite sample under one of its zero coefficients would otherwise make NaN).
     *
     * @param x the input samples; every {@code x[s .. s + taps)} read must lie inside it
     * @param xOff the input index of output 0's first tap (may be negative if no output below {@code from} is
     *     computed)
     * @param table {@code up} rows of {@code taps} coefficients, row {@code p} for phase {@code p}
     * @param taps coefficients per phase, a positive multiple of 4
     * @param up phases, {@code >= 1}
     * @param down input samples per {@code up} outputs, {@code >= 1}
     * @param from the first output computed, {@code >= 0}
     * @param to the end of the outputs computed, exclusive, {@code from <= to <= out.length}
     * @param out receives the outputs
     * @throws IllegalArgumentException if {@code taps}, {@code up} or {@code down} are invalid
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void polyphase(double[] x, int xOff, double[] table, int taps, int up, int down, int from, int to,
            float[] out) {
        if (taps < 4 || taps % 4 != 0 || up < 1 || down < 1) {
            throw new IllegalArgumentException("invalid polyphase filter: " + taps + " taps, " + up + " phases, "
                    + down + " samples per " + up + " outputs");
        }
        if ((long) up * taps > table.length) {
            throw new IndexOutOfBoundsException(up + " phases of " + taps + " taps in a table of " + table.length);
        }
        if (from < 0 || from > to || to > out.length) {
            throw new IndexOutOfBoundsException("outputs " + from + " to " + to + " in an array of " + out.length);
        }
        if (from < to) {
            long first = xOff + (long) from * down / up;
            long last = xOff + (long) (to - 1) * down / up + taps;
            if (first < 0 || last > x.length) {
                throw new IndexOutOfBoundsException("inputs " + first + " to " + last + " in an array of " + x.length);
            }
        }
        polyphase(x, xOff, table, taps, up, down, from, to, out, ArrayKernels.simd());
    }

    /** {@link #polyphase(double[], int, double[], int, int, int, int, int, float[])} on {@code simd}, or scalar. */
    static void polyphase(double[] x, int xOff, double[] table, int taps, int up, int down, int from, int to,
            float[] out, ArrayKernels simd) {
        int j = simd == null ? from : simd.polyphase(x, xOff, table, taps, up, down, from, to, out);
        for (; j < to; j++) {
            long q = (long) j * down;
            int s = xOff + (int) (q / up);
            int h = (int) (q % up) * taps;
            double c0 = 0;
            double c1 = 0;
            double c2 = 0;
            double c3 = 0;
            for (int k = 0; k < taps; k += 4) {
                c0 = Math.fma(table[h + k], x[s + k], c0);
                c1 = Math.fma(table[h + k + 1], x[s + k + 1], c1);
                c2 = Math.fma(table[h + k + 2], x[s + k + 2], c2);
                c3 = Math.fma(table[h + k + 3], x[s + k + 3], c3);
            }
            out[j] = (float) ((c0 + c1) + (c2 + c3));
        }
    }

    /**
     * Converts samples to 16-bit integers: {@code into[intoOff + k] = toInt16(x[off + k] · gain)} for
     * {@code k < length}, the product rounded to float first, then {@link #toInt16(float)}. On the SIMD vectors
     * (16 or 8 floats at a time) when they are available, with the same values: checked for every float.
     *
     * @param x the samples, {@code x[off .. off + length)}
     * @param off the first sample
     * @param gain the factor applied to each sample first (1 for none)
     * @param into receives the values at {@code into[intoOff .. intoOff + length)}
     * @param intoOff the first value
     * @param length the number of samples, {@code >= 0}
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void toInt16(float[] x, int off, float gain, short[] into, int intoOff, int length) {
        checkRange(x.length, off, length);
        checkRange(into.length, intoOff, length);
        toInt16(x, off, gain, into, intoOff, length, ArrayKernels.simd());
    }

    /** {@link #toInt16(float[], int, float, short[], int, int)} on {@code simd}, or scalar if null. */
    static void toInt16(float[] x, int off, float gain, short[] into, int intoOff, int length, ArrayKernels simd) {
        int k = simd == null ? 0 : simd.toInt16(x, off, gain, into, intoOff, length);
        for (; k < length; k++) {
            into[intoOff + k] = toInt16(x[off + k] * gain);
        }
    }

    /**
     * The largest magnitude among {@code x[off .. off + length)}: {@code max(0, max x[k], −min x[k])}, NaN values
     * ignored, +0 for none (a clip's peak, by which the seed's preparation divides it). On the SIMD vectors
     * (8 floats at a time) when they are available, with the same value: the comparisons are the scalar loop's,
     * and a maximum or minimum does not depend on their order.
     *
     * @param x the values, {@code x[off .. off + length)}
     * @param off the first value
     * @param length the number of values, {@code >= 0}
     * @return the peak magnitude, {@code >= +0}
     * @throws IndexOutOfBoundsException if the range lies outside {@code x}
     */
    public static float peak(float[] x, int off, int length) {
        checkRange(x.length, off, length);
        return peak(x, off, length, ArrayKernels.simd());
    }

    /** {@link #peak(float[], int, int)} on {@code simd}, or scalar if null. */
    static float peak(float[] x, int off, int length, ArrayKernels simd) {
        float[] hiLo = new float[2];
        int k = simd == null ? 0 : simd.extremes(x, off, length, hiLo);
        float hi = hiLo[0];
        float lo = hiLo[1];
        for (; k < length; k++) { // branch-free: several times faster than Math.max(|x|)
            float v = x[off + k];
            hi = v > hi ? v : hi;
            lo = v < lo ? v : lo;
        }
        return Math.max(hi, -lo);
    }

    /**
     * One peak-normalised sample as a 16-bit integer: {@code Math.round(x × 32767.0)} (half up), clamped to
     * {@code ±32767}; NaN gives 0. Computed as {@code floor(v + 0.5)} by truncation with a correction for negative
     * values, which is {@code Math.round}'s result for every float ({@code x × 32767.0} is exact in double, and so
     * is {@code v + 0.5} wherever it could round across an integer; checked over all 2^32 floats) at about 1.4 times
     * its speed.
     *
     * @param x a sample, {@code |x| <= 1} for a peak-normalised clip
     * @return its int16 value
     */
    public static short toInt16(float x) {
        double v = (double) x * INT16_SCALE;
        v = v > INT16_SCALE ? INT16_SCALE : v < -INT16_SCALE ? -INT16_SCALE : v;
        double t = v + 0.5;
        int i = (int) t; // truncates towards zero: floor(t) but for negative non-integers
        return (short) (t < i ? i - 1 : i);
    }

    private static void checkRange(int arrayLength, int off, int length) {
        if (off < 0 || length < 0 || (long) off + length > arrayLength) {
            throw new IndexOutOfBoundsException(length + " values from " + off + " in an array of " + arrayLength);
        }
    }

    /**
     * Adds the terms {@code tail .. terms - 1} (fewer than 8, {@code tail} a multiple of 8) to the chains
     * {@code chains[at .. at + 8)} (chain {@code l} takes term {@code tail + l}) and adds the chains up in
     * {@link #accumulateGram}'s order.
     *
     * @return {@code ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))}
     */
    static double finishChains(double[] chains, int at, double[] x, int a, int b, int tail, int terms) {
        for (int k = tail; k < terms; k++) {
            chains[at + k - tail] = Math.fma(x[a + k], x[b + k], chains[at + k - tail]);
        }
        return addChains(chains, at);
    }

    /** @return the chains {@code c[at .. at + 8)} added as {@code ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))} */
    private static double addChains(double[] c, int at) {
        return ((c[at] + c[at + 1]) + (c[at + 2] + c[at + 3])) + ((c[at + 4] + c[at + 5]) + (c[at + 6] + c[at + 7]));
    }

    private static void checkLength(double[] row, int to) {
        if (row.length < to) {
            throw new IndexOutOfBoundsException("index " + to + " of a row of " + row.length);
        }
    }
}
