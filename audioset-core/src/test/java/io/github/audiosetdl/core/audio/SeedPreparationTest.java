package io.github.audiosetdl.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.testing.NpyArrays;
import io.github.audiosetdl.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SeedPreparationTest {
    static Stream<String> cases() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(SharedData.file("golden/prepare/manifest.json").toFile());
        List<String> names = new ArrayList<>();
        manifest.fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(6);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reproducesTheSeedPreparation(String name) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(SharedData.file("golden/prepare/manifest.json").toFile()).get(name);
        Path wav = SharedData.file("golden/prepare/" + name + ".wav");
        WavFormat format = WavReader.readFormat(wav);
        assertThat(format.sampleRate()).isEqualTo(spec.get("sample_rate").asInt());
        assertThat(format.channels()).isEqualTo(spec.get("channels").asInt());
        assertThat(format.frames()).isEqualTo(spec.get("frames").asLong());
        assertThat(format.floatingPoint()).isEqualTo(spec.get("sample_format").asText().startsWith("float"));

        PreparedAudio prepared = SeedPreparation.DEFAULT.prepare(WavReader.read(wav));
        double[] expected = NpyArrays.read(SharedData.file("golden/prepare/" + name + ".expected.npy")).values();
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
}
