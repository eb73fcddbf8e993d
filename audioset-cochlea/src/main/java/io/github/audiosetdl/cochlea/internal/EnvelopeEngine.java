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
 *   together by a {@link VectorFft} (one column per phase {@code v}, in blocks of phases that fit in the
 *   L2 cache). The modulus of phase {@code v} is the polyphase component of the envelope that the
 *   downsampling FIR multiplies by taps {@code v + off (mod R)}, so the FIR becomes axpys over whole
 *   frame rows;</li>
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

    private final int n;
    private final int channels;
    private final int[] start;
    private final double[][] coef;
    private final int maxWidth;
    private final DownsamplingFir fir;
    private final int margin;
    private final int envLength;
    private final int compression;
    private final double exponent;
    private final boolean pruned;
    // pruned path: N = p * r, phases v < r processed in blocks of width columns
    private final int p;
    private final int r;
    private final int width;
    private final int blocks;
    private final VectorFft fft;
    /** [block][j1][v]: e^{2 pi i j1 (block * width + v) / N}. */
    private final double[][][] phaseRe;
    private final double[][][] phaseIm;
    /** [block][j2][v]: e^{2 pi i j2 (block * width + v) / r}. */
    private final double[][][] blockRe;
    private final double[][][] blockIm;
    /** [phase][qi]: the tap applied to envelope row j + qMin + qi, phase (column) v, for frame j. */
    private final double[][] tapPhase;
    private final int qMin;
    private final int padBefore;
    private final int padAfter;

    /**
     * @param signalLength {@code N}, even
     * @param startBins the first bin of each channel's band
     * @param coefficients each channel's band weights (the filter times the analytic weight divided by
     *     {@code N}), for bins {@code startBins[c] ..}; not copied, must not change
     * @param fir the downsampling filter
     * @param compression one of {@link #COMPRESS_NONE}, {@link #COMPRESS_SQRT}, {@link #COMPRESS_POWER}
     * @param exponent the exponent for {@link #COMPRESS_POWER}
     * @param allowPruned false forces the direct path (for tests)
     * @param blockWidth phases per block for the pruned path (0: automatic)
     */
    public EnvelopeEngine(int signalLength, int[] startBins, double[][] coefficients, DownsamplingFir fir,
            int compression, double exponent, boolean allowPruned, int blockWidth) {
        this.n = signalLength;
        this.channels = startBins.length;
        this.start = startBins.clone();
        this.coef = coefficients;
        this.fir = fir;
        this.compression = compression;
        this.exponent = exponent;
        this.maxWidth = Arrays.stream(coefficients).mapToInt(c -> c.length).max().orElse(0);
        int taps = fir.length();
        this.margin = Math.max(fir.offset(), 0);
        int lastBase = margin + (fir.frames() - 1) * fir.decimation() - fir.offset();
        this.envLength = Math.max(margin + n, lastBase + taps) + 1;
        int d = fir.decimation();
        this.pruned = allowPruned && n % d == 0 && n / d == fir.frames()
                && VectorFft.largestPrimeFactor(n / d) <= 7 && d >= 8;
        if (!pruned) {
            p = 0;
            r = 0;
            width = 0;
            blocks = 0;
            fft = null;
            phaseRe = null;
            phaseIm = null;
            blockRe = null;
            blockIm = null;
            tapPhase = null;
            qMin = 0;
            padBefore = 0;
            padAfter = 0;
            return;
        }
        p = n / d;
        r = d;
        width = blockWidth > 0 ? blockWidth : chooseWidth(p, r);
        if (r % width != 0) {
            throw new IllegalArgumentException("block width " + width + " does not divide " + r);
        }
        blocks = r / width;
        fft = new VectorFft(p, width);
        int maxBlocks = Math.max(1, (maxWidth + p - 1) / p);
        phaseRe = new double[blocks][p][width];
        phaseIm = new double[blocks][p][width];
        blockRe = new double[blocks][maxBlocks][width];
        blockIm = new double[blocks][maxBlocks][width];
        int off = fir.offset();
        qMin = Math.floorDiv(-off, r);
        int qMax = Math.floorDiv(taps - 1 - off, r);
        padBefore = Math.max(0, -qMin);
        padAfter = Math.max(0, qMax);
        tapPhase = new double[r][qMax - qMin + 1];
        double[] k = fir.tapsView();
        for (int b = 0; b < blocks; b++) {
            for (int v = 0; v < width; v++) {
                int phase = b * width + v;
                for (int j1 = 0; j1 < p; j1++) {
                    double angle = 2 * Math.PI * ((long) j1 * phase) / n;
                    phaseRe[b][j1][v] = Math.cos(angle);
                    phaseIm[b][j1][v] = Math.sin(angle);
                }
                for (int j2 = 0; j2 < maxBlocks; j2++) {
                    double angle = 2 * Math.PI * ((long) j2 * phase % r) / r;
                    blockRe[b][j2][v] = Math.cos(angle);
                    blockIm[b][j2][v] = Math.sin(angle);
                }
                for (int qi = 0; qi <= qMax - qMin; qi++) {
                    int m = (qMin + qi) * r + phase + off;
                    tapPhase[phase][qi] = m >= 0 && m < taps ? k[m] : 0;
                }
            }
        }
    }

    /** The widest divisor of r (at least 8 when possible) whose block of p rows fits in about 1 MB. */
    private static int chooseWidth(int p, int r) {
        int best = r;
        for (int w = r; w >= 1; w--) {
            if (r % w == 0) {
                best = w;
                if ((long) p * w * 32 <= 1_300_000L || w <= 8) {
                    break;
                }
            }
        }
        return best;
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
        private final double[] frame = new double[fir.frames()];
        // pruned path
        private final double[][] re;
        private final double[][] im;
        private final double[][] re2;
        private final double[][] im2;
        /** [v][padBefore + u]: the envelope of phase v of the current block, row u; zero padded. */
        private final double[][] envT;
        /** [qi][i]: sum over phases v of tap(v, qi) * envT[v][i]. */
        private final double[][] accQ;
        private final double[] sRe;
        private final double[] sIm;
        // direct path
        private final DoubleFFT_1D inverse;
        private final double[] full;
        private final double[] env;
        /** Nanoseconds so far in: forward FFT, band input, inverse transforms, modulus, FIR. */
        private final long[] nanos = new long[5];

        private Worker() {
            if (pruned) {
                re = new double[p][width];
                im = new double[p][width];
                re2 = new double[p][width];
                im2 = new double[p][width];
                envT = new double[width][padBefore + p + padAfter];
                accQ = new double[tapPhase[0].length][padBefore + p + padAfter];
                sRe = new double[width];
                sIm = new double[width];
                inverse = null;
                full = null;
                env = null;
            } else {
                re = null;
                im = null;
                re2 = null;
                im2 = null;
                envT = null;
                accQ = null;
                sRe = null;
                sIm = null;
                inverse = new DoubleFFT_1D(n);
                full = new double[2 * n];
                env = new double[envLength];
            }
        }

        /**
         * @param waveform {@code N} samples
         * @param out receives {@code channels * frames} values, row-major
         */
        public void compute(float[] waveform, float[] out) {
            long t0 = System.nanoTime();
            transformInput(waveform);
            nanos[0] += System.nanoTime() - t0;
            int frames = fir.frames();
            for (int c = 0; c < channels; c++) {
                int bandWidth = coef[c].length;
                if (bandWidth == 0) {
                    Arrays.fill(out, c * frames, (c + 1) * frames, 0f);
                    continue;
                }
                long a = System.nanoTime();
                band(c);
                nanos[1] += System.nanoTime() - a;
                if (pruned) {
                    prunedChannel(bandWidth, null);
                } else {
                    long b = System.nanoTime();
                    directModulus(bandWidth);
                    long e = System.nanoTime();
                    directFir();
                    nanos[2] += e - b;
                    nanos[4] += System.nanoTime() - e;
                }
                for (int j = 0; j < frames; j++) {
                    double y = frame[j];
                    out[c * frames + j] = (float) compress(y > 0 ? y : 0);
                }
            }
        }

        /**
         * The full-rate envelope of one channel (before downsampling).
         *
         * @param waveform {@code N} samples
         * @param channel the channel
         * @param out receives {@code N} values
         */
        public void envelope(float[] waveform, int channel, double[] out) {
            transformInput(waveform);
            int bandWidth = coef[channel].length;
            if (bandWidth == 0) {
                Arrays.fill(out, 0, n, 0);
                return;
            }
            band(channel);
            if (pruned) {
                prunedChannel(bandWidth, out);
            } else {
                directModulus(bandWidth);
                System.arraycopy(env, margin, out, 0, n);
            }
        }

        /**
         * @return nanoseconds this worker has spent so far in: the forward FFT, preparing the band input of
         *     the inverse transforms, the inverse transforms, the modulus, the downsampling FIR
         */
        public long[] timings() {
            return nanos.clone();
        }

        /**
         * The forward transform of the input, checked for non-finite samples at no cost: the DC term is the
         * sum of every sample and no operation of the transform turns a NaN or an infinity back into a
         * finite value, so it is finite exactly when every sample is (a finite float sum cannot overflow a
         * double). Only then is the input scanned for the first bad sample.
         *
         * @throws IllegalArgumentException naming the first sample that is NaN or infinite
         */
        private void transformInput(float[] waveform) {
            for (int i = 0; i < n; i++) {
                spectrum[i] = waveform[i];
            }
            forward.realForward(spectrum);
            if (!Double.isFinite(spectrum[0])) {
                for (int i = 0; i < n; i++) {
                    if (!Float.isFinite(waveform[i])) {
                        throw new IllegalArgumentException("sample " + i + " of the waveform is " + waveform[i]
                                + "; a cochleagram needs finite samples");
                    }
                }
            }
        }

        private void band(int c) {
            double[] w = coef[c];
            int bandWidth = w.length;
            int s = start[c];
            for (int j = 0; j < bandWidth; j++) {
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

        /** Envelope and FIR of one channel, a block of phases at a time; optionally the envelope too. */
        private void prunedChannel(int bandWidth, double[] fullEnvelope) {
            Arrays.fill(frame, 0);
            for (double[] a : accQ) {
                Arrays.fill(a, 0);
            }
            int bandBlocks = (bandWidth + p - 1) / p;
            for (int b = 0; b < blocks; b++) {
                long t0 = System.nanoTime();
                double[][] pr = phaseRe[b];
                double[][] pi = phaseIm[b];
                for (int j1 = 0; j1 < p; j1++) {
                    double[] zr = re[j1];
                    double[] zi = im[j1];
                    double[] tr = pr[j1];
                    double[] ti = pi[j1];
                    if (bandBlocks == 1) {
                        if (j1 < bandWidth) {
                            double yr = yRe[j1];
                            double yi = yIm[j1];
                            for (int v = 0; v < width; v++) {
                                zr[v] = yr * tr[v] - yi * ti[v];
                                zi[v] = yr * ti[v] + yi * tr[v];
                            }
                        } else {
                            Arrays.fill(zr, 0);
                            Arrays.fill(zi, 0);
                        }
                        continue;
                    }
                    // block 0 has unit twiddles: start the sum with it
                    Arrays.fill(sRe, yRe[j1]);
                    Arrays.fill(sIm, yIm[j1]);
                    for (int j2 = 1; j2 < bandBlocks; j2++) {
                        int j = j1 + j2 * p;
                        if (j >= bandWidth) {
                            break;
                        }
                        double yr = yRe[j];
                        double yi = yIm[j];
                        double[] br = blockRe[b][j2];
                        double[] bi = blockIm[b][j2];
                        for (int v = 0; v < width; v++) {
                            sRe[v] += yr * br[v] - yi * bi[v];
                            sIm[v] += yr * bi[v] + yi * br[v];
                        }
                    }
                    for (int v = 0; v < width; v++) {
                        double ur = sRe[v];
                        double ui = sIm[v];
                        zr[v] = ur * tr[v] - ui * ti[v];
                        zi[v] = ur * ti[v] + ui * tr[v];
                    }
                }
                long tb = System.nanoTime();
                boolean second = fft.inverse(re, im, re2, im2);
                long tc = System.nanoTime();
                nanos[1] += tb - t0;
                nanos[2] += tc - tb;
                double[][] fr = second ? re2 : re;
                double[][] fi = second ? im2 : im;
                for (int u = 0; u < p; u++) {
                    // modulus in place (one index over distinct arrays: vectorised), then a transposing copy
                    double[] xr = fr[u];
                    double[] xi = fi[u];
                    for (int v = 0; v < width; v++) {
                        xr[v] = Math.sqrt(xr[v] * xr[v] + xi[v] * xi[v]);
                    }
                    int i = padBefore + u;
                    for (int v = 0; v < width; v++) {
                        envT[v][i] = xr[v];
                    }
                }
                if (fullEnvelope != null) {
                    for (int v = 0; v < width; v++) {
                        for (int u = 0; u < p; u++) {
                            fullEnvelope[u * r + b * width + v] = envT[v][padBefore + u];
                        }
                    }
                }
                long t1 = System.nanoTime();
                prunedFir(b);
                nanos[3] += t1 - tc;
                nanos[4] += System.nanoTime() - t1;
            }
            int rows = accQ.length;
            for (int qi = 0; qi < rows; qi++) {
                double[] a = accQ[qi];
                int base = padBefore + qMin + qi;
                for (int j = 0; j < frame.length; j++) {
                    frame[j] += a[base + j];
                }
            }
        }

        /** Adds the block's phases into the per-tap-row accumulators: axpys over whole envelope rows. */
        private void prunedFir(int b) {
            int from = padBefore;
            int to = padBefore + p;
            for (int v = 0; v < width; v++) {
                double[] taps = tapPhase[b * width + v];
                double[] e = envT[v];
                for (int qi = 0; qi < taps.length; qi++) {
                    double k = taps[qi];
                    if (k == 0) {
                        continue;
                    }
                    double[] a = accQ[qi];
                    for (int i = from; i < to; i++) {
                        a[i] += k * e[i];
                    }
                }
            }
        }

        private void directModulus(int bandWidth) {
            Arrays.fill(full, 0);
            for (int j = 0; j < bandWidth; j++) {
                full[2 * j] = yRe[j];
                full[2 * j + 1] = yIm[j];
            }
            inverse.complexInverse(full, false);
            for (int t = 0; t < n; t++) {
                double x = full[2 * t];
                double y = full[2 * t + 1];
                env[margin + t] = Math.sqrt(x * x + y * y);
            }
        }

        private void directFir() {
            double[] k = fir.tapsView();
            int taps = k.length;
            int d = fir.decimation();
            int base0 = margin - fir.offset();
            double[] e = env;
            for (int j = 0; j < frame.length; j++) {
                int b = base0 + j * d;
                double y = 0;
                for (int m = 0; m < taps; m++) {
                    y += k[m] * e[b + m];
                }
                frame[j] = y;
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
