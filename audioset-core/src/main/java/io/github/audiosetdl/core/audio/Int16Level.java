package io.github.audiosetdl.core.audio;

import io.github.audiosetdl.core.dsp.RealArrays;

/**
 * At which level a sink stores a {@link PreparedAudio clip} as 16-bit integers: {@code round(x × gain × 32767)},
 * the product rounded to float first and clamped to {@code ±32767}
 * ({@link RealArrays#toInt16(float[], int, float, short[], int, int)}).
 */
public enum Int16Level {
    /**
     * The peak-normalised samples as they are (gain 1): the seed layout's {@code --dtype int16} and WebDataset's
     * WAV members.
     */
    NORMALISED,
    /**
     * The clip at its own level (gain {@link PreparedAudio#norm()}, the peak divided out, as a float): the PANNs
     * layout, which stores clips as PANNs' packer does, unnormalised.
     */
    CLIP_LEVEL;

    /**
     * @param clip the clip
     * @return the factor its peak-normalised samples are multiplied by before the conversion: 1, or its
     *     {@code norm} rounded to float
     */
    public float gain(PreparedAudio clip) {
        return this == NORMALISED ? 1f : (float) clip.norm();
    }

    /**
     * Converts {@code clip}'s samples at this level.
     *
     * @param clip the clip
     * @param into receives one value per sample
     * @throws IndexOutOfBoundsException if {@code into} is shorter than the clip
     */
    public void convert(PreparedAudio clip, short[] into) {
        float[] x = clip.samples();
        RealArrays.toInt16(x, 0, gain(clip), into, 0, x.length);
    }
}
