package io.github.audiosetdl.core.dsp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forward and inverse DFT of real signals of one fixed even length {@code n} whose half {@code n/2} has no
 * prime factor above 13: 480000, 441000, 160000, 80000, 2, 4, 6, 14, .... An instance is an immutable,
 * thread-safe plan (read-only tables only); all mutable scratch lives in a {@link FftWorkspace}, one per thread.
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
 * faster: 1.2 to 2 times from 1024 to 1048576 (0.61 against 0.85 ms for 131072); no clip length in use
 * is one, and this class is used for them too (no second engine, no JTransforms thread pool). This class
 * allocates nothing per call, JTransforms {@code n} doubles.
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
    private static final int MAX_PRIME = StockhamPlan.MAX_PRIME;
    /** The most rows or columns one batched short FFT transforms at once. */
    private static final int MAX_BATCH = 31;
    /** Batches are cut so that a batch of short FFTs spans at most this many complex values. */
    private static final int BATCH_VALUES = 16384;
    /** How often the row twiddles are taken from the tables instead of the recurrence (a power of 2). */
    private static final int RESYNC = 32;
    /** How many plans {@link #of} keeps. */
    private static final int CACHE_SIZE = 8;
    /** The plans {@link #of} made. */
    private static final Map<Integer, RealFft> CACHE = new LinkedHashMap<>(2 * CACHE_SIZE, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, RealFft> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private final int n;
    private final int m;
    private final int n1;
    private final int n2;
    private final int batch;
    private final StockhamPlan rows;
    private final StockhamPlan cols;
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
     * A shared plan from a small cache (the 8 lengths used last); thread-safe.
     *
     * @param n the transform length, in samples
     * @return the plan for {@code n}, the same instance while {@code n} stays in the cache
     * @throws IllegalArgumentException if {@code !supports(n)}
     */
    public static RealFft of(int n) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(n, RealFft::new);
        }
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
        this.rows = new StockhamPlan(n1, simd);
        this.cols = new StockhamPlan(n2, simd);

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
    public FftWorkspace newWorkspace() {
        FftWorkspace ws = new FftWorkspace();
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
    public void forward(double[] x, double[] out, int bins, FftWorkspace ws) {
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
    public void inverse(double[] spectrum, int bins, double[] out, FftWorkspace ws) {
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
            throw new IllegalArgumentException("bins " + bins + " not in 1.." + (m + 1));
        }
    }

    /**
     * {@code mid[2·(k1 + n1·j2)..] = exp(-2πi·j2·k1/m) · sum_{j1} z[n2·j1 + j2]·exp(-2πi·j1·k1/n1)}, where
     * {@code z[j] = x[2j] + i·x[2j+1]}; rows {@code j2} in batches, read straight from {@code x}.
     */
    private void rowTransforms(double[] x, FftWorkspace ws) {
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
     * {@code (count - 1)·step < m}. Values go in groups of four: one twiddle {@code w} per group, taken from the
     * tables every {@link #RESYNC} values of {@code f} and advanced by {@code exp(-2πi·4·step/m)} in between; the
     * group's other three values take {@code w} times the constants {@code exp(-2πi·k·step/m)}, {@code k = 1, 2,
     * 3}. That is as many products as four independent recurrences and as short a chain (the multiplier waits on
     * one product per group), and rounding grows by about an ulp per group, so it stays within
     * {@code RESYNC / 4 + 1} ulps. The tables' product for every value cost an eighth of a transform.
     */
    private void twiddled(double[] src, int from, int stride, double[] dst, int at, int count, int step) {
        final int mask = (1 << twShift) - 1;
        int step4 = (int) (4L * step % m);
        double sr = twiddleRe(step4, mask);
        double si = twiddleIm(step4, mask);
        int e1 = (int) (1L * step % m);
        int e2 = (int) (2L * step % m);
        int e3 = (int) (3L * step % m);
        double d1r = twiddleRe(e1, mask);
        double d1i = twiddleIm(e1, mask);
        double d2r = twiddleRe(e2, mask);
        double d2i = twiddleIm(e2, mask);
        double d3r = twiddleRe(e3, mask);
        double d3i = twiddleIm(e3, mask);
        int f = 0;
        while (f < count) {
            int end = Math.min(count, f + RESYNC);
            double wr = twiddleRe(f * step, mask);
            double wi = twiddleIm(f * step, mask);
            for (; f + 3 < end; f += 4) {
                int i = from + f * stride;
                int o = at + 2 * f;
                rotate(src, i, dst, o, wr, wi);
                rotate(src, i + stride, dst, o + 2, Math.fma(wr, d1r, -(wi * d1i)), Math.fma(wr, d1i, wi * d1r));
                rotate(src, i + 2 * stride, dst, o + 4, Math.fma(wr, d2r, -(wi * d2i)), Math.fma(wr, d2i, wi * d2r));
                rotate(src, i + 3 * stride, dst, o + 6, Math.fma(wr, d3r, -(wi * d3i)), Math.fma(wr, d3i, wi * d3r));
                double t = Math.fma(wr, sr, -(wi * si));
                wi = Math.fma(wr, si, wi * sr);
                wr = t;
            }
            // Fewer than four left in the block (only at the end of the row): their twiddles from the tables.
            for (; f < end; f++) {
                rotate(src, from + f * stride, dst, at + 2 * f, twiddleRe(f * step, mask), twiddleIm(f * step, mask));
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
    private void columnTransforms(double[] out, int bins, FftWorkspace ws) {
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
    private void inverseColumns(double[] spectrum, int bins, double[] out, FftWorkspace ws) {
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
    private void inverseRows(double[] out, FftWorkspace ws) {
        for (int f2b = 0; f2b < n2; f2b += batch) {
            int b = Math.min(batch, n2 - f2b);
            double[] r = rows.run(out, 2 * f2b, n2, ws.bufA, ws.bufB, b, ws);
            for (int f1 = 0; f1 < n1; f1++) {
                System.arraycopy(r, 2 * b * f1, out, 2 * (n2 * f1 + f2b), 2 * b);
            }
        }
    }

    static void setRoot(double[] table, int index, long e, long period) {
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
                int passes = StockhamPlan.factors(d).length + StockhamPlan.factors(m / d).length;
                if (passes < bestPasses || passes == bestPasses
                        && Math.abs(Math.log(d / root)) < Math.abs(Math.log(best / root))) {
                    best = d;
                    bestPasses = passes;
                }
            }
        }
        return best;
    }

}
