package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** The reason is the locale's: "Broken pipe" only in English. A pipe's reader leaving is no failure in any. */
    @Test
    void aReaderThatLeftEarlyIsNoFailureInAnyLanguage(@TempDir Path dir) throws IOException {
        AudioSetCli.StandardOutput stdout = new AudioSetCli.StandardOutput(
                failing("Datenübergabe unterbrochen (broken pipe)"));
        Path pipe = Files.createSymbolicLink(dir.resolve("1"), Path.of("pipe:[4242]"));
        Path file = Files.createSymbolicLink(dir.resolve("2"), dir.resolve("out.txt"));
        assertThat(AudioSetCli.isPipe(pipe)).isTrue();
        assertThat(AudioSetCli.isPipe(file)).isFalse();
        assertThat(AudioSetCli.isPipe(dir.resolve("missing"))).isFalse();

        int code = AudioSetCli.run(new PrintWriter(stdout, true), stdout::error, () -> AudioSetCli.isPipe(pipe),
                new PrintWriter(err, true), segments());

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
    }

    /**
     * {@code | head -1} in a German locale (its strerror says "Datenübergabe unterbrochen (broken pipe)"): the
     * command exited 1, "cannot write to standard output". The locale is compiled into a temporary folder.
     */
    @Test
    void aClosedPipeInAGermanLocaleIsNoFailure(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "/proc is needed");
        assumeTrue(Files.exists(Path.of("/usr/share/locale/de/LC_MESSAGES/libc.mo")), "glibc's German messages");
        Path localedef = io.github.audiosetdl.core.testing.ExternalTools.require("localedef");
        Path locales = Files.createDirectories(dir.resolve("locales"));
        Process def = new ProcessBuilder(localedef.toString(), "-i", "de_DE", "-f", "UTF-8",
                locales.resolve("de_DE.UTF-8").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("localedef.txt").toFile()).start();
        try {
            assertThat(def.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            def.destroyForcibly();
        }
        assumeTrue(Files.isDirectory(locales.resolve("de_DE.UTF-8")), "localedef made the German locale");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AudioSetCli.class.getName(), "segments", "--csv",
                TestData.evalSegments().toString(), "--top", "0");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("LOCPATH", locales.toString());
        pb.environment().put("LC_ALL", "de_DE.UTF-8");
        Process child = pb.start();
        try {
            child.getInputStream().close(); // the reader leaves before the command writes its first line
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stderr = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(stderr).isZero();
            assertThat(stderr).doesNotContain("standard output");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
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
