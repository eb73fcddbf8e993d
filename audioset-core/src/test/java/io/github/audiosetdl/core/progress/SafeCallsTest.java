package io.github.audiosetdl.core.progress;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A listener that throws, even an error such as a test's assertion, never stops a run; a JVM error does. */
class SafeCallsTest {
    @Test
    void whatAListenerThrowsIsLoggedAndIgnoredButAJvmErrorIsNot() {
        assertThatCode(() -> SafeCalls.call(() -> {
            throw new IllegalStateException("a listener's bug");
        })).doesNotThrowAnyException();
        assertThatCode(() -> SafeCalls.call(() -> {
            throw new AssertionError("a test's listener");
        })).doesNotThrowAnyException();
        assertThatThrownBy(() -> SafeCalls.call(() -> {
            throw new OutOfMemoryError("heap");
        })).isInstanceOf(OutOfMemoryError.class);
    }
}
