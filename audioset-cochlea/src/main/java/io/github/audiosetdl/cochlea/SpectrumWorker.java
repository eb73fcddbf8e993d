package io.github.audiosetdl.cochlea;

import io.github.audiosetdl.core.dsp.ComplexFft;
import io.github.audiosetdl.core.dsp.FftWorkspace;
import io.github.audiosetdl.core.dsp.RealFft;
import java.util.Arrays;

/**
 * What both engines' workers do per clip and per channel: the forward DFT of the clip (checked for non-finite
 * samples), each channel's weighted band, and the rectified, compressed frames of a channel.
 */
abstract class SpectrumWorker implements EnvelopeEngine.Worker {
    protected final Subbands bands;
    protected final int n;
    protected final FftWorkspace ws = new FftWorkspace();
    /** The current channel's band, shifted to bin 0. */
    protected final double[] yRe;
    protected final double[] yIm;
    /** The current channel's frames before rectification. */
    protected final double[] frame;
    private final Compression compression;
    private final double[] samples;
    /** Bin {@code k} of the clip's DFT at {@code [2k, 2k + 1]}. */
    private final double[] spectrum;
    /** The forward transform: RealFft for the lengths it supports, else null (then {@link #complex}). */
    private final RealFft real;
    private final ComplexFft complex;

    SpectrumWorker(Subbands bands, int frames, Compression compression) {
        this.bands = bands;
        this.n = bands.signalLength();
        this.compression = compression;
        this.yRe = new double[bands.maxWidth()];
        this.yIm = new double[bands.maxWidth()];
        this.frame = new double[frames];
        if (RealFft.supports(n)) {
            this.real = RealFft.of(n);
            this.complex = null;
            this.samples = new double[n];
            this.spectrum = new double[2 * bands.bins()];
        } else {
            this.real = null;
            this.complex = new ComplexFft(n);
            this.samples = null;
            this.spectrum = new double[2 * n];
        }
    }

    @Override
    public final void compute(float[] waveform, float[] out) {
        transformInput(waveform);
        int frames = frame.length;
        for (int c = 0; c < bands.channels(); c++) {
            if (bands.width(c) == 0) {
                Arrays.fill(out, c * frames, (c + 1) * frames, 0f);
                continue;
            }
            bands.band(spectrum, c, yRe, yIm);
            channelFrames(bands.width(c));
            int at = c * frames;
            for (int j = 0; j < frames; j++) {
                double y = frame[j];
                out[at + j] = (float) compression.apply(y > 0 ? y : 0);
            }
        }
    }

    @Override
    public final void envelope(float[] waveform, int channel, double[] out) {
        transformInput(waveform);
        if (bands.width(channel) == 0) {
            Arrays.fill(out, 0, n, 0);
            return;
        }
        bands.band(spectrum, channel, yRe, yIm);
        channelEnvelope(bands.width(channel), out);
    }

    /** Fills {@link #frame} from the band in {@link #yRe}, {@link #yIm} ({@code width} bins). */
    abstract void channelFrames(int width);

    /** Writes the band's full-rate envelope to {@code out[0..N)}. */
    abstract void channelEnvelope(int width, double[] out);

    /**
     * The forward transform of the input, checked for non-finite samples at no cost: the DC term is the sum of
     * every sample and no operation of the transform turns a NaN or an infinity back into a finite value, so it
     * is finite exactly when every sample is (a finite float sum cannot overflow a double). Only then is the
     * input scanned for the first bad sample.
     *
     * @throws IllegalArgumentException naming the first sample that is NaN or infinite
     */
    private void transformInput(float[] waveform) {
        if (real != null) {
            for (int i = 0; i < n; i++) {
                samples[i] = waveform[i];
            }
            real.forward(samples, spectrum, bands.bins(), ws);
        } else {
            for (int i = 0; i < n; i++) {
                spectrum[2 * i] = waveform[i];
                spectrum[2 * i + 1] = 0;
            }
            complex.forward(spectrum, ws);
        }
        if (!Double.isFinite(spectrum[0])) {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(waveform[i])) {
                    throw new IllegalArgumentException("sample " + i + " of the waveform is " + waveform[i]
                            + "; a cochleagram needs finite samples");
                }
            }
        }
    }
}
