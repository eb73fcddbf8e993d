package io.github.audiosetdl.core.spi;

import java.util.Locale;

/** How a waveform file stores its samples. */
public enum SampleType {
    /** 32-bit floats, the peak-normalised samples as they are (the seed's {@code /wav}). */
    FLOAT32,
    /**
     * 16-bit integers {@code round(x × 32767)} of the peak-normalised samples, half the size; read back as
     * {@code v / 32767} (the file records the scale).
     */
    INT16;

    /** The factor int16 samples are scaled by: {@code round(x × 32767)}, read back as {@code v / 32767}. */
    public static final int INT16_SCALE = 32767;

    /** @return the name on the command line ({@code float32}, {@code int16}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a {@link #label()}, in any case
     * @return the type
     * @throws IllegalArgumentException if it names none
     */
    public static SampleType parse(String text) {
        for (SampleType t : values()) {
            if (t.label().equalsIgnoreCase(text.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + text + "': expected float32 or int16");
    }

    /**
     * Converts peak-normalised samples to int16: {@code round(x × 32767)}, clamped to {@code ±32767}.
     *
     * @param x the samples, {@code |x| <= 1} for a peak-normalised clip
     * @param into receives {@code x.length} values
     */
    public static void toInt16(float[] x, short[] into) {
        for (int i = 0; i < x.length; i++) {
            into[i] = toInt16(x[i]);
        }
    }

    /**
     * One sample as {@link #toInt16(float[], short[])} converts it: {@code Math.round(x × 32767.0)} (half up),
     * clamped to {@code ±32767}; NaN gives 0. Computed as {@code floor(v + 0.5)} by truncation with a correction
     * for negative values, which is {@code Math.round}'s result for every float (checked over all 2^32 of them:
     * {@code x × 32767.0} is exact in double, and so is {@code v + 0.5} wherever it could round across an
     * integer) at about 1.4 times its speed.
     *
     * @param x a sample
     * @return its int16 value
     */
    public static short toInt16(float x) {
        double v = (double) x * INT16_SCALE;
        v = v > INT16_SCALE ? INT16_SCALE : v < -INT16_SCALE ? -INT16_SCALE : v;
        double t = v + 0.5;
        int i = (int) t; // truncates towards zero: floor(t) but for negative non-integers
        return (short) (t < i ? i - 1 : i);
    }
}
