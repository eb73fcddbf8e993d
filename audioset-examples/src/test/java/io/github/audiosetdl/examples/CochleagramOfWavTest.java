package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;
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
}
