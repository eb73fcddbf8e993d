package io.github.audiosetdl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BoundedProcess}: the end of a long output kept, a program past its limit stopped. */
class BoundedProcessTest {
    @Test
    void aProgramRunKeepsTheEndOfItsOutput() throws Exception {
        // 168,894 bytes
        BoundedProcess.Result r = BoundedProcess.run(List.of("seq", "1", "30000"), Duration.ofSeconds(30));

        assertThat(r.exit()).hasValue(0);
        assertThat(r.output()).startsWith("...").endsWith("\n29999\n30000\n").hasSize(3 + 64 * 1024);
    }

    @Test
    void aProgramPastItsLimitIsStoppedEvenIfItIgnoresSigterm() throws Exception {
        long start = System.nanoTime();
        BoundedProcess.Result r = BoundedProcess.run(
                List.of("bash", "-c", "echo started; trap '' TERM; sleep 60"), Duration.ofSeconds(1));

        assertThat(r.exit()).isEmpty();
        assertThat(r.output()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("1 s, then a 2 s grace before SIGKILL")
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(20));
    }
}
