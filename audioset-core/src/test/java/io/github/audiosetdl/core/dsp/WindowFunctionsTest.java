package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class WindowFunctionsTest {
    @Test
    void besselI0MatchesKnownValues() {
        assertThat(WindowFunctions.besselI0(0)).isEqualTo(1.0);
        assertThat(WindowFunctions.besselI0(1)).isCloseTo(1.2660658777520082, offset(1e-15));
        assertThat(WindowFunctions.besselI0(9)).isCloseTo(1093.5883545113745, offset(1e-9));
    }

    @Test
    void sincIsNormalised() {
        assertThat(WindowFunctions.sinc(0)).isEqualTo(1.0);
        assertThat(WindowFunctions.sinc(1)).isCloseTo(0.0, offset(1e-16));
        assertThat(WindowFunctions.sinc(0.5)).isCloseTo(2 / Math.PI, offset(1e-16));
    }
}
