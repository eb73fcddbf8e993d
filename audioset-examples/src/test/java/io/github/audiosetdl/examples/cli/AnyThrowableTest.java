package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors become one plain line: no class dump, no stack trace, no control characters (issue 14, item 6). */
class AnyThrowableTest {
    @Test
    void errorsAreDescribedInOneLine() {
        assertThat(AudioSetCli.describe(new OutOfMemoryError("Java heap space")))
                .startsWith("out of memory (Java heap space)").doesNotContain("\n");
        assertThat(AudioSetCli.describe(new StackOverflowError())).startsWith("stack overflow");
        assertThat(AudioSetCli.describe(new NegativeArraySizeException("-4")))
                .isEqualTo("java.lang.NegativeArraySizeException: -4 (AUDIOSET_DEBUG=1 shows where)");
    }

    @Test
    void controlCharactersInMessagesAreNeutralised() {
        assertThat(AudioSetCli.describe(new IllegalArgumentException("bad \u001b[31mred\u001b[0m\nsecond")))
                .isEqualTo("bad ?[31mred?[0m second");
    }
}
