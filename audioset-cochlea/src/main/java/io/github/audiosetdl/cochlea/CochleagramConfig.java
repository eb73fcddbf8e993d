package io.github.audiosetdl.cochlea;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The parameters of a cochleagram: an immutable, validated value. Build one from a preset,
 * {@link #seed()} (the default) or {@link #pycochleagram()}, and change what you need through
 * {@link #toBuilder()}:
 *
 * <pre>{@code
 * CochleagramConfig c = CochleagramConfig.seed().toBuilder().envSampleRate(100).build();
 * }</pre>
 *
 * <p>The checks follow pycochleagram's {@code make_erb_cos_filters_nx} with {@code strict=True}
 * ({@code erbfilter.py} L359–393): a sample factor that is neither 1 nor even, a high limit above
 * Nyquist and a low limit at or above the high limit are rejected with an
 * {@link IllegalArgumentException} naming the value. Beyond pycochleagram, the size of the output is
 * bounded: at most {@link #MAX_SAMPLE_FACTOR}, {@link #MAX_CHANNELS} and, for the whole {@code (channels, frames)}
 * row, {@link #MAX_OUTPUT_LENGTH} values (see there for why).
 *
 * @param preset which reference pipeline turns subbands into envelopes
 * @param sampleRate input sample rate, in Hz ({@code > 0})
 * @param signalLength input length, in samples ({@code > 0}, even)
 * @param n the number of ERB filters before oversampling (pycochleagram's {@code n}, {@code >= 1});
 *     {@link #channels()} must not exceed {@link #MAX_CHANNELS}
 * @param sampleFactor ERB oversampling: 1 or an even number up to {@link #MAX_SAMPLE_FACTOR}
 *     (pycochleagram's {@code sample_factor})
 * @param lowLimit low edge of the filterbank, in Hz ({@code >= 0}, below {@code highLimit})
 * @param highLimit high edge of the filterbank, in Hz ({@code <= sampleRate / 2})
 * @param envSampleRate envelope sample rate, in Hz; it must divide {@code sampleRate} (pycochleagram's
 *     {@code env_sr}, up to the sample rate itself), and {@link #channels()} times {@link #frames()} must not exceed
 *     {@link #MAX_OUTPUT_LENGTH}
 * @param compression the nonlinearity applied after rectification
 */
public record CochleagramConfig(CochleagramPreset preset, int sampleRate, int signalLength, int n, int sampleFactor,
        double lowLimit, double highLimit, int envSampleRate, Compression compression) {

    /**
     * The most output channels (rows of one cochleagram) a configuration may have: 10,000, 58 times the
     * seed's 171. Each worker holds one {@code (channels, frames)} float32 row (at most
     * {@link #MAX_OUTPUT_LENGTH} values, which at the seed's 2000 frames allows 8388 channels) and one sparse
     * filter row per channel. Filters that dense are also far below any auditory
     * resolution: 20–8000 Hz spans about 32 ERB numbers, so 10,000 channels are 0.003 ERB apart (the
     * seed's are 0.2 apart). Without the bound, {@code n(1_000_000)} built a configuration whose
     * {@link Cochleagram#of} exhausted the heap.
     */
    public static final int MAX_CHANNELS = 10_000;

    /**
     * The largest sample factor: 64. pycochleagram's examples use 1, 2 and 4; at 64 filters overlap 64-fold
     * per ERB band, and {@code 64 * (n + 3) - 1} channels already pass {@link #MAX_CHANNELS} at {@code n = 154}.
     */
    public static final int MAX_SAMPLE_FACTOR = 64;

    /**
     * The most values one cochleagram (one row of the output, {@code channels() * frames()} float32) may hold:
     * 2^24 = 16,777,216, 64 MiB (67.1 MB), the largest row {@code audioset-hdf5}'s readers read back (a longer
     * one is refused as "not a data set of clips"). The envelope rate is what usually reaches it: with the seed's
     * 171 channels and 10 s at 16 kHz, {@code envSampleRate} 8000 Hz (80,000 frames) gives 54.7 MB a row, but
     * 16000 Hz (envelopes at the audio rate, pycochleagram's {@code downsample=None}) gives 109.4 MB a row, 2.2 TB
     * for the 20,371 clips of the evaluation set, which the command line computed for all rows before failing on
     * reading the file back. Such a configuration is refused with its size and the largest envelope rate that
     * fits; shorter signals may use the audio rate.
     */
    public static final int MAX_OUTPUT_LENGTH = 1 << 24;

    /**
     * Validates the parameters together, with the builder's messages.
     *
     * @param preset the reference pipeline; not null
     * @param sampleRate input sample rate, in Hz, {@code > 0}
     * @param signalLength input length, in samples, {@code > 0} and even
     * @param n ERB filters before oversampling, {@code >= 1}; with {@code sampleFactor}, at most
     *     {@link #MAX_CHANNELS} channels
     * @param sampleFactor ERB oversampling, 1 or even, at most {@link #MAX_SAMPLE_FACTOR}
     * @param lowLimit low edge, in Hz, {@code >= 0} and below {@code highLimit}
     * @param highLimit high edge, in Hz, at most the Nyquist frequency {@code sampleRate / 2}
     * @param envSampleRate envelope rate, in Hz, a divisor of {@code sampleRate}; with the channels, at most
     *     {@link #MAX_OUTPUT_LENGTH} values a row
     * @param compression the nonlinearity; not null
     * @throws NullPointerException if {@code preset} or {@code compression} is null
     * @throws IllegalArgumentException naming the first bad value
     */
    public CochleagramConfig {
        requireNonNull(preset, "preset");
        requireNonNull(compression, "compression");
        Builder.checkSampleRate(sampleRate);
        Builder.checkSignalLength(signalLength);
        Builder.checkN(n);
        Builder.checkSampleFactor(sampleFactor);
        Builder.checkLimit(lowLimit, "lowLimit");
        Builder.checkLimit(highLimit, "highLimit");
        Builder.checkEnvSampleRate(envSampleRate);
        Builder.checkChannels(n, sampleFactor);
        if (highLimit > sampleRate / 2.0) {
            throw new IllegalArgumentException("highLimit " + highLimit + " Hz exceeds the Nyquist frequency "
                    + sampleRate / 2.0 + " Hz of sampleRate " + sampleRate);
        }
        if (lowLimit >= highLimit) {
            throw new IllegalArgumentException("lowLimit " + lowLimit + " Hz must be below highLimit " + highLimit
                    + " Hz");
        }
        if (envSampleRate > sampleRate || sampleRate % envSampleRate != 0) {
            throw new IllegalArgumentException("envSampleRate " + envSampleRate + " Hz must divide sampleRate "
                    + sampleRate + " Hz (the envelope is decimated by an integer factor)");
        }
        Builder.checkOutputLength(sampleRate, signalLength, sampleFactor * (n + 3) - 1, envSampleRate);
    }

    /**
     * The seed preset, the default: the 2017 graph that made the seed's cochleagrams. 16 kHz, 160,000
     * samples, n = 40, sample factor 4, 20–8000 Hz, 200 Hz envelopes, square root: 171 × 2000.
     *
     * @return the seed configuration
     */
    public static CochleagramConfig seed() {
        return builder().build();
    }

    /**
     * pycochleagram's own {@code cochleagram(x, 16000, 40, 20, 8000, 4, downsample=200,
     * nonlinearity='power')}: the same filterbank and shape as {@link #seed()}, with pycochleagram's
     * envelope, its {@code resample_poly} downsampling and the 0.3 power.
     *
     * @return the pycochleagram configuration
     */
    public static CochleagramConfig pycochleagram() {
        return builder().preset(CochleagramPreset.PYCOCHLEAGRAM).compression(Compression.power(0.3)).build();
    }

    /**
     * The defaults of a preset, for a command line that takes {@code --preset} and then overrides single
     * parameters: {@code CochleagramConfig.of(CochleagramPreset.parse(preset)).toBuilder().n(38)...build()}.
     *
     * @param preset the preset
     * @return {@link #seed()} or {@link #pycochleagram()}
     */
    public static CochleagramConfig of(CochleagramPreset preset) {
        requireNonNull(preset, "preset");
        return preset == CochleagramPreset.SEED ? seed() : pycochleagram();
    }

    /** @return a builder holding the {@link #seed()} parameters */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these parameters */
    public Builder toBuilder() {
        return new Builder().preset(preset).sampleRate(sampleRate).signalLength(signalLength).n(n)
                .sampleFactor(sampleFactor).lowLimit(lowLimit).highLimit(highLimit).envSampleRate(envSampleRate)
                .compression(compression);
    }

    /** @return the number of band-pass filters, {@code sampleFactor * (n + 1) - 1} */
    public int bandPassFilters() {
        return sampleFactor * (n + 1) - 1;
    }

    /**
     * @return the number of channels (rows of the output): the band-pass filters plus
     *     {@code sampleFactor} low-pass and {@code sampleFactor} high-pass filters (171 for the seed)
     */
    public int channels() {
        return bandPassFilters() + 2 * sampleFactor;
    }

    /** @return the decimation factor {@code sampleRate / envSampleRate} (80 for the seed) */
    public int decimation() {
        return sampleRate / envSampleRate;
    }

    /**
     * @return the number of envelope frames (columns of the output),
     *     {@code ceil(signalLength / decimation())} (2000 for the seed)
     */
    public int frames() {
        return frames(signalLength, decimation());
    }

    /** {@code ceil(signalLength / decimation)}, without overflow. */
    private static int frames(int signalLength, int decimation) {
        return (int) ((signalLength + (long) decimation - 1) / decimation);
    }

    /**
     * A mutable builder that checks each argument as it is set; {@link #build()} checks them
     * together. Starts from the {@link CochleagramConfig#seed()} parameters.
     */
    public static final class Builder {
        private CochleagramPreset preset = CochleagramPreset.SEED;
        private int sampleRate = 16_000;
        private int signalLength = 160_000;
        private int n = 40;
        private int sampleFactor = 4;
        private double lowLimit = 20;
        private double highLimit = 8_000;
        private int envSampleRate = 200;
        private Compression compression = Compression.sqrt();

        private Builder() {
        }

        /**
         * @param value the pipeline that turns subbands into envelopes
         * @return this builder
         */
        public Builder preset(CochleagramPreset value) {
            this.preset = requireNonNull(value, "preset");
            return this;
        }

        /**
         * @param hz input sample rate, {@code > 0}
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder sampleRate(int hz) {
            this.sampleRate = checkSampleRate(hz);
            return this;
        }

        /**
         * @param samples input length, {@code > 0} and even
         * @return this builder
         * @throws IllegalArgumentException if not positive or odd
         */
        public Builder signalLength(int samples) {
            this.signalLength = checkSignalLength(samples);
            return this;
        }

        /**
         * @param value the number of ERB filters before oversampling, {@code 1 ..} {@link #MAX_CHANNELS}
         *     (with the sample factor, {@link #build()} checks the channels against {@link #MAX_CHANNELS})
         * @return this builder
         * @throws IllegalArgumentException if below 1 or above {@link #MAX_CHANNELS}
         */
        public Builder n(int value) {
            this.n = checkN(value);
            return this;
        }

        /**
         * @param value 1 or an even number (pycochleagram rejects odd factors with {@code strict=True}), at
         *     most {@link #MAX_SAMPLE_FACTOR}
         * @return this builder
         * @throws IllegalArgumentException if not positive, odd and not 1, or above {@link #MAX_SAMPLE_FACTOR}
         */
        public Builder sampleFactor(int value) {
            this.sampleFactor = checkSampleFactor(value);
            return this;
        }

        /**
         * @param hz low edge of the filterbank, finite and {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder lowLimit(double hz) {
            this.lowLimit = checkLimit(hz, "lowLimit");
            return this;
        }

        /**
         * @param hz high edge of the filterbank, finite, {@code >= 0}; at most Nyquist (checked by
         *     {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder highLimit(double hz) {
            this.highLimit = checkLimit(hz, "highLimit");
            return this;
        }

        /**
         * @param hz envelope sample rate, {@code > 0}; it must divide the sample rate (checked by
         *     {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder envSampleRate(int hz) {
            this.envSampleRate = checkEnvSampleRate(hz);
            return this;
        }

        /**
         * @param value the nonlinearity after rectification
         * @return this builder
         */
        public Builder compression(Compression value) {
            this.compression = requireNonNull(value, "compression");
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException if the parameters do not fit together (more than
         *     {@link #MAX_CHANNELS} channels, high limit above Nyquist, low limit at or above the high limit,
         *     an envelope rate that does not divide the sample rate, more than {@link #MAX_OUTPUT_LENGTH} values a
         *     row)
         */
        public CochleagramConfig build() {
            return new CochleagramConfig(preset, sampleRate, signalLength, n, sampleFactor, lowLimit, highLimit,
                    envSampleRate, compression);
        }

        static int checkSampleRate(int hz) {
            if (hz <= 0) {
                throw new IllegalArgumentException("sampleRate must be positive, not " + hz);
            }
            return hz;
        }

        static int checkSignalLength(int samples) {
            if (samples <= 0 || samples % 2 != 0) {
                throw new IllegalArgumentException("signalLength must be positive and even, not " + samples);
            }
            return samples;
        }

        static int checkN(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("n must be at least 1, not " + value);
            }
            if (value > MAX_CHANNELS) {
                throw new IllegalArgumentException("n " + value + " is above " + MAX_CHANNELS
                        + ", the most channels a cochleagram may have");
            }
            return value;
        }

        static int checkSampleFactor(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("sampleFactor must be positive, not " + value);
            }
            if (value != 1 && value % 2 != 0) {
                throw new IllegalArgumentException("sampleFactor " + value
                        + " is odd, which changes the ERB filter widths; use 1 or an even factor");
            }
            if (value > MAX_SAMPLE_FACTOR) {
                throw new IllegalArgumentException("sampleFactor " + value + " is above " + MAX_SAMPLE_FACTOR);
            }
            return value;
        }

        /** Checks {@code sampleFactor * (n + 3) - 1}, the channel count, against {@link #MAX_CHANNELS}. */
        static void checkChannels(int n, int sampleFactor) {
            long channels = (long) sampleFactor * (n + 3) - 1;
            if (channels > MAX_CHANNELS) {
                throw new IllegalArgumentException("n " + n + " with sampleFactor " + sampleFactor + " gives "
                        + channels + " channels, above " + MAX_CHANNELS + "; at this sampleFactor n may be at most "
                        + ((MAX_CHANNELS + 1) / sampleFactor - 3));
            }
        }

        /**
         * Checks {@code channels * frames} against {@link #MAX_OUTPUT_LENGTH}; the message names the size, the
         * envelope rate and the largest envelope rate (a divisor of the sample rate) that fits.
         */
        static void checkOutputLength(int sampleRate, int signalLength, int channels, int envSampleRate) {
            long frames = frames(signalLength, sampleRate / envSampleRate);
            long values = channels * frames;
            if (values <= MAX_OUTPUT_LENGTH) {
                return;
            }
            int fits = 0;
            for (int d = 1; (long) d * d <= sampleRate; d++) {
                if (sampleRate % d == 0) {
                    for (int rate : new int[] {d, sampleRate / d}) {
                        if (rate > fits && channels * (long) frames(signalLength, sampleRate / rate)
                                <= MAX_OUTPUT_LENGTH) {
                            fits = rate;
                        }
                    }
                }
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT, "envSampleRate %d Hz gives %d channels x"
                    + " %d frames (signalLength %d at sampleRate %d Hz): %d values, %.1f %s of float32 a row, above"
                    + " the %d values (%.1f MB) a row may hold; %s", envSampleRate, channels, frames, signalLength,
                    sampleRate, values, values * 4 / (values < 250_000_000 ? 1e6 : 1e9),
                    values < 250_000_000 ? "MB" : "GB", MAX_OUTPUT_LENGTH, MAX_OUTPUT_LENGTH * 4 / 1e6,
                    fits > 0 ? "the largest envSampleRate that fits is " + fits + " Hz"
                            : "no envSampleRate fits: use fewer channels or a shorter signalLength"));
        }

        static double checkLimit(double hz, String name) {
            if (!Double.isFinite(hz) || hz < 0) {
                throw new IllegalArgumentException(name + " must be a finite frequency >= 0 Hz, not " + hz);
            }
            return hz;
        }

        static int checkEnvSampleRate(int hz) {
            if (hz <= 0) {
                throw new IllegalArgumentException("envSampleRate must be positive, not " + hz);
            }
            return hz;
        }
    }
}
