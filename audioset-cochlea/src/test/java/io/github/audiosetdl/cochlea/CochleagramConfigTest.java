package io.github.audiosetdl.cochlea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CochleagramConfigTest {

    @Test
    void seedIsTheDefaultAndGives171By2000() {
        CochleagramConfig seed = CochleagramConfig.seed();
        assertThat(CochleagramConfig.builder().build()).isEqualTo(seed);
        assertThat(seed.preset()).isEqualTo(CochleagramPreset.SEED);
        assertThat(seed.sampleRate()).isEqualTo(16_000);
        assertThat(seed.signalLength()).isEqualTo(160_000);
        assertThat(seed.n()).isEqualTo(40);
        assertThat(seed.sampleFactor()).isEqualTo(4);
        assertThat(seed.lowLimit()).isEqualTo(20);
        assertThat(seed.highLimit()).isEqualTo(8000);
        assertThat(seed.envSampleRate()).isEqualTo(200);
        assertThat(seed.compression()).isEqualTo(Compression.sqrt());
        assertThat(seed.channels()).isEqualTo(171);
        assertThat(seed.frames()).isEqualTo(2000);
        assertThat(seed.decimation()).isEqualTo(80);
    }

    @Test
    void pycochleagramPresetDiffersInPipelineAndCompression() {
        CochleagramConfig py = CochleagramConfig.pycochleagram();
        assertThat(py.preset()).isEqualTo(CochleagramPreset.PYCOCHLEAGRAM);
        assertThat(py.compression()).isEqualTo(Compression.power(0.3));
        assertThat(py.toBuilder().preset(CochleagramPreset.SEED).compression(Compression.sqrt()).build())
                .isEqualTo(CochleagramConfig.seed());
    }

    @Test
    void presetDefaultsThenOverridesAsACommandLineDoes() {
        CochleagramConfig c = CochleagramConfig.of(CochleagramPreset.parse("pycochleagram")).toBuilder().n(38)
                .sampleFactor(2).lowLimit(50).highLimit(7000).envSampleRate(100).build();
        assertThat(c.preset()).isEqualTo(CochleagramPreset.PYCOCHLEAGRAM);
        assertThat(c.compression()).isEqualTo(Compression.power(0.3));
        assertThat(c.channels()).isEqualTo(81);
        assertThat(c.frames()).isEqualTo(1000);
        assertThat(CochleagramConfig.of(CochleagramPreset.SEED)).isEqualTo(CochleagramConfig.seed());
    }

    @Test
    void toBuilderRoundTrips() {
        CochleagramConfig c = CochleagramConfig.builder().preset(CochleagramPreset.PYCOCHLEAGRAM).sampleRate(8000)
                .signalLength(8000).n(20).sampleFactor(2).lowLimit(50).highLimit(3000).envSampleRate(100)
                .compression(Compression.none()).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.channels()).isEqualTo(2 * 21 - 1 + 4);
        assertThat(c.frames()).isEqualTo(100);
    }

    @Test
    void framesRoundUp() {
        CochleagramConfig c = CochleagramConfig.builder().signalLength(160_010).build();
        assertThat(c.frames()).isEqualTo(2001);
    }

    @Test
    void settersNameTheBadValue() {
        CochleagramConfig.Builder b = CochleagramConfig.builder();
        assertThatThrownBy(() -> b.sampleFactor(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampleFactor 3 is odd");
        assertThatThrownBy(() -> b.sampleFactor(-2)).hasMessageContaining("-2");
        assertThatThrownBy(() -> b.sampleRate(0)).hasMessageContaining("sampleRate must be positive, not 0");
        assertThatThrownBy(() -> b.signalLength(101)).hasMessageContaining("101");
        assertThatThrownBy(() -> b.n(0)).hasMessageContaining("n must be at least 1, not 0");
        assertThatThrownBy(() -> b.lowLimit(-1)).hasMessageContaining("lowLimit").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> b.highLimit(Double.NaN)).hasMessageContaining("highLimit").hasMessageContaining("NaN");
        assertThatThrownBy(() -> b.envSampleRate(0)).hasMessageContaining("envSampleRate must be positive, not 0");
        assertThatThrownBy(() -> b.preset(null)).isInstanceOf(NullPointerException.class).hasMessage("preset");
        assertThatThrownBy(() -> b.compression(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void boundsTheChannelCount() {
        CochleagramConfig.Builder b = CochleagramConfig.builder();
        assertThatThrownBy(() -> b.n(1_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n 1000000 is above 10000");
        assertThatThrownBy(() -> b.sampleFactor(1_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampleFactor 1000000 is above 64");
        assertThatThrownBy(() -> CochleagramConfig.builder().n(10_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n 10000 with sampleFactor 4 gives 40011 channels, above 10000")
                .hasMessageContaining("n may be at most 2497");
        // 1 s: 200 frames (at 2000 frames, MAX_OUTPUT_LENGTH allows 8388 channels)
        CochleagramConfig.Builder second = CochleagramConfig.builder().signalLength(16_000);
        assertThat(second.n(2497).build().channels()).isEqualTo(9_999);
        assertThat(second.n(9998).sampleFactor(1).build().channels()).isEqualTo(10_000);
        assertThat(second.n(153).sampleFactor(64).build().channels()).isLessThanOrEqualTo(10_000);
        assertThatThrownBy(() -> ErbFilterbank.of(160_000, 16_000, 154, 64, 20, 8000))
                .hasMessageContaining("above 10000");
    }

    /**
     * Before: {@code envSampleRate(16000)} at 16 kHz was accepted, and made 109 MB a row (171 x 160000 float32), more
     * than audioset-hdf5 reads back; and a signal length near {@code Integer.MAX_VALUE} overflowed {@code frames()}
     * into a negative count.
     */
    @Test
    void boundsTheValuesOfARow() {
        assertThat(CochleagramConfig.builder().envSampleRate(8000).build().frames()).isEqualTo(80_000);
        assertThat(CochleagramConfig.builder().envSampleRate(16_000).signalLength(16_000).build().frames())
                .as("the audio rate, for a second").isEqualTo(16_000);
        assertThatThrownBy(() -> CochleagramConfig.builder().envSampleRate(16_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("envSampleRate 16000 Hz gives 171 channels x 160000 frames (signalLength 160000 at"
                        + " sampleRate 16000 Hz): 27360000 values, 109.4 MB of float32 a row, above the 16777216"
                        + " values (67.1 MB) a row may hold; the largest envSampleRate that fits is 8000 Hz");
        // 8192 channels x 2048 frames
        CochleagramConfig atTheBound = CochleagramConfig.builder().n(8190).sampleFactor(1).signalLength(163_840)
                .build();
        assertThat((long) atTheBound.channels() * atTheBound.frames()).isEqualTo(CochleagramConfig.MAX_OUTPUT_LENGTH);
        assertThatThrownBy(() -> CochleagramConfig.builder().n(8190).sampleFactor(1).signalLength(163_842).build())
                .hasMessageContaining("8192 channels x 2049 frames").hasMessageContaining("fits is 160 Hz");
        assertThatThrownBy(() -> CochleagramConfig.builder().n(2497).build())
                .hasMessageContaining("9999 channels x 2000 frames");
        assertThatThrownBy(() -> CochleagramConfig.builder().signalLength(1_000_000_000).build())
                .hasMessageContaining("12500000 frames").hasMessageContaining("fits is 1 Hz");
        assertThatThrownBy(() -> CochleagramConfig.builder().signalLength(2_147_483_646).build())
                .hasMessageContaining("26843546 frames").hasMessageContaining("18.4 GB of float32 a row")
                .hasMessageContaining("no envSampleRate fits");
    }

    @Test
    void buildChecksTheParametersTogether() {
        assertThatThrownBy(() -> CochleagramConfig.builder().highLimit(8000.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("highLimit 8000.5")
                .hasMessageContaining("Nyquist");
        assertThatThrownBy(() -> CochleagramConfig.builder().lowLimit(8000).build())
                .hasMessageContaining("lowLimit 8000.0 Hz must be below highLimit 8000.0");
        assertThatThrownBy(() -> CochleagramConfig.builder().lowLimit(9000).build())
                .hasMessageContaining("lowLimit 9000.0");
        assertThatThrownBy(() -> CochleagramConfig.builder().envSampleRate(300).build())
                .hasMessageContaining("envSampleRate 300").hasMessageContaining("divide");
        assertThatThrownBy(() -> CochleagramConfig.builder().envSampleRate(32_000).build())
                .hasMessageContaining("envSampleRate 32000");
    }

    @ParameterizedTest
    @CsvSource({"none, none", "sqrt, sqrt", "power:0.3, power:0.3", "POWER:0.25, power:0.25", " Sqrt , sqrt",
        "power:1, power:1.0"})
    void compressionParsesTheCommandLineForm(String text, String canonical) {
        Compression c = Compression.parse(text);
        assertThat(c.toString()).isEqualTo(canonical);
        assertThat(Compression.parse(c.toString())).isEqualTo(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cube", "power:", "power:x", "power:0", "power:1.5", "power:-0.3", ""})
    void compressionRejectsOtherText(String text) {
        assertThatThrownBy(() -> Compression.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "''" : text.substring(text.indexOf(':') + 1));
    }

    @Test
    void compressionApplies() {
        assertThat(Compression.none().apply(0.25)).isEqualTo(0.25);
        assertThat(Compression.sqrt().apply(0.25)).isEqualTo(0.5);
        assertThat(Compression.power(0.3).apply(0.25)).isEqualTo(Math.pow(0.25, 0.3));
        assertThatThrownBy(() -> new Compression(Compression.Kind.SQRT, 0.3)).hasMessageContaining("0.3");
    }

    @Test
    void presetParses() {
        assertThat(CochleagramPreset.parse("seed")).isEqualTo(CochleagramPreset.SEED);
        assertThat(CochleagramPreset.parse("PyCochleagram")).isEqualTo(CochleagramPreset.PYCOCHLEAGRAM);
        assertThat(CochleagramPreset.PYCOCHLEAGRAM.toString()).isEqualTo("pycochleagram");
        assertThatThrownBy(() -> CochleagramPreset.parse("tf")).hasMessageContaining("'tf'");
    }
}
