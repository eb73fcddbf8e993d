package io.github.audiosetdl.core.spi;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.audio.Resampling;
import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.internal.DataSetNames;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a pack writes: the {@link PackFormat format}, the sample type of the seed layout's rows, the rows'
 * rate and, for WebDataset, the clips per shard. The pack stage, the pipeline and the CLI's {@code pack} and
 * {@code run} all take one of these.
 *
 * @param format the layout
 * @param sampleType how the seed layout stores {@code /wav}; {@link SampleType#INT16} for PANNs and WebDataset,
 *     whose samples are always 16-bit
 * @param sampleRate the rows' rate in Hz (16 kHz by default; 32 kHz for PANNs)
 * @param shardSize clips per WebDataset shard, at most (1000 by default)
 */
public record WaveformLayout(PackFormat format, SampleType sampleType, int sampleRate, int shardSize) {
    /** The most clips per shard accepted: 1,000,000 (a shard of 10-s 16 kHz clips is then 320 GB). */
    public static final int MAX_SHARD_SIZE = 1_000_000;

    /** The seed's layout: float32 rows at 16 kHz. */
    public static final WaveformLayout SEED = builder().build();

    /**
     * Validates (see {@link Builder}).
     *
     * @param format the layout; not null
     * @param sampleType the stored sample type; {@link SampleType#INT16} unless {@code format} is
     *     {@link PackFormat#SEED}
     * @param sampleRate the rows' rate, in Hz, {@code > 0} and at most {@link SeedPreparation#MAX_SOURCE_RATE}
     * @param shardSize clips per WebDataset shard, {@code 1..}{@value #MAX_SHARD_SIZE}
     * @throws IllegalArgumentException naming the bad value
     */
    public WaveformLayout {
        requireNonNull(format, "format");
        requireNonNull(sampleType, "sampleType");
        if (format != PackFormat.SEED && sampleType != SampleType.INT16) {
            throw new IllegalArgumentException(format.label() + " stores int16 samples, not " + sampleType.label());
        }
        new SeedPreparation(sampleRate, 10); // checks the rate
        if (sampleRate > SeedPreparation.MAX_SOURCE_RATE) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is above "
                    + SeedPreparation.MAX_SOURCE_RATE);
        }
        if (shardSize < 1 || shardSize > MAX_SHARD_SIZE) {
            throw new IllegalArgumentException("shard size " + shardSize + " is not in 1.." + MAX_SHARD_SIZE);
        }
    }

    /** @return a builder, for the seed layout unless told otherwise */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the preparation of each clip: 10 s at {@link #sampleRate()}, peak-normalised; resampled by the FFT
     *     as the seed does, or for PANNs by ffmpeg's windowed sinc, as PANNs' own downloads are
     */
    public SeedPreparation preparation() {
        return new SeedPreparation(sampleRate, 10,
                format == PackFormat.PANNS ? Resampling.SINC : Resampling.FFT);
    }

    /**
     * @param dir the output folder
     * @param name the data set's name
     * @return the main output: {@code <name>.hdf5} (seed), {@code <name>_panns.h5} (PANNs) or the first shard
     *     {@code <name>-000000.tar} (WebDataset)
     * @throws IllegalArgumentException if {@code name} is blank, or holds a path separator or a control character,
     *     or is {@code .} or {@code ..} (as {@code DownloadConfig.checkName}): it would name a file elsewhere
     */
    public Path mainFile(Path dir, String name) {
        DataSetNames.check(name);
        return switch (format) {
            case SEED -> dir.resolve(name + ".hdf5");
            case PANNS -> dir.resolve(name + "_panns.h5");
            case WEBDATASET -> dir.resolve(shardName(name, 0));
        };
    }

    /**
     * @param name the data set's name
     * @param shard the shard's number, from 0
     * @return {@code <name>-NNNNNN.tar}, the number in ASCII digits whatever the default locale
     */
    public static String shardName(String name, long shard) {
        return String.format(Locale.ROOT, "%s-%06d.tar", name, shard);
    }

    /** Builder for {@link WaveformLayout}; not thread-safe. */
    public static final class Builder {
        private PackFormat format = PackFormat.SEED;
        private SampleType sampleType;
        private Integer sampleRate;
        private int shardSize = 1000;

        private Builder() {
        }

        /**
         * @param f the layout (default {@link PackFormat#SEED})
         * @return this
         */
        public Builder format(PackFormat f) {
            this.format = requireNonNull(f, "format");
            return this;
        }

        /**
         * @param t the seed layout's sample type (default float32; PANNs and WebDataset are always int16)
         * @return this
         */
        public Builder sampleType(SampleType t) {
            this.sampleType = requireNonNull(t, "sampleType");
            return this;
        }

        /**
         * @param hz the rows' rate (default: the format's, {@link PackFormat#defaultSampleRate()})
         * @return this
         */
        public Builder sampleRate(int hz) {
            if (hz < 1 || hz > SeedPreparation.MAX_SOURCE_RATE) {
                throw new IllegalArgumentException("sample rate " + hz + " Hz is not in 1.."
                        + SeedPreparation.MAX_SOURCE_RATE);
            }
            this.sampleRate = hz;
            return this;
        }

        /**
         * @param clips the most clips per WebDataset shard (default 1000)
         * @return this
         */
        public Builder shardSize(int clips) {
            if (clips < 1 || clips > MAX_SHARD_SIZE) {
                throw new IllegalArgumentException("shard size " + clips + " is not in 1.." + MAX_SHARD_SIZE);
            }
            this.shardSize = clips;
            return this;
        }

        /**
         * @return the layout
         * @throws IllegalStateException if float32 is asked of a format that stores int16
         */
        public WaveformLayout build() {
            SampleType t = sampleType != null ? sampleType
                    : format == PackFormat.SEED ? SampleType.FLOAT32 : SampleType.INT16;
            if (format != PackFormat.SEED && t != SampleType.INT16) {
                throw new IllegalStateException("the " + format.label() + " format stores int16 samples; sampleType("
                        + t.name() + ") applies to the seed format only");
            }
            int rate = sampleRate != null ? sampleRate : format.defaultSampleRate();
            return new WaveformLayout(format, t, rate, shardSize);
        }
    }
}
