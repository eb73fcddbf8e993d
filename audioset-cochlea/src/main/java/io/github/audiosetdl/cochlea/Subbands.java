package io.github.audiosetdl.cochlea;

import java.util.Arrays;

/**
 * The weighted bands of a filterbank on the spectrum of clips of one length: channel {@code c} takes bins
 * {@code start(c) .. start(c) + width(c) - 1} of the clip's DFT, times {@code weights(c)} (the filter, the
 * analytic-signal weight and {@code 1/N}), and its analytic subband is {@code A_c[t] = sum_j weights(c)[j]
 * X[start(c) + j] e^{2 pi i (start(c) + j) t / N}}. Immutable once built (the arrays are not copied: the caller
 * hands them over).
 */
final class Subbands {
    private final int signalLength;
    private final int[] start;
    private final double[][] weights;
    private final int maxWidth;
    private final int bins;

    /**
     * @param signalLength {@code N}, even
     * @param start each channel's first bin
     * @param weights each channel's weights, for bins {@code start[c] ..} (at most {@code N/2 + 1 - start[c]})
     * @throws IllegalArgumentException if the arrays differ in length or a band leaves {@code [0, N/2]}
     */
    public Subbands(int signalLength, int[] start, double[][] weights) {
        if (start.length != weights.length) {
            throw new IllegalArgumentException(start.length + " start bins for " + weights.length + " channels");
        }
        int top = 0;
        for (int c = 0; c < start.length; c++) {
            if (start[c] < 0 || start[c] + weights[c].length > signalLength / 2 + 1) {
                throw new IllegalArgumentException("channel " + c + ": bins " + start[c] + " + " + weights[c].length
                        + " outside 0.." + signalLength / 2);
            }
            top = Math.max(top, start[c] + weights[c].length);
        }
        this.signalLength = signalLength;
        this.start = start;
        this.weights = weights;
        this.maxWidth = Arrays.stream(weights).mapToInt(w -> w.length).max().orElse(0);
        this.bins = Math.max(1, top);
    }

    /** @return {@code N}, the clip length in samples */
    public int signalLength() {
        return signalLength;
    }

    /** @return the number of channels */
    public int channels() {
        return start.length;
    }

    /** @return the number of bins of the widest band */
    public int maxWidth() {
        return maxWidth;
    }

    /** @return how many bins of the clip's DFT the bands read, from bin 0 */
    public int bins() {
        return bins;
    }

    /**
     * @param channel a channel
     * @return its number of bins
     */
    public int width(int channel) {
        return weights[channel].length;
    }

    /**
     * Writes channel {@code c}'s weighted band, shifted to bin 0 (which leaves {@code |A_c|} unchanged).
     *
     * @param spectrum the clip's DFT, bin {@code k} at {@code [2k, 2k + 1]} for {@code k < bins()}
     * @param channel the channel
     * @param re receives the real parts, {@code width(channel)} values
     * @param im receives the imaginary parts
     */
    public void band(double[] spectrum, int channel, double[] re, double[] im) {
        double[] w = weights[channel];
        int at = 2 * start[channel];
        for (int j = 0; j < w.length; j++) {
            re[j] = w[j] * spectrum[at + 2 * j];
            im[j] = w[j] * spectrum[at + 2 * j + 1];
        }
    }
}
