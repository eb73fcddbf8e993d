package io.github.audiosetdl.core.spi;

import io.github.audiosetdl.core.dsp.RealArrays;
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
    public static final int INT16_SCALE = RealArrays.INT16_SCALE;

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
     * Converts peak-normalised samples to int16: {@code round(x × 32767)}, clamped to {@code ±32767}
     * ({@link RealArrays#toInt16(float[], int, float, short[], int, int)}, on SIMD vectors when available).
     *
     * @param x the samples, {@code |x| <= 1} for a peak-normalised clip
     * @param into receives {@code x.length} values
     * @throws IndexOutOfBoundsException if {@code into} is shorter than {@code x}
     */
    public static void toInt16(float[] x, short[] into) {
        RealArrays.toInt16(x, 0, 1f, into, 0, x.length);
    }

    /**
     * Converts samples times a gain to int16: {@code into[k] = toInt16(x[k] · gain)}, the product rounded to float
     * first ({@link RealArrays#toInt16(float[], int, float, short[], int, int)}).
     *
     * @param x the samples
     * @param gain the factor, such as a clip's peak-normalisation factor
     * @param into receives {@code x.length} values
     * @throws IndexOutOfBoundsException if {@code into} is shorter than {@code x}
     */
    public static void toInt16(float[] x, float gain, short[] into) {
        RealArrays.toInt16(x, 0, gain, into, 0, x.length);
    }

    /**
     * One sample as {@link #toInt16(float[], short[])} converts it: {@code Math.round(x × 32767.0)} (half up),
     * clamped to {@code ±32767}; NaN gives 0 ({@link RealArrays#toInt16(float)}).
     *
     * @param x a sample
     * @return its int16 value
     */
    public static short toInt16(float x) {
        return RealArrays.toInt16(x);
    }
}
