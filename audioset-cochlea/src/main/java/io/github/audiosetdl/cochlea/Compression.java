package io.github.audiosetdl.cochlea;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The compressive nonlinearity applied to the rectified, downsampled envelopes: none, the square
 * root (the seed's 2017 pipeline) or a power {@code y^p} (pycochleagram's {@code 'power'}
 * nonlinearity uses {@code p = 0.3}).
 *
 * <p>Written and parsed as {@code none}, {@code sqrt} or {@code power:<p>} (for example
 * {@code power:0.3}); {@link #parse(String)} is the inverse of {@link #toString()}.
 *
 * @param kind which nonlinearity
 * @param exponent the exponent for {@link Kind#POWER} ({@code 0 < p <= 1}); 1 for {@link Kind#NONE}
 *     and 0.5 for {@link Kind#SQRT}
 */
public record Compression(Kind kind, double exponent) {

    /** The kinds of compression. */
    public enum Kind {
        /** The envelope as it is. */
        NONE,
        /** {@code Math.sqrt(y)}. */
        SQRT,
        /** {@code Math.pow(y, exponent)}. */
        POWER
    }

    /**
     * Validates.
     *
     * @param kind which nonlinearity; not null
     * @param exponent 1 for {@link Kind#NONE}, 0.5 for {@link Kind#SQRT}, in {@code (0, 1]} for {@link Kind#POWER}
     * @throws IllegalArgumentException if the exponent does not fit the kind
     */
    public Compression {
        requireNonNull(kind, "kind");
        switch (kind) {
            case NONE -> {
                if (exponent != 1.0) {
                    throw new IllegalArgumentException("compression none takes exponent 1, not " + exponent);
                }
            }
            case SQRT -> {
                if (exponent != 0.5) {
                    throw new IllegalArgumentException("compression sqrt takes exponent 0.5, not " + exponent);
                }
            }
            default -> {
                if (!(exponent > 0 && exponent <= 1)) {
                    throw new IllegalArgumentException("power exponent must be in (0, 1], not " + exponent);
                }
            }
        }
    }

    /** @return no compression */
    public static Compression none() {
        return new Compression(Kind.NONE, 1.0);
    }

    /** @return the square root (the seed pipeline's {@code compression='sqrt'}) */
    public static Compression sqrt() {
        return new Compression(Kind.SQRT, 0.5);
    }

    /**
     * @param exponent {@code 0 < p <= 1}; pycochleagram's {@code 'power'} nonlinearity is 0.3
     * @return {@code y^p}
     * @throws IllegalArgumentException if the exponent is out of range
     */
    public static Compression power(double exponent) {
        return new Compression(Kind.POWER, exponent);
    }

    /**
     * Parses the command-line form.
     *
     * @param text {@code none}, {@code sqrt} or {@code power:<p>} (case-insensitive, e.g.
     *     {@code power:0.3})
     * @return the compression
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    public static Compression parse(String text) {
        requireNonNull(text, "text");
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return none();
        }
        if (t.equals("sqrt")) {
            return sqrt();
        }
        if (t.startsWith("power:")) {
            double p;
            try {
                p = Double.parseDouble(t.substring("power:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("compression '" + text + "': the exponent is not a number", e);
            }
            return power(p);
        }
        throw new IllegalArgumentException("compression '" + text
                + "' is not none, sqrt or power:<p> (e.g. power:0.3)");
    }

    /**
     * Applies the compression to one rectified value.
     *
     * @param y a value {@code >= 0}
     * @return the compressed value
     */
    public double apply(double y) {
        return switch (kind) {
            case NONE -> y;
            case SQRT -> Math.sqrt(y);
            case POWER -> Math.pow(y, exponent);
        };
    }

    /** @return {@code none}, {@code sqrt} or {@code power:<p>}, accepted by {@link #parse(String)} */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case SQRT -> "sqrt";
            case POWER -> "power:" + exponent;
        };
    }
}
