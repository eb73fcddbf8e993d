package io.github.audiosetdl.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The reference data every module's tests and benchmarks read: the files under {@code testdata/} at the
 * project root (the folder holding the root {@code pom.xml}), found by walking up from the working
 * directory. {@code testdata/README.md} says where each file came from and how the compact ones are
 * encoded. A missing file fails the test with the path it looked for; it never skips.
 */
public final class TestData {
    /** The most a gzip'd file or an {@code .npz} entry may unpack to, in bytes: the largest is about 5 MB. */
    static final long MAX_UNPACKED_BYTES = 64L << 20;

    private TestData() {
    }

    /**
     * @return the {@code testdata} folder: the first one beside a {@code pom.xml} in the working directory or
     *     one of its parents
     * @throws AssertionError if there is none
     */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testdata");
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("test data not found: no testdata/ beside a pom.xml in " + start
                + " or its parents (run the tests inside the project)");
    }

    /**
     * A file of the test data as a plain file. If only {@code relative + ".gz"} is stored, its content is
     * unpacked once into {@code target/testdata/} at the project root (unique temporary name, then an
     * atomic rename) and that copy is returned; a copy older than its {@code .gz} is unpacked again.
     *
     * @param relative a path inside {@code testdata}, e.g. {@code audioset/eval_segments.csv}
     * @return the existing file
     * @throws AssertionError if neither the file nor its {@code .gz} exists
     */
    public static Path file(String relative) {
        Path root = root();
        Path plain = inside(root, relative);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path packed = root.resolve(relative + ".gz");
        if (!Files.isRegularFile(packed)) {
            throw new AssertionError("test data missing: neither " + plain + " nor " + packed);
        }
        try {
            return unpacked(packed, root.resolveSibling("target").resolve("testdata").resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + packed, e);
        }
    }

    /** @return the AudioSet evaluation segments CSV in Google's format (20,371 rows) */
    public static Path evalSegments() {
        return file("audioset/eval_segments.csv");
    }

    /**
     * Reads an array of the test data: {@code relative + ".npy"} if stored, else {@code relative + ".npz"} in
     * the compact encoding that {@code testdata/README.md} describes (float32 byte planes, bit for bit; or
     * fixed-point integers as byte planes, times a scale, after undoing {@code order} differences).
     *
     * @param relative the array's path inside {@code testdata} without extension, e.g.
     *     {@code golden/cochleagram/coch_py_noise}
     * @return its shape and values (row-major)
     * @throws AssertionError if neither file exists
     */
    public static NpyArrays.Array array(String relative) {
        Path base = inside(root(), relative);
        Path npy = base.resolveSibling(base.getFileName() + ".npy");
        Path npz = base.resolveSibling(base.getFileName() + ".npz");
        try {
            if (Files.isRegularFile(npy)) {
                return NpyArrays.read(npy);
            }
            if (Files.isRegularFile(npz)) {
                return decodeNpz(npz);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("test data missing: neither " + npy + " nor " + npz);
    }

    /**
     * @param relative as for {@link #array(String)}
     * @return the array's values, narrowed to float (exact for the float32 inputs)
     */
    public static float[] floats(String relative) {
        double[] v = array(relative).values();
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = (float) v[i];
        }
        return x;
    }

    private static Path inside(Path root, String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException(relative + " is not inside " + root);
        }
        return p;
    }

    private static Path unpacked(Path packed, Path target) throws IOException {
        if (Files.isRegularFile(target)
                && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(packed)) >= 0) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(packed));
                    FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    total += n;
                    if (total > MAX_UNPACKED_BYTES) {
                        throw new IOException(packed + " unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                channel.force(true); // a copy that survives a crash is complete: it is trusted by its date
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Decodes a compact {@code .npz} (see {@code testdata/README.md}). */
    static NpyArrays.Array decodeNpz(Path file) throws IOException {
        Map<String, NpyArrays.Raw> entries = readNpz(file);
        NpyArrays.Raw shapeEntry = entry(entries, "shape", file);
        double[] dims = NpyArrays.decode(shapeEntry, file + ":shape").values();
        int[] shape = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = (int) dims[i];
            count *= shape[i];
        }
        NpyArrays.Raw floatPlanes = entries.get("float32_planes");
        NpyArrays.Raw planes = floatPlanes != null ? floatPlanes : entry(entries, "fixed_planes", file);
        int width = planes.shape().length == 2 ? planes.shape()[0] : -1;
        boolean widthOk = floatPlanes != null ? width == 4 : width == 4 || width == 8;
        if (!planes.descr().equals("|u1") || !widthOk || planes.shape()[1] != count) {
            throw new IOException(file + ": byte planes of shape " + Arrays.toString(planes.shape())
                    + " do not hold " + count + " elements");
        }
        int n = (int) count;
        ByteBuffer bytes = planes.data();
        double[] values = new double[n];
        if (floatPlanes != null) {
            for (int i = 0; i < n; i++) {
                values[i] = Float.intBitsToFloat((int) element(bytes, n, 4, i));
            }
            return new NpyArrays.Array(shape, values);
        }
        double scale = NpyArrays.decode(entry(entries, "scale", file), file + ":scale").values()[0];
        long order = (long) NpyArrays.decode(entry(entries, "order", file), file + ":order").values()[0];
        if (!(scale > 0) || order < 0 || order > 3) {
            throw new IOException(file + ": scale " + scale + ", order " + order + " out of range");
        }
        long[] q = new long[n];
        for (int i = 0; i < n; i++) {
            long v = element(bytes, n, width, i);
            q[i] = width == 4 ? (int) v : v;
        }
        for (int pass = 0; pass < order; pass++) {
            for (int i = 1; i < n; i++) {
                q[i] += q[i - 1];
            }
        }
        for (int i = 0; i < n; i++) {
            values[i] = q[i] * scale;
        }
        return new NpyArrays.Array(shape, values);
    }

    /** Element {@code i} of {@code n}, {@code width} bytes little-endian, byte p in plane p. */
    private static long element(ByteBuffer planes, int n, int width, int i) {
        long v = 0;
        for (int p = 0; p < width; p++) {
            v |= (planes.get(p * n + i) & 0xFFL) << (8 * p);
        }
        return v;
    }

    private static NpyArrays.Raw entry(Map<String, NpyArrays.Raw> entries, String name, Path file)
            throws IOException {
        NpyArrays.Raw raw = entries.get(name);
        if (raw == null) {
            throw new IOException(file + ": no " + name + ".npy in " + entries.keySet());
        }
        return raw;
    }

    private static Map<String, NpyArrays.Raw> readNpz(Path file) throws IOException {
        Map<String, NpyArrays.Raw> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getSize() > MAX_UNPACKED_BYTES) {
                    throw new IOException(file + ": entry " + e.getName() + " declares " + e.getSize() + " bytes");
                }
                byte[] bytes = zip.readNBytes((int) MAX_UNPACKED_BYTES + 1);
                if (bytes.length > MAX_UNPACKED_BYTES) {
                    throw new IOException(file + ": entry " + e.getName() + " unpacks to more than "
                            + MAX_UNPACKED_BYTES + " bytes");
                }
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                entries.put(name, NpyArrays.parse(bytes, file + ":" + e.getName()));
            }
        }
        return entries;
    }
}
