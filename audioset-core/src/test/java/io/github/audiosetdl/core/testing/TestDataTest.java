package io.github.audiosetdl.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataTest {
    @Test
    void findsTheTestDataBesideTheRootPom() {
        Path root = TestData.root();
        assertThat(root.getFileName()).hasToString("testdata");
        assertThat(root.resolve("README.md")).isRegularFile();
        assertThat(root.resolveSibling("pom.xml")).isRegularFile();
        assertThat(root.resolveSibling("audioset-core")).isDirectory();
    }

    @Test
    void unpacksAGzippedFileOnceAndKeepsThePlainOnesInPlace() throws IOException {
        Path csv = TestData.evalSegments();
        assertThat(csv).isRegularFile().startsWithRaw(TestData.root().resolveSibling("target"));
        byte[] expected;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(
                TestData.root().resolve("audioset/eval_segments.csv.gz")))) {
            expected = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(csv)).isEqualTo(expected);
        FileTime written = Files.getLastModifiedTime(csv);
        assertThat(TestData.evalSegments()).isEqualTo(csv);
        assertThat(Files.getLastModifiedTime(csv)).as("not unpacked again").isEqualTo(written);
        assertThat(TestData.file("audioset/class_labels_indices.csv"))
                .isEqualTo(TestData.root().resolve("audioset/class_labels_indices.csv"));
    }

    @Test
    void rejectsMissingFilesAndPathsOutsideTheTestData() {
        assertThatThrownBy(() -> TestData.file("audioset/nothing.csv")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing.csv.gz");
        assertThatThrownBy(() -> TestData.file("../pom.xml")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestData.array("golden/../../testdata")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestData.array("golden/cochleagram/nothing")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing.npz");
    }

    @Test
    void decodesTheLosslessInputBitForBit() {
        // testdata/README.md: zeros, 100 Hz unit impulses from 1 s to 3 s, 40 Hz 5-sample pulses of 0.8 from 6 s to 7 s
        float[] expected = new float[160_000];
        for (int i = 16_000; i < 48_000; i += 160) {
            expected[i] = 1;
        }
        for (int s = 96_000; s < 112_000; s += 400) {
            for (int i = s; i < s + 5; i++) {
                expected[i] = 0.8f;
            }
        }
        assertThat(TestData.array("golden/cochleagram/input_clicks").shape()).containsExactly(160_000);
        assertThat(TestData.floats("golden/cochleagram/input_clicks")).isEqualTo(expected);
    }

    @Test
    void decodesTheFixedPointReferences() {
        NpyArrays.Array silence = TestData.array("golden/prepare/s16000_mono_int16_silence.expected");
        assertThat(silence.shape()).containsExactly(160_000);
        assertThat(silence.values()).containsOnly(0.0);
        double max = 0;
        for (double v : TestData.array("golden/prepare/s16000_mono_int16_10s.expected").values()) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).as("peak-normalised").isBetween(1 - 6e-8, 1 + 6e-8);
    }

    @Test
    void undoesTheDifferencesExactly(@TempDir Path dir) throws IOException {
        long[] q = {5, -7, 1L << 40, 3, 0, -(1L << 40)};
        long[] d = q.clone();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = d.length - 1; i > 0; i--) {
                d[i] -= d[i - 1];
            }
        }
        Path npz = dir.resolve("a.npz");
        writeNpz(npz, planes(d), 8, 0.25, 2, "(2, 3)");
        NpyArrays.Array a = TestData.decodeNpz(npz);
        assertThat(a.shape()).containsExactly(2, 3);
        for (int i = 0; i < q.length; i++) {
            assertThat(a.values()[i]).isEqualTo(q[i] * 0.25);
        }
        writeNpz(npz, planes(d), 8, 0.25, 2, "(7,)");
        assertThatThrownBy(() -> TestData.decodeNpz(npz)).isInstanceOf(IOException.class)
                .hasMessageContaining("do not hold 7 elements");
    }

    private static byte[] planes(long[] values) {
        byte[] b = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int p = 0; p < 8; p++) {
                b[p * values.length + i] = (byte) (values[i] >>> (8 * p));
            }
        }
        return b;
    }

    private static void writeNpz(Path file, byte[] planes, int width, double scale, long order, String shape)
            throws IOException {
        String[] dims = shape.replaceAll("[() ]", "").split(",");
        ByteBuffer shapeData = ByteBuffer.allocate(8 * dims.length).order(ByteOrder.LITTLE_ENDIAN);
        for (String dim : dims) {
            shapeData.putLong(Long.parseLong(dim));
        }
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, "shape", "<i8", "(" + dims.length + ",)", shapeData.array());
            entry(zip, "fixed_planes", "|u1", "(" + width + ", " + planes.length / width + ")", planes);
            entry(zip, "scale", "<f8", "()", le8().putDouble(scale).array());
            entry(zip, "order", "<i8", "()", le8().putLong(order).array());
        }
    }

    private static ByteBuffer le8() {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void entry(ZipOutputStream zip, String name, String descr, String shape, byte[] data)
            throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.getBytes(StandardCharsets.ISO_8859_1));
        npy.write(data);
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        zip.write(npy.toByteArray());
        zip.closeEntry();
    }
}
