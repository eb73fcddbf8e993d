package io.github.audiosetdl.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.examples.cli.AudioSetCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command line in a child JVM with a small heap ({@code -Xmx128m}) and a wall-clock limit, as a
 * user would, so that an {@link Error} or a slow path shows up as it would for them. Output goes to files
 * (no pipe can block the child); the child is killed, with its descendants, if it overstays.
 */
public final class ChildCli {
    /** The heap every child gets. */
    public static final String HEAP = "-Xmx128m";

    private ChildCli() {
    }

    /**
     * What a run left.
     *
     * @param exit the exit code
     * @param out standard output
     * @param err standard error
     * @param elapsed the wall-clock time
     */
    public record Result(int exit, String out, String err, Duration elapsed) {
        /** @return the non-empty lines of standard error */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).filter(l -> !l.contains("Using incubator modules"))
                    .toList();
        }

        /** Asserts exit 1 and exactly one line on standard error that holds every fragment. */
        public Result failsWithOneLine(String... fragments) {
            assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(1);
            assertThat(errLines()).as("stderr").hasSize(1);
            assertThat(errLines().get(0)).contains(fragments).doesNotContain("Exception in thread")
                    .doesNotContainPattern("\\tat [a-z]");
            return this;
        }
    }

    /**
     * @param dir a folder for the child's output files
     * @param limit the longest the child may run
     * @param env extra environment variables
     * @param args the command line
     * @return what happened
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted
     */
    public static Result run(Path dir, Duration limit, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return start(dir, env, args).await(limit);
    }

    /**
     * A child started by {@link #start}: signal it through {@link #process()}, then {@link #await} it.
     *
     * @param process the child JVM
     * @param args its command line (after the main class)
     * @param out its standard output file
     * @param err its standard error file
     * @param startNanos when it started ({@link System#nanoTime()})
     */
    public record Running(Process process, List<String> args, Path out, Path err, long startNanos) {
        /**
         * Waits for the child to end; kills it, with its descendants, if it overstays (an assertion error then).
         *
         * @param limit the longest it may still run
         * @return what happened
         * @throws IOException if its output cannot be read
         * @throws InterruptedException if interrupted
         */
        public Result await(Duration limit) throws IOException, InterruptedException {
            Process p = process;
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the command did not end within " + limit.toSeconds() + " s: "
                            + String.join(" ", args));
                }
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), elapsed);
        }
    }

    /**
     * Starts the command line in a child JVM.
     *
     * @param dir a folder for the child's output files
     * @param env extra environment variables
     * @param args the command line
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public static Running start(Path dir, Map<String, String> env, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), HEAP, "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), AudioSetCli.class.getName()));
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "child-", ".out");
        Path err = Files.createTempFile(dir, "child-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        return new Running(p, List.of(args), out, err, start);
    }

    /** {@link #run(Path, Duration, Map, String...)} with a 60 s limit and no extra environment. */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Duration.ofSeconds(60), Map.of(), args);
    }
}
