package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The header of an {@code .npy} file (versions 1 to 3); a declared length is checked against the file and
 * {@link #MAX_HEADER} before anything is allocated.
 *
 * @param dict the header dictionary text
 * @param dataOffset where the data starts, in bytes
 */
public record NpyHeader(String dict, long dataOffset) {
    /** The largest header read, in bytes (numpy writes under 200; it refuses more than 10,000 by default). */
    public static final int MAX_HEADER = 64 * 1024;

    /**
     * @param in the file
     * @param file its path, for messages
     * @return its header
     * @throws IOException if it is not an {@code .npy} file
     */
    public static NpyHeader read(FileChannel in, Path file) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        in.read(pre, 0);
        pre.flip();
        if (pre.remaining() < 8 || (pre.get(0) & 0xff) != 0x93 || pre.get(1) != 'N' || pre.get(5) != 'Y') {
            throw new IOException(file + ": not an .npy file (bad magic)");
        }
        int major = pre.get(6);
        if (major < 1 || major > 3) {
            throw new IOException(file + ": unsupported .npy version " + major);
        }
        int start = major == 1 ? 10 : 12;
        if (pre.remaining() < start) {
            throw new IOException(file + ": truncated .npy header (the file has " + in.size() + " bytes)");
        }
        long length = major == 1 ? pre.getShort(8) & 0xffff : pre.getInt(8) & 0xffffffffL;
        if (length > MAX_HEADER || start + length > in.size()) {
            throw new IOException(file + ": .npy header of " + length + " bytes " + (length > MAX_HEADER
                    ? "is larger than " + MAX_HEADER + " bytes" : "is longer than the file (" + in.size() + " bytes)"));
        }
        ByteBuffer dict = ByteBuffer.allocate((int) length);
        while (dict.hasRemaining()) {
            if (in.read(dict, start + dict.position()) < 0) {
                throw new IOException(file + ": truncated .npy header");
            }
        }
        String text = new String(dict.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return new NpyHeader(text, start + length);
    }
}
