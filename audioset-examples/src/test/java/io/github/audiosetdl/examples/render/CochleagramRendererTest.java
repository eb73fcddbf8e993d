package io.github.audiosetdl.examples.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CochleagramRendererTest {
    private static final int C = 64;
    private static final int F = 400;

    /** Channels log-spaced from 20 Hz to 8 kHz; energy only where the channel is near a rising tone. */
    private static float[] risingTone(double[] cf) {
        float[] v = new float[C * F];
        for (int c = 0; c < C; c++) {
            cf[c] = 20 * Math.pow(400, c / (double) (C - 1));
        }
        for (int f = 0; f < F; f++) {
            double toneHz = 50 * Math.pow(100, f / (double) (F - 1)); // 50 Hz -> 5 kHz
            for (int c = 0; c < C; c++) {
                double d = Math.log(cf[c] / toneHz);
                v[c * F + f] = (float) Math.exp(-d * d * 20);
            }
        }
        return v;
    }

    private static double brightness(int rgb) {
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }

    @Test
    void energyAppearsAtItsTimeAndFrequency(@TempDir Path dir) throws IOException {
        double[] cf = new double[C];
        float[] v = risingTone(cf);
        CochleagramRenderer renderer = CochleagramRenderer.of(400, 200, 20);
        BufferedImage image = renderer.render(v, C, F, cf, 40.0, "rising tone");
        assertThat(image.getWidth()).isEqualTo(78 + 400 + 96);
        assertThat(image.getHeight()).isEqualTo(38 + 200 + 52);
        // At the start (x near 0) the tone is at 50 Hz: bright near the bottom, dark near the top.
        int xStart = 78 + 2;
        int xEnd = 78 + 397;
        int yLow = 38 + pixelRowOf(50, 200);
        int yHigh = 38 + pixelRowOf(5000, 200);
        assertThat(brightness(image.getRGB(xStart, yLow))).isGreaterThan(brightness(image.getRGB(xStart, yHigh)) + 200);
        assertThat(brightness(image.getRGB(xEnd, yHigh))).isGreaterThan(brightness(image.getRGB(xEnd, yLow)) + 200);
        Path png = dir.resolve("out/coch.png");
        CochleagramRenderer.writePng(image, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertThat(back.getWidth()).isEqualTo(image.getWidth());
        assertThat(back.getRGB(xStart, yLow)).isEqualTo(image.getRGB(xStart, yLow));
        try (var files = Files.list(png.getParent())) {
            assertThat(files).containsExactly(png); // no temporary left
        }
    }

    /** Pixel row of a frequency on the 20 Hz .. 8 kHz log axis of the test's channels. */
    private static int pixelRowOf(double hz, int height) {
        double t = Math.log(hz / 20) / Math.log(8000.0 / 20);
        return (int) Math.round((1 - t) * height);
    }

    @Test
    void viridisEndsAreDarkPurpleAndYellow() {
        assertThat(CochleagramRenderer.viridis(0)).isEqualTo(0x440154);
        assertThat(CochleagramRenderer.viridis(1)).isEqualTo(0xFDE725);
        assertThat(CochleagramRenderer.viridis(2)).isEqualTo(0xFDE725);
    }

    @Test
    void rejectsInconsistentShapes() {
        CochleagramRenderer r = CochleagramRenderer.standard();
        assertThatThrownBy(() -> r.render(new float[10], 2, 4, new double[] {1, 2}, 200, ""))
                .hasMessageContaining("10 entries");
        assertThatThrownBy(() -> r.render(new float[8], 2, 4, new double[] {1}, 200, ""))
                .hasMessageContaining("1 centre frequencies");
        assertThatThrownBy(() -> r.render(new float[8], 2, 4, new double[] {2, 1}, 200, ""))
                .hasMessageContaining("must ascend");
    }

    @Test
    void aConstantImageDoesNotDivideByZero() {
        BufferedImage image = CochleagramRenderer.standard().render(new float[8], 2, 4, new double[] {100, 200}, 2,
                "zeros");
        assertThat(image.getRGB(100, 100)).isEqualTo(0xFF440154);
    }

    @Test
    void temporaryPngsOfKilledRunsAreRemovedByTheNextWriteAndALiveRunsKept(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("clip.png");
        // before, a render killed between creating the PNG's temporary file and renaming it left it for good
        java.util.List<Path> planted = io.github.audiosetdl.core.testing.KilledRuns.plantTemporaries(png);
        CochleagramRenderer.writePng(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(4);
        assertThat(planted.get(0)).doesNotExist();
        assertThat(planted.subList(1, 3)).allMatch(Files::exists);
    }
}
