package io.github.audiosetdl.core.spi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WaveformLayoutTest {
    /** A library caller set no command-line option: the message names the builder call it made. */
    @Test
    void float32ForAnInt16FormatNamesTheBuilderValueNotACommandLineOption() {
        for (PackFormat f : new PackFormat[] {PackFormat.PANNS, PackFormat.WEBDATASET}) {
            assertThatThrownBy(() -> WaveformLayout.builder().format(f).sampleType(SampleType.FLOAT32).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the " + f.label() + " format stores int16 samples; sampleType(FLOAT32) applies to"
                            + " the seed format only")
                    .hasMessageNotContaining("--");
        }
    }
}
