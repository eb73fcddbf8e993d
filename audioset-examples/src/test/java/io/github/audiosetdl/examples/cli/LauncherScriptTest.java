package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./audioset} launcher, copied into a folder whose path holds a space, beside a jar whose main class
 * is {@link LauncherProbe}: which java it runs, and that arguments, JVM options and exit codes pass through.
 */
class LauncherScriptTest {
    @TempDir
    Path dir;

    private Path root;
    private Path bin;
    private String bash;

    @BeforeEach
    void setUp() throws IOException {
        Optional<Path> shell = onPath("bash");
        assumeTrue(shell.isPresent() && onPath("find").isPresent() && onPath("dirname").isPresent(),
                "bash, find and dirname are needed");
        bash = shell.get().toString();
        root = dir.resolve("a root");
        Files.createDirectories(root.resolve("audioset-examples/target"));
        Files.copy(Path.of("..", "audioset"), root.resolve("audioset"));
        writeProbeJar(root.resolve("audioset-examples/target/audioset-cli.jar"));
        bin = Files.createDirectory(dir.resolve("bin")); // find and dirname, but no java
        for (String tool : List.of("find", "dirname")) {
            Files.createSymbolicLink(bin.resolve(tool), onPath(tool).orElseThrow());
        }
    }

    @Test
    void javaHomeIsUsedWhenJavaIsNotOnThePath() throws Exception {
        String javaHome = System.getProperty("java.home");
        Result r = launch(Map.of("JAVA_HOME", javaHome, "AUDIOSET_JAVA_OPTS", "-Dprobe=set"), "0", "two words");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("java.home=" + Path.of(javaHome).toRealPath()).contains("probe=set")
                .contains("arg=two words");
    }

    @Test
    void theExitCodeOfTheCommandIsTheLaunchers() throws Exception {
        assertThat(launch(Map.of("JAVA_HOME", System.getProperty("java.home")), "3").code).isEqualTo(3);
    }

    @Test
    void aJavaHomeWithoutJavaOrNoJavaAtAllIsNamed() throws Exception {
        Result r = launch(Map.of("JAVA_HOME", dir.resolve("no jdk").toString()), "0");
        assertThat(r.code).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(r.err).contains("JAVA_HOME=" + dir.resolve("no jdk") + " has no bin/java");
        r = launch(Map.of(), "0");
        assertThat(r.code).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(r.err).contains("no java on the PATH").contains("JAVA_HOME");
    }

    /**
     * Two launchers started together on a stale jar build it once, one after the other: before, both ran Maven in
     * the same target folders (one failed, and the jar could end up deleted). The fake {@code mvn} logs when each
     * build starts and ends.
     */
    @Test
    void launchersStartedTogetherBuildTheJarOnceAtATime() throws Exception {
        for (String tool : List.of("flock", "mkdir", "sleep", "cp")) { // flock: util-linux
            Files.createSymbolicLink(bin.resolve(tool), io.github.audiosetdl.core.testing.ExternalTools.require(tool));
        }
        Path jar = root.resolve("audioset-examples/target/audioset-cli.jar");
        Path built = Files.copy(jar, dir.resolve("built.jar"));
        Path log = dir.resolve("builds.log");
        Files.writeString(bin.resolve("mvn"), "#!" + bash + "\n"
                + "echo \"start $$\" >> " + SlurmCommand.quote(log.toString()) + "\n"
                + "sleep 2\n"
                + "cp " + SlurmCommand.quote(built.toString()) + " " + SlurmCommand.quote(jar.toString()) + "\n"
                + "echo \"end $$\" >> " + SlurmCommand.quote(log.toString()) + "\n");
        bin.resolve("mvn").toFile().setExecutable(true);
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 60_000)); // older than the pom: stale

        List<Process> launchers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(bash, root.resolve("audioset").toString(), "0", "run " + i);
            pb.environment().clear();
            pb.environment().put("PATH", bin.toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            launchers.add(pb.redirectErrorStream(true).redirectOutput(dir.resolve("launcher" + i + ".txt").toFile())
                    .start());
        }
        for (int i = 0; i < launchers.size(); i++) {
            Process p = launchers.get(i);
            try {
                assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                String output = Files.readString(dir.resolve("launcher" + i + ".txt"));
                assertThat(p.exitValue()).as(output).isZero();
                assertThat(output).contains("arg=run " + i);
            } finally {
                p.destroyForcibly();
            }
        }
        List<String> builds = Files.readAllLines(log);
        assertThat(builds).as("one build, never two at once").hasSize(2);
        assertThat(builds.get(0)).startsWith("start ");
        assertThat(builds.get(1)).isEqualTo("end " + builds.get(0).substring("start ".length()));
    }

    private Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(bash, root.resolve("audioset").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err,
                StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
    }

    private static Optional<Path> onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    private static void writeProbeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream in = LauncherProbe.class.getResourceAsStream("/" + entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
