package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.hdf5.internal.MetadataNpy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted {@code .npy} files: every size they declare is checked against the file and a maximum before
 * anything is allocated, and the error names the file (issue 14, item 6).
 */
@Timeout(30)
class HostileNpyTest {
    @TempDir
    Path dir;

    private Path npy(String name, String descr, String shape) throws IOException {
        ByteBuffer header = MetadataNpy.header(descr, shape, 64);
        byte[] bytes = new byte[header.remaining() + 64];
        header.get(bytes, 0, header.remaining());
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void aShapeLargerThanTheFileIsRefused() throws IOException {
        Path file = npy("big.npy", "'<f4'", "(500000000,)");
        assertThatThrownBy(() -> NpyFiles.readFloat32(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("declares 500000000 float32 values")
                .hasMessageContaining("the file holds 16");
    }

    @Test
    void aNegativeOrOverflowingShapeIsRefused() throws IOException {
        for (String shape : new String[] {"(-4,)", "(99999999999,)", "(65536, 65536, 65536)"}) {
            Path file = npy("shape.npy", "'<f4'", shape);
            assertThatThrownBy(() -> NpyFiles.readFloat32(file)).as(shape).isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("shape");
        }
    }

    @Test
    void aTruncatedVersion2HeaderIsRefused() throws IOException {
        byte[] bytes = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 16, 0};
        Path file = Files.write(dir.resolve("short.npy"), bytes);
        assertThatThrownBy(() -> NpyFiles.readFloat32(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated .npy header");
    }

    @Test
    void fortranOrderIsRefusedHoweverTheHeaderIsSpaced() throws IOException {
        for (String dict : new String[] {"{'descr': '<f4', 'fortran_order':True, 'shape': (2, 3), }",
            "{'descr': '<f4', 'fortran_order' :  True, 'shape': (2, 3), }"}) {
            String padded = dict + " ".repeat(118 - dict.length()) + "\n";
            ByteBuffer b = ByteBuffer.allocate(128 + 24).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
            b.putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII));
            Path file = Files.write(dir.resolve("fortran.npy"), b.array());
            assertThatThrownBy(() -> NpyFiles.readFloat32(file)).as(dict).isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("Fortran-order arrays are not supported");
        }
    }

    @Test
    void arraysWithNegativeOrOverflowingShapesCannotBeMade() {
        assertThatThrownBy(() -> new NpyFloat32(new int[] {-1, -1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new NpyFloat32(new int[] {65536, 65536, 65536, 65536}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0");
    }

    @Test
    void aTwoGigabyteHeaderIsRefused() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
        b.putInt(Integer.MAX_VALUE);
        Path file = Files.write(dir.resolve("header.npy"), b.array());
        assertThatThrownBy(() -> NpyFiles.readFloat32(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("header of 2147483647 bytes");
    }

    @Test
    void metadataWhoseDescrIsNotTheSeedsIsRefusedWhereverTheSeedsDtypeAppears() throws IOException {
        // an object array (pickles, which np.load refuses) with the seed's dtype under another key was read as
        // records, the pickle's bytes as ids and labels
        Path file = npy("pickle.npy", "'|O', 'x': " + MetadataNpy.DESCR, "(0,)");
        assertThatThrownBy(() -> NpyFiles.readMetadata(file, m -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("not a seed metadata array");
        Path twice = npy("twice.npy", MetadataNpy.DESCR + ", 'descr': '|O'", "(0,)");
        assertThatThrownBy(() -> NpyFiles.readMetadata(twice, m -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("not a seed metadata array");
        Path seed = npy("seed.npy", MetadataNpy.DESCR, "(0,)");
        assertThat(NpyFiles.readMetadata(seed, m -> { })).isZero();
    }

    @Test
    void metadataDeclaringMoreRecordsThanTheFileHoldsIsRefused() throws IOException {
        Path file = npy("meta.npy", MetadataNpy.DESCR, "(4000000000,)");
        assertThatThrownBy(() -> NpyFiles.readMetadata(file, m -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("declares 4000000000 records, but the file holds 0");
    }

    @Test
    void aFullDiskWhileWritingAnNpyNamesTheFileAndLeavesNothing() throws IOException {
        Path full = FeatureFilePartsTest.devFull();
        Path npy = dir.resolve("eval_average.npy");
        assertThatThrownBy(() -> NpyFiles.writeFloat32(npy, file -> FileChannel.open(full, StandardOpenOption.WRITE),
                new float[70_000], 700, 100))
                .isInstanceOf(IOException.class)
                .hasMessage(npy + ": writing failed: No space left on device");
        try (var left = Files.list(dir)) {
            assertThat(left).as("nothing under the final name, no staging folder").isEmpty();
        }
    }
}
