package io.github.audiosetdl.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Where a WAV file's bytes come from: an open file, or the whole file in memory. */
interface WavBytes {
    /**
     * @return the file's size in bytes
     * @throws IOException if it cannot be read
     */
    long size() throws IOException;

    /**
     * Copies bytes from {@code position} into {@code dst}, as {@link FileChannel#read(ByteBuffer, long)}.
     *
     * @param dst receives up to {@code dst.remaining()} bytes
     * @param position the file offset
     * @return the bytes copied, or -1 at the end of the file
     * @throws IOException if reading fails
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * @param position the file offset
     * @param length bytes wanted
     * @return a little-endian view of up to {@code length} bytes from {@code position} (fewer at the end of the
     *     file), without copying; null when the bytes are not in memory
     */
    default ByteBuffer view(long position, int length) {
        return null;
    }

    /**
     * @param ch an open file (not closed here)
     * @return its bytes
     */
    static WavBytes of(FileChannel ch) {
        return new WavBytes() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return ch.read(dst, position);
            }
        };
    }

    /**
     * @param whole the whole file, from its position to its limit (read through a view, never modified)
     * @return its bytes
     */
    static WavBytes of(ByteBuffer whole) {
        ByteBuffer file = whole.slice().order(ByteOrder.LITTLE_ENDIAN);
        return new WavBytes() {
            @Override
            public long size() {
                return file.limit();
            }

            @Override
            public int read(ByteBuffer dst, long position) {
                ByteBuffer from = view(position, dst.remaining());
                if (from == null) {
                    return -1;
                }
                int n = from.remaining();
                dst.put(from);
                return n;
            }

            @Override
            public ByteBuffer view(long position, int length) {
                if (position < 0 || position >= file.limit()) {
                    return null;
                }
                int at = (int) position;
                return file.slice(at, Math.min(length, file.limit() - at)).order(ByteOrder.LITTLE_ENDIAN);
            }
        };
    }
}
