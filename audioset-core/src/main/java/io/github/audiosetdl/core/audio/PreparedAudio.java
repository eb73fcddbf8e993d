package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.dsp.RealArrays;
import java.util.Optional;

/**
 * One clip as a waveform file stores it: mono, at the target rate, peak-normalised; optionally with the
 * same samples already converted to int16 ({@link #withInt16(short[])}).
 *
 * <p>The arrays are shared, not copied.
 */
public final class PreparedAudio {
    private final float[] samples;
    private final double norm;
    private final boolean padded;
    private final short[] int16;

    /**
     * @param samples the mono samples, {@code max |x| = 1} unless silent
     * @param norm the peak that was divided out, in full-scale units (0 for silence)
     * @param padded whether the source was shorter than the clip and zero-padded
     */
    public PreparedAudio(float[] samples, double norm, boolean padded) {
        this(samples, norm, padded, null);
    }

    private PreparedAudio(float[] samples, double norm, boolean padded, short[] int16) {
        this.samples = requireNonNull(samples, "samples");
        if (!(norm >= 0)) {
            throw new IllegalArgumentException("norm " + norm + " must be >= 0");
        }
        this.norm = norm;
        this.padded = padded;
        this.int16 = int16;
    }

    /**
     * The same clip with its samples as int16 attached, so that a sink storing int16 need not convert them
     * again (the pack stage converts on its worker threads, where the samples are still in the core's cache,
     * for sinks whose {@code WaveformSink.wantsInt16()} is true).
     *
     * @param values {@code SampleType.toInt16(samples(), values)}: one value per sample, shared, not copied
     * @return a clip sharing this one's samples, with {@link #int16()} = {@code values}
     * @throws IllegalArgumentException if {@code values} is not as long as {@link #samples()}
     */
    public PreparedAudio withInt16(short[] values) {
        requireNonNull(values, "values");
        if (values.length != samples.length) {
            throw new IllegalArgumentException(values.length + " int16 values for a clip of " + samples.length
                    + " samples");
        }
        return new PreparedAudio(samples, norm, padded, values);
    }

    /**
     * @return the samples as int16 ({@code round(x × 32767)}, clamped to {@code ±32767}), if they were attached
     *     with {@link #withInt16(short[])} (shared; do not modify); empty otherwise
     */
    public Optional<short[]> int16() {
        return Optional.ofNullable(int16);
    }

    /**
     * The clip as int16, whether or not the values were attached: for sinks that store int16.
     *
     * @param scratch receives the conversion when no values are attached, at least {@link #samples()} long
     * @return {@link #int16()} when present, else {@code scratch} holding {@code round(x × 32767)} of each sample
     *     ({@link RealArrays#toInt16(float[], int, float, short[], int, int)})
     * @throws IndexOutOfBoundsException if the conversion is needed and {@code scratch} is too short
     */
    public short[] int16Or(short[] scratch) {
        if (int16 != null) {
            return int16;
        }
        RealArrays.toInt16(samples, 0, 1f, scratch, 0, samples.length);
        return scratch;
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
