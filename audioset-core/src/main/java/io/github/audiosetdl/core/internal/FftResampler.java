package io.github.audiosetdl.core.internal;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * FFT resampling exactly as {@code scipy.signal.resample(x, num)} does for real input (scipy ≥ 1.13,
 * {@code signal/_signaltools.py}): keep the first {@code m//2 + 1} bins of {@code rfft(x)} with
 * {@code m = min(num, n)}, scale the unpaired bin {@code m/2} by 2 when downsampling or by 0.5 when
 * upsampling (for even {@code m}), then {@code irfft(X * num / n, num)}.
 *
 * <p>Computed in double precision. Even lengths with no prime factor above 13 in their halves (every
 * audio rate in use) go through {@link RealFft}: shared plans, per-thread work arrays, no allocation per
 * clip but the result. Other lengths go through JTransforms (plans shared, a few sizes; its transforms
 * allocate their work arrays per call). JTransforms' global thread count is set to 1: we parallelise across
 * clips, and its pool could keep the JVM alive for a minute after {@code main} returns.
 */
public final class FftResampler {
    /** JTransforms plans, shared: their tables are read-only, and each transform allocates its own work arrays. */
    private static final LruCache<Integer, DoubleFFT_1D> JT_PLANS = new LruCache<>(4);

    /** Per-thread work arrays, reused: the pack's workers prepare thousands of clips. */
    private static final ThreadScratch OUTPUT = new ThreadScratch();
    private static final ThreadScratch SPECTRUM = new ThreadScratch();
    private static final ThreadLocal<RealFft.Workspace> WORKSPACE = ThreadLocal.withInitial(RealFft.Workspace::new);

    static {
        ConcurrencyUtils.setNumberOfThreads(1);
    }

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
        double[] y;
        if (RealFft.supports(n) && RealFft.supports(num)) {
            y = resampleSmooth(x, n, num);
        } else if (n % 2 == 0 && num % 2 == 0) {
            y = resampleEven(x, n, num);
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
        RealFft.Workspace ws = WORKSPACE.get();
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

    /** Any lengths, on JTransforms' full complex transforms; allocates its work arrays. */
    private static double[] resampleGeneral(double[] x, int n, int num) {
        double[] spectrum = new double[2 * n];
        System.arraycopy(x, 0, spectrum, 0, n);
        plan(n).realForwardFull(spectrum);

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
        plan(num).complexInverse(y, true);
        double[] out = new double[num];
        for (int i = 0; i < num; i++) {
            out[i] = y[2 * i];
        }
        return out;
    }

    /**
     * Even lengths, on packed real transforms (half the work of the complex ones), in place in {@code x}
     * and in a per-thread scratch array that is returned: {@code a[0] = Re X[0]}, {@code a[1] = Re X[n/2]},
     * {@code a[2k], a[2k+1] = X[k]}.
     */
    private static double[] resampleEven(double[] x, int n, int num) {
        double[] a = x;
        plan(n).realForward(a);
        int m = Math.min(num, n);
        double[] b = OUTPUT.get(num);
        Arrays.fill(b, 0, num, 0);
        for (int k = 0; k <= m / 2; k++) {
            double re;
            double im;
            if (k == 0) {
                re = a[0];
                im = 0;
            } else if (2 * k == n) {
                re = a[1];
                im = 0;
            } else {
                re = a[2 * k];
                im = a[2 * k + 1];
            }
            double s = binScale(k, m, n, num);
            if (k == 0) {
                b[0] = re * s;
            } else if (2 * k == num) {
                b[1] = re * s; // irfft ignores the imaginary part of the Nyquist bin
            } else {
                b[2 * k] = re * s;
                b[2 * k + 1] = im * s;
            }
        }
        plan(num).realInverse(b, true);
        return b;
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

    private static DoubleFFT_1D plan(int n) {
        return JT_PLANS.get(n, DoubleFFT_1D::new);
    }
}
