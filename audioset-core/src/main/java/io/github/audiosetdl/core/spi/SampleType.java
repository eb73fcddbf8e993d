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
            long v = Math.round((double) x[i] * INT16_SCALE);
            into[i] = (short) Math.max(-INT16_SCALE, Math.min(INT16_SCALE, v));
        }
    }
}
