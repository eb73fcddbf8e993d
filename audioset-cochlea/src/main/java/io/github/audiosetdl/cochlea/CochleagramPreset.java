package io.github.audiosetdl.cochlea;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Which of the two reference pipelines turns subbands into envelopes. Both share the pycochleagram
 * filterbank; they differ in the analytic-signal weights, the downsampling filter and its alignment
 * (see {@code docs/cochleagram.md}).
 */
public enum CochleagramPreset {
    /**
     * The 2017 tfcochleagram graph that made the seed's (171, 2000) cochleagrams: full complex FFT,
     * analytic signal with weight 0 at DC and Nyquist, modulus, a 1001-tap Kaiser(5)-windowed sinc
     * (not renormalised) applied as a TensorFlow 'SAME' strided convolution, ReLU.
     */
    SEED("seed"),
    /**
     * pycochleagram's {@code cochleagram(..., downsample=env_sr)}: rFFT, analytic signal with weight
     * 1 at DC and Nyquist, modulus, {@code scipy.signal.resample_poly}'s Kaiser(5) FIR (normalised,
     * zero phase), negatives clipped.
     */
    PYCOCHLEAGRAM("pycochleagram");

    private final String id;

    CochleagramPreset(String id) {
        this.id = id;
    }

    /** @return the command-line name: {@code seed} or {@code pycochleagram} */
    public String id() {
        return id;
    }

    /**
     * @param text {@code seed} or {@code pycochleagram} (case-insensitive)
     * @return the preset
     * @throws IllegalArgumentException naming the text if it is neither
     */
    public static CochleagramPreset parse(String text) {
        requireNonNull(text, "text");
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (CochleagramPreset p : values()) {
            if (p.id.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("preset '" + text + "' is not seed or pycochleagram");
    }

    /** @return {@link #id()} */
    @Override
    public String toString() {
        return id;
    }
}
