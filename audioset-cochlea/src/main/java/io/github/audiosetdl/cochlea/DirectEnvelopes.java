package io.github.audiosetdl.cochlea;

import io.github.audiosetdl.core.dsp.ComplexFft;
import java.util.Arrays;

/**
 * The envelope engine for any shape: per channel, a complex inverse DFT of length {@code N} of the band
 * ({@link ComplexFft}), its modulus at every sample, and the downsampling FIR as a dot product per frame.
 * Immutable and thread-safe.
 */
final class DirectEnvelopes implements EnvelopeEngine {
    private final Subbands bands;
    private final DownsamplingFir fir;
    private final Compression compression;
    private final ComplexFft fft;
    /** Zeros before the envelope in the FIR's input: {@code max(offset, 0)}. */
    private final int margin;
    private final int envLength;

    DirectEnvelopes(Subbands bands, DownsamplingFir fir, Compression compression) {
        this.bands = bands;
        this.fir = fir;
        this.compression = compression;
        int n = bands.signalLength();
        this.fft = new ComplexFft(n);
        this.margin = Math.max(fir.offset(), 0);
        int lastBase = margin + (fir.frames() - 1) * fir.decimation() - fir.offset();
        this.envLength = Math.max(margin + n, lastBase + fir.length()) + 1;
    }

    @Override
    public boolean isPruned() {
        return false;
    }

    @Override
    public EnvelopeEngine.Worker newWorker() {
        return new Worker();
    }

    private final class Worker extends SpectrumWorker {
        private final double[] full = new double[2 * n];
        /** The envelope at {@code margin ..}, zero around it. */
        private final double[] env = new double[envLength];

        Worker() {
            super(DirectEnvelopes.this.bands, fir.frames(), compression);
        }

        @Override
        void channelFrames(int width) {
            modulus(width);
            double[] k = fir.tapsView();
            int taps = k.length;
            int d = fir.decimation();
            int base0 = margin - fir.offset();
            for (int j = 0; j < frame.length; j++) {
                int b = base0 + j * d;
                double y = 0;
                for (int m = 0; m < taps; m++) {
                    y += k[m] * env[b + m];
                }
                frame[j] = y;
            }
        }

        @Override
        void channelEnvelope(int width, double[] out) {
            modulus(width);
            System.arraycopy(env, margin, out, 0, n);
        }

        private void modulus(int width) {
            Arrays.fill(full, 0);
            for (int j = 0; j < width; j++) {
                full[2 * j] = yRe[j];
                full[2 * j + 1] = yIm[j];
            }
            fft.inverse(full, ws);
            for (int t = 0; t < n; t++) {
                double x = full[2 * t];
                double y = full[2 * t + 1];
                env[margin + t] = Math.sqrt(x * x + y * y);
            }
        }
    }
}
