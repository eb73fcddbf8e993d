package io.github.audiosetdl.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeedPreparationTest {
    static Stream<String> cases() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(TestData.file("golden/prepare/manifest.json").toFile());
        List<String> names = new ArrayList<>();
        manifest.fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(6);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reproducesTheSeedPreparation(String name) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(TestData.file("golden/prepare/manifest.json").toFile()).get(name);
        Path wav = TestData.file("golden/prepare/" + name + ".wav");
        WavFormat format = WavReader.readFormat(wav);
        assertThat(format.sampleRate()).isEqualTo(spec.get("sample_rate").asInt());
        assertThat(format.channels()).isEqualTo(spec.get("channels").asInt());
        assertThat(format.frames()).isEqualTo(spec.get("frames").asLong());
        assertThat(format.floatingPoint()).isEqualTo(spec.get("sample_format").asText().startsWith("float"));

        PreparedAudio prepared = SeedPreparation.DEFAULT.prepare(WavReader.read(wav));
        PreparedAudio streamed = SeedPreparation.DEFAULT.prepare(wav);
        assertThat(streamed.samples()).as("streamed from the file").isEqualTo(prepared.samples());
        PreparedAudio inMemory = fromMemory(wav);
        assertThat(inMemory.samples()).as("from the file's bytes in memory").isEqualTo(prepared.samples());
        assertThat(inMemory.norm()).isEqualTo(prepared.norm());
        assertThat(streamed.norm()).isEqualTo(prepared.norm());
        assertThat(streamed.padded()).isEqualTo(prepared.padded());
        double[] expected = TestData.array("golden/prepare/" + name + ".expected").values();
        float[] actual = prepared.samples();
        assertThat(actual).hasSize(160_000);
        double maxError = 0;
        for (int i = 0; i < actual.length; i++) {
            maxError = Math.max(maxError, Math.abs(actual[i] - expected[i]));
        }
        assertThat(maxError).as("max |actual - expected| for %s", name).isLessThanOrEqualTo(1e-5);
        assertThat(prepared.padded()).isEqualTo(spec.get("padded").asBoolean());
        // The seed's norm is in the file's own units: int16 units for int16 files.
        double unit = spec.get("sample_format").asText().equals("int16") ? 32768.0 : 1.0;
        assertThat(prepared.norm() * unit).isCloseTo(spec.get("norm").asDouble(),
                Offset.offset(1e-6 * Math.max(1, spec.get("norm").asDouble())));
    }

    static Stream<Arguments> formats() {
        List<Arguments> all = new ArrayList<>();
        for (WavEncoding encoding : WavEncoding.values()) {
            all.add(Arguments.of(encoding, 1, 16_000, 160_000));
            all.add(Arguments.of(encoding, 2, 44_100, 300_000)); // shorter than 10 s: padded
            all.add(Arguments.of(encoding, 3, 8_000, 95_000)); // longer than 10 s: cut
        }
        all.add(Arguments.of(WavEncoding.PCM_16, 2, 48_000, 480_000));
        all.add(Arguments.of(WavEncoding.PCM_16, 1, 22_050, 220_500));
        all.add(Arguments.of(WavEncoding.PCM_16, 2, 16_000, 170_000));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void streamingFromTheFileGivesTheSameClipAsDecodingItFirst(WavEncoding encoding, int channels, int rate,
            int frames, @TempDir Path dir) throws IOException {
        Random random = new Random(rate + 31L * channels + encoding.ordinal());
        float[][] x = new float[channels][frames];
        for (float[] c : x) {
            for (int i = 0; i < frames; i++) {
                c[i] = (float) (0.4 * Math.sin(i * 0.05 + c.length) + 0.2 * (random.nextDouble() - 0.5));
            }
        }
        Path wav = dir.resolve("clip.wav");
        WavWriter.write(wav, rate, x, encoding);

        PreparedAudio decoded = SeedPreparation.DEFAULT.prepare(WavReader.read(wav));
        PreparedAudio streamed = SeedPreparation.DEFAULT.prepare(wav);
        PreparedAudio inMemory = fromMemory(wav);

        assertThat(streamed.samples()).hasSize(160_000).isEqualTo(decoded.samples());
        assertThat(streamed.norm()).isEqualTo(decoded.norm()).isPositive();
        assertThat(streamed.padded()).isEqualTo(frames < rate * 10).isEqualTo(decoded.padded());
        assertThat(inMemory.samples()).isEqualTo(decoded.samples());
        assertThat(inMemory.norm()).isEqualTo(decoded.norm());
        assertThat(inMemory.padded()).isEqualTo(decoded.padded());
    }

    /**
     * The file's bytes in an off-heap buffer, at an offset and with bytes after the limit (as the pack's read-ahead
     * hands them over), prepared from memory; the buffer's position and limit are left as they were.
     */
    private static PreparedAudio fromMemory(Path wav) throws IOException {
        byte[] bytes = Files.readAllBytes(wav);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 100);
        buffer.position(37).put(bytes).put(new byte[50]);
        buffer.position(37).limit(37 + bytes.length);
        PreparedAudio prepared = SeedPreparation.DEFAULT.prepare(wav, buffer, new float[160_000]);
        assertThat(buffer.position()).isEqualTo(37);
        assertThat(buffer.limit()).isEqualTo(37 + bytes.length);
        return prepared;
    }

    @Test
    void aTruncatedFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path wav = dir.resolve("YT_truncated.wav");
        WavWriter.writeMono(wav, 16_000, new float[16_000], WavEncoding.PCM_16);
        byte[] bytes = Files.readAllBytes(wav);
        Files.write(wav, Arrays.copyOf(bytes, bytes.length - 1000));

        assertThatThrownBy(() -> SeedPreparation.DEFAULT.prepare(wav))
                .isInstanceOf(WavFormatException.class)
                .hasMessageContaining("YT_truncated.wav")
                .hasMessageContaining("truncated");
        ByteBuffer cut = ByteBuffer.wrap(Files.readAllBytes(wav));
        assertThatThrownBy(() -> SeedPreparation.DEFAULT.prepare(wav, cut, new float[160_000]))
                .isInstanceOf(WavFormatException.class)
                .hasMessageContaining("YT_truncated.wav")
                .hasMessageContaining("truncated");
    }

    @Test
    void aRateAboveTheLimitIsAFormatErrorNotAnExhaustedHeap(@TempDir Path dir) throws IOException {
        // A corrupt header: 200 MHz would need 16 GB of work arrays for a 10-s clip.
        Path wav = dir.resolve("YT_hugerate00.wav");
        WavWriter.writeMono(wav, 16_000, new float[16_000], WavEncoding.PCM_16);
        byte[] bytes = Files.readAllBytes(wav);
        ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(24, 200_000_000).putInt(28, 400_000_000);
        Files.write(wav, bytes);
        assertThatThrownBy(() -> SeedPreparation.DEFAULT.prepare(wav))
                .isInstanceOf(WavFormatException.class)
                .hasMessageContaining("YT_hugerate00.wav")
                .hasMessageContaining("sample rate 200000000 Hz is above the highest supported, 768000 Hz");
    }
}
