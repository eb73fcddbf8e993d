package io.github.audiosetdl.core.webdataset;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads back, clip by clip, a shard as {@link WebDatasetWriter} writes it: for each clip a {@code <key>.wav}
 * member of exactly the expected size, then {@code <key>.json}; the archive ends with two zero blocks and nothing
 * after. The tar headers, the WAV headers and the JSON are read by {@link #next()}, a clip's samples by {@link
 * #samplesEqual} (a WAV file replaced by one of other samples gives the same JSON when its peak is the same, as
 * clips at full scale have). Anything else (a damaged
 * or truncated header, a member of another name, size or type, a JSON larger than {@link #MAX_JSON}) ends the
 * clips there: the writer then writes the shard again from that clip on. No size read from the file is used
 * before it is checked against the file's length. Memory: one JSON member, and one clip's samples.
 */
final class ShardClips implements Closeable {
    /** The largest {@code .json} member read back, in bytes (a clip's is well under 1 kB plus its strong events). */
    static final int MAX_JSON = 1 << 20;
    private static final int BLOCK = UstarWriter.BLOCK;
    private static final int WAV_HEADER = 44;

    /**
     * A clip read back.
     *
     * @param key its key
     * @param wavHeader the first 44 bytes of its {@code .wav} member (rate and length)
     * @param json its {@code .json} member
     * @param samples where its samples start in the file (after the WAV header), in bytes
     */
    record Clip(String key, byte[] wavHeader, byte[] json, long samples) {
    }

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final long wavBytes;
    private final ByteBuffer header = ByteBuffer.allocate(BLOCK);
    /** A clip's samples, for {@link #samplesEqual}; allocated at its first call. */
    private ByteBuffer samples;
    /** Where the next clip's first header starts: the end of the clips returned so far. */
    private long position;
    private boolean ended;

    private ShardClips(Path file, FileChannel channel, long wavBytes) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        this.wavBytes = wavBytes;
    }

    /**
     * @param file a shard
     * @param wavBytes the size of every clip's {@code .wav} member, in bytes (44 + 2 × samples)
     * @return a reader at its first clip
     * @throws IOException if the file cannot be opened
     */
    static ShardClips open(Path file, long wavBytes) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new ShardClips(file, ch, wavBytes);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return the shard */
    Path file() {
        return file;
    }

    /**
     * @return the next clip, or null at the archive's end or at anything that is not a whole clip as the writer
     *     writes it (no clip is returned after that)
     * @throws IOException if the file cannot be read
     */
    Clip next() throws IOException {
        if (ended) {
            return null;
        }
        long at = position;
        Member wav = member(at);
        if (wav == null || !wav.name().endsWith(".wav") || wav.length() != wavBytes) {
            ended = true;
            return null;
        }
        String key = wav.name().substring(0, wav.name().length() - 4);
        Member json = member(wav.next());
        if (json == null || !json.name().equals(key + ".json") || json.length() > MAX_JSON) {
            ended = true;
            return null;
        }
        byte[] head = read(wav.data(), WAV_HEADER);
        byte[] meta = read(json.data(), (int) json.length());
        position = json.next();
        return new Clip(key, head, meta, wav.data() + WAV_HEADER);
    }

    /**
     * @param clip a clip {@link #next()} returned
     * @param expected the int16 samples the writer would write for it
     * @return whether its samples in the file are {@code expected} (16-bit little-endian)
     * @throws IOException if the file cannot be read
     */
    boolean samplesEqual(Clip clip, short[] expected) throws IOException {
        if (WAV_HEADER + 2L * expected.length != wavBytes) {
            return false;
        }
        if (samples == null || samples.capacity() != 2 * expected.length) {
            samples = ByteBuffer.allocate(2 * expected.length).order(ByteOrder.LITTLE_ENDIAN);
        }
        samples.clear();
        readFully(samples, clip.samples());
        for (int i = 0; i < expected.length; i++) {
            if (samples.getShort(2 * i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return where the clip {@link #next()} would read starts: the end of the clips returned so far, in bytes */
    long position() {
        return position;
    }

    /**
     * @return whether the archive ends right after the clips returned so far: two zero blocks, then the file's end
     * @throws IOException if the file cannot be read
     */
    boolean endsHere() throws IOException {
        if (size != position + 2L * BLOCK) {
            return false;
        }
        for (int b = 0; b < 2; b++) {
            readHeader(position + (long) b * BLOCK);
            for (byte x : header.array()) {
                if (x != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A member's header: its name, its length, where its bytes start and where the next header starts. */
    private record Member(String name, long length, long data, long next) {
    }

    /** @return the regular-file member whose header is at {@code at}, or null if there is none or it is damaged */
    private Member member(long at) throws IOException {
        if (at + BLOCK > size) {
            return null;
        }
        readHeader(at);
        byte[] h = header.array();
        if (h[0] == 0 || (h[156] != '0' && h[156] != 0) || !checksumOk(h)) {
            return null;
        }
        long length = octal(h, 124, 12);
        long data = at + BLOCK;
        if (length < 0 || length > size - data) {
            return null; // also a truncated member
        }
        long next = data + (length + BLOCK - 1) / BLOCK * BLOCK;
        if (next > size) {
            return null;
        }
        int n = 0;
        while (n < 100 && h[n] != 0) {
            n++;
        }
        for (int i = 0; i < n; i++) {
            if (h[i] < 0x20 || h[i] == '/') {
                return null; // not a name the writer writes (ASCII, no / or control characters)
            }
        }
        return new Member(new String(h, 0, n, StandardCharsets.US_ASCII), length, data, next);
    }

    private void readHeader(long at) throws IOException {
        header.clear();
        readFully(header, at);
    }

    private byte[] read(long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        readFully(b, at);
        return b.array();
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new IOException(file + ": ended at byte " + (at + b.position()) + " while reading it back");
            }
        }
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

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
