package io.github.audiosetdl.cochlea;

import io.github.audiosetdl.core.dsp.BatchFft;
import io.github.audiosetdl.core.dsp.ComplexArrays;
import io.github.audiosetdl.core.dsp.RealArrays;
import java.util.Arrays;

/**
 * The envelope engine for {@code N = frames * decimation} with {@code frames} free of prime factors above 13
 * (the presets: 160000 = 2000 * 80). Each channel's band is shifted to bin 0 (which leaves {@code |A|}
 * unchanged); with {@code P = frames}, {@code R = decimation},
 * {@code A[R u + v] = sum_{j1 < P} e^{2 pi i j1 u / P} Z_v[j1]} where
 * {@code Z_v[j1] = e^{2 pi i j1 v / N} sum_{j2} Y[j1 + P j2] e^{2 pi i j2 v / R}}: {@code R} transforms of
 * length {@code P} of a band that is at most {@code ceil(width / P)} blocks long. The phases {@code v} are
 * done a block of {@code width} at a time, as one {@link BatchFft} (one signal per phase, interleaved, which
 * is the SIMD axis). The modulus of phase {@code v}
 * is the polyphase component of the envelope that the downsampling FIR multiplies by taps
 * {@code v + off (mod R)}, so the FIR becomes axpys over whole frame rows. Immutable and thread-safe.
 */
final class PrunedEnvelopes implements EnvelopeEngine {
    /** The fewest phases per block, where the row loops over {@code 2 width} doubles vectorise well. */
    private static final int MIN_WIDTH = 20;

    private final Subbands bands;
    private final DownsamplingFir fir;
    private final Compression compression;
    private final int n;
    private final int p;
    private final int r;
    private final int width;
    private final int blocks;
    private final BatchFft fft;
    /** [block][j1]: e^{2 pi i j1 block width / N}, interleaved: the block's factor of each row's phase twiddles. */
    private final double[][] rowPhase;
    /**
     * [j1][2v], [j1][2v + 1]: e^{2 pi i j1 v / N} for {@code v < width} as {@code (Im, Re)} in {@link #phaseP} and
     * {@code (Re, -Im)} in {@link #phaseQ}, so that a band value {@code y} times the twiddle, with real and
     * imaginary parts swapped, is {@code Re y * phaseP + Im y * phaseQ}: the same operation on every double, which
     * the JIT vectorises.
     */
    private final double[][] phaseP;
    private final double[][] phaseQ;
    /** [block][j2]: e^{2 pi i j2 block width / R}, interleaved. */
    private final double[][] blockPhase;
    /** [j2][2v], [j2][2v + 1]: e^{2 pi i j2 v / R} for {@code v < width}, laid out as {@link #phaseP}. */
    private final double[][] foldP;
    private final double[][] foldQ;
    /** [qi r + phase]: the tap applied to envelope row j + qMin + qi, phase (column) v, for frame j. */
    private final double[] tapRows;
    private final int qMin;
    private final int padBefore;
    private final int padAfter;

    /**
     * @param signalLength {@code N}
     * @param fir the downsampling filter
     * @return whether this engine computes that shape: {@code N = frames * decimation}, {@code decimation >= 8}
     *     and {@code frames} with no prime factor above 13
     */
    static boolean fits(int signalLength, DownsamplingFir fir) {
        int d = fir.decimation();
        return d >= 8 && signalLength % d == 0 && signalLength / d == fir.frames()
                && BatchFft.supports(signalLength / d);
    }

    PrunedEnvelopes(Subbands bands, DownsamplingFir fir, Compression compression) {
        this.bands = bands;
        this.fir = fir;
        this.compression = compression;
        this.n = bands.signalLength();
        if (!fits(n, fir)) {
            throw new IllegalArgumentException("the pruned engine does not fit N = " + n + " with decimation "
                    + fir.decimation() + " and " + fir.frames() + " frames");
        }
        this.r = fir.decimation();
        this.p = n / r;
        this.width = chooseWidth(r);
        this.blocks = r / width;
        this.fft = new BatchFft(p, width);
        int maxBlocks = Math.max(1, (bands.maxWidth() + p - 1) / p);
        rowPhase = new double[blocks][2 * p];
        blockPhase = new double[blocks][2 * maxBlocks];
        for (int b = 0; b < blocks; b++) {
            for (int j1 = 0; j1 < p; j1++) {
                setRoot(rowPhase[b], j1, (long) j1 * b * width, n);
            }
            for (int j2 = 0; j2 < maxBlocks; j2++) {
                setRoot(blockPhase[b], j2, (long) j2 * b * width, r);
            }
        }
        phaseP = new double[p][2 * width];
        phaseQ = new double[p][2 * width];
        for (int j1 = 0; j1 < p; j1++) {
            swappedTwiddles(phaseP[j1], phaseQ[j1], j1, n);
        }
        foldP = new double[maxBlocks][2 * width];
        foldQ = new double[maxBlocks][2 * width];
        for (int j2 = 0; j2 < maxBlocks; j2++) {
            swappedTwiddles(foldP[j2], foldQ[j2], j2, r);
        }
        int taps = fir.length();
        int off = fir.offset();
        qMin = Math.floorDiv(-off, r);
        int qMax = Math.floorDiv(taps - 1 - off, r);
        padBefore = Math.max(0, -qMin);
        padAfter = Math.max(0, qMax);
        tapRows = new double[(qMax - qMin + 1) * r];
        double[] k = fir.tapsView();
        for (int phase = 0; phase < r; phase++) {
            for (int qi = 0; qi <= qMax - qMin; qi++) {
                int m = (qMin + qi) * r + phase + off;
                tapRows[qi * r + phase] = m >= 0 && m < taps ? k[m] : 0;
            }
        }
    }

    /** {@code table[2i], table[2i + 1] = cos, sin(2 pi e / period)}, with {@code e} reduced exactly. */
    private static void setRoot(double[] table, int i, long e, long period) {
        double angle = 2 * Math.PI * (double) (e % period) / period;
        table[2 * i] = Math.cos(angle);
        table[2 * i + 1] = Math.sin(angle);
    }

    /** e^{2 pi i row v / period} for {@code v < width}, as {@link #phaseP} and {@link #phaseQ} lay it out. */
    private void swappedTwiddles(double[] tp, double[] tq, int row, long period) {
        double[] w = new double[2];
        for (int v = 0; v < width; v++) {
            setRoot(w, 0, (long) row * v, period);
            tp[2 * v] = w[1];
            tp[2 * v + 1] = w[0];
            tq[2 * v] = w[0];
            tq[2 * v + 1] = -w[1];
        }
    }

    /**
     * @param r the decimation
     * @return the phases per block: the smallest divisor of {@code r} that is at least {@link #MIN_WIDTH}, or
     *     {@code r}. Measured for the presets ({@code r = 80}, docs/benchmarks.md): 16 and 20 phases per block
     *     ran 10 to 12% faster than 8 (whose two buffers fit a 512 KB L2 cache, but whose rows of 16 doubles
     *     are too short for the JIT's vector loops) and 40 no faster.
     */
    static int chooseWidth(int r) {
        for (int w = MIN_WIDTH; w < r; w++) {
            if (r % w == 0) {
                return w;
            }
        }
        return r;
    }

    @Override
    public boolean isPruned() {
        return true;
    }

    @Override
    public EnvelopeEngine.Worker newWorker() {
        return new Worker();
    }

    private final class Worker extends SpectrumWorker {
        /** The block's transform input: {@code Z_v[j1]} at {@code 2 (v + width j1)}, parts swapped. */
        private final double[] z = new double[fft.size()];
        private final double[] scratch = new double[fft.size()];
        /** A block sum of the current row, real and imaginary parts swapped. */
        private final double[] sum = new double[2 * width];
        /** [v][padBefore + u]: the envelope of phase v of the current block, row u; zero padded. */
        private final double[][] envT = new double[width][padBefore + p + padAfter];
        /** [qi][i]: sum over phases v of tap(v, qi) * envT[v][i]. */
        private final double[][] accQ = new double[tapRows.length / r][padBefore + p + padAfter];

        Worker() {
            super(PrunedEnvelopes.this.bands, fir.frames(), compression);
        }

        @Override
        void channelFrames(int bandWidth) {
            channel(bandWidth, null);
        }

        @Override
        void channelEnvelope(int bandWidth, double[] out) {
            channel(bandWidth, out);
        }

        /** Envelope and FIR of one channel, a block of phases at a time; optionally the envelope too. */
        private void channel(int bandWidth, double[] fullEnvelope) {
            for (double[] a : accQ) {
                Arrays.fill(a, 0);
            }
            for (int b = 0; b < blocks; b++) {
                bandInput(b, bandWidth);
                double[] res = fft.forward(z, scratch, ws);
                ComplexArrays.modulusTransposed(res, width, p, envT, padBefore);
                if (fullEnvelope != null) {
                    for (int v = 0; v < width; v++) {
                        for (int u = 0; u < p; u++) {
                            fullEnvelope[u * r + b * width + v] = envT[v][padBefore + u];
                        }
                    }
                }
                fir(b);
            }
            Arrays.fill(frame, 0);
            for (int qi = 0; qi < accQ.length; qi++) {
                double[] a = accQ[qi];
                int base = padBefore + qMin + qi;
                for (int j = 0; j < frame.length; j++) {
                    frame[j] += a[base + j];
                }
            }
        }

        /**
         * {@code Z_v[j1]} for the block's phases, into {@link #z} with real and imaginary parts swapped. The
         * twiddles {@code e^{2 pi i j1 (b width + v) / N}} and {@code e^{2 pi i j2 (b width + v) / R}} are split
         * into a factor per row (applied to the band value) and one per phase {@code v < width} (from tables that
         * stay in the cache).
         */
        private void bandInput(int b, int bandWidth) {
            int bandBlocks = (bandWidth + p - 1) / p;
            double[] rp = rowPhase[b];
            double[] bp = blockPhase[b];
            int w2 = 2 * width;
            int rows = Math.min(bandWidth, p);
            // the rows beyond the band are zero: one fill over them, not one per row
            Arrays.fill(z, w2 * rows, w2 * p, 0);
            for (int j1 = 0; j1 < rows; j1++) {
                int at = w2 * j1;
                double cr = rp[2 * j1];
                double ci = rp[2 * j1 + 1];
                double[] tp = phaseP[j1];
                double[] tq = phaseQ[j1];
                if (bandBlocks == 1 || j1 + p >= bandWidth) {
                    double yr = yRe[j1] * cr - yIm[j1] * ci;
                    double yi = yRe[j1] * ci + yIm[j1] * cr;
                    for (int k = 0; k < w2; k++) {
                        z[at + k] = yr * tp[k] + yi * tq[k];
                    }
                    continue;
                }
                // the block sum S_v = sum_j2 Y[j1 + P j2] e^{2 pi i j2 v / R}, swapped; then times the row's twiddles
                double[] s = sum;
                for (int j2 = 0; j2 < bandBlocks; j2++) {
                    int j = j1 + j2 * p;
                    if (j >= bandWidth) {
                        break;
                    }
                    double br = bp[2 * j2];
                    double bi = bp[2 * j2 + 1];
                    double yr = yRe[j] * br - yIm[j] * bi;
                    double yi = yRe[j] * bi + yIm[j] * br;
                    double[] fp = foldP[j2];
                    double[] fq = foldQ[j2];
                    if (j2 == 0) {
                        for (int k = 0; k < w2; k++) {
                            s[k] = yr * fp[k] + yi * fq[k];
                        }
                    } else {
                        for (int k = 0; k < w2; k++) {
                            s[k] += yr * fp[k] + yi * fq[k];
                        }
                    }
                }
                // s holds swap(S); swap(S c t) = swap(S) conj(c) conj(t), and tq is conj(t) = e^{-2 pi i j1 v / N}
                ComplexArrays.multiply(s, 0, cr, -ci, tq, 0, z, at, width);
            }
        }

        /**
         * Adds the block's phases into the per-tap-row accumulators: {@code accQ[qi] += sum_v tap(b width + v, qi)
         * envT[v]}, the phases in ascending order, a tile of the accumulators in registers over all the phases.
         */
        private void fir(int b) {
            RealArrays.accumulateProducts(accQ, accQ.length, tapRows, b * width, r, envT, width, padBefore,
                    padBefore + p);
        }
    }
}
