package io.github.audiosetdl.core.audio;

/** Sample encodings {@link WavWriter} can write (all of them {@link WavReader} reads). */
public enum WavEncoding {
    /** 8-bit unsigned integer PCM. */
    PCM_8(8, false),
    /** 16-bit signed integer PCM (what the download stage writes). */
    PCM_16(16, false),
    /** 24-bit signed integer PCM. */
    PCM_24(24, false),
    /** 32-bit signed integer PCM. */
    PCM_32(32, false),
    /** 32-bit IEEE float. */
    FLOAT_32(32, true),
    /** 64-bit IEEE float. */
    FLOAT_64(64, true);

    private final int bits;
    private final boolean floatingPoint;

    WavEncoding(int bits, boolean floatingPoint) {
        this.bits = bits;
        this.floatingPoint = floatingPoint;
    }

    /** @return bits per sample */
    public int bits() {
        return bits;
    }

    /** @return whether samples are IEEE floats */
    public boolean floatingPoint() {
        return floatingPoint;
    }
}
