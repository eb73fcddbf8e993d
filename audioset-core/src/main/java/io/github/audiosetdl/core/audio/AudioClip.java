package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

/**
 * Decoded audio: one array per channel, samples as floats in full-scale units (integer PCM divided
 * by {@code 2^(bits-1)}, so 16-bit {@code -32768} is {@code -1.0}; float data as stored).
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 */
public final class AudioClip {
    private final int sampleRate;
    private final float[][] channels;
    private final WavFormat sourceFormat;

    /**
     * @param sampleRate frames per second, in Hz
     * @param channels {@code (channels, frames)}: one array per channel, all of the same length
     * @param sourceFormat the format the samples were decoded from
     */
    public AudioClip(int sampleRate, float[][] channels, WavFormat sourceFormat) {
        requireNonNull(channels, "channels");
        this.sourceFormat = requireNonNull(sourceFormat, "sourceFormat");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " <= 0");
        }
        if (channels.length == 0) {
            throw new IllegalArgumentException("no channels");
        }
        for (float[] c : channels) {
            if (requireNonNull(c, "channel").length != channels[0].length) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
    }

    /** @return frames per second, in Hz */
    public int sampleRate() {
        return sampleRate;
    }

    /** @return the number of channels */
    public int channelCount() {
        return channels.length;
    }

    /** @return frames per channel */
    public int frames() {
        return channels[0].length;
    }

    /**
     * @param index {@code 0 <= index < channelCount()}
     * @return that channel's {@link #frames()} samples, in full-scale units (shared; do not modify)
     */
    public float[] channel(int index) {
        return channels[index];
    }

    /** @return the format the samples were decoded from */
    public WavFormat sourceFormat() {
        return sourceFormat;
    }

    /** @return the duration in seconds */
    public double seconds() {
        return (double) frames() / sampleRate;
    }
}
