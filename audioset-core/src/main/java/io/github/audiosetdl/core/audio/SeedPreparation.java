package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.internal.FftResampler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

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
 * A clip holding NaN or infinite samples (possible only in float WAVs) is refused with an
 * {@link IllegalArgumentException}: the seed would have stored a row of NaNs.
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
        int want = sourceLength(clip.sampleRate());
        int copy = Math.min(want, clip.frames());
        int channels = clip.channelCount();
        double[] mix = MixBuffer.get(want);
        // mix[i] = (c0 + c1 + ...) / channels, summed in double in channel order as the streaming reader does
        float[] first = clip.channel(0);
        for (int i = 0; i < copy; i++) {
            mix[i] = first[i];
        }
        for (int c = 1; c < channels; c++) {
            float[] source = clip.channel(c);
            for (int i = 0; i < copy; i++) {
                mix[i] += source[i];
            }
        }
        if (channels > 1) {
            for (int i = 0; i < copy; i++) {
                mix[i] /= channels;
            }
        }
        return finish(mix, want, copy, clip.frames() < want, clip.sampleRate(), clip.sourceFormat().floatingPoint(),
                new float[clipSamples()]);
    }

    /**
     * Reads and prepares a WAV file in one pass: the same clip as {@code prepare(WavReader.read(file))},
     * without holding the decoded channels. Reads only the first {@code clipSeconds} of the samples. The
     * channel mix is kept in a work array per thread (8 bytes per source sample of one clip, reused), so that
     * a worker preparing clip after clip allocates little more than the result.
     *
     * @param file a WAV file ({@link WavReader}'s formats)
     * @return the prepared mono clip of {@link #clipSamples()} samples
     * @throws IOException if the file cannot be read
     * @throws WavFormatException if it is not a WAV file {@link WavReader} can decode (the message names the file)
     */
    public PreparedAudio prepare(Path file) throws IOException {
        return prepare(file, new float[clipSamples()]);
    }

    /**
     * As {@link #prepare(Path)}, into the caller's array: a worker preparing clip after clip can reuse its
     * output arrays (the pack stage does) instead of allocating 640 kB per clip.
     *
     * @param file a WAV file ({@link WavReader}'s formats)
     * @param into receives the clip, {@link #clipSamples()} long; every element is overwritten, and the
     *     returned clip shares it
     * @return the prepared mono clip
     * @throws IOException if the file cannot be read
     * @throws WavFormatException if it is not a WAV file {@link WavReader} can decode (the message names the file)
     */
    public PreparedAudio prepare(Path file, float[] into) throws IOException {
        requireNonNull(file, "file");
        if (into.length != clipSamples()) {
            throw new IllegalArgumentException("an array of " + into.length + " samples cannot hold a clip of "
                    + clipSamples());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            WavFormat format = WavReader.header(file, ch);
            int want;
            try {
                want = sourceLength(format.sampleRate());
            } catch (IllegalArgumentException e) {
                throw new WavFormatException(file, e.getMessage());
            }
            int copy = (int) Math.min(want, format.frames());
            double[] mix = MixBuffer.get(want);
            WavReader.readMix(file, ch, format, copy, mix);
            return finish(mix, want, copy, format.frames() < want, format.sampleRate(), format.floatingPoint(),
                    into);
        }
    }

    private int sourceLength(int sourceRate) {
        long sourceLength = (long) sourceRate * clipSeconds;
        if (sourceLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + clipSeconds + "-s clip at " + sourceRate + " Hz is too long");
        }
        return (int) sourceLength;
    }

    /** Zero-pads the mix after {@code copy}, resamples {@code mix[0..want)} when the rate differs, normalises. */
    private PreparedAudio finish(double[] mix, int want, int copy, boolean padded, int sourceRate,
            boolean floatSource, float[] mono) {
        Arrays.fill(mix, copy, want, 0);
        if (sourceRate == sampleRate) {
            for (int i = 0; i < want; i++) {
                mono[i] = (float) mix[i];
            }
        } else {
            // The channel mean first, then one resampling: the resampler is linear, so this equals the seed's
            // resample-each-then-average up to rounding (1e-7 relative), for 1/channels of the work.
            FftResampler.resample(mix, want, mono);
        }
        return normalised(mono, padded, floatSource);
    }

    /** The channel mix, one work array per thread, grown to the longest source clip seen. */
    private static final class MixBuffer {
        private static final ThreadLocal<double[]> BUFFER = new ThreadLocal<>();

        private MixBuffer() {
        }

        static double[] get(int length) {
            double[] b = BUFFER.get();
            if (b == null || b.length < length) {
                b = new double[length];
                BUFFER.set(b);
            }
            return b;
        }
    }

    private static PreparedAudio normalised(float[] mono, boolean padded, boolean floatSource) {
        int out = mono.length;
        if (floatSource) { // integer PCM cannot hold NaN or infinity
            for (int k = 0; k < out; k++) {
                if (!Float.isFinite(mono[k])) {
                    throw new IllegalArgumentException("the clip holds NaN or infinite samples");
                }
            }
        }
        // Branch-free max and min in four independent lanes (no loop-carried chain through one variable):
        // several times faster than Math.max(|x|) per sample, the same peak.
        float hi0 = 0;
        float hi1 = 0;
        float hi2 = 0;
        float hi3 = 0;
        float lo0 = 0;
        float lo1 = 0;
        float lo2 = 0;
        float lo3 = 0;
        int i = 0;
        for (; i + 3 < out; i += 4) {
            float a = mono[i];
            float b = mono[i + 1];
            float c = mono[i + 2];
            float d = mono[i + 3];
            hi0 = a > hi0 ? a : hi0;
            hi1 = b > hi1 ? b : hi1;
            hi2 = c > hi2 ? c : hi2;
            hi3 = d > hi3 ? d : hi3;
            lo0 = a < lo0 ? a : lo0;
            lo1 = b < lo1 ? b : lo1;
            lo2 = c < lo2 ? c : lo2;
            lo3 = d < lo3 ? d : lo3;
        }
        for (; i < out; i++) {
            float v = mono[i];
            hi0 = v > hi0 ? v : hi0;
            lo0 = v < lo0 ? v : lo0;
        }
        float peak = Math.max(Math.max(Math.max(hi0, hi1), Math.max(hi2, hi3)),
                -Math.min(Math.min(lo0, lo1), Math.min(lo2, lo3)));
        if (peak > 0) {
            for (int k = 0; k < out; k++) {
                mono[k] = mono[k] / peak; // float division: the same correctly rounded quotient as numpy's
            }
        }
        return new PreparedAudio(mono, peak, padded);
    }
}
