package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.audiosetdl.core.testing.TestData;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CochleagramOfWavTest {
    @Test
    void a44kStereoWavBecomesA171By2000CochleagramAndAPicture(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("coch.png");
        CochleagramOfWav.Result r = CochleagramOfWav.run(TestData.file("golden/prepare/s44100_stereo_int16_10s.wav"),
                png);
        assertThat(r.channels()).isEqualTo(171);
        assertThat(r.frames()).isEqualTo(2000);
        assertThat(r.values()).hasSize(171 * 2000);
        assertThat(r.padded()).isFalse();
        // the seed's norm for this file is 15176.611 int16 units (golden/prepare/manifest.json)
        assertThat(r.norm()).isCloseTo(15176.611328125 / 32768, within(1e-6));
        float max = 0;
        for (float v : r.values()) {
            assertThat(v).isNotNaN().isGreaterThanOrEqualTo(0f);
            max = Math.max(max, v);
        }
        assertThat(max).isPositive();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(400);
    }

    @Test
    void aWavWithANanSampleIsNamed(@TempDir Path dir) throws Exception {
        // a mono float32 WAV at 16 kHz, 0.1 s, sample 100 NaN
        int n = 1600;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 4 * n)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 3)
                .putShort((short) 1).putInt(16_000).putInt(64_000).putShort((short) 4).putShort((short) 32)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(4 * n);
        for (int i = 0; i < n; i++) {
            b.putFloat(i == 100 ? Float.NaN : (float) Math.sin(i * 0.1));
        }
        Path wav = java.nio.file.Files.write(dir.resolve("nan.wav"), b.array());
        assertThatThrownBy(() -> CochleagramOfWav.run(wav, dir.resolve("nan.png")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining(wav + ": ")
                .hasMessageContaining("NaN");
        assertThat(dir.resolve("nan.png")).doesNotExist();
    }
}
