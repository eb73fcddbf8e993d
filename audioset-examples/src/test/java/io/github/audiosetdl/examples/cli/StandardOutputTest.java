package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A command whose output cannot be written fails, unless the reader closed the pipe on purpose. */
class StandardOutputTest {
    private final StringWriter err = new StringWriter();

    /** A standard output whose every write fails with {@code reason}, as a full disk or a closed pipe does. */
    private static OutputStream failing(String reason) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(reason);
            }
        };
    }

    private static String[] segments() {
        return new String[] {"segments", "--csv", TestData.evalSegments().toString(), "--top", "0"};
    }

    @Test
    void aFullDiskUnderStandardOutputFailsTheCommand() {
        int code = AudioSetCli.run(new PrintWriter(failing("No space left on device"), true),
                new PrintWriter(err, true), segments());

        assertThat(code).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset: cannot write to standard output");
    }

    @Test
    void theFailureNamesTheReason() {
        AudioSetCli.StandardOutput stdout = new AudioSetCli.StandardOutput(failing("No space left on device"));
        int code = AudioSetCli.run(new PrintWriter(stdout, true), stdout::error, new PrintWriter(err, true),
                segments());

        assertThat(code).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).isEqualTo("audioset: cannot write to standard output: No space left on device"
                + System.lineSeparator());
    }

    @Test
    void aReaderThatLeftEarlyIsNoFailure() {
        AudioSetCli.StandardOutput stdout = new AudioSetCli.StandardOutput(failing("Broken pipe"));
        int code = AudioSetCli.run(new PrintWriter(stdout, true), stdout::error, new PrintWriter(err, true),
                segments());

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aFailedCommandKeepsItsExitCode() {
        AudioSetCli.StandardOutput stdout = new AudioSetCli.StandardOutput(failing("No space left on device"));
        int code = AudioSetCli.run(new PrintWriter(stdout, true), stdout::error, new PrintWriter(err, true),
                "segments", "--csv", TestData.evalSegments().toString(), "--top", "-1");

        assertThat(code).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--top -1").doesNotContain("standard output");
    }
}
