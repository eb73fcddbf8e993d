package io.github.audiosetdl.core.webdataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UstarWriterTest {
    @TempDir
    Path dir;

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
        assertThat(TarKeys.read(file, 5)).containsExactly("a", "b");
        long sum = 0;
        for (byte b : big) {
            sum += b & 0xff;
        }
        Path python = ExternalTools.require("python3");
        String out = ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, tarfile",
                "with tarfile.open(sys.argv[1]) as t:",
                "    for m in t.getmembers():",
                "        d = t.extractfile(m).read(); print(m.name, m.size, sum(d), m.mode, m.mtime)"),
                file.toString()));
        assertThat(out).contains("a.wav 20000003 " + sum + " 420 0").contains("a.json 2 248 420 0")
                .contains("b.wav 1000 ");
    }
}
