package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.internal.FftResampler;

/**
 * The 2017 scripts' audio preparation ({@code Wav_into_HDF5_python.py}), reproduced:
 * <ol>
 * <li>zero-pad to the clip length at the source rate (recording {@code padded}) and keep the first
 *     {@code clipSeconds};</li>
 * <li>if the rate differs, FFT-resample each channel to {@code sampleRate × clipSeconds} samples as
 *     {@code scipy.signal.resample} does;</li>
 * <li>round to float32 and average the channels (the seed's {@code (L + R) / 2} for stereo; a true mean
 *     for more channels, where the seed divided any sum by 2);</li>
 * <li>divide by the peak {@code max |x|}; silence stays zeros with norm 0.</li>
 * </ol>
 * Integer PCM is read in full-scale units, so {@link PreparedAudio#norm()} is the seed's norm divided
 * by {@code 2^(bits-1)} (by 32768 for 16-bit files); the normalised samples are the same. 8-bit files
 * are centred (the seed normalised scipy's unsigned bytes without removing the offset).
 *
 * @param sampleRate the target rate in Hz (16000 in the seed)
 * @param clipSeconds the clip length in seconds (10 in the seed)
 */
public record SeedPreparation(int sampleRate, int clipSeconds) {
    /** 16 kHz, 10 s: rows of 160,000 samples. */
    public static final SeedPreparation DEFAULT = new SeedPreparation(16_000, 10);

    /** Validates. */
    public SeedPreparation {
        if (sampleRate <= 0 || clipSeconds <= 0 || (long) sampleRate * clipSeconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid clip: " + sampleRate + " Hz x " + clipSeconds + " s");
        }
    }

    /** @return samples per prepared clip ({@code sampleRate × clipSeconds}) */
    public int clipSamples() {
        return sampleRate * clipSeconds;
    }

    /**
     * @param clip decoded audio at any rate, with any number of channels
     * @return the prepared mono clip of {@link #clipSamples()} samples
     */
    public PreparedAudio prepare(AudioClip clip) {
        requireNonNull(clip, "clip");
        long sourceLength = (long) clip.sampleRate() * clipSeconds;
        if (sourceLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + clipSeconds + "-s clip at " + clip.sampleRate()
                    + " Hz is too long");
        }
        int want = (int) sourceLength;
        boolean padded = clip.frames() < want;
        int copy = Math.min(want, clip.frames());
        int channels = clip.channelCount();
        int out = clipSamples();
        if (channels == 1 && clip.sampleRate() == sampleRate) {
            // the common case (a 16 kHz mono download): the mix is the channel itself
            float[] mono = new float[out];
            System.arraycopy(clip.channel(0), 0, mono, 0, copy);
            return normalised(mono, padded);
        }
        double[] mix = new double[out];
        for (int c = 0; c < channels; c++) {
            float[] source = clip.channel(c);
            if (clip.sampleRate() == sampleRate) {
                for (int i = 0; i < copy; i++) {
                    mix[i] += source[i];
                }
            } else {
                double[] x = new double[want];
                for (int i = 0; i < copy; i++) {
                    x[i] = source[i];
                }
                double[] y = FftResampler.resample(x, out);
                for (int i = 0; i < out; i++) {
                    mix[i] += (float) y[i]; // the seed cast each channel to float32 before mixing
                }
            }
        }
        float[] mono = new float[out];
        for (int i = 0; i < out; i++) {
            mono[i] = (float) (mix[i] / channels);
        }
        return normalised(mono, padded);
    }

    private static PreparedAudio normalised(float[] mono, boolean padded) {
        int out = mono.length;
        float peak = 0;
        for (int i = 0; i < out; i++) {
            peak = Math.max(peak, Math.abs(mono[i]));
        }
        if (peak > 0) {
            for (int i = 0; i < out; i++) {
                mono[i] = (float) ((double) mono[i] / peak);
            }
        }
        return new PreparedAudio(mono, peak, padded);
    }
}
