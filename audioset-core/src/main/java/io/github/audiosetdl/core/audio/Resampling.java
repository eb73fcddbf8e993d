package io.github.audiosetdl.core.audio;

/**
 * How {@link SeedPreparation} brings a clip to the rows' rate when the file's rate differs.
 */
public enum Resampling {
    /**
     * The seed's: one FFT of the whole clip, {@code scipy.signal.resample}'s band-limited interpolation (exact to
     * scipy, circular: the clip's end wraps to its start). The seed and WebDataset layouts use it.
     */
    FFT,
    /**
     * A Kaiser-windowed sinc filter with ffmpeg's default resampler's parameters (what {@code ffmpeg -ar} gives,
     * within about 1e-5 of full scale; the ends mirrored as ffmpeg does), the resampling of PANNs' own downloads.
     * The PANNs layout uses it. About twice as fast as {@link #FFT} from 44.1 or 48 kHz to 32 kHz; rate
     * pairs needing an oversized filter table fall back to {@link #FFT}.
     */
    SINC
}
