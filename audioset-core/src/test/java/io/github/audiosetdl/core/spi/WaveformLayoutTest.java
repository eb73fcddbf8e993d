package io.github.audiosetdl.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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

    /**
     * A store's caller names the data set ({@code DatasetStore.createWaveforms(dir, name, ...)}): a name that is a
     * path would put the output outside {@code dir}.
     */
    @Test
    void theMainFileOfANameThatIsAPathIsRefused() {
        Path dir = Path.of("/data/out");
        for (WaveformLayout layout : new WaveformLayout[] {WaveformLayout.SEED,
                WaveformLayout.builder().format(PackFormat.PANNS).build(),
                WaveformLayout.builder().format(PackFormat.WEBDATASET).build()}) {
            for (String name : new String[] {"../escape", "bad/name", "a\\b", "..", ".", " ", "line\nbreak"}) {
                assertThatThrownBy(() -> layout.mainFile(dir, name)).as("%s", name)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data set name '" + name
                                + "'");
            }
            assertThat(layout.mainFile(dir, "eval segments").getParent()).isEqualTo(dir);
        }
    }
}
