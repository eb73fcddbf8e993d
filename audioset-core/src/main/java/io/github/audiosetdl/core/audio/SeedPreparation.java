package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.internal.FftResampler;

/**
 * The 2017 scripts' audio preparation ({@code Wav_into_HDF5_python.py}), reproduced:
 * <ol>
 * <li>zero-pad to the clip length at the source rate (recording {@code padded}) and keep the first
 *     {@code clipSeconds};</li>
 * <li>if the rate differs, FFT-resample to {@code sampleRate × clipSeconds} samples as
 *     {@code scipy.signal.resample} does;</li>
 * <li>average the channels (the seed's {@code (L + R) / 2} for stereo; a true mean for more channels,
 *     where the seed divided any sum by 2) and round to float32. The seed resampled each channel and
 *     then averaged; the resampler is linear, so averaging first gives the same clip up to rounding
 *     (about 1e-7 relative) for a fraction of the work;</li>
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
        // The channel mean first, then one resampling: the resampler is linear, so this equals the seed's
        // resample-each-then-average up to rounding (1e-7 relative), for 1/channels of the work.
        double[] mix = new double[want];
        for (int c = 0; c < channels; c++) {
            float[] source = clip.channel(c);
            for (int i = 0; i < copy; i++) {
                mix[i] += source[i];
            }
        }
        for (int i = 0; i < copy; i++) {
            mix[i] /= channels;
        }
        double[] y = clip.sampleRate() == sampleRate ? mix : FftResampler.resample(mix, out);
        float[] mono = new float[out];
        for (int i = 0; i < out; i++) {
            mono[i] = (float) y[i];
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
