package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --progress auto} draws the bar only where it goes: when standard error is a terminal. */
class ProgressTerminalTest {
    @TempDir
    Path dir;

    @Test
    void theStreamsLinkTellsATerminal() throws Exception {
        Path pts = Files.createSymbolicLink(dir.resolve("2"), Path.of("/dev/pts/0"));
        Path file = Files.createSymbolicLink(dir.resolve("3"), dir.resolve("pack.log"));
        Path pipe = Files.createSymbolicLink(dir.resolve("4"), Path.of("pipe:[12345]"));

        assertThat(ProgressOptions.onTerminal(pts, false)).isTrue();
        assertThat(ProgressOptions.onTerminal(file, true)).isFalse();
        assertThat(ProgressOptions.onTerminal(pipe, true)).isFalse();
        assertThat(ProgressOptions.onTerminal(dir.resolve("missing"), true)).isTrue();
        assertThat(ProgressOptions.onTerminal(dir.resolve("missing"), false)).isFalse();
    }

    /** On a terminal with {@code 2> log}: the log gets log lines, not the bar's carriage returns. */
    @Test
    void standardErrorRedirectedToAFileGetsLogLines() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "/proc is needed");
        Path script = ExternalTools.require("script"); // util-linux: runs a command on a pseudo-terminal
        Path downloads = PackCommandTest.downloads(dir, 2);
        Path log = dir.resolve("pack log.txt");
        // the paths reach the shell as variables, never as part of the command's text
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec",
                "exec \"$JAVA\" -cp \"$CP\" " + AudioSetCli.class.getName() + " pack --downloads \"$D\" --csv \"$C\""
                        + " --out \"$O\" --threads 1 2>\"$LOG\"", "/dev/null");
        Map<String, String> env = pb.environment();
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("CP", System.getProperty("java.class.path"));
        env.put("D", downloads.toString());
        env.put("C", dir.resolve("demo.csv").toString());
        env.put("O", dir.resolve("out").toString());
        env.put("LOG", log.toString());
        Process child = pb.redirectErrorStream(true).redirectOutput(dir.resolve("terminal.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("pack finished within 120 s").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        String terminal = Files.readString(dir.resolve("terminal.txt"));
        assertThat(child.exitValue()).as(terminal).isZero();
        assertThat(terminal).contains("wrote 2 rows");
        String text = Files.readString(log);
        assertThat(text).doesNotContain("\r").contains("pack: finished");
    }
}
