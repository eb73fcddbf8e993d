package io.github.audiosetdl.cochlea.internal;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes cochleagrams: for every channel the analytic subband {@code A[t] = sum_k coef[k] X[k]
 * e^{2 pi i k t / N}} over the channel's band, its modulus at all {@code N} samples, the downsampling
 * FIR, rectification and compression.
 *
 * <p>Two ways to get the modulus, equal to round-off:
 * <ul>
 *   <li><b>pruned</b> (when {@code N = frames * decimation} and {@code frames} has no prime factor above 7):
 *   the band is shifted to bin 0 (which leaves {@code |A|} unchanged) and, with {@code N = P * R},
 *   {@code P = frames}, {@code R = decimation}, {@code A[R u + v] = sum_{j1 < P} e^{2 pi i j1 u / P} Z_v[j1]}
 *   where {@code Z_v[j1] = e^{2 pi i j1 v / N} sum_{j2} Y[j1 + P j2] e^{2 pi i j2 v / R}}: {@code R}
 *   transforms of length {@code P} of a band that is at most {@code ceil(width / P)} blocks long, done
 *   together by a {@link VectorFft} (one column per phase {@code v}), which leaves the result in time
 *   order;</li>
 *   <li><b>direct</b> (any other shape): a length-{@code N} complex inverse FFT (JTransforms) per channel.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; each thread computes through its own {@link Worker}.
 */
public final class EnvelopeEngine {
    /** Compression codes. */
    public static final int COMPRESS_NONE = 0;
    /** Square root. */
    public static final int COMPRESS_SQRT = 1;
    /** Power. */
    public static final int COMPRESS_POWER = 2;

    private static final int CHUNK = 64;

    private final int n;
    private final int channels;
    private final int[] start;
    private final double[][] coef;
    private final int maxWidth;
    private final DownsamplingFir fir;
    private final double[] paddedTaps;
    private final int margin;
    private final int envLength;
    private final int compression;
    private final double exponent;
    private final boolean pruned;
    // pruned path tables
    private final int p;
    private final int r;
    private final VectorFft fft;
    private final double[] phaseRe;
    private final double[] phaseIm;
    private final double[] blockRe;
    private final double[] blockIm;
    private final int maxBlocks;

    /**
     * @param signalLength {@code N}, even
     * @param startBins the first bin of each channel's band
     * @param coefficients each channel's band weights (the filter times the analytic weight divided by
     *     {@code N}), for bins {@code startBins[c] ..}; not copied, must not change
     * @param fir the downsampling filter
     * @param compression one of {@link #COMPRESS_NONE}, {@link #COMPRESS_SQRT}, {@link #COMPRESS_POWER}
     * @param exponent the exponent for {@link #COMPRESS_POWER}
     * @param allowPruned false forces the direct path (for tests)
     */
    public EnvelopeEngine(int signalLength, int[] startBins, double[][] coefficients, DownsamplingFir fir,
            int compression, double exponent, boolean allowPruned) {
        this.n = signalLength;
        this.channels = startBins.length;
        this.start = startBins.clone();
        this.coef = coefficients;
        this.fir = fir;
        this.compression = compression;
        this.exponent = exponent;
        this.maxWidth = Arrays.stream(coefficients).mapToInt(c -> c.length).max().orElse(0);
        int taps = fir.length();
        int padded = (taps + CHUNK - 1) / CHUNK * CHUNK;
        this.paddedTaps = Arrays.copyOf(fir.tapsView(), padded);
        this.margin = Math.max(fir.offset(), 0);
        int lastBase = margin + (fir.frames() - 1) * fir.decimation() - fir.offset();
        this.envLength = Math.max(margin + n, lastBase + padded) + 1;
        int d = fir.decimation();
        this.pruned = allowPruned && n % d == 0 && n / d == fir.frames()
                && VectorFft.largestPrimeFactor(n / d) <= 7 && d >= 8;
        if (pruned) {
            p = n / d;
            r = d;
            fft = new VectorFft(p, r);
            phaseRe = new double[n];
            phaseIm = new double[n];
            for (int j1 = 0; j1 < p; j1++) {
                for (int v = 0; v < r; v++) {
                    double angle = 2 * Math.PI * ((long) j1 * v) / n;
                    phaseRe[j1 * r + v] = Math.cos(angle);
                    phaseIm[j1 * r + v] = Math.sin(angle);
                }
            }
            maxBlocks = Math.max(1, (maxWidth + p - 1) / p);
            blockRe = new double[maxBlocks * r];
            blockIm = new double[maxBlocks * r];
            for (int j2 = 0; j2 < maxBlocks; j2++) {
                for (int v = 0; v < r; v++) {
                    double angle = 2 * Math.PI * ((long) j2 * v % r) / r;
                    blockRe[j2 * r + v] = Math.cos(angle);
                    blockIm[j2 * r + v] = Math.sin(angle);
                }
            }
        } else {
            p = 0;
            r = 0;
            fft = null;
            phaseRe = null;
            phaseIm = null;
            blockRe = null;
            blockIm = null;
            maxBlocks = 0;
        }
    }

    /** @return whether the pruned phase-decomposed path is used */
    public boolean isPruned() {
        return pruned;
    }

    /** @return a new worker (FFT plans and scratch buffers) for the calling thread */
    public Worker newWorker() {
        return new Worker();
    }

    /** Per-thread state; not thread-safe. */
    public final class Worker {
        private final DoubleFFT_1D forward = new DoubleFFT_1D(n);
        private final double[] spectrum = new double[n];
        private final double[] yRe = new double[maxWidth];
        private final double[] yIm = new double[maxWidth];
        private final double[] env = new double[envLength];
        private final double[] acc = new double[CHUNK];
        private final double[] re;
        private final double[] im;
        private final double[] re2;
        private final double[] im2;
        private final double[] sRe;
        private final double[] sIm;
        private final DoubleFFT_1D inverse;
        private final double[] full;
        private long nanosFft;
        private long nanosFir;
        private long nanosOther;

        private Worker() {
            if (pruned) {
                re = new double[n];
                im = new double[n];
                re2 = new double[n];
                im2 = new double[n];
                sRe = new double[r];
                sIm = new double[r];
                inverse = null;
                full = null;
            } else {
                re = null;
                im = null;
                re2 = null;
                im2 = null;
                sRe = null;
                sIm = null;
                inverse = new DoubleFFT_1D(n);
                full = new double[2 * n];
            }
        }

        /**
         * @param waveform {@code N} samples
         * @param out receives {@code channels * frames} values, row-major
         */
        public void compute(float[] waveform, float[] out) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                spectrum[i] = waveform[i];
            }
            forward.realForward(spectrum);
            long t1 = System.nanoTime();
            nanosFft += t1 - t0;
            int frames = fir.frames();
            for (int c = 0; c < channels; c++) {
                double[] w = coef[c];
                int width = w.length;
                if (width == 0) {
                    Arrays.fill(out, c * frames, (c + 1) * frames, 0f);
                    continue;
                }
                long a = System.nanoTime();
                band(c);
                long b;
                if (pruned) {
                    prunedModulus(width);
                } else {
                    directModulus(width);
                }
                b = System.nanoTime();
                downsample(out, c * frames);
                long e = System.nanoTime();
                nanosFft += b - a;
                nanosFir += e - b;
            }
            nanosOther += 0;
        }

        /**
         * The full-rate envelope of one channel (before downsampling).
         *
         * @param waveform {@code N} samples
         * @param channel the channel
         * @param out receives {@code N} values
         */
        public void envelope(float[] waveform, int channel, double[] out) {
            for (int i = 0; i < n; i++) {
                spectrum[i] = waveform[i];
            }
            forward.realForward(spectrum);
            int width = coef[channel].length;
            if (width == 0) {
                Arrays.fill(out, 0, n, 0);
                return;
            }
            band(channel);
            if (pruned) {
                prunedModulus(width);
            } else {
                directModulus(width);
            }
            System.arraycopy(env, margin, out, 0, n);
        }

        private void band(int c) {
            double[] w = coef[c];
            int width = w.length;
            int s = start[c];
            for (int j = 0; j < width; j++) {
                int k = s + j;
                double xr;
                double xi;
                if (k == 0) {
                    xr = spectrum[0];
                    xi = 0;
                } else if (k == n / 2) {
                    xr = spectrum[1];
                    xi = 0;
                } else {
                    xr = spectrum[2 * k];
                    xi = spectrum[2 * k + 1];
                }
                yRe[j] = w[j] * xr;
                yIm[j] = w[j] * xi;
            }
        }

        /** @return nanoseconds spent so far in {fft+modulus, fir, other} by this worker */
        public long[] timings() {
            return new long[] {nanosFft, nanosFir, nanosOther};
        }

        private void prunedModulus(int width) {
            int blocks = (width + p - 1) / p;
            double[] pr = phaseRe;
            double[] pi = phaseIm;
            if (blocks == 1) {
                for (int j1 = 0; j1 < p; j1++) {
                    int o = j1 * r;
                    if (j1 < width) {
                        double yr = yRe[j1];
                        double yi = yIm[j1];
                        for (int v = 0; v < r; v++) {
                            re[o + v] = yr * pr[o + v] - yi * pi[o + v];
                            im[o + v] = yr * pi[o + v] + yi * pr[o + v];
                        }
                    } else {
                        Arrays.fill(re, o, o + r, 0);
                        Arrays.fill(im, o, o + r, 0);
                    }
                }
            } else {
                for (int j1 = 0; j1 < p; j1++) {
                    Arrays.fill(sRe, 0);
                    Arrays.fill(sIm, 0);
                    for (int j2 = 0; j2 < blocks; j2++) {
                        int j = j1 + j2 * p;
                        if (j >= width) {
                            break;
                        }
                        double yr = yRe[j];
                        double yi = yIm[j];
                        int bo = j2 * r;
                        for (int v = 0; v < r; v++) {
                            sRe[v] += yr * blockRe[bo + v] - yi * blockIm[bo + v];
                            sIm[v] += yr * blockIm[bo + v] + yi * blockRe[bo + v];
                        }
                    }
                    int o = j1 * r;
                    for (int v = 0; v < r; v++) {
                        double ur = sRe[v];
                        double ui = sIm[v];
                        re[o + v] = ur * pr[o + v] - ui * pi[o + v];
                        im[o + v] = ur * pi[o + v] + ui * pr[o + v];
                    }
                }
            }
            boolean second = fft.inverse(re, im, re2, im2);
            double[] fr = second ? re2 : re;
            double[] fi = second ? im2 : im;
            int base = margin;
            for (int t = 0; t < n; t++) {
                double x = fr[t];
                double y = fi[t];
                env[base + t] = Math.sqrt(x * x + y * y);
            }
        }

        private void directModulus(int width) {
            Arrays.fill(full, 0);
            for (int j = 0; j < width; j++) {
                full[2 * j] = yRe[j];
                full[2 * j + 1] = yIm[j];
            }
            inverse.complexInverse(full, false);
            int base = margin;
            for (int t = 0; t < n; t++) {
                double x = full[2 * t];
                double y = full[2 * t + 1];
                env[base + t] = Math.sqrt(x * x + y * y);
            }
        }

        private void downsample(float[] out, int outOffset) {
            double[] k = paddedTaps;
            int taps = k.length;
            int d = fir.decimation();
            int frames = fir.frames();
            int base0 = margin - fir.offset();
            double[] e = env;
            double[] sum = acc;
            for (int j = 0; j < frames; j++) {
                int b = base0 + j * d;
                for (int c = 0; c < CHUNK; c++) {
                    sum[c] = k[c] * e[b + c];
                }
                for (int q = CHUNK; q < taps; q += CHUNK) {
                    int bq = b + q;
                    for (int c = 0; c < CHUNK; c++) {
                        sum[c] += k[q + c] * e[bq + c];
                    }
                }
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int c = 0; c < CHUNK; c += 4) {
                    s0 += sum[c];
                    s1 += sum[c + 1];
                    s2 += sum[c + 2];
                    s3 += sum[c + 3];
                }
                double y = (s0 + s1) + (s2 + s3);
                out[outOffset + j] = (float) compress(y > 0 ? y : 0);
            }
        }
    }

    private double compress(double y) {
        return switch (compression) {
            case COMPRESS_SQRT -> Math.sqrt(y);
            case COMPRESS_POWER -> Math.pow(y, exponent);
            default -> y;
        };
    }
}
