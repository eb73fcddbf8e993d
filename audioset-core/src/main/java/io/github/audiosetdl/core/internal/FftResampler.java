package io.github.audiosetdl.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * FFT resampling exactly as {@code scipy.signal.resample(x, num)} does for real input (scipy ≥ 1.13,
 * {@code signal/_signaltools.py}): keep the first {@code m//2 + 1} bins of {@code rfft(x)} with
 * {@code m = min(num, n)}, scale the unpaired bin {@code m/2} by 2 when downsampling or by 0.5 when
 * upsampling (for even {@code m}), then {@code irfft(X * num / n, num)}.
 *
 * <p>Computed in double precision with JTransforms. FFT plans are cached per thread (a few sizes).
 * JTransforms' global thread count is set to 1: we parallelise across clips, and its pool could keep
 * the JVM alive for a minute after {@code main} returns.
 */
public final class FftResampler {
    private static final int PLANS_PER_THREAD = 4;
    private static final ThreadLocal<Map<Integer, DoubleFFT_1D>> PLANS = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(8, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, DoubleFFT_1D> eldest) {
                    return size() > PLANS_PER_THREAD;
                }
            });

    static {
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    private FftResampler() {
    }

    /**
     * @param x the signal, {@code n >= 1} samples
     * @param num the output length, {@code >= 1}
     * @return {@code num} samples spanning the same time as {@code x}
     */
    public static double[] resample(double[] x, int num) {
        int n = x.length;
        if (n < 1 || num < 1) {
            throw new IllegalArgumentException("cannot resample " + n + " samples to " + num);
        }
        if (num == n) {
            return x.clone();
        }
        if (n % 2 == 0 && num % 2 == 0) {
            return resampleEven(x, num);
        }
        double[] spectrum = new double[2 * n];
        System.arraycopy(x, 0, spectrum, 0, n);
        plan(n).realForwardFull(spectrum);

        int m = Math.min(num, n);
        int m2 = m / 2 + 1;
        double scale = (double) num / n;
        double[] y = new double[2 * num];
        for (int k = 0; k < m2; k++) {
            double s = scale;
            if (m % 2 == 0 && k == m / 2) {
                s *= num < n ? 2.0 : 0.5;
            }
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
     * The same for even lengths, on JTransforms' packed real transforms (half the work of the complex
     * ones): {@code a[0] = Re X[0]}, {@code a[1] = Re X[n/2]}, {@code a[2k], a[2k+1] = X[k]}.
     */
    private static double[] resampleEven(double[] x, int num) {
        int n = x.length;
        double[] a = x.clone();
        plan(n).realForward(a);
        int m = Math.min(num, n);
        double scale = (double) num / n;
        double[] b = new double[num];
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
            double s = scale;
            if (m % 2 == 0 && k == m / 2) {
                s *= num < n ? 2.0 : 0.5;
            }
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

    private static DoubleFFT_1D plan(int n) {
        return PLANS.get().computeIfAbsent(n, DoubleFFT_1D::new);
    }
}
