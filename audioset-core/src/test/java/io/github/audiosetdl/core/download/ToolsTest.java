package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.ToolNotFoundException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolsTest {
    /** A name no machine has on its PATH. */
    private static final String NONE = "audioset-no-such-tool-7f3a";

    @Test
    void aGivenPathWinsThenPathThenTheFallback() {
        Path given = Path.of("/opt/ffmpeg");
        assertThat(Tools.find(NONE, Optional.of(given), t -> Optional.of(Path.of("/never")))).isEqualTo(given);
        Path fallback = Path.of("/bundled/" + NONE);
        assertThat(Tools.find(NONE, Optional.empty(), t -> Optional.of(Path.of("/bundled", t)))).isEqualTo(fallback);
    }

    @Test
    void aMissingToolIsNamedWithoutAnyCommandLineOption() {
        assertThatThrownBy(() -> Tools.find(NONE, Optional.empty(), null))
                .isInstanceOfSatisfying(ToolNotFoundException.class, e -> assertThat(e.tool()).isEqualTo(NONE))
                .hasMessage(NONE + " was not found: it is not on PATH; install it or give its path");
        assertThatThrownBy(() -> ToolLocator.find(NONE, Optional.empty()))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("no bundled copy is available").hasMessageNotContaining("--");
    }
}
