package io.github.audiosetdl.core.internal;

/** The base64url alphabet of YouTube ids ({@code A-Z a-z 0-9 - _}), for packing ids into integers. */
public final class Base64Url {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private Base64Url() {
    }

    /**
     * @param c a character
     * @return its 6-bit value in the base64url alphabet, or -1 when it is not in it
     */
    public static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        } else if (c == '-') {
            return 62;
        } else if (c == '_') {
            return 63;
        }
        return -1;
    }

    /**
     * @param value a 6-bit value, 0 to 63
     * @return its character in the base64url alphabet (the inverse of {@link #value(char)})
     * @throws IndexOutOfBoundsException if it is outside 0 to 63
     */
    public static char letter(int value) {
        return ALPHABET.charAt(value);
    }
}
