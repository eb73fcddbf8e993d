package io.github.audiosetdl.cochlea;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.NpyArrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference cochleagram and envelope in testdata/golden/cochleagram, with its README's tolerances. */
class CochleagramGoldenTest {
    private static Cochleagram seed;
    private static Cochleagram py;

    @BeforeAll
    static void build() {
        seed = Cochleagram.of(CochleagramConfig.seed());
        py = Cochleagram.of(CochleagramConfig.pycochleagram());
    }

    static Stream<Arguments> references() {
        return Stream.of("sine1k", "noise", "chirp", "clicks").flatMap(input -> Stream.of(
                Arguments.of("coch_tf_" + input, input), Arguments.of("coch_py_" + input, input)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void matchesReference(String reference, String input) {
        NpyArrays.Array ref = Golden.load(reference);
        assertThat(ref.shape()).containsExactly(171, 2000);
        Cochleagram coch = reference.startsWith("coch_tf") ? seed : py;
        float[] got = coch.compute(Golden.input(input));
        // README: 1e-5 relative + 1e-5 of the maximum; coch_py_sine1k: 2e-5 of the maximum (FFT round-off
        // amplified by x^0.3 in channels far from 1 kHz)
        double atol = reference.equals("coch_py_sine1k") ? 2e-5 : 1e-5;
        Golden.assertClose(reference, ref.values(), got, 1e-5, atol);
    }

    @Test
    void pycochleagramSineMatchesUncompressed() {
        // the README's other way for coch_py_sine1k: compare y = c^(10/3), where round-off is not amplified
        double[] ref = Golden.load("coch_py_sine1k").values();
        float[] got = py.compute(Golden.input("sine1k"));
        double[] refLinear = new double[ref.length];
        float[] gotLinear = new float[got.length];
        for (int i = 0; i < ref.length; i++) {
            refLinear[i] = Math.pow(ref[i], 10.0 / 3);
            gotLinear[i] = (float) Math.pow(got[i], 10.0 / 3);
        }
        Golden.assertClose("coch_py_sine1k^(10/3)", refLinear, gotLinear, 1e-5, 1e-5);
    }

    static Stream<Arguments> envelopes() {
        return Stream.of(Arguments.of("envfull_tf_noise_first400", true),
                Arguments.of("envfull_py_noise_first400", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopes")
    void fullRateEnvelopeMatches(String reference, boolean isSeed) {
        NpyArrays.Array ref = Golden.load(reference);
        assertThat(ref.shape()).containsExactly(171, 400);
        Cochleagram.Worker worker = (isSeed ? seed : py).newWorker();
        float[] noise = Golden.input("noise");
        float[] got = new float[171 * 400];
        for (int c = 0; c < 171; c++) {
            double[] env = worker.envelope(noise, c);
            for (int t = 0; t < 400; t++) {
                got[c * 400 + t] = (float) env[t];
            }
        }
        Golden.assertClose(reference, ref.values(), got, 1e-5, 1e-5);
    }

    static Stream<Arguments> variants() {
        return Stream.of(Arguments.of("variant_coch_tf_chirp", CochleagramPreset.SEED),
                Arguments.of("variant_coch_py_chirp", CochleagramPreset.PYCOCHLEAGRAM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void variantParametersMatch(String reference, CochleagramPreset preset) {
        CochleagramConfig config = CochleagramConfig.builder().preset(preset).n(38).sampleFactor(2).lowLimit(50)
                .highLimit(7000).envSampleRate(100).compression(Compression.none()).build();
        Cochleagram coch = Cochleagram.of(config);
        assertThat(coch.channels()).isEqualTo(81);
        assertThat(coch.frames()).isEqualTo(1000);
        NpyArrays.Array ref = Golden.load(reference);
        assertThat(ref.shape()).containsExactly(81, 1000);
        Golden.assertClose(reference, ref.values(), coch.compute(Golden.input("chirp")), 1e-5, 1e-5);
    }

    @Test
    void variantCentreFrequenciesMatch() {
        CochleagramConfig config = CochleagramConfig.builder().n(38).sampleFactor(2).lowLimit(50).highLimit(7000)
                .envSampleRate(100).build();
        double[] ref = Golden.load("variant_center_freqs_hz").values();
        double[] got = Cochleagram.of(config).centerFrequencies();
        assertThat(got).hasSize(ref.length);
        for (int i = 0; i < ref.length; i++) {
            assertThat(got[i]).as("centre frequency %d", i).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(
                    1e-9 * Math.max(1, ref[i])));
        }
    }
}
