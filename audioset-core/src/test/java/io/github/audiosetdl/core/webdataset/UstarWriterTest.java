package io.github.audiosetdl.core.webdataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UstarWriterTest {
    @TempDir
    Path dir;

    /** A shard is owner-only while written (as security.md says of temporary files), readable once published. */
    @Test
    void aShardIsOwnerOnlyWhileWrittenAndReadableOncePublishable() throws Exception {
        Path file = dir.resolve("t.tar");
        try (UstarWriter w = new UstarWriter(file)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            w.add("a.json", "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 2);
            w.finish();
            w.publishable();
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    @Test
    void membersLargerThanABatchGoThroughWholeAndPythonReadsThem() throws Exception {
        byte[] big = new byte[20_000_003]; // over two 8 MB batches, not a whole number of blocks
        new Random(18).nextBytes(big);
        Path file = dir.resolve("t.tar");
        try (UstarWriter w = new UstarWriter(file)) {
            w.add("a.wav", big, big.length);
            w.add("a.json", "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 2);
            w.add("b.wav", big, 1000);
            w.finish();
        }
        long sum = 0;
        for (byte b : big) {
            sum += b & 0xff;
        }
        String out = eachMember(file, "print(m.name, m.size, sum(d), m.mode, m.mtime)");
        assertThat(out).contains("a.wav 20000003 " + sum + " 420 0").contains("a.json 2 248 420 0")
                .contains("b.wav 1000 ");
    }

    @Test
    void int16MembersAreLittleEndianAfterAnyHeadAndAcrossBatches() throws Exception {
        short[] samples = new short[4_500_001]; // 9 MB: crosses a batch boundary
        Random random = new Random(19);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) random.nextInt();
        }
        byte[] oddHead = {1, 2, 3}; // every sample at an odd offset: one is split across the two batches
        byte[] evenHead = new byte[44];
        Path file = dir.resolve("t.tar");
        try (UstarWriter w = new UstarWriter(file)) {
            w.add("odd.wav", oddHead, samples);
            w.add("even.wav", evenHead, samples);
            w.add("short.wav", oddHead, new short[] {-2, 258});
            w.finish();
        }
        String out = eachMember(file, "print(m.name, m.size, hashlib.sha256(d).hexdigest())");
        assertThat(out).contains("odd.wav " + (3 + 2L * samples.length) + " " + sha256(oddHead, samples))
                .contains("even.wav " + (44 + 2L * samples.length) + " " + sha256(evenHead, samples))
                .contains("short.wav 7 " + sha256(oddHead, new short[] {-2, 258}));
        assertThat(sha256(oddHead, new short[] {-2, 258})).isEqualTo(sha256(new byte[] {1, 2, 3, -2, -1, 2, 1},
                new short[0]));
    }

    /**
     * @return what Python's {@code tarfile} prints running {@code statement} on each member {@code m} of
     *     {@code file}, its bytes as {@code d}
     */
    private static String eachMember(Path file, String statement) throws Exception {
        Path python = ExternalTools.require("python3");
        return ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, tarfile, hashlib",
                "with tarfile.open(sys.argv[1]) as t:",
                "    for m in t.getmembers():",
                "        d = t.extractfile(m).read(); " + statement),
                file.toString()));
    }

    /** @return the SHA-256 of {@code head} then {@code samples} as 16-bit little-endian values, in hex */
    private static String sha256(byte[] head, short[] samples) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(head);
        ByteBuffer b = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        md.update(b.array());
        return HexFormat.of().formatHex(md.digest());
    }
}
