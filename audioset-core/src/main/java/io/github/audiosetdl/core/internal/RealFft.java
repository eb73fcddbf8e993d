package io.github.audiosetdl.core.internal;

import java.util.Arrays;

/**
 * Forward and inverse DFT of real signals of one fixed even length {@code n} whose half {@code n/2} has no
 * prime factor above 13: 480000, 441000, 160000, 80000, 2, 4, 6, 14, .... An instance is an immutable,
 * thread-safe plan (read-only tables only); all mutable scratch lives in a {@link Workspace}, one per thread.
 *
 * <p>Forward: {@code X[k] = sum_{j<n} x[j]·exp(-2πi·jk/n)}, unnormalised, for the first {@code bins} bins.
 * Inverse: {@code x[j] = (1/n)·sum_{k<n} X[k]·exp(+2πi·jk/n)}, normalised as numpy's {@code irfft}, from
 * the first {@code bins} bins of a Hermitian spectrum (the rest taken as zero). Both run in double
 * precision and allocate nothing once the workspace has grown to the plan's size.
 *
 * <p>Method: the {@code n} real samples are read as {@code m = n/2} complex ones
 * {@code z[j] = x[2j] + i·x[2j+1]}. The forward does the complex DFT {@code Z} of length {@code m = n1·n2}
 * as {@code n2} FFTs of length {@code n1} on the decimated sequences {@code z[n2·j1 + j2]}, a twiddle
 * {@code exp(-2πi·j2·k1/m)}, then {@code n1} FFTs of length {@code n2} giving {@code Z[k1 + n1·k2]};
 * columns {@code k1} and {@code n1 - k1} are transformed together as they hold {@code Z[k]} and
 * {@code Z[m - k]}, from which the spectrum of the real input is split, for the requested bins only. The
 * inverse runs the same steps backwards: it merges bins {@code k} and {@code m - k} into {@code Z[k]}
 * and {@code Z[m - k]} and computes {@code z[j] = (1/m)·sum_k Z[k]·exp(+2πi·jk/m)} as the forward DFT
 * of {@code Z[(m - t) mod m]} in place in the output array (column FFTs of length {@code n2}, a twiddle,
 * row FFTs of length {@code n1}), so it needs no {@code n}-sized scratch. The short FFTs are
 * mixed-radix (8, 4, 2, 3, 5, 7 and a generic odd prime for 11 and 13) Stockham FFTs run on batches of
 * up to 31 rows or columns at a time, which stay in the L2 cache. Twiddle factors are
 * {@code Math.cos/sin} of exact angles {@code 2π·e/N} with {@code 0 <= e < N} (or a product of two
 * such), so the results agree with a double-precision DFT to about 1e-15 of the largest magnitude.
 *
 * <p>Speed (single thread, best of 40 calls after 60, same run, on a shared 2-core AMD EPYC, JDK 17):
 * forward / inverse of all bins take 4.1 / 3.7 ms for 441000 (JTransforms {@code realForward} /
 * {@code realInverse}: 6.1 / 6.1 ms), 4.2 / 4.0 ms for 480000 (4.3 / 4.3 ms; the forward of 80001 bins
 * 3.8 ms) and 1.2 / 1.1 ms for 160000 (1.2 / 1.3 ms); 1.1 to 2 times faster than JTransforms for
 * the other clip lengths measured (80000, 110250, 220500, 240000, 320000, 882000, 960000) and lengths as
 * 98304 = 2^15·3. Only for powers of two is JTransforms (which has a split-radix FFT for them) clearly
 * faster: 1.2 to 2 times from 1024 to 1048576 (0.61 against 0.85 ms for 131072); see
 * {@link #fasterThanJTransforms}. This class allocates nothing per call, JTransforms {@code n} doubles.
 * Results do not depend on the workspace or thread: the same input gives bit-identical output.
 *
 * <p>SIMD: under {@code --add-modules jdk.incubator.vector} on a machine with 256-bit double vectors, the
 * radix-2, 3, 4, 5, 7 and 8 passes run on {@link Butterflies#simd()}, operation for operation the same
 * arithmetic, so the output is the same doubles; a 44.1 or 48 kHz clip's resampling then takes about 1.35
 * times less time ({@code PrepareBench}; docs/benchmarks.md, "SIMD passes").
 *
 * <p>Memory (array payloads): a plan holds 45 KB of tables for {@code n = 441000} ({@code n1 = 441},
 * {@code n2 = 500}), 47 KB for 480000 and 29 KB for 160000. A workspace holds four batch buffers of
 * {@code 2·31·max(n1, n2)} doubles (0.99 MB for 441000 and 480000, 0.64 MB for 160000) and, once it has
 * served a forward transform, the {@code n}-double intermediate matrix ({@code 8·n} bytes: 3.53 MB for
 * 441000, so 4.52 MB in all); a workspace that only served inverses holds no {@code n}-sized array.
 * {@link #of} keeps at most 8 plans.
 */
public final class RealFft {
    /** The largest prime factor of {@code n/2} supported. */
    private static final int MAX_PRIME = 13;
    /** The most rows or columns one batched short FFT transforms at once. */
    private static final int MAX_BATCH = 31;
    /** Batches are cut so that a batch of short FFTs spans at most this many complex values. */
    private static final int BATCH_VALUES = 16384;
    /** How often the row twiddles are taken from the tables instead of the recurrence (a power of 2). */
    private static final int RESYNC = 32;
    /** How many plans {@link #of} keeps. */
    private static final int CACHE_SIZE = 8;
    /** The plans {@link #of} made. */
    private static final LruCache<Integer, RealFft> CACHE = new LruCache<>(CACHE_SIZE);

    private final int n;
    private final int m;
    private final int n1;
    private final int n2;
    private final int batch;
    private final Plan rows;
    private final Plan cols;
    /** {@code exp(-2πi·e/m) = twLo[e & mask] · twHi[e >>> twShift]} for {@code 0 <= e < m}. */
    private final double[] twLo;
    private final double[] twHi;
    private final int twShift;
    /** {@code exp(-2πi·k/n) = splitLo[k1] · splitHi[k2]} for {@code k = k1 + n1·k2}. */
    private final double[] splitLo;
    private final double[] splitHi;

    /**
     * @param n the transform length
     * @return true if {@code n >= 2} is even and {@code n/2} has no prime factor above 13
     */
    public static boolean supports(int n) {
        if (n < 2 || n % 2 != 0) {
            return false;
        }
        int rest = n / 2;
        for (int p = 2; p <= MAX_PRIME; p++) {
            while (rest % p == 0) {
                rest /= p;
            }
        }
        return rest == 1;
    }

    /**
     * @param n the transform length
     * @return true if JTransforms' {@code realForward} / {@code realInverse} are clearly faster than this
     *     class for {@code n}: for powers of two (measured 1.2 to 2 times faster from 1024 to 1048576);
     *     false for every other length, for which this class is as fast or faster (and allocation-free)
     */
    public static boolean fasterThanJTransforms(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /**
     * A shared plan from a small cache (the 8 lengths used last); thread-safe.
     *
     * @param n the transform length, in samples
     * @return the plan for {@code n}, the same instance while {@code n} stays in the cache
     * @throws IllegalArgumentException if {@code !supports(n)}
     */
    public static RealFft of(int n) {
        return CACHE.get(n, RealFft::new);
    }

    /**
     * A new plan, not cached (prefer {@link #of}); building one for {@code n = 480000} takes 0.4 to 2
     * milliseconds.
     *
     * @param n the transform length, in samples
     * @throws IllegalArgumentException if {@code !supports(n)}
     */
    public RealFft(int n) {
        this(n, 0);
    }

    /**
     * @param n the transform length
     * @param rowLength {@code n1}, a divisor of {@code n/2}, or 0 to choose one: the fewest radix passes,
     *     then nearest {@code √(n/2)}
     */
    RealFft(int n, int rowLength) {
        this(n, rowLength, Butterflies.simd());
    }

    /**
     * @param n the transform length
     * @param rowLength as in {@link #RealFft(int, int)}
     * @param simd the SIMD passes, or null for the scalar ones only (the results are the same)
     */
    RealFft(int n, int rowLength, Butterflies simd) {
        if (!supports(n)) {
            throw new IllegalArgumentException("RealFft does not support length n = " + n
                    + ": n must be even and n/2 a product of 2, 3, 5, 7, 11 and 13");
        }
        this.n = n;
        this.m = n / 2;
        if (rowLength == 0) {
            this.n1 = chooseRowLength(m);
        } else if (rowLength > 0 && m % rowLength == 0) {
            this.n1 = rowLength;
        } else {
            throw new IllegalArgumentException("row length " + rowLength + " does not divide " + m);
        }
        this.n2 = m / n1;
        // Odd, so that the radix passes' input streams, a multiple of the batch apart, do not all map to the
        // same L1 cache sets (a batch of 32 makes radix-8 passes on power-of-two lengths 2 to 3 times slower).
        this.batch = (Math.max(1, Math.min(MAX_BATCH, BATCH_VALUES / Math.max(n1, n2))) - 1) | 1;
        this.rows = new Plan(n1, simd);
        this.cols = new Plan(n2, simd);

        int shift = 0;
        while ((1L << (2 * shift)) < m) {
            shift++;
        }
        this.twShift = shift;
        int lo = 1 << shift;
        this.twLo = new double[2 * lo];
        for (int e = 0; e < lo; e++) {
            setRoot(twLo, e, e, m);
        }
        int hiCount = ((m - 1) >>> shift) + 1;
        this.twHi = new double[2 * hiCount];
        for (int h = 0; h < hiCount; h++) {
            setRoot(twHi, h, (long) h << shift, m);
        }
        this.splitLo = new double[2 * n1];
        for (int k1 = 0; k1 < n1; k1++) {
            setRoot(splitLo, k1, k1, n);
        }
        this.splitHi = new double[2 * n2];
        for (int k2 = 0; k2 < n2; k2++) {
            setRoot(splitHi, k2, (long) n1 * k2, n);
        }
    }

    /** @return the transform length {@code n}, in samples */
    public int length() {
        return n;
    }

    /** @return the bytes held by this plan's tables (array payloads, without object headers) */
    long tableBytes() {
        return 8L * (twLo.length + twHi.length + splitLo.length + splitHi.length) + rows.tableBytes()
                + cols.tableBytes();
    }

    /**
     * @return a workspace already grown to what this plan's {@link #forward} and {@link #inverse} need,
     *     so that their first calls allocate nothing either
     */
    public Workspace newWorkspace() {
        Workspace ws = new Workspace();
        ws.reserve(scratchLength(), 2 * m);
        return ws;
    }

    private int scratchLength() {
        return 2 * batch * Math.max(n1, n2);
    }

    /**
     * Computes {@code X[k] = sum_{j<n} x[j]·exp(-2πi·jk/n)} for {@code k} in {@code [0, bins)}.
     *
     * @param x the signal; reads {@code x[0..n)} ({@code x} may be longer) and does not modify it
     * @param out receives {@code out[2k] = Re X[k]}, {@code out[2k+1] = Im X[k]}; {@code out[2·bins..)} is
     *     left untouched; may be {@code x} itself (all of {@code x} is read before {@code out} is written)
     * @param bins the number of bins wanted, in {@code [1, n/2 + 1]}
     * @param ws scratch, used by one thread at a time; grown (once) to {@code 8·n} bytes plus the batch
     *     buffers if smaller
     * @throws IllegalArgumentException if an array is too short or {@code bins} is out of range
     */
    public void forward(double[] x, double[] out, int bins, Workspace ws) {
        if (x.length < n) {
            throw new IllegalArgumentException("input has " + x.length + " samples, need " + n);
        }
        checkBins(bins);
        if (out.length < 2 * bins) {
            throw new IllegalArgumentException("output length " + out.length + " < 2·bins = " + 2 * bins);
        }
        ws.reserve(scratchLength(), 2 * m);
        rowTransforms(x, ws);
        columnTransforms(out, bins, ws);
    }

    /**
     * Computes the real inverse DFT {@code x[j] = (1/n)·sum_{k<n} X[k]·exp(+2πi·jk/n)} for {@code j < n},
     * where {@code X[k] = spectrum[2k] + i·spectrum[2k+1]} for {@code k < bins}, {@code X[k] = 0} for
     * {@code bins <= k <= n/2} and {@code X[n-k] = conj X[k]}; as numpy's {@code irfft(X, n)}, the
     * imaginary parts of bin 0 and of bin {@code n/2} (if given) are ignored. This is the exact inverse
     * of {@link #forward} with all bins.
     *
     * @param spectrum the bins, interleaved; reads {@code spectrum[0..2·bins)} and does not modify it
     * @param bins the number of bins given, in {@code [1, n/2 + 1]}
     * @param out receives the {@code n} samples in {@code out[0..n)}; {@code out[n..)} is left untouched;
     *     must not be {@code spectrum}
     * @param ws scratch, used by one thread at a time; grown (once) to the batch buffers if smaller
     * @throws IllegalArgumentException if an array is too short, {@code bins} is out of range or
     *     {@code out == spectrum}
     */
    public void inverse(double[] spectrum, int bins, double[] out, Workspace ws) {
        checkBins(bins);
        if (spectrum.length < 2 * bins) {
            throw new IllegalArgumentException("spectrum length " + spectrum.length + " < 2·bins = " + 2 * bins);
        }
        if (out.length < n) {
            throw new IllegalArgumentException("output length " + out.length + " < n = " + n);
        }
        if (out == spectrum) {
            throw new IllegalArgumentException("the output must not be the spectrum's array");
        }
        ws.reserve(scratchLength(), 0);
        inverseColumns(spectrum, bins, out, ws);
        inverseRows(out, ws);
    }

    private void checkBins(int bins) {
        if (bins < 1 || bins > m + 1) {
            throw new IllegalArgumentException("bins " + bins + " not in [1, " + (m + 1) + "]");
        }
    }

    /**
     * {@code mid[2·(k1 + n1·j2)..] = exp(-2πi·j2·k1/m) · sum_{j1} z[n2·j1 + j2]·exp(-2πi·j1·k1/n1)}, where
     * {@code z[j] = x[2j] + i·x[2j+1]}; rows {@code j2} in batches, read straight from {@code x}.
     */
    private void rowTransforms(double[] x, Workspace ws) {
        double[] mid = ws.mid;
        for (int j2b = 0; j2b < n2; j2b += batch) {
            int b = Math.min(batch, n2 - j2b);
            double[] r = rows.run(x, 2 * j2b, n2, ws.bufA, ws.bufB, b, ws);
            for (int g = 0; g < b; g++) {
                int j2 = j2b + g;
                twiddled(r, 2 * g, 2 * b, mid, 2 * n1 * j2, n1, j2);
            }
        }
    }

    /**
     * {@code dst[at + 2f..] = src[from + f·stride..] · exp(-2πi·f·step/m)} (complex) for {@code f < count}, where
     * {@code (count - 1)·step < m}. Every {@link #RESYNC} values of {@code f}, the twiddles of four consecutive
     * values come from the tables; in between, each of the four advances by {@code exp(-2πi·4·step/m)}. Four
     * independent recurrences keep the multiplier busy (one recurrence waits on its own previous product), and
     * rounding grows by about an ulp per step, so it stays within {@code RESYNC / 4} ulps. The tables' product for
     * every value cost an eighth of a transform.
     */
    private void twiddled(double[] src, int from, int stride, double[] dst, int at, int count, int step) {
        final int mask = (1 << twShift) - 1;
        int step4 = (int) (4L * step % m);
        double sr = twiddleRe(step4, mask);
        double si = twiddleIm(step4, mask);
        int f = 0;
        while (f < count) {
            int end = Math.min(count, f + RESYNC);
            int e0 = f * step;
            int e1 = f + 1 < count ? e0 + step : 0;
            int e2 = f + 2 < count ? e1 + step : 0;
            int e3 = f + 3 < count ? e2 + step : 0;
            double w0r = twiddleRe(e0, mask);
            double w0i = twiddleIm(e0, mask);
            double w1r = twiddleRe(e1, mask);
            double w1i = twiddleIm(e1, mask);
            double w2r = twiddleRe(e2, mask);
            double w2i = twiddleIm(e2, mask);
            double w3r = twiddleRe(e3, mask);
            double w3i = twiddleIm(e3, mask);
            for (; f + 3 < end; f += 4) {
                int i = from + f * stride;
                int o = at + 2 * f;
                rotate(src, i, dst, o, w0r, w0i);
                rotate(src, i + stride, dst, o + 2, w1r, w1i);
                rotate(src, i + 2 * stride, dst, o + 4, w2r, w2i);
                rotate(src, i + 3 * stride, dst, o + 6, w3r, w3i);
                double t0 = Math.fma(w0r, sr, -(w0i * si));
                w0i = Math.fma(w0r, si, w0i * sr);
                w0r = t0;
                double t1 = Math.fma(w1r, sr, -(w1i * si));
                w1i = Math.fma(w1r, si, w1i * sr);
                w1r = t1;
                double t2 = Math.fma(w2r, sr, -(w2i * si));
                w2i = Math.fma(w2r, si, w2i * sr);
                w2r = t2;
                double t3 = Math.fma(w3r, sr, -(w3i * si));
                w3i = Math.fma(w3r, si, w3i * sr);
                w3r = t3;
            }
            // Fewer than four left in the block (only at the end of the row): w0, w1, w2 are theirs.
            for (int k = 0; f < end; k++, f++) {
                rotate(src, from + f * stride, dst, at + 2 * f, k == 0 ? w0r : k == 1 ? w1r : w2r,
                        k == 0 ? w0i : k == 1 ? w1i : w2i);
            }
        }
    }

    /** {@code dst[o..o+1] = src[i..i+1] · (wr + i·wi)} (complex). */
    private static void rotate(double[] src, int i, double[] dst, int o, double wr, double wi) {
        double vr = src[i];
        double vi = src[i + 1];
        dst[o] = Math.fma(vr, wr, -(vi * wi));
        dst[o + 1] = Math.fma(vr, wi, vi * wr);
    }

    /** @return {@code Re exp(-2πi·e/m)} for {@code 0 <= e < m}, from the two tables */
    private double twiddleRe(int e, int mask) {
        int l = 2 * (e & mask);
        int h = 2 * (e >>> twShift);
        return Math.fma(twLo[l], twHi[h], -(twLo[l + 1] * twHi[h + 1]));
    }

    /** @return {@code Im exp(-2πi·e/m)} for {@code 0 <= e < m}, from the two tables */
    private double twiddleIm(int e, int mask) {
        int l = 2 * (e & mask);
        int h = 2 * (e >>> twShift);
        return Math.fma(twLo[l], twHi[h + 1], twLo[l + 1] * twHi[h]);
    }

    /**
     * Column FFTs (read straight from {@code mid}) give {@code Z[k1 + n1·k2]}; columns {@code k1} and
     * {@code n1 - k1} hold the pairs {@code Z[k], Z[m - k]} that the split needs, so their batches are
     * transformed together. Columns 0 and (for even {@code n1}) {@code n1/2} are their own partners.
     */
    private void columnTransforms(double[] out, int bins, Workspace ws) {
        int self = n1 % 2 == 0 ? 2 : 1;
        double[] mid = ws.mid;
        double[] a = ws.bufA;
        for (int g = 0; g < self; g++) {
            int src = 2 * g * (n1 / 2);
            for (int j2 = 0, dst = 2 * g; j2 < n2; j2++, dst += 2 * self, src += 2 * n1) {
                a[dst] = mid[src];
                a[dst + 1] = mid[src + 1];
            }
        }
        double[] z = cols.run(a, 0, self, ws.bufB, a, self, ws);
        if (bins == m + 1) {
            // X[m] = E[0] - O[0] = Re Z[0] - Im Z[0].
            out[2 * m] = z[0] - z[1];
            out[2 * m + 1] = 0;
        }
        splitSelf(0, z, 0, self, out, bins);
        if (self == 2) {
            splitSelf(n1 / 2, z, 1, 2, out, bins);
        }
        int last = (n1 - 1) / 2;
        for (int c = 1; c <= last && c < bins; c += batch) {
            int b = Math.min(batch, last - c + 1);
            int hiStart = n1 - c - b + 1;
            double[] lo = cols.run(mid, 2 * c, n1, ws.bufA, ws.bufB, b, ws);
            double[] hi = cols.run(mid, 2 * hiStart, n1, ws.bufC, ws.bufD, b, ws);
            splitPairs(c, b, lo, hi, out, bins);
        }
    }

    /**
     * The split for columns {@code lo + g} ({@code g < b}) and their partners {@code n1 - lo - g}, whose
     * transforms are at {@code 2·(g + b·k2)} in {@code zl} and {@code 2·(b-1-g + b·k2)} in {@code zh}.
     * For {@code k = lo + g + n1·k2}, {@code Z[m - k]} is in column {@code n1 - lo - g} at
     * {@code k2' = n2-1-k2}; both {@code X[k] = E + W·O} and {@code X[m-k] = conj(E - W·O)} come from the
     * same {@code E}, {@code O} and {@code W = exp(-2πi·k/n)} (see {@link #splitOne}).
     */
    private void splitPairs(int lo, int b, double[] zl, double[] zh, double[] out, int bins) {
        int far = m - bins;
        for (int k2 = 0; k2 < n2; k2++) {
            int k0 = lo + n1 * k2;
            if (k0 >= bins && k0 + b - 1 <= far) {
                continue;
            }
            double hr = splitHi[2 * k2];
            double hi = splitHi[2 * k2 + 1];
            int ia = 2 * b * k2;
            int ib = 2 * b * (n2 - 1 - k2) + 2 * (b - 1);
            for (int g = 0; g < b; g++) {
                double ar = zl[ia + 2 * g];
                double ai = zl[ia + 2 * g + 1];
                double br = zh[ib - 2 * g];
                double bi = zh[ib - 2 * g + 1];
                double er = 0.5 * (ar + br);
                double ei = 0.5 * (ai - bi);
                double or = 0.5 * (ai + bi);
                double oi = 0.5 * (br - ar);
                double sr = splitLo[2 * (lo + g)];
                double si = splitLo[2 * (lo + g) + 1];
                double wr = Math.fma(sr, hr, -(si * hi));
                double wi = Math.fma(sr, hi, si * hr);
                double tr = Math.fma(wr, or, -(wi * oi));
                double ti = Math.fma(wr, oi, wi * or);
                int k = k0 + g;
                if (k < bins) {
                    out[2 * k] = er + tr;
                    out[2 * k + 1] = ei + ti;
                }
                if (k > far) {
                    out[2 * (m - k)] = er - tr;
                    out[2 * (m - k) + 1] = ti - ei;
                }
            }
        }
    }

    /** The split for a column {@code c} that is its own partner, at {@code 2·(g + stride·k2)} in {@code z}. */
    private void splitSelf(int c, double[] z, int g, int stride, double[] out, int bins) {
        int count = c < bins ? Math.min(n2, (bins - 1 - c) / n1 + 1) : 0;
        for (int k2 = 0; k2 < count; k2++) {
            int p = c == 0 ? (n2 - k2) % n2 : n2 - 1 - k2;
            splitOne(c, c + n1 * k2, z, 2 * (g + stride * k2), z, 2 * (g + stride * p),
                    splitHi[2 * k2], splitHi[2 * k2 + 1], out);
        }
    }

    /**
     * {@code X[k] = E + exp(-2πi·k/n)·O} with {@code E = (Z[k] + conj Z[m-k])/2},
     * {@code O = (Z[k] - conj Z[m-k])/(2i)}, where {@code Z[k] = za[ia..]}, {@code Z[m-k] = zb[ib..]},
     * {@code k = c + n1·k2} and {@code exp(-2πi·n1·k2/n) = hr + i·hi}.
     */
    private void splitOne(int c, int k, double[] za, int ia, double[] zb, int ib, double hr, double hi,
            double[] out) {
        double ar = za[ia];
        double ai = za[ia + 1];
        double br = zb[ib];
        double bi = zb[ib + 1];
        double er = 0.5 * (ar + br);
        double ei = 0.5 * (ai - bi);
        double or = 0.5 * (ai + bi);
        double oi = 0.5 * (br - ar);
        double sr = splitLo[2 * c];
        double si = splitLo[2 * c + 1];
        double wr = Math.fma(sr, hr, -(si * hi));
        double wi = Math.fma(sr, hi, si * hr);
        out[2 * k] = er + Math.fma(wr, or, -(wi * oi));
        out[2 * k + 1] = ei + Math.fma(wr, oi, wi * or);
    }

    /**
     * The inverse's first step. With {@code E = (X[k] + conj X[m-k])/2} and
     * {@code O = (X[k] - conj X[m-k])·exp(+2πi·k/n)/2} (the even and odd samples' spectra),
     * {@code Z[k] = (E + i·O)/m} and {@code Z[m-k] = (conj E + i·conj O)/m}. The sequence to transform is
     * {@code y[t] = Z[(m - t) mod m]}, read as an {@code n1 × n2} matrix {@code t = t1 + n1·t2}; its
     * column {@code t1} (over {@code t2}) is transformed, multiplied by {@code exp(-2πi·t1·f2/m)} and
     * stored in {@code out[2·(n2·t1 + f2)..]}. Columns {@code t1} and {@code n1 - t1} are merged and
     * transformed together; columns 0 and (for even {@code n1}) {@code n1/2} are their own partners.
     */
    private void inverseColumns(double[] spectrum, int bins, double[] out, Workspace ws) {
        int self = n1 % 2 == 0 ? 2 : 1;
        double[] a = ws.bufA;
        for (int g = 0; g < self; g++) {
            int t1 = g * (n1 / 2);
            for (int t2 = 0; t2 < n2; t2++) {
                int t = t1 + n1 * t2;
                mergeOne(spectrum, bins, t == 0 ? 0 : m - t, a, 2 * (g + self * t2));
            }
        }
        storeColumns(cols.run(a, 0, self, ws.bufB, a, self, ws), 0, self, n1 / 2, out);
        int last = (n1 - 1) / 2;
        for (int c = 1; c <= last; c += batch) {
            int b = Math.min(batch, last - c + 1);
            mergePairs(spectrum, bins, c, b, ws.bufA, ws.bufC);
            storeColumns(cols.run(ws.bufA, 0, b, ws.bufB, ws.bufA, b, ws), c, b, 1, out);
            storeColumns(cols.run(ws.bufC, 0, b, ws.bufD, ws.bufC, b, ws), n1 - c - b + 1, b, 1, out);
        }
    }

    /**
     * Writes {@code Z[k]} for one {@code k} (with bins 0 and {@code m} taken as real) to
     * {@code dst[at..at+1]}.
     */
    private void mergeOne(double[] spectrum, int bins, int k, double[] dst, int at) {
        int p = k == 0 ? m : m - k;
        double ar = k < bins ? spectrum[2 * k] : 0;
        double ai = k < bins && k != 0 ? spectrum[2 * k + 1] : 0;
        double br = p < bins ? spectrum[2 * p] : 0;
        double bi = p < bins && p != m ? spectrum[2 * p + 1] : 0;
        double s = 0.5 / m;
        double er = s * (ar + br);
        double ei = s * (ai - bi);
        double dr = s * (ar - br);
        double di = s * (ai + bi);
        int k1 = k % n1;
        int k2 = k / n1;
        double lr = splitLo[2 * k1];
        double li = splitLo[2 * k1 + 1];
        double hr = splitHi[2 * k2];
        double hi = splitHi[2 * k2 + 1];
        // exp(+2πi·k/n) = conj(splitLo[k1]·splitHi[k2]).
        double wr = Math.fma(lr, hr, -(li * hi));
        double wi = -Math.fma(lr, hi, li * hr);
        double or = Math.fma(dr, wr, -(di * wi));
        double oi = Math.fma(dr, wi, di * wr);
        dst[at] = er - oi;
        dst[at + 1] = ei + or;
    }

    /**
     * Fills the batches for columns {@code t1 = lo + g} ({@code g < b}, at {@code 2·(g + b·t2)} in
     * {@code yl}) and their partners {@code n1 - lo - g} (at {@code 2·(b-1-g + b·t2)} in {@code yh}). For
     * {@code k = lo + g + n1·t2}: {@code y[k] = Z[m - k]} and {@code y[m - k] = Z[k]}, the latter at row
     * {@code n2-1-t2} of column {@code n1 - lo - g}. Here {@code 0 < k < m}.
     */
    private void mergePairs(double[] spectrum, int bins, int lo, int b, double[] yl, double[] yh) {
        double s = 0.5 / m;
        for (int t2 = 0; t2 < n2; t2++) {
            double hr = splitHi[2 * t2];
            double hi = splitHi[2 * t2 + 1];
            int ia = 2 * b * t2;
            int ib = 2 * b * (n2 - 1 - t2) + 2 * (b - 1);
            int k0 = lo + n1 * t2;
            for (int g = 0; g < b; g++) {
                int k = k0 + g;
                int p = m - k;
                double ar = 0;
                double ai = 0;
                double br = 0;
                double bi = 0;
                if (k < bins) {
                    ar = spectrum[2 * k];
                    ai = spectrum[2 * k + 1];
                }
                if (p < bins) {
                    br = spectrum[2 * p];
                    bi = spectrum[2 * p + 1];
                }
                double er = s * (ar + br);
                double ei = s * (ai - bi);
                double dr = s * (ar - br);
                double di = s * (ai + bi);
                double lr = splitLo[2 * (lo + g)];
                double li = splitLo[2 * (lo + g) + 1];
                double wr = Math.fma(lr, hr, -(li * hi));
                double wi = -Math.fma(lr, hi, li * hr);
                double or = Math.fma(dr, wr, -(di * wi));
                double oi = Math.fma(dr, wi, di * wr);
                yh[ib - 2 * g] = er - oi;
                yh[ib - 2 * g + 1] = ei + or;
                yl[ia + 2 * g] = er + oi;
                yl[ia + 2 * g + 1] = or - ei;
            }
        }
    }

    /**
     * Stores transformed column {@code t1 = first + g·gap}, {@code Y_g[f2]} at {@code 2·(g + count·f2)} in
     * {@code r}, times {@code exp(-2πi·t1·f2/m)}, to {@code out[2·(n2·t1 + f2)..]}.
     */
    private void storeColumns(double[] r, int first, int count, int gap, double[] out) {
        for (int g = 0; g < count; g++) {
            int t1 = first + g * gap;
            twiddled(r, 2 * g, 2 * count, out, 2 * n2 * t1, n2, t1);
        }
    }

    /**
     * The inverse's second step: for each {@code f2}, the FFT over {@code t1} of
     * {@code out[2·(n2·t1 + f2)..]} gives {@code z[n2·f1 + f2]}, stored in place; rows {@code f2} in batches
     * (each read entirely by the first radix pass before the batch's result is copied back).
     */
    private void inverseRows(double[] out, Workspace ws) {
        for (int f2b = 0; f2b < n2; f2b += batch) {
            int b = Math.min(batch, n2 - f2b);
            double[] r = rows.run(out, 2 * f2b, n2, ws.bufA, ws.bufB, b, ws);
            for (int f1 = 0; f1 < n1; f1++) {
                System.arraycopy(r, 2 * b * f1, out, 2 * (n2 * f1 + f2b), 2 * b);
            }
        }
    }

    private static void setRoot(double[] table, int index, long e, long period) {
        double angle = 2 * Math.PI * (double) (e % period) / period;
        table[2 * index] = Math.cos(angle);
        table[2 * index + 1] = -Math.sin(angle);
    }

    /** @return the divisor {@code d} of {@code m} with the fewest radix passes for d and m/d, then nearest √m */
    private static int chooseRowLength(int m) {
        double root = Math.sqrt(m);
        int best = 1;
        int bestPasses = Integer.MAX_VALUE;
        for (int f = 1; (long) f * f <= m; f++) {
            if (m % f != 0) {
                continue;
            }
            for (int d : new int[] {f, m / f}) {
                int passes = Plan.factors(d).length + Plan.factors(m / d).length;
                if (passes < bestPasses || passes == bestPasses
                        && Math.abs(Math.log(d / root)) < Math.abs(Math.log(best / root))) {
                    best = d;
                    bestPasses = passes;
                }
            }
        }
        return best;
    }

    /**
     * Scratch for {@link #forward} and {@link #inverse}: not thread-safe, keep one per thread. One
     * workspace serves plans of any length: its arrays grow (once each) to the largest need seen and never
     * shrink. {@link RealFft#newWorkspace} returns one already grown for a plan.
     */
    public static final class Workspace {
        private static final double[] NONE = new double[0];

        /**
         * The forward's {@code n1 × n2} complex matrix between the two FFT steps, row {@code j2}
         * contiguous: {@code mid[2·(k1 + n1·j2)]} is the real part, the next element the imaginary part.
         */
        private double[] mid = NONE;
        private double[] bufA = NONE;
        private double[] bufB = NONE;
        private double[] bufC = NONE;
        private double[] bufD = NONE;
        /** Per-butterfly sums and differences of the generic odd radix pass. */
        private final double[] sumRe = new double[MAX_PRIME];
        private final double[] sumIm = new double[MAX_PRIME];
        private final double[] difRe = new double[MAX_PRIME];
        private final double[] difIm = new double[MAX_PRIME];

        /** An empty workspace; it grows on first use. */
        public Workspace() {
        }

        /** @return the bytes held by this workspace's arrays (payloads, without object headers) */
        public long bytes() {
            return 8L * (mid.length + bufA.length + bufB.length + bufC.length + bufD.length + 4 * MAX_PRIME);
        }

        private void reserve(int scratch, int midLength) {
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

    /**
     * A complex forward FFT of one length: Stockham autosort, decimation in frequency, one pass per
     * radix. A pass of radix {@code r} sees {@code s} interleaved sequences of length {@code r·q}
     * (element {@code t} of sequence {@code g} at {@code g + s·t}) and writes
     * {@code exp(-2πi·p·u/(r·q)) · sum_t x[g + s·(p + t·q)]·exp(-2πi·t·u/r)} to {@code g + s·(r·p + u)};
     * the next pass sees {@code r·s} sequences of length {@code q}. Immutable.
     */
    private static final class Plan {
        private final int[] radix;
        private final int[] span;
        private final int[] stride;
        /** Per pass, {@code exp(-2πi·p·u/(r·q))} at {@code [p·(r-1) + u - 1]} (complex). */
        private final double[][] twiddles;
        /** Per pass with a generic odd radix {@code r}: {@code cos, sin(2π·t/r)}, {@code t < r}. */
        private final double[][] roots;
        /** The SIMD butterflies, or null for scalar code only. */
        private final Butterflies simd;

        Plan(int size, Butterflies simd) {
            this.simd = simd;
            int[] factors = factors(size);
            int count = factors.length;
            radix = factors;
            span = new int[count];
            stride = new int[count];
            twiddles = new double[count][];
            roots = new double[count][];
            int len = size;
            int s = 1;
            for (int i = 0; i < count; i++) {
                int r = factors[i];
                int q = len / r;
                span[i] = q;
                stride[i] = s;
                double[] tw = new double[2 * q * (r - 1)];
                for (int p = 0; p < q; p++) {
                    for (int u = 1; u < r; u++) {
                        setRoot(tw, p * (r - 1) + u - 1, (long) p * u, len);
                    }
                }
                twiddles[i] = tw;
                if (r > 8) {
                    double[] rt = new double[2 * r];
                    for (int t = 0; t < r; t++) {
                        double angle = 2 * Math.PI * t / r;
                        rt[2 * t] = Math.cos(angle);
                        rt[2 * t + 1] = Math.sin(angle);
                    }
                    roots[i] = rt;
                }
                len = q;
                s *= r;
            }
        }

        long tableBytes() {
            long doubles = 0;
            for (int i = 0; i < radix.length; i++) {
                doubles += twiddles[i].length + (roots[i] == null ? 0 : roots[i].length);
            }
            return 8 * doubles + 4L * 3 * radix.length;
        }

        /**
         * @return the radices for {@code size}: for {@code 2^e}, 8s then (for {@code e mod 3 = 1}) two 4s
         *     or (for {@code e mod 3 = 2}) one 4, or a 2 alone for {@code e = 1}; then odd primes ascending
         */
        static int[] factors(int size) {
            int[] factors = new int[32];
            int count = 0;
            int rest = size;
            int e = Integer.numberOfTrailingZeros(rest);
            rest >>= e;
            if (e == 1) {
                factors[count++] = 2;
            } else {
                int fours = e % 3 == 1 ? 2 : e % 3 == 2 ? 1 : 0;
                for (int i = 0; i < (e - 2 * fours) / 3; i++) {
                    factors[count++] = 8;
                }
                for (int i = 0; i < fours; i++) {
                    factors[count++] = 4;
                }
            }
            for (int p = 3; rest > 1; p += 2) {
                while (rest % p == 0) {
                    factors[count++] = p;
                    rest /= p;
                }
            }
            return Arrays.copyOf(factors, count);
        }

        /**
         * Transforms {@code batch} sequences, element {@code t} of sequence {@code g} at
         * {@code base + 2·(g + inStride·t)} in {@code in} (real part; the imaginary part follows), which is
         * only read. The passes write to {@code a} and {@code b} alternately; {@code in} may be {@code b},
         * not {@code a}.
         *
         * @return {@code a} or {@code b}, whichever holds the result, {@code X_g[k]} at {@code 2·(g + batch·k)}
         */
        double[] run(double[] in, int base, int inStride, double[] a, double[] b, int batch, Workspace ws) {
            if (radix.length == 0) {
                for (int g = 0; g < 2 * batch; g++) {
                    a[g] = in[base + g];
                }
                return a;
            }
            double[] src = in;
            double[] dst = a;
            int from = base;
            int sx = inStride;
            for (int i = 0; i < radix.length; i++) {
                int q = span[i];
                int s = stride[i] * batch;
                if (i > 0) {
                    from = 0;
                    sx = s;
                }
                // The SIMD passes do the batch elements that fill whole vectors; the scalar ones the rest.
                int first = simd == null ? 0 : simd.pass(radix[i], src, from, sx, dst, q, s, twiddles[i]);
                if (first < 2 * s) {
                    scalarPass(i, src, from, sx, dst, q, s, first, ws);
                }
                src = dst;
                dst = dst == a ? b : a;
            }
            return src;
        }

        /** Pass {@code i}'s butterflies for the batch elements from {@code first} (doubles per point) on. */
        private void scalarPass(int i, double[] src, int from, int sx, double[] dst, int q, int s, int first,
                Workspace ws) {
            double[] tw = twiddles[i];
            switch (radix[i]) {
                case 2:
                    pass2(src, from, sx, dst, q, s, tw, first);
                    break;
                case 3:
                    pass3(src, from, sx, dst, q, s, tw, first);
                    break;
                case 4:
                    pass4(src, from, sx, dst, q, s, tw, first);
                    break;
                case 5:
                    pass5(src, from, sx, dst, q, s, tw, first);
                    break;
                case 7:
                    pass7(src, from, sx, dst, q, s, tw, first);
                    break;
                case 8:
                    pass8(src, from, sx, dst, q, s, tw, first);
                    break;
                default:
                    passOdd(src, from, sx, dst, radix[i], q, s, tw, roots[i], ws);
                    break;
            }
        }

        /**
         * Stores {@code v·tw[w]} at {@code y[at]}, or {@code v} itself when {@code plain} (the twiddle is 1:
         * {@code p = 0}, loop-invariant, so the JIT unswitches the loop on it).
         */
        private static void put(double[] y, int at, double vr, double vi, double[] tw, int w, boolean plain) {
            if (plain) {
                y[at] = vr;
                y[at + 1] = vi;
            } else {
                double wr = tw[w];
                double wi = tw[w + 1];
                y[at] = Math.fma(vr, wr, -(vi * wi));
                y[at + 1] = Math.fma(vi, wr, vr * wi);
            }
        }

        /** As {@link #put(double[], int, double, double, double[], int, boolean)} with the twiddle given. */
        private static void put(double[] y, int at, double vr, double vi, double wr, double wi, boolean plain) {
            if (plain) {
                y[at] = vr;
                y[at + 1] = vi;
            } else {
                y[at] = Math.fma(vr, wr, -(vi * wi));
                y[at + 1] = Math.fma(vi, wr, vr * wi);
            }
        }

        private static void pass2(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
                int first) {
            int step = 2 * sx * q;
            int os = 2 * s;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 2 * p;
                double w1r = tw[w];
                double w1i = tw[w + 1];
                int in = base + 2 * sx * p;
                int o = 4 * s * p;
                for (int g = first; g < os; g += 2) {
                    int i0 = in + g;
                    double ar = x[i0];
                    double ai = x[i0 + 1];
                    double br = x[i0 + step];
                    double bi = x[i0 + step + 1];
                    int o0 = o + g;
                    y[o0] = ar + br;
                    y[o0 + 1] = ai + bi;
                    put(y, o0 + os, ar - br, ai - bi, w1r, w1i, plain);
                }
            }
        }

        private static void pass3(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
                int first) {
            final double c = Math.sqrt(0.75);
            int step = 2 * sx * q;
            int os = 2 * s;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 4 * p;
                double w1r = tw[w];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                int in = base + 2 * sx * p;
                int o = 6 * s * p;
                for (int g = first; g < os; g += 2) {
                    int i0 = in + g;
                    double x0r = x[i0];
                    double x0i = x[i0 + 1];
                    double x1r = x[i0 + step];
                    double x1i = x[i0 + step + 1];
                    double x2r = x[i0 + 2 * step];
                    double x2i = x[i0 + 2 * step + 1];
                    double tr = x1r + x2r;
                    double ti = x1i + x2i;
                    double dr = c * (x1r - x2r);
                    double di = c * (x1i - x2i);
                    double mr = Math.fma(-0.5, tr, x0r);
                    double mi = Math.fma(-0.5, ti, x0i);
                    int o0 = o + g;
                    y[o0] = x0r + tr;
                    y[o0 + 1] = x0i + ti;
                    put(y, o0 + os, mr + di, mi - dr, w1r, w1i, plain);
                    put(y, o0 + 2 * os, mr - di, mi + dr, w2r, w2i, plain);
                }
            }
        }

        private static void pass4(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
                int first) {
            int step = 2 * sx * q;
            int os = 2 * s;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 6 * p;
                double w1r = tw[w];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                double w3r = tw[w + 4];
                double w3i = tw[w + 5];
                int in = base + 2 * sx * p;
                int o = 8 * s * p;
                for (int g = first; g < os; g += 2) {
                    int i0 = in + g;
                    double x0r = x[i0];
                    double x0i = x[i0 + 1];
                    double x1r = x[i0 + step];
                    double x1i = x[i0 + step + 1];
                    double x2r = x[i0 + 2 * step];
                    double x2i = x[i0 + 2 * step + 1];
                    double x3r = x[i0 + 3 * step];
                    double x3i = x[i0 + 3 * step + 1];
                    double t0r = x0r + x2r;
                    double t0i = x0i + x2i;
                    double t1r = x0r - x2r;
                    double t1i = x0i - x2i;
                    double t2r = x1r + x3r;
                    double t2i = x1i + x3i;
                    double t3r = x1r - x3r;
                    double t3i = x1i - x3i;
                    int o0 = o + g;
                    y[o0] = t0r + t2r;
                    y[o0 + 1] = t0i + t2i;
                    put(y, o0 + os, t1r + t3i, t1i - t3r, w1r, w1i, plain);
                    put(y, o0 + 2 * os, t0r - t2r, t0i - t2i, w2r, w2i, plain);
                    put(y, o0 + 3 * os, t1r - t3i, t1i + t3r, w3r, w3i, plain);
                }
            }
        }

        private static void pass5(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
                int first) {
            final double c1 = Math.cos(2 * Math.PI / 5);
            final double c2 = Math.cos(4 * Math.PI / 5);
            final double s1 = Math.sin(2 * Math.PI / 5);
            final double s2 = Math.sin(4 * Math.PI / 5);
            int step = 2 * sx * q;
            int os = 2 * s;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 8 * p;
                double w1r = tw[w];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                double w3r = tw[w + 4];
                double w3i = tw[w + 5];
                double w4r = tw[w + 6];
                double w4i = tw[w + 7];
                int in = base + 2 * sx * p;
                int o = 10 * s * p;
                for (int g = first; g < os; g += 2) {
                    int i0 = in + g;
                    double x0r = x[i0];
                    double x0i = x[i0 + 1];
                    double x1r = x[i0 + step];
                    double x1i = x[i0 + step + 1];
                    double x2r = x[i0 + 2 * step];
                    double x2i = x[i0 + 2 * step + 1];
                    double x3r = x[i0 + 3 * step];
                    double x3i = x[i0 + 3 * step + 1];
                    double x4r = x[i0 + 4 * step];
                    double x4i = x[i0 + 4 * step + 1];
                    double t1r = x1r + x4r;
                    double t1i = x1i + x4i;
                    double t2r = x2r + x3r;
                    double t2i = x2i + x3i;
                    double d1r = x1r - x4r;
                    double d1i = x1i - x4i;
                    double d2r = x2r - x3r;
                    double d2i = x2i - x3i;
                    double a1r = Math.fma(c1, t1r, Math.fma(c2, t2r, x0r));
                    double a1i = Math.fma(c1, t1i, Math.fma(c2, t2i, x0i));
                    double a2r = Math.fma(c2, t1r, Math.fma(c1, t2r, x0r));
                    double a2i = Math.fma(c2, t1i, Math.fma(c1, t2i, x0i));
                    double e1r = Math.fma(s1, d1r, s2 * d2r);
                    double e1i = Math.fma(s1, d1i, s2 * d2i);
                    double e2r = Math.fma(s2, d1r, -(s1 * d2r));
                    double e2i = Math.fma(s2, d1i, -(s1 * d2i));
                    int o0 = o + g;
                    y[o0] = x0r + t1r + t2r;
                    y[o0 + 1] = x0i + t1i + t2i;
                    put(y, o0 + os, a1r + e1i, a1i - e1r, w1r, w1i, plain);
                    put(y, o0 + 2 * os, a2r + e2i, a2i - e2r, w2r, w2i, plain);
                    put(y, o0 + 3 * os, a2r - e2i, a2i + e2r, w3r, w3i, plain);
                    put(y, o0 + 4 * os, a1r - e1i, a1i + e1r, w4r, w4i, plain);
                }
            }
        }

        /**
         * Radix 8 as a radix-2 step ({@code a_t = x_t + x_{t+4}}, {@code b_t = (x_t - x_{t+4})·exp(-2πi·t/8)})
         * followed by radix-4 butterflies on {@code a} (the even outputs) and on {@code b} (the odd ones).
         */
        private static void pass8(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
                int first) {
            final double h = Math.sqrt(0.5);
            int step = 2 * sx * q;
            int os = 2 * s;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 14 * p;
                double w1r = tw[w + 0];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                double w3r = tw[w + 4];
                double w3i = tw[w + 5];
                double w4r = tw[w + 6];
                double w4i = tw[w + 7];
                double w5r = tw[w + 8];
                double w5i = tw[w + 9];
                double w6r = tw[w + 10];
                double w6i = tw[w + 11];
                double w7r = tw[w + 12];
                double w7i = tw[w + 13];
                int in = base + 2 * sx * p;
                int o = 16 * s * p;
                for (int g = first; g < os; g += 2) {
                    int i0 = in + g;
                    double x0r = x[i0];
                    double x0i = x[i0 + 1];
                    double x1r = x[i0 + step];
                    double x1i = x[i0 + step + 1];
                    double x2r = x[i0 + 2 * step];
                    double x2i = x[i0 + 2 * step + 1];
                    double x3r = x[i0 + 3 * step];
                    double x3i = x[i0 + 3 * step + 1];
                    double x4r = x[i0 + 4 * step];
                    double x4i = x[i0 + 4 * step + 1];
                    double x5r = x[i0 + 5 * step];
                    double x5i = x[i0 + 5 * step + 1];
                    double x6r = x[i0 + 6 * step];
                    double x6i = x[i0 + 6 * step + 1];
                    double x7r = x[i0 + 7 * step];
                    double x7i = x[i0 + 7 * step + 1];
                    double a0r = x0r + x4r;
                    double a0i = x0i + x4i;
                    double a1r = x1r + x5r;
                    double a1i = x1i + x5i;
                    double a2r = x2r + x6r;
                    double a2i = x2i + x6i;
                    double a3r = x3r + x7r;
                    double a3i = x3i + x7i;
                    double b0r = x0r - x4r;
                    double b0i = x0i - x4i;
                    double d1r = x1r - x5r;
                    double d1i = x1i - x5i;
                    // b1 = d1·(1 - i)/√2, b2 = (x2 - x6)·(-i), b3 = d3·(-1 - i)/√2.
                    double b1r = h * (d1r + d1i);
                    double b1i = h * (d1i - d1r);
                    double b2r = x2i - x6i;
                    double b2i = x6r - x2r;
                    double d3r = x3r - x7r;
                    double d3i = x3i - x7i;
                    double b3r = h * (d3i - d3r);
                    double b3i = -h * (d3r + d3i);
                    // Even outputs: the radix-4 butterfly of a.
                    double t0r = a0r + a2r;
                    double t0i = a0i + a2i;
                    double t1r = a0r - a2r;
                    double t1i = a0i - a2i;
                    double t2r = a1r + a3r;
                    double t2i = a1i + a3i;
                    double t3r = a1r - a3r;
                    double t3i = a1i - a3i;
                    int o0 = o + g;
                    y[o0] = t0r + t2r;
                    y[o0 + 1] = t0i + t2i;
                    put(y, o0 + 2 * os, t1r + t3i, t1i - t3r, w2r, w2i, plain);
                    put(y, o0 + 4 * os, t0r - t2r, t0i - t2i, w4r, w4i, plain);
                    put(y, o0 + 6 * os, t1r - t3i, t1i + t3r, w6r, w6i, plain);
                    // Odd outputs: the radix-4 butterfly of b.
                    double u0r = b0r + b2r;
                    double u0i = b0i + b2i;
                    double u1r = b0r - b2r;
                    double u1i = b0i - b2i;
                    double u2r = b1r + b3r;
                    double u2i = b1i + b3i;
                    double u3r = b1r - b3r;
                    double u3i = b1i - b3i;
                    put(y, o0 + os, u0r + u2r, u0i + u2i, w1r, w1i, plain);
                    put(y, o0 + 3 * os, u1r + u3i, u1i - u3r, w3r, w3i, plain);
                    put(y, o0 + 5 * os, u0r - u2r, u0i - u2i, w5r, w5i, plain);
                    put(y, o0 + 7 * os, u1r - u3i, u1i + u3r, w7r, w7i, plain);
                }
            }
        }

        private static void pass7(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
                int first) {
            final double c1 = Math.cos(2 * Math.PI / 7);
            final double c2 = Math.cos(4 * Math.PI / 7);
            final double c3 = Math.cos(6 * Math.PI / 7);
            final double s1 = Math.sin(2 * Math.PI / 7);
            final double s2 = Math.sin(4 * Math.PI / 7);
            final double s3 = Math.sin(6 * Math.PI / 7);
            int step = 2 * sx * q;
            int os = 2 * s;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 12 * p;
                double w1r = tw[w + 0];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                double w3r = tw[w + 4];
                double w3i = tw[w + 5];
                double w4r = tw[w + 6];
                double w4i = tw[w + 7];
                double w5r = tw[w + 8];
                double w5i = tw[w + 9];
                double w6r = tw[w + 10];
                double w6i = tw[w + 11];
                int in = base + 2 * sx * p;
                int o = 14 * s * p;
                for (int g = first; g < os; g += 2) {
                    int i0 = in + g;
                    double x0r = x[i0];
                    double x0i = x[i0 + 1];
                    double x1r = x[i0 + step];
                    double x1i = x[i0 + step + 1];
                    double x2r = x[i0 + 2 * step];
                    double x2i = x[i0 + 2 * step + 1];
                    double x3r = x[i0 + 3 * step];
                    double x3i = x[i0 + 3 * step + 1];
                    double x4r = x[i0 + 4 * step];
                    double x4i = x[i0 + 4 * step + 1];
                    double x5r = x[i0 + 5 * step];
                    double x5i = x[i0 + 5 * step + 1];
                    double x6r = x[i0 + 6 * step];
                    double x6i = x[i0 + 6 * step + 1];
                    double t1r = x1r + x6r;
                    double t1i = x1i + x6i;
                    double t2r = x2r + x5r;
                    double t2i = x2i + x5i;
                    double t3r = x3r + x4r;
                    double t3i = x3i + x4i;
                    double d1r = x1r - x6r;
                    double d1i = x1i - x6i;
                    double d2r = x2r - x5r;
                    double d2i = x2i - x5i;
                    double d3r = x3r - x4r;
                    double d3i = x3i - x4i;
                    // cos/sin(2π·t·u/7) for u = 1, 2, 3 over t = 1, 2, 3: c4 = c3, c6 = c1, s4 = -s3, s6 = -s1.
                    double a1r = Math.fma(c1, t1r, Math.fma(c2, t2r, Math.fma(c3, t3r, x0r)));
                    double a1i = Math.fma(c1, t1i, Math.fma(c2, t2i, Math.fma(c3, t3i, x0i)));
                    double a2r = Math.fma(c2, t1r, Math.fma(c3, t2r, Math.fma(c1, t3r, x0r)));
                    double a2i = Math.fma(c2, t1i, Math.fma(c3, t2i, Math.fma(c1, t3i, x0i)));
                    double a3r = Math.fma(c3, t1r, Math.fma(c1, t2r, Math.fma(c2, t3r, x0r)));
                    double a3i = Math.fma(c3, t1i, Math.fma(c1, t2i, Math.fma(c2, t3i, x0i)));
                    double e1r = Math.fma(s1, d1r, Math.fma(s2, d2r, s3 * d3r));
                    double e1i = Math.fma(s1, d1i, Math.fma(s2, d2i, s3 * d3i));
                    double e2r = Math.fma(s2, d1r, -Math.fma(s3, d2r, s1 * d3r));
                    double e2i = Math.fma(s2, d1i, -Math.fma(s3, d2i, s1 * d3i));
                    double e3r = Math.fma(s3, d1r, Math.fma(-s1, d2r, s2 * d3r));
                    double e3i = Math.fma(s3, d1i, Math.fma(-s1, d2i, s2 * d3i));
                    int o0 = o + g;
                    y[o0] = x0r + t1r + t2r + t3r;
                    y[o0 + 1] = x0i + t1i + t2i + t3i;
                    put(y, o0 + os, a1r + e1i, a1i - e1r, w1r, w1i, plain);
                    put(y, o0 + 2 * os, a2r + e2i, a2i - e2r, w2r, w2i, plain);
                    put(y, o0 + 3 * os, a3r + e3i, a3i - e3r, w3r, w3i, plain);
                    put(y, o0 + 4 * os, a3r - e3i, a3i + e3r, w4r, w4i, plain);
                    put(y, o0 + 5 * os, a2r - e2i, a2i + e2r, w5r, w5i, plain);
                    put(y, o0 + 6 * os, a1r - e1i, a1i + e1r, w6r, w6i, plain);
                }
            }
        }

        /**
         * A generic odd radix {@code r}: {@code b_u = a_u - i·e_u}, {@code b_{r-u} = a_u + i·e_u} with
         * {@code a_u = x_0 + sum_t cos(2πtu/r)·(x_t + x_{r-t})}, {@code e_u = sum_t sin(2πtu/r)·(x_t - x_{r-t})},
         * {@code 1 <= t, u <= r/2}.
         */
        private static void passOdd(double[] x, int base, int sx, double[] y, int r, int q, int s, double[] tw,
                double[] rt, Workspace ws) {
            int h = r / 2;
            int step = 2 * sx * q;
            int os = 2 * s;
            double[] pr = ws.sumRe;
            double[] pi = ws.sumIm;
            double[] mr = ws.difRe;
            double[] mi = ws.difIm;
            for (int p = 0; p < q; p++) {
                boolean plain = p == 0;
                int w = 2 * (r - 1) * p;
                int in = base + 2 * sx * p;
                int o = 2 * r * s * p;
                for (int g = 0; g < os; g += 2) {
                    int i0 = in + g;
                    double x0r = x[i0];
                    double x0i = x[i0 + 1];
                    double b0r = x0r;
                    double b0i = x0i;
                    for (int t = 1; t <= h; t++) {
                        double ar = x[i0 + t * step];
                        double ai = x[i0 + t * step + 1];
                        double br = x[i0 + (r - t) * step];
                        double bi = x[i0 + (r - t) * step + 1];
                        pr[t] = ar + br;
                        pi[t] = ai + bi;
                        mr[t] = ar - br;
                        mi[t] = ai - bi;
                        b0r += pr[t];
                        b0i += pi[t];
                    }
                    int o0 = o + g;
                    y[o0] = b0r;
                    y[o0 + 1] = b0i;
                    for (int u = 1; u <= h; u++) {
                        double ar = x0r;
                        double ai = x0i;
                        double er = 0;
                        double ei = 0;
                        for (int t = 1, idx = u; t <= h; t++, idx = idx + u >= r ? idx + u - r : idx + u) {
                            double c = rt[2 * idx];
                            double sn = rt[2 * idx + 1];
                            ar = Math.fma(c, pr[t], ar);
                            ai = Math.fma(c, pi[t], ai);
                            er = Math.fma(sn, mr[t], er);
                            ei = Math.fma(sn, mi[t], ei);
                        }
                        put(y, o0 + u * os, ar + ei, ai - er, tw, w + 2 * (u - 1), plain);
                        put(y, o0 + (r - u) * os, ar - ei, ai + er, tw, w + 2 * (r - u - 1), plain);
                    }
                }
            }
        }
    }
}
