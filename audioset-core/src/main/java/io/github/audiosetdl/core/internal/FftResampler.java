package io.github.audiosetdl.core.internal;

import io.github.audiosetdl.core.dsp.ComplexFft;
import io.github.audiosetdl.core.dsp.FftWorkspace;
import io.github.audiosetdl.core.dsp.RealFft;

/**
 * FFT resampling exactly as {@code scipy.signal.resample(x, num)} does for real input (scipy ≥ 1.13,
 * {@code signal/_signaltools.py}): keep the first {@code m//2 + 1} bins of {@code rfft(x)} with
 * {@code m = min(num, n)}, scale the unpaired bin {@code m/2} by 2 when downsampling or by 0.5 when
 * upsampling (for even {@code m}), then {@code irfft(X * num / n, num)}.
 *
 * <p>Computed in double precision. Doubling the rate (16 to 32 kHz) takes a shortcut that gives the same
 * values with an inverse transform half as long ({@link #upsampleTwice}). Even lengths with no prime factor
 * above 13 in their halves (every audio rate in use) go through {@link RealFft}: shared plans, per-thread work
 * arrays, no allocation per clip but the result. Other lengths go through full complex transforms
 * ({@link ComplexFft}, Bluestein's algorithm for prime factors above 13; plans shared, a few sizes; work arrays
 * allocated per call). Nothing here changes JVM-wide state or starts a thread.
 */
public final class FftResampler {
    /** Plans for the other lengths, shared: their tables are read-only. */
    private static final LruCache<Integer, ComplexFft> COMPLEX_PLANS = new LruCache<>(4);
    /** The half-sample shifts of {@link #upsampleTwice}, by input length, shared: read-only tables. */
    private static final LruCache<Integer, HalfSampleShift> SHIFTS = new LruCache<>(4);

    /** Per-thread work arrays, reused: the pack's workers prepare thousands of clips. */
    private static final ThreadScratch OUTPUT = new ThreadScratch();
    private static final ThreadScratch SPECTRUM = new ThreadScratch();
    private static final ThreadLocal<FftWorkspace> WORKSPACE = ThreadLocal.withInitial(FftWorkspace::new);

    private FftResampler() {
    }

    /**
     * Resamples into {@code out}; the signal's array is used as scratch.
     *
     * @param x the signal in {@code x[0..n)}; overwritten (its contents afterwards are unspecified)
     * @param n the signal's length, {@code 1 <= n <= x.length}
     * @param out receives {@code out.length >= 1} samples spanning the same time, rounded to float
     */
    public static void resample(double[] x, int n, float[] out) {
        int num = out.length;
        if (n < 1 || n > x.length || num < 1) {
            throw new IllegalArgumentException("cannot resample " + n + " samples to " + num);
        }
        if (num == n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) x[i];
            }
            return;
        }
        if (num == 2 * n && RealFft.supports(n)) {
            upsampleTwice(x, n, out);
            return;
        }
        double[] y;
        if (RealFft.supports(n) && RealFft.supports(num)) {
            y = resampleSmooth(x, n, num);
        } else {
            y = resampleGeneral(x, n, num);
        }
        for (int i = 0; i < num; i++) {
            out[i] = (float) y[i];
        }
    }

    /**
     * Even lengths whose halves have no prime factor above 13 (every audio rate in use: 441,000 = 2³·3²·5³·7²,
     * 480,000, 160,000), on {@link RealFft}: only the bins kept are computed, and nothing is allocated per
     * call (JTransforms allocates {@code n} doubles per transform, which in a small heap are G1 "humongous"
     * objects: hundreds of collections a second while packing). Returns this thread's scratch array.
     */
    private static double[] resampleSmooth(double[] x, int n, int num) {
        int m = Math.min(num, n);
        int bins = m / 2 + 1;
        FftWorkspace ws = WORKSPACE.get();
        double[] spectrum = SPECTRUM.get(2 * bins);
        RealFft.of(n).forward(x, spectrum, bins, ws);
        for (int k = 0; k < bins; k++) {
            double s = binScale(k, m, n, num);
            spectrum[2 * k] *= s;
            spectrum[2 * k + 1] *= s;
        }
        double[] y = OUTPUT.get(num);
        RealFft.of(num).inverse(spectrum, bins, y, ws); // irfft: ignores Im of DC and of an output Nyquist bin
        return y;
    }

    /**
     * {@code num = 2n}, {@code n} a {@link RealFft} length. scipy keeps all {@code n/2 + 1} bins, scaled by 2, the
     * last one halved, and takes {@code irfft(Y, 2n)}. At the even output samples that sum is the inverse DFT of
     * {@code x} itself (the halved bin {@code n/2} appears at {@code ±n/2} and adds up to {@code x}'s Nyquist
     * term): {@code y[2j] = x[j]}, the input exactly. At the odd ones bin {@code n/2} cancels ({@code cos(π(2j +
     * 1)/2) = 0}) and {@code y[2j+1] = irfft(X[k]·exp(iπk/n), k < n/2; n)[j]}, the input delayed by half a
     * sample: one inverse transform of length {@code n} instead of one of {@code 2n}. The rounding is that of a
     * transform pair of length {@code n} (even samples none); the values are scipy's to about 1e-15.
     */
    private static void upsampleTwice(double[] x, int n, float[] out) {
        int half = n / 2;
        FftWorkspace ws = WORKSPACE.get();
        double[] spectrum = SPECTRUM.get(2 * half);
        RealFft plan = RealFft.of(n);
        plan.forward(x, spectrum, half, ws); // x is left as it was: the even samples
        SHIFTS.get(n, HalfSampleShift::new).apply(spectrum, half);
        double[] odd = OUTPUT.get(n);
        plan.inverse(spectrum, half, odd, ws);
        for (int j = 0; j < n; j++) {
            out[2 * j] = (float) x[j];
            out[2 * j + 1] = (float) odd[j];
        }
    }

    /**
     * The factors {@code exp(iπk/n)} for {@code k < n/2}, as products {@code lo[k & mask]·hi[k >>> shift]} of two
     * tables of exact angles, {@code 2^shift >= √(n/2)} and {@code n/2 / 2^shift} entries (11 KB for
     * {@code n = 160000}, where one table of all the factors would take 1.28 MB).
     */
    private static final class HalfSampleShift {
        private final int shift;
        private final double[] lo;
        private final double[] hi;

        HalfSampleShift(int n) {
            int half = n / 2;
            int s = 0;
            while ((1L << (2 * s)) < half) {
                s++;
            }
            this.shift = s;
            this.lo = new double[2 << s];
            for (int j = 0; j < 1 << s; j++) {
                set(lo, j, j, n);
            }
            int count = ((half - 1) >>> s) + 1;
            this.hi = new double[2 * count];
            for (int h = 0; h < count; h++) {
                set(hi, h, (long) h << s, n);
            }
        }

        private static void set(double[] table, int i, long k, int n) {
            double angle = Math.PI * k / n;
            table[2 * i] = Math.cos(angle);
            table[2 * i + 1] = Math.sin(angle);
        }

        /** {@code spectrum[2k..2k+1] *= exp(iπk/n)} for {@code k < bins}. */
        void apply(double[] spectrum, int bins) {
            int mask = (1 << shift) - 1;
            for (int k = 0; k < bins; k++) {
                int l = 2 * (k & mask);
                int h = 2 * (k >>> shift);
                double wr = Math.fma(lo[l], hi[h], -(lo[l + 1] * hi[h + 1]));
                double wi = Math.fma(lo[l], hi[h + 1], lo[l + 1] * hi[h]);
                double re = spectrum[2 * k];
                double im = spectrum[2 * k + 1];
                spectrum[2 * k] = Math.fma(re, wr, -(im * wi));
                spectrum[2 * k + 1] = Math.fma(re, wi, im * wr);
            }
        }
    }

    /**
     * Any lengths, on full complex transforms ({@link ComplexFft}: Bluestein's algorithm for lengths with a prime
     * factor above 13); allocates its work arrays.
     */
    private static double[] resampleGeneral(double[] x, int n, int num) {
        FftWorkspace ws = WORKSPACE.get();
        double[] spectrum = new double[2 * n];
        for (int i = 0; i < n; i++) {
            spectrum[2 * i] = x[i];
        }
        plan(n).forward(spectrum, ws);

        int m = Math.min(num, n);
        int m2 = m / 2 + 1;
        double[] y = new double[2 * num];
        for (int k = 0; k < m2; k++) {
            double s = binScale(k, m, n, num);
            y[2 * k] = spectrum[2 * k] * s;
            y[2 * k + 1] = spectrum[2 * k + 1] * s;
        }
        // irfft semantics: the imaginary parts of DC and of an output Nyquist bin are ignored.
        y[1] = 0;
        if (num % 2 == 0 && m2 - 1 == num / 2) {
            y[num + 1] = 0;
        }
        // Hermitian symmetry for the negative frequencies.
        for (int k = 1; k < num - k; k++) {
            y[2 * (num - k)] = y[2 * k];
            y[2 * (num - k) + 1] = -y[2 * k + 1];
        }
        plan(num).inverse(y, ws);
        double[] out = new double[num];
        for (int i = 0; i < num; i++) {
            out[i] = y[2 * i] / num;
        }
        return out;
    }

    /**
     * scipy's factor for kept bin {@code k}: {@code num / n}, and the unpaired bin {@code m/2} of an even
     * {@code m} doubled when downsampling or halved when upsampling.
     */
    private static double binScale(int k, int m, int n, int num) {
        double s = (double) num / n;
        if (m % 2 == 0 && k == m / 2) {
            s *= num < n ? 2.0 : 0.5;
        }
        return s;
    }

    private static ComplexFft plan(int n) {
        return COMPLEX_PLANS.get(n, ComplexFft::new);
    }
}
