package io.github.audiosetdl.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Digests of the inputs an output depends on, for deciding on a rerun whether the output is up to date: SHA-256, as
 * 64 hex digits. Streamed: a file is read in 64 kB blocks. (The canonical forms of the model's types are built where
 * they are used: this package depends on no other of ours but {@code core.dsp}.)
 */
public final class InputDigests {
    private InputDigests() {
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
    }

    /**
     * @param text any text
     * @return the SHA-256 of its UTF-8 bytes
     */
    public static String text(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param file a file
     * @return the SHA-256 of its bytes
     * @throws IOException if it cannot be read
     * @throws InterruptedIOException if the thread is interrupted (the flag is kept)
     */
    public static String file(Path file) throws IOException {
        MessageDigest d = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("digesting " + file + " interrupted");
                }
                d.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
