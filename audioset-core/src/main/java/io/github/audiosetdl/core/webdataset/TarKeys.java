package io.github.audiosetdl.core.webdataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads the keys of a shard's {@code <key>.wav} members, in order, from the tar headers alone. */
final class TarKeys {
    private TarKeys() {
    }

    /**
     * @param file a tar file
     * @param max the most keys wanted; reading stops after {@code max + 1}
     * @return the keys of its {@code .wav} members; a truncated or malformed archive gives the keys before the
     *     damage (the caller then finds the shard short and writes it again)
     * @throws IOException if the file cannot be read
     */
    static List<String> read(Path file, int max) throws IOException {
        return read(file, max, null);
    }

    /**
     * @param file a tar file
     * @param clip a clip's position in it, from 0
     * @return where the header of its {@code .wav} member starts, in bytes (the end of the clips before it)
     * @throws IOException if the file cannot be read or holds fewer clips
     */
    static long offsetOf(Path file, int clip) throws IOException {
        List<Long> offsets = new ArrayList<>();
        List<String> keys = read(file, clip, offsets);
        if (keys.size() <= clip) {
            throw new IOException(file + " holds " + keys.size() + " clips, not " + (clip + 1));
        }
        return offsets.get(clip);
    }

    private static List<String> read(Path file, int max, List<Long> offsets) throws IOException {
        List<String> keys = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long at = 0;
            ByteBuffer header = ByteBuffer.allocate(UstarWriter.BLOCK);
            while (keys.size() <= max && at + UstarWriter.BLOCK <= size) {
                header.clear();
                while (header.hasRemaining()) {
                    if (ch.read(header, at + header.position()) < 0) {
                        return keys;
                    }
                }
                byte[] h = header.array();
                if (h[0] == 0) {
                    return keys; // the end blocks
                }
                long length = octal(h, 124, 12);
                if (length < 0 || !checksumOk(h)) {
                    return keys;
                }
                long next = at + UstarWriter.BLOCK + (length + UstarWriter.BLOCK - 1) / UstarWriter.BLOCK
                        * UstarWriter.BLOCK;
                if (next > size) {
                    return keys; // truncated member
                }
                int n = 0;
                while (n < 100 && h[n] != 0) {
                    n++;
                }
                String name = new String(h, 0, n, StandardCharsets.US_ASCII);
                if (name.endsWith(".wav")) {
                    keys.add(name.substring(0, name.length() - 4));
                    if (offsets != null) {
                        offsets.add(at);
                    }
                }
                at = next;
            }
        }
        return keys;
    }

    private static boolean checksumOk(byte[] h) {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < h.length; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return stored == sum;
    }

    /** @return the octal number in {@code h[at, at + width)} (leading spaces, trailing NUL or space), or -1 */
    private static long octal(byte[] h, int at, int width) {
        long v = 0;
        boolean any = false;
        for (int i = at; i < at + width; i++) {
            int c = h[i];
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
            if (v > Long.MAX_VALUE / 8) {
                return -1;
            }
        }
        return any ? v : -1;
    }
}
