package io.github.audiosetdl.core.pack;

import io.github.audiosetdl.core.internal.InputDigests;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A digest of a set of files (name, size, modification time) that does not depend on the order they are added in,
 * computed in constant memory: the sum, modulo 2<sup>256</sup>, of each file's SHA-256. A folder walk visits files in
 * the file system's order, which differs between runs and machines; this digest does not. Files are distinct (their
 * names are), so the sum is over a set. Not thread-safe.
 */
final class ListingDigest {
    private final MessageDigest sha256;
    /** The sum, as four 64-bit words, least significant first. */
    private final long[] sum = new long[4];
    private long count;

    ListingDigest() {
        sha256 = InputDigests.sha256();
    }

    /**
     * @param name the file's path relative to the folder scanned
     * @param size its size, in bytes
     * @param modified its modification time (at the file system's precision)
     */
    void add(String name, long size, FileTime modified) {
        sha256.reset();
        sha256.update(name.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte) 0);
        sha256.update(modified.toInstant().toString().getBytes(StandardCharsets.US_ASCII));
        byte[] h = sha256.digest();
        long carry = 0;
        for (int w = 0; w < 4; w++) {
            long x = 0;
            for (int b = 7; b >= 0; b--) {
                x = x << 8 | (h[w * 8 + b] & 0xff);
            }
            long s = sum[w] + x;
            long c = Long.compareUnsigned(s, x) < 0 ? 1 : 0;
            s += carry;
            c |= carry == 1 && s == 0 ? 1 : 0;
            sum[w] = s;
            carry = c;
        }
        count++;
    }

    /** @return the number of files added */
    long count() {
        return count;
    }

    /** @return the digest, 64 hex digits */
    String hex() {
        StringBuilder sb = new StringBuilder(64);
        for (int w = 3; w >= 0; w--) {
            sb.append(HexFormat.of().toHexDigits(sum[w]));
        }
        return sb.toString();
    }
}
