package io.github.audiosetdl.core.audio;

/**
 * What a WAV file's header says, checked against the file's size.
 *
 * @param sampleRate frames per second, in Hz
 * @param channels interleaved channels per frame, {@code >= 1}
 * @param bitsPerSample 8, 16, 24 or 32 for integer PCM; 32 or 64 for IEEE float
 * @param floatingPoint whether samples are IEEE floats
 * @param frames the number of complete frames in the data chunk
 * @param dataOffset the byte offset of the first sample in the file
 */
public record WavFormat(int sampleRate, int channels, int bitsPerSample, boolean floatingPoint, long frames,
        long dataOffset) {

    /**
     * Validates.
     *
     * @param sampleRate frames per second, in Hz, {@code > 0}
     * @param channels channels per frame, {@code >= 1}
     * @param bitsPerSample 8, 16, 24 or 32 for integer PCM; 32 or 64 for float
     * @param floatingPoint whether samples are IEEE floats
     * @param frames complete frames in the data chunk, {@code >= 0}
     * @param dataOffset the first sample's byte offset in the file, {@code >= 0}
     * @throws IllegalArgumentException naming the bad value or the unsupported sample format
     */
    public WavFormat {
        if (sampleRate <= 0 || channels <= 0 || frames < 0 || dataOffset < 0) {
            throw new IllegalArgumentException("invalid WAV format: rate " + sampleRate + ", channels " + channels
                    + ", frames " + frames);
        }
        boolean ok = floatingPoint ? bitsPerSample == 32 || bitsPerSample == 64
                : bitsPerSample == 8 || bitsPerSample == 16 || bitsPerSample == 24 || bitsPerSample == 32;
        if (!ok) {
            throw new IllegalArgumentException("unsupported sample format: " + bitsPerSample + "-bit "
                    + (floatingPoint ? "float" : "integer"));
        }
    }

    /** @return bytes per frame */
    public int frameBytes() {
        return channels * (bitsPerSample / 8);
    }

    /** @return the duration in seconds */
    public double seconds() {
        return (double) frames / sampleRate;
    }

    /** @return e.g. {@code "16-bit PCM, 2 ch, 44100 Hz"} */
    public String describe() {
        return bitsPerSample + "-bit " + (floatingPoint ? "float" : "PCM") + ", " + channels + " ch, " + sampleRate
                + " Hz";
    }
}
