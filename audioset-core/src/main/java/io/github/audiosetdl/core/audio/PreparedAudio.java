package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One clip as a waveform file stores it: mono, at the target rate, peak-normalised; optionally with the
 * same samples already converted to int16 at one {@link Int16Level level} ({@link #withInt16(Int16Level, short[])}).
 *
 * <p>The arrays are shared, not copied.
 */
public final class PreparedAudio {
    private final float[] samples;
    private final double norm;
    private final boolean padded;
    private final short[] int16;
    private final Int16Level int16Level;

    /**
     * @param samples the mono samples, {@code max |x| = 1} unless silent
     * @param norm the peak that was divided out, in full-scale units (0 for silence)
     * @param padded whether the source was shorter than the clip and zero-padded
     */
    public PreparedAudio(float[] samples, double norm, boolean padded) {
        this(samples, norm, padded, null, null);
    }

    private PreparedAudio(float[] samples, double norm, boolean padded, short[] int16, Int16Level int16Level) {
        this.samples = requireNonNull(samples, "samples");
        if (!(norm >= 0)) {
            throw new IllegalArgumentException("norm " + norm + " must be >= 0");
        }
        this.norm = norm;
        this.padded = padded;
        this.int16 = int16;
        this.int16Level = int16Level;
    }

    /**
     * The same clip with its samples as int16 attached, so that a sink storing int16 at that level need not
     * convert them again (the pack stage converts on its worker threads, where the samples are still in the core's
     * cache, for sinks that name a level in {@code WaveformSink.int16Level()}).
     *
     * @param level the level the values were converted at
     * @param values {@code level.convert(this, values)}: one value per sample, shared, not copied
     * @return a clip sharing this one's samples, with {@link #int16()} = {@code values} at {@code level}
     * @throws IllegalArgumentException if {@code values} is not as long as {@link #samples()}
     */
    public PreparedAudio withInt16(Int16Level level, short[] values) {
        requireNonNull(level, "level");
        requireNonNull(values, "values");
        if (values.length != samples.length) {
            throw new IllegalArgumentException(values.length + " int16 values for a clip of " + samples.length
                    + " samples");
        }
        return new PreparedAudio(samples, norm, padded, values, level);
    }

    /**
     * @return the int16 values attached with {@link #withInt16(Int16Level, short[])}, at their
     *     {@link #int16Level()} (shared; do not modify); empty if none are
     */
    public Optional<short[]> int16() {
        return Optional.ofNullable(int16);
    }

    /** @return the level of the attached {@link #int16()} values; empty if none are attached */
    public Optional<Int16Level> int16Level() {
        return Optional.ofNullable(int16Level);
    }

    /**
     * The clip as int16 at {@code level}, whether or not such values were attached: for sinks that store int16.
     *
     * @param level the level the sink stores
     * @param scratch receives the conversion when no values at {@code level} are attached, at least
     *     {@link #samples()} long
     * @return {@link #int16()} when attached at {@code level}, else {@code scratch} holding
     *     {@code level.convert(this, scratch)}
     * @throws IndexOutOfBoundsException if the conversion is needed and {@code scratch} is too short
     */
    public short[] int16Or(Int16Level level, short[] scratch) {
        requireNonNull(level, "level");
        if (int16 != null && int16Level == level) {
            return int16;
        }
        level.convert(this, scratch);
        return scratch;
    }

    /**
     * @return the mono samples, in full-scale units ({@code max |x| = 1} unless silent): from
     *     {@link SeedPreparation}, {@link SeedPreparation#clipSamples()} of them at its rate (shared; do not modify)
     */
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
