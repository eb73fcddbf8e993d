package io.github.audiosetdl.cochlea;

import io.github.audiosetdl.core.dsp.WindowFunctions;

/**
 * The FIR that turns a full-rate envelope into frames: {@code y[j] = sum_m taps[m] * env[j * decimation + m
 * - offset]}, with {@code env} zero outside {@code [0, signalLength)}.
 * Immutable.
 */
final class DownsamplingFir {

    /** The tap count of the 2017 tfcochleagram downsampling kernel. */
    public static final int SEED_TAPS = 1001;
    private static final double KAISER_BETA = 5.0;

    private final double[] taps;
    private final int offset;
    private final int decimation;
    private final int frames;

    private DownsamplingFir(double[] taps, int offset, int decimation, int frames) {
        this.taps = taps;
        this.offset = offset;
        this.decimation = decimation;
        this.frames = frames;
    }

    /** @return a copy of the taps */
    public double[] taps() {
        return taps.clone();
    }

    /** @return the number of taps */
    public int length() {
        return taps.length;
    }

    /** @return the envelope index of tap 0 for frame 0 is {@code -offset()} */
    public int offset() {
        return offset;
    }

    /** @return the stride between frames, in samples */
    public int decimation() {
        return decimation;
    }

    /** @return the number of output frames */
    public int frames() {
        return frames;
    }

    double[] tapsView() {
        return taps;
    }

    /**
     * The 2017 tfcochleagram kernel (tfcochleagram {@code downsample_and_rectify} and its kernel
     * construction): a 1001-tap Kaiser(5)-windowed sinc at tap times {@code -500.5 .. 499.5}, not
     * renormalised, applied as a TensorFlow {@code conv2d} with stride {@code decimation} and 'SAME'
     * padding ({@code offset = floor(max((frames - 1) * decimation + 1001 - signalLength, 0) / 2)}).
     *
     * @param decimation samples per frame
     * @param signalLength input samples
     * @return the FIR
     */
    public static DownsamplingFir seed(int decimation, int signalLength) {
        int frames = (signalLength + decimation - 1) / decimation;
        int taps = SEED_TAPS;
        double[] window = kaiser(taps, KAISER_BETA);
        double[] g = new double[taps];
        for (int m = 0; m < taps; m++) {
            double t = m - taps / 2.0;
            g[m] = window[m] * WindowFunctions.sinc(t / decimation) / decimation;
        }
        long pad = Math.max((long) (frames - 1) * decimation + taps - signalLength, 0);
        return new DownsamplingFir(g, (int) (pad / 2), decimation, frames);
    }

    /**
     * {@code scipy.signal.resample_poly(env, 1, decimation)}: {@code firwin(20 * decimation + 1, 1 /
     * decimation, window=('kaiser', 5))}, normalised to unit sum, zero phase (frame {@code j} is centred on
     * sample {@code j * decimation}).
     *
     * @param decimation samples per frame
     * @param signalLength input samples
     * @return the FIR
     */
    public static DownsamplingFir pycochleagram(int decimation, int signalLength) {
        int frames = (signalLength + decimation - 1) / decimation;
        int half = 10 * decimation;
        int taps = 2 * half + 1;
        double[] window = kaiser(taps, KAISER_BETA);
        double[] h = new double[taps];
        double sum = 0;
        for (int m = 0; m < taps; m++) {
            h[m] = WindowFunctions.sinc((double) (m - half) / decimation) / decimation * window[m];
            sum += h[m];
        }
        for (int m = 0; m < taps; m++) {
            h[m] /= sum;
        }
        return new DownsamplingFir(h, half, decimation, frames);
    }

    /**
     * The Kaiser window {@code I0(beta * sqrt(1 - ((m - a) / a)^2)) / I0(beta)}, {@code a = (length - 1) / 2}.
     *
     * @param length the number of points
     * @param beta the shape parameter
     * @return the window
     */
    public static double[] kaiser(int length, double beta) {
        double[] w = new double[length];
        if (length == 1) {
            w[0] = 1;
            return w;
        }
        double alpha = (length - 1) / 2.0;
        double norm = WindowFunctions.besselI0(beta);
        for (int m = 0; m < length; m++) {
            double r = (m - alpha) / alpha;
            w[m] = WindowFunctions.besselI0(beta * Math.sqrt(1 - r * r)) / norm;
        }
        return w;
    }
}
