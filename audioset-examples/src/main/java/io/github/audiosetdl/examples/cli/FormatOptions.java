package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformLayout;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * What {@code pack} and {@code run} write: one {@link WaveformLayout}, read from the same options in both (the
 * rate aside, whose option each command names).
 */
final class FormatOptions {
    @Option(names = "--format", paramLabel = "seed|panns|webdataset", defaultValue = "seed",
            description = "Output layout: the seed's HDF5 (<name>.hdf5 + _metadata.npy), PANNs' HDF5"
                    + " (<name>_panns.h5: audio_name, waveform int16, target bool; 32 kHz by default), or WebDataset"
                    + " tar shards (<name>-000000.tar, ...; <ytid>.wav PCM16 + <ytid>.json)."
                    + " Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--dtype", paramLabel = "float32|int16",
            description = "The seed layout's /wav samples: float32 (default, as the seed) or int16 (round(x*32767),"
                    + " half the size; the readers accept both).")
    private String dtype;

    @Option(names = "--shard-size", paramLabel = "N",
            description = "The most clips per WebDataset shard (default: 1000; --format webdataset only).")
    private Integer shardSize;

    /** @return what {@code parse} gives, its message prefixed with the option's name if it throws */
    private static <T> T parse(String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param sampleRate the rate of the packed clips in Hz, or null for the format's default (the option is the
     *     command's: {@code pack --sample-rate}, {@code run --pack-sample-rate}, as {@code run --sample-rate} is
     *     the download's)
     * @return the layout the options describe
     * @throws IllegalArgumentException if an option is invalid or they contradict each other
     */
    WaveformLayout layout(Integer sampleRate) {
        PackFormat f = parse("--format", () -> PackFormat.parse(format));
        WaveformLayout.Builder b = WaveformLayout.builder().format(f);
        if (shardSize != null) {
            if (f != PackFormat.WEBDATASET) {
                throw new IllegalArgumentException("--shard-size applies to --format webdataset only, not "
                        + format);
            }
            if (shardSize < 1 || shardSize > WaveformLayout.MAX_SHARD_SIZE) {
                throw new IllegalArgumentException("--shard-size " + shardSize + " is not in 1.."
                        + WaveformLayout.MAX_SHARD_SIZE);
            }
            b.shardSize(shardSize);
        }
        if (dtype != null) {
            SampleType t = parse("--dtype", () -> SampleType.parse(dtype));
            if (f != PackFormat.SEED && t != SampleType.INT16) {
                throw new IllegalArgumentException("the " + f.label() + " format stores int16 samples; --dtype "
                        + t.label() + " applies to --format seed only");
            }
            b.sampleType(t);
        }
        if (sampleRate != null) {
            b.sampleRate(sampleRate);
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
