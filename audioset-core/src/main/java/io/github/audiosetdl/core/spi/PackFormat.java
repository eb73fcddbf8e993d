package io.github.audiosetdl.core.spi;

import java.util.Locale;

/** The layout a pack writes its clips in; see {@code docs/formats.md}. */
public enum PackFormat {
    /** The seed's HDF5 file {@code <name>.hdf5} ({@code /wav}, {@code /labels}, {@code /meta}) and its metadata. */
    SEED(16_000),
    /**
     * The HDF5 file PANNs' training code reads, {@code <name>_panns.h5}: {@code audio_name}, {@code waveform}
     * int16 and {@code target} bool; 32 kHz by default.
     */
    PANNS(32_000),
    /** WebDataset tar shards {@code <name>-000000.tar}, ... of {@code <key>.wav} and {@code <key>.json}. */
    WEBDATASET(16_000);

    private final int defaultSampleRate;

    PackFormat(int defaultSampleRate) {
        this.defaultSampleRate = defaultSampleRate;
    }

    /** @return the rows' rate, in Hz, when none is given */
    public int defaultSampleRate() {
        return defaultSampleRate;
    }

    /** @return the name on the command line ({@code seed}, {@code panns}, {@code webdataset}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a {@link #label()}, in any case
     * @return the format
     * @throws IllegalArgumentException if it names none
     */
    public static PackFormat parse(String text) {
        for (PackFormat f : values()) {
            if (f.label().equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "': expected seed, panns or webdataset");
    }
}
