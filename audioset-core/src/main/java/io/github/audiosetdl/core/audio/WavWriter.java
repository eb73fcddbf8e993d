package io.github.audiosetdl.core.audio;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.ProcessTag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes WAV files (RIFF/WAVE, little-endian) under a temporary name, then renames them, so a crash
 * never leaves a partial file under the final name. Integer encodings round to the nearest step
 * and clip at full scale.
 *
 * <p>Stateless and thread-safe.
 */
public final class WavWriter {
    /** The permissions of a written file: those of a file created under the usual umask 022. */
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private WavWriter() {
    }

    /**
     * @param file the target; replaced if it exists
     * @param sampleRate frames per second, in Hz
     * @param channels {@code (channels, frames)} in full-scale units (integer PCM: {@code [-1, 1)})
     * @param encoding the sample encoding
     * @throws IOException if writing fails
     */
    public static void write(Path file, int sampleRate, float[][] channels, WavEncoding encoding) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(channels, "channels");
        requireNonNull(encoding, "encoding");
        if (sampleRate <= 0 || channels.length == 0) {
            throw new IllegalArgumentException("need a positive rate and at least one channel, not " + sampleRate
                    + " Hz, " + channels.length + " channels");
        }
        int frames = channels[0].length;
        for (float[] c : channels) {
            if (c.length != frames) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
        int sampleBytes = encoding.bits() / 8;
        int frameBytes = sampleBytes * channels.length;
        long dataBytes = (long) frames * frameBytes;
        if (dataBytes + 36 > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(dataBytes + " bytes of samples do not fit a WAV file");
        }
        Path target = file.toAbsolutePath();
        // a fresh name, created here (CREATE_NEW never follows a planted link), so that two writers of one
        // file never share a temporary file; owner-only until renamed; named after its process, so that a
        // later run can tell a killed run's leftover (ProcessTag)
        String prefix = "." + target.getFileName() + "." + ProcessTag.current() + ".";
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), prefix, ".tmp");
        } catch (IOException e) { // the folder, not the hidden name, is what the reader can act on
            throw OutputFolder.cannotWriteIn(file, prefix + "<random>.tmp", e);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0x46464952).putInt((int) (36 + dataBytes)).putInt(0x45564157);
            header.putInt(0x20746d66).putInt(16).putShort((short) (encoding.floatingPoint() ? 3 : 1))
                    .putShort((short) channels.length).putInt(sampleRate).putInt(sampleRate * frameBytes)
                    .putShort((short) frameBytes).putShort((short) encoding.bits());
            header.putInt(0x61746164).putInt((int) dataBytes).flip();
            writeFully(ch, header);
            ByteBuffer buffer = ByteBuffer.allocate(Math.max(frameBytes, (1 << 16) / frameBytes * frameBytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) {
                if (buffer.remaining() < frameBytes) {
                    buffer.flip();
                    writeFully(ch, buffer);
                    buffer.clear();
                }
                for (float[] c : channels) {
                    put(buffer, c[i], encoding);
                }
            }
            buffer.flip();
            writeFully(ch, buffer);
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.setPosixFilePermissions(tmp, FILE_PERMISSIONS);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stay
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp); // not left behind (a target that is a folder, a full disk)
            throw e;
        }
    }

    /**
     * Writes a mono file.
     *
     * @param file the target
     * @param sampleRate in Hz
     * @param samples the samples in full-scale units
     * @param encoding the encoding
     * @throws IOException if writing fails
     */
    public static void writeMono(Path file, int sampleRate, float[] samples, WavEncoding encoding) throws IOException {
        write(file, sampleRate, new float[][] {requireNonNull(samples, "samples")}, encoding);
    }

    private static void put(ByteBuffer b, float v, WavEncoding encoding) {
        switch (encoding) {
            case PCM_8 -> b.put((byte) (quantise(v, 128) + 128));
            case PCM_16 -> b.putShort((short) quantise(v, 32768));
            case PCM_24 -> {
                int q = (int) quantise(v, 8388608);
                b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
            }
            case PCM_32 -> b.putInt((int) quantise(v, 2147483648.0));
            case FLOAT_32 -> b.putFloat(v);
            default -> b.putDouble(v);
        }
    }

    private static long quantise(float v, double scale) {
        double q = Math.rint(v * scale);
        return (long) Math.max(-scale, Math.min(scale - 1, q));
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
