package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.dsp.RealArrays;
import io.github.audiosetdl.core.internal.FftResampler;
import io.github.audiosetdl.core.internal.SincResampler;
import io.github.audiosetdl.core.internal.ThreadScratch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The 2017 scripts' audio preparation ({@code Wav_into_HDF5_python.py}), reproduced:
 * <ol>
 * <li>zero-pad to the clip length at the source rate (recording {@code padded}) and keep the first
 *     {@code clipSeconds};</li>
 * <li>if the rate differs, resample to {@code sampleRate × clipSeconds} samples: by the FFT as
 *     {@code scipy.signal.resample} does (the seed's {@link Resampling#FFT}), or by ffmpeg's windowed sinc
 *     ({@link Resampling#SINC}, PANNs');</li>
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
 * @param resampling how a clip at another rate is resampled ({@link Resampling#FFT} in the seed)
 */
public record SeedPreparation(int sampleRate, int clipSeconds, Resampling resampling) {
    /** The channel mix, one work array per thread, grown to the longest source clip seen. */
    private static final ThreadScratch MIX = new ThreadScratch();

    /**
     * The highest source rate prepared, in Hz: 768 kHz, four times the highest rate of common audio
     * interfaces (192 kHz). A clip above it is refused (a file is skipped by the pack stage with the reason)
     * rather than allowed to exhaust the heap: its work arrays grow with the rate (8 bytes per source sample,
     * twice), and a corrupt header can claim any rate up to 2^31 Hz.
     */
    public static final int MAX_SOURCE_RATE = 768_000;

    /** 16 kHz, 10 s: rows of 160,000 samples. */
    public static final SeedPreparation DEFAULT = new SeedPreparation(16_000, 10);

    /**
     * Validates.
     *
     * @param sampleRate the target rate, in Hz, {@code > 0}
     * @param clipSeconds the clip length, in seconds, {@code > 0}; a clip, {@code sampleRate * clipSeconds}
     *     samples, must fit in an array
     * @param resampling how clips at another rate are resampled; not null
     * @throws IllegalArgumentException naming the rate and length
     */
    public SeedPreparation {
        requireNonNull(resampling, "resampling");
        if (sampleRate <= 0 || clipSeconds <= 0 || (long) sampleRate * clipSeconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid clip: " + sampleRate + " Hz x " + clipSeconds + " s");
        }
    }

    /**
     * The seed's preparation at another rate or length: {@link Resampling#FFT}.
     *
     * @param sampleRate the target rate in Hz
     * @param clipSeconds the clip length in seconds
     */
    public SeedPreparation(int sampleRate, int clipSeconds) {
        this(sampleRate, clipSeconds, Resampling.FFT);
    }

    /** @return samples per prepared clip ({@code sampleRate × clipSeconds}) */
    public int clipSamples() {
        return sampleRate * clipSeconds;
    }

    /**
     * @param clip decoded audio at any rate up to {@link #MAX_SOURCE_RATE}, with any number of channels
     * @return the prepared mono clip of {@link #clipSamples()} samples
     * @throws IllegalArgumentException if the rate is above {@link #MAX_SOURCE_RATE} or a sample is not finite
     */
    public PreparedAudio prepare(AudioClip clip) {
        requireNonNull(clip, "clip");
        int want = sourceLength(clip.sampleRate());
        int copy = Math.min(want, clip.frames());
        int channels = clip.channelCount();
        double[] mix = MIX.get(want);
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
        checkLength(into);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return prepare(file, WavBytes.of(ch), into);
        }
    }

    /**
     * As {@link #prepare(Path, float[])}, from a whole WAV file already in memory: decoded in place, without
     * copying (the pack stage reads files ahead of its workers into off-heap buffers, bypassing the page cache).
     *
     * @param file the file's name, used only in messages
     * @param contents the whole file, from its position to its limit; read through a view (its position and
     *     limit are not changed)
     * @param into receives the clip, {@link #clipSamples()} long; every element is overwritten, and the
     *     returned clip shares it
     * @return the prepared mono clip
     * @throws IOException if the bytes are not a complete WAV file
     * @throws WavFormatException if they are not a WAV file {@link WavReader} can decode (the message names
     *     {@code file})
     */
    public PreparedAudio prepare(Path file, ByteBuffer contents, float[] into) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(contents, "contents");
        checkLength(into);
        return prepare(file, WavBytes.of(contents), into);
    }

    private void checkLength(float[] into) {
        if (into.length != clipSamples()) {
            throw new IllegalArgumentException("an array of " + into.length + " samples cannot hold a clip of "
                    + clipSamples());
        }
    }

    private PreparedAudio prepare(Path file, WavBytes src, float[] into) throws IOException {
        WavFormat format = WavReader.header(file, src);
        int want;
        try {
            want = sourceLength(format.sampleRate());
        } catch (IllegalArgumentException e) {
            throw new WavFormatException(file, e.getMessage());
        }
        int copy = (int) Math.min(want, format.frames());
        double[] mix = MIX.get(want);
        WavReader.readMix(file, src, format, copy, mix);
        return finish(mix, want, copy, format.frames() < want, format.sampleRate(), format.floatingPoint(), into);
    }

    private int sourceLength(int sourceRate) {
        if (sourceRate > MAX_SOURCE_RATE) {
            throw new IllegalArgumentException("sample rate " + sourceRate + " Hz is above the highest supported, "
                    + MAX_SOURCE_RATE + " Hz");
        }
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
            if (resampling == Resampling.SINC) {
                SincResampler.resample(mix, want, sourceRate, sampleRate, mono);
            } else {
                FftResampler.resample(mix, want, mono);
            }
        }
        return normalised(mono, padded, floatSource);
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
        float peak = RealArrays.peak(mono, 0, out);
        if (peak > 0) {
            for (int k = 0; k < out; k++) {
                mono[k] = mono[k] / peak; // float division: the same correctly rounded quotient as numpy's
            }
        }
        return new PreparedAudio(mono, peak, padded);
    }
}
