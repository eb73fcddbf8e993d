package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill PID} (SIGTERM to the JVM alone) while the demo synthesises its media leaves no ffmpeg running. */
class DemoStopTest {
    @TempDir
    Path dir;

    @Test
    void sigtermWhileSynthesisingStopsFfmpegAndLeavesNoPartialFile() throws Exception {
        ExternalTools.requireFfmpeg();
        Path out = dir.resolve("demo-out");
        Path media = out.resolve("media");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AudioSetCli.class.getName(), "demo", "--out", out.toString(),
                "--resolver", "direct", "--progress", "log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean synthesising = false;
            while (!synthesising && System.nanoTime() < deadline && child.isAlive()) {
                synthesising = !partialFiles(media).isEmpty();
                Thread.sleep(20);
            }
            assertThat(synthesising).as("the demo synthesised: " + Files.readString(dir.resolve("child.log")))
                    .isTrue();
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the demo stopped").isTrue();

            assertThat(toolsWorkingIn(out)).as("ffmpeg runs left behind").isEmpty();
            assertThat(partialFiles(media)).isEmpty();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            toolsWorkingIn(out).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static List<Path> partialFiles(Path media) throws Exception {
        if (!Files.isDirectory(media)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(media)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /** @return the live processes other than ours whose arguments name a file under {@code folder} */
    private static List<ProcessHandle> toolsWorkingIn(Path folder) {
        String name = folder.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(a -> Stream.of(a).anyMatch(x -> x.contains(name)
                        && !x.equals(name))).orElse(false))
                .toList();
    }
}
