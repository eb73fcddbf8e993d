package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads WAV files: RIFF/WAVE with {@code WAVE_FORMAT_PCM} (8-bit unsigned, 16/24/32-bit signed),
 * {@code WAVE_FORMAT_IEEE_FLOAT} (32/64-bit) or {@code WAVE_FORMAT_EXTENSIBLE} wrapping either; any
 * number of channels and any rate. A data chunk size of {@code 0xFFFFFFFF}, or of 0 with no chunk
 * after it (written by a tool streaming to a pipe), means "to the end of the file"; a size of 0 followed
 * by another chunk (metadata after the samples) means no samples. RF64 and BW64 files (EBU Tech 3306,
 * ITU-R BS.2088: {@code ffmpeg -rf64}) are read too: a data chunk size of {@code 0xFFFFFFFF} there is the one
 * in their {@code ds64} chunk, or the end of the file when that one is 0 (streamed). Integer samples of a bit
 * depth between whole bytes (12, 20 bits) are read as their container (16, 24 bits), where the format puts them
 * left-justified; {@link WavFormat#bitsPerSample()} is then the container's.
 *
 * <p>Stateless and thread-safe.
 */
public final class WavReader {
    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    /**
     * The most channels read: 64 (seventh-order ambisonics; surround formats have at most 24). A header declaring
     * more is refused before any per-channel memory is allocated.
     */
    public static final int MAX_CHANNELS = 64;

    private WavReader() {
    }

    /**
     * Reads and checks the header only: the format is supported and the data chunk is within the file.
     *
     * @param file a WAV file
     * @return its format
     * @throws IOException if the file cannot be read
     * @throws WavFormatException if it is not a WAV file this class can decode (the message names the file)
     */
    public static WavFormat readFormat(Path file) throws IOException {
        requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, WavBytes.of(ch));
        }
    }

    /**
     * Reads a whole file.
     *
     * @param file a WAV file
     * @return the decoded samples
     * @throws IOException if the file cannot be read
     * @throws WavFormatException if it is not a WAV file this class can decode
     */
    public static AudioClip read(Path file) throws IOException {
        requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, WavBytes.of(ch));
        }
    }

    /**
     * Reads a whole file already in memory (a tar member, a download's body), as {@link #read(Path)} reads one on
     * disk.
     *
     * @param file the file's name, used only in messages (e.g. {@code shard.tar/key.wav})
     * @param contents the whole file, from its position to its limit; read through a view (its position and limit
     *     are not changed)
     * @return the decoded samples
     * @throws IOException if the bytes end before the data chunk does
     * @throws WavFormatException if they are not a WAV file this class can decode (the message names {@code file})
     */
    public static AudioClip read(Path file, ByteBuffer contents) throws IOException {
        requireNonNull(file, "file");
        return read(file, WavBytes.of(requireNonNull(contents, "contents")));
    }

    private static AudioClip read(Path file, WavBytes src) throws IOException {
        WavFormat format = header(file, src);
        long bytes = format.frames() * format.frameBytes();
        if (format.frames() > Integer.MAX_VALUE) {
            throw new WavFormatException(file, format.frames() + " frames is more than this reader holds");
        }
        int frames = (int) format.frames();
        float[][] channels = new float[format.channels()][frames];
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(bytes, 1 << 20) / format.frameBytes()
                * format.frameBytes() + format.frameBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long position = format.dataOffset();
        int frame = 0;
        while (frame < frames) {
            buffer.clear();
            int want = Math.min(buffer.capacity() / format.frameBytes(), frames - frame);
            buffer.limit(want * format.frameBytes());
            while (buffer.hasRemaining()) {
                int n = src.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new WavFormatException(file, "data ends after " + frame + " of " + frames + " frames");
                }
            }
            buffer.flip();
            decode(buffer, format, channels, frame, want);
            position += (long) want * format.frameBytes();
            frame += want;
        }
        return new AudioClip(format.sampleRate(), channels, format);
    }

    /** The 16-bit samples of one chunk, one array per thread. */
    private static final ThreadLocal<short[]> SHORTS = ThreadLocal.withInitial(() -> new short[1 << 19]);

    /**
     * The chunk buffer of {@link #readMix}, one per thread; off-heap, so that the JDK reads into it directly
     * instead of into a temporary direct buffer and then copying.
     */
    private static final ThreadLocal<ByteBuffer> MIX_CHUNK = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN));

    /**
     * Reads the first {@code frames} frames of the data chunk into {@code mix} as the channels' mean: each
     * sample decoded to float full-scale units as {@link #read} does, then {@code (c0 + c1 + ...) / channels}
     * summed in double in channel order.
     *
     * @param file the file's name, for messages
     * @param src the file's bytes (in memory: decoded in place, without copying)
     * @param format its format ({@link #header})
     * @param frames how many frames to read, {@code <= format.frames()}
     * @param mix receives {@code frames} values
     * @throws IOException if reading fails or the data ends early
     */
    static void readMix(Path file, WavBytes src, WavFormat format, int frames, double[] mix) throws IOException {
        ByteBuffer buffer = MIX_CHUNK.get();
        int frameBytes = format.frameBytes();
        int perChunk = Math.max(1, buffer.capacity() / frameBytes); // 16-bit: fits SHORTS
        if (perChunk * frameBytes > buffer.capacity()) {
            buffer = ByteBuffer.allocate(frameBytes).order(ByteOrder.LITTLE_ENDIAN); // a frame beyond 1 MB
        }
        long position = format.dataOffset();
        int frame = 0;
        while (frame < frames) {
            int want = Math.min(perChunk, frames - frame);
            ByteBuffer chunk = src.view(position, want * frameBytes); // in memory: no copy
            if (chunk == null) {
                chunk = buffer;
                chunk.clear().limit(want * frameBytes);
                while (chunk.hasRemaining() && src.read(chunk, position + chunk.position()) >= 0) {
                    // until the chunk is full or the file ends
                }
                chunk.flip();
            }
            if (chunk.remaining() < want * frameBytes) {
                throw new WavFormatException(file, "data ends after " + (frame + chunk.remaining() / frameBytes)
                        + " of " + format.frames() + " frames");
            }
            mixChunk(chunk, format, mix, frame, want);
            position += (long) want * frameBytes;
            frame += want;
        }
    }

    private static void mixChunk(ByteBuffer b, WavFormat f, double[] mix, int offset, int frames) {
        int c = f.channels();
        if (!f.floatingPoint() && f.bitsPerSample() == 16 && c <= 2) { // the common downloads: bulk, unrolled
            short[] s = SHORTS.get();
            b.asShortBuffer().get(s, 0, frames * c);
            // The same values as the general rule below, in cheaper arithmetic: s / 32768f is exact (a power of
            // two), and so is the double sum of two such values and its half, which equal (s0 + s1) / 65536.
            if (c == 1) {
                for (int i = 0; i < frames; i++) {
                    mix[offset + i] = s[i] * 0x1p-15;
                }
            } else {
                for (int i = 0; i < frames; i++) {
                    mix[offset + i] = (s[2 * i] + s[2 * i + 1]) * 0x1p-16;
                }
            }
            return;
        }
        int stride = f.frameBytes();
        int width = f.bitsPerSample() / 8;
        for (int i = 0; i < frames; i++) {
            int base = i * stride;
            double sum = sample(b, f, base);
            for (int k = 1; k < c; k++) {
                sum += sample(b, f, base + k * width);
            }
            mix[offset + i] = c == 1 ? sum : sum / c;
        }
    }

    /** One sample at an absolute byte index, in float full-scale units (the one decoding rule per format). */
    private static float sample(ByteBuffer b, WavFormat f, int at) {
        if (f.floatingPoint()) {
            return f.bitsPerSample() == 32 ? b.getFloat(at) : (float) b.getDouble(at);
        }
        return switch (f.bitsPerSample()) {
            case 8 -> ((b.get(at) & 0xFF) - 128) / 128f;
            case 16 -> b.getShort(at) / 32768f;
            case 24 -> ((b.get(at) & 0xFF) | ((b.get(at + 1) & 0xFF) << 8) | (b.get(at + 2) << 16)) / 8388608f;
            default -> (float) (b.getInt(at) / 2147483648.0);
        };
    }

    private static void decode(ByteBuffer b, WavFormat f, float[][] out, int offset, int frames) {
        int c = f.channels();
        int base = b.position();
        if (!f.floatingPoint() && f.bitsPerSample() == 16 && c == 1) { // mono: a short view, about twice as fast
            ShortBuffer s = b.asShortBuffer();
            float[] o = out[0];
            for (int i = 0; i < frames; i++) {
                o[offset + i] = s.get(i) / 32768f;
            }
        } else {
            int width = f.bitsPerSample() / 8;
            for (int i = 0; i < frames; i++) {
                for (int k = 0; k < c; k++) {
                    out[k][offset + i] = sample(b, f, base + (i * c + k) * width);
                }
            }
        }
        b.position(base + frames * f.frameBytes());
    }

    /**
     * Parses and checks the header of an open file.
     *
     * @param file the file's name, for messages
     * @param ch the file's bytes
     * @return its format
     * @throws IOException if reading fails or the format is not supported
     */
    static WavFormat header(Path file, WavBytes ch) throws IOException {
        long size = ch.size();
        ByteBuffer head = readAt(ch, 0, 12);
        int magic = head.getInt(0);
        if (magic != 0x46464952 /* RIFF */ && magic != 0x34364652 /* RF64 */ && magic != 0x34365742 /* BW64 */
                || head.getInt(8) != 0x45564157 /* WAVE */) {
            throw new WavFormatException(file, "not a RIFF/WAVE file");
        }
        long ds64Data = 0; // RF64's data chunk size, from its ds64 chunk; 0 when absent or unknown
        int tag = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        long pos = 12;
        while (true) {
            if (pos + 8 > size) {
                throw new WavFormatException(file, tag < 0 ? "no fmt chunk" : "no data chunk");
            }
            ByteBuffer chunk = readAt(ch, pos, 8);
            int id = chunk.getInt(0);
            long length = chunk.getInt(4) & 0xFFFFFFFFL;
            if (id == 0x34367364 && magic != 0x46464952 && length >= 16) { // "ds64": RIFF size, data size, ...
                ds64Data = readAt(ch, pos + 8, 16).getLong(8);
                if (ds64Data < 0) {
                    throw new WavFormatException(file, "ds64 chunk declares a data size of " + ds64Data + " bytes");
                }
            } else if (id == 0x20746d66) { // "fmt "
                if (length < 16) {
                    throw new WavFormatException(file, "fmt chunk of " + length + " bytes");
                }
                ByteBuffer fmt = readAt(ch, pos + 8, (int) Math.min(length, 40));
                tag = fmt.getShort(0) & 0xFFFF;
                channels = fmt.getShort(2) & 0xFFFF;
                rate = fmt.getInt(4);
                blockAlign = fmt.getShort(12) & 0xFFFF;
                bits = fmt.getShort(14) & 0xFFFF;
                if (tag == EXTENSIBLE) {
                    if (length < 40) {
                        throw new WavFormatException(file, "WAVE_FORMAT_EXTENSIBLE without a sub-format");
                    }
                    tag = fmt.getShort(24) & 0xFFFF; // first two bytes of the sub-format GUID
                }
            } else if (id == 0x61746164) { // "data"
                if (tag < 0) {
                    throw new WavFormatException(file, "data chunk before the fmt chunk");
                }
                if (tag != PCM && tag != IEEE_FLOAT) {
                    throw new WavFormatException(file, "unsupported encoding (format tag " + tag
                            + "); only PCM and IEEE float");
                }
                if (channels == 0 || rate <= 0) {
                    throw new WavFormatException(file, "invalid header: " + channels + " channels at " + rate
                            + " Hz");
                }
                if (channels > MAX_CHANNELS) {
                    throw new WavFormatException(file, channels + " channels, more than the " + MAX_CHANNELS
                            + " read");
                }
                WavFormat format;
                long dataStart = pos + 8;
                long available = size - dataStart;
                long dataBytes = length == 0xFFFFFFFFL && ds64Data != 0 ? ds64Data
                        : length == 0xFFFFFFFFL || length == 0 && !chunkAt(ch, dataStart, size) ? available
                        : length;
                if (dataBytes > available) {
                    throw new WavFormatException(file, "truncated: the data chunk declares " + dataBytes
                            + " bytes but the file holds " + available);
                }
                if (tag == PCM && bits > 8 && bits < 32 && bits % 8 != 0) {
                    bits = (bits + 7) / 8 * 8; // 12 or 20 bits: left-justified in whole bytes, read as the container
                }
                try {
                    format = new WavFormat(rate, channels, bits, tag == IEEE_FLOAT, 0, dataStart);
                } catch (IllegalArgumentException e) {
                    throw new WavFormatException(file, e.getMessage());
                }
                if (blockAlign != format.frameBytes()) {
                    throw new WavFormatException(file, "block align " + blockAlign + " does not match "
                            + channels + " channels of " + bits + " bits");
                }
                return new WavFormat(rate, channels, bits, tag == IEEE_FLOAT, dataBytes / format.frameBytes(),
                        dataStart);
            }
            pos += 8 + length + (length & 1);
        }
    }

    /**
     * @return whether a chunk header (four printable ASCII characters and a length that fits) starts at
     *     {@code pos}: then a data chunk of length 0 before it is empty, not a streamed one of unknown length
     */
    private static boolean chunkAt(WavBytes ch, long pos, long size) throws IOException {
        if (pos + 8 > size) {
            return false;
        }
        ByteBuffer h = readAt(ch, pos, 8);
        for (int i = 0; i < 4; i++) {
            int c = h.get(i) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return pos + 8 + (h.getInt(4) & 0xFFFFFFFFL) <= size;
    }

    private static ByteBuffer readAt(WavBytes ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        if (b.remaining() < length) {
            b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN); // zero-filled: caller sees no chunk
        }
        return b;
    }
}
