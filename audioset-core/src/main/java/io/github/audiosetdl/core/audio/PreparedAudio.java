package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

/**
 * One clip as a waveform file stores it: mono, at the target rate, peak-normalised.
 *
 * <p>The array is shared, not copied.
 */
public final class PreparedAudio {
    private final float[] samples;
    private final double norm;
    private final boolean padded;

    /**
     * @param samples the mono samples, {@code max |x| = 1} unless silent
     * @param norm the peak that was divided out, in full-scale units (0 for silence)
     * @param padded whether the source was shorter than the clip and zero-padded
     */
    public PreparedAudio(float[] samples, double norm, boolean padded) {
        this.samples = requireNonNull(samples, "samples");
        if (!(norm >= 0)) {
            throw new IllegalArgumentException("norm " + norm + " must be >= 0");
        }
        this.norm = norm;
        this.padded = padded;
    }

    /** @return the samples (shared; do not modify) */
    public float[] samples() {
        return samples;
    }

    /**
     * @return the peak {@code max |x|} of the mono mix before normalisation, in full-scale units
     *     (integer PCM divided by {@code 2^(bits-1)}; multiply by 32768 for the seed's int16 units);
     *     0 for silence
     */
    public double norm() {
        return norm;
    }

    /** @return whether the source was shorter than the clip length and was zero-padded */
    public boolean padded() {
        return padded;
    }
}
