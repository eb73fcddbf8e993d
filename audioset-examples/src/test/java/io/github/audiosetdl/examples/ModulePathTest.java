package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library jars on the module path, as the README's "Library API" section tells a user to run them: the three
 * jars ({@code audioset-core}, {@code audioset-cochlea}, {@code audioset-hdf5}, automatic modules) and their runtime
 * dependencies, with {@code --add-modules ALL-MODULE-PATH}, with and without an SLF4J binding. No package may be
 * split across those jars (the module system refuses to start then), and a small program that requires the three
 * modules compiles against the jars and runs in a child JVM: it streams a segments CSV, computes a cochleagram,
 * writes and reads a waveform HDF5 file and runs the pipeline on it (which finds {@code Hdf5DatasetStore} as a
 * service).
 *
 * <p>The jars are those {@code mvn verify} has built in the reactor before this module's tests
 * ({@code audioset-core/target/audioset-core-<version>.jar}, ...), found on the test class path; the dependencies are
 * the command line's runtime dependencies ({@code target/bundled-artifacts.txt}, which this module's build lists)
 * without the command line's own (picocli, the fallback ffmpeg, the SLF4J binding). A run that has not packaged the
 * library modules ({@code mvn test}: their {@code target/classes} folders are on the class path) skips the test,
 * but fails it under {@code CI=true}.
 */
class ModulePathTest {
    private static final List<String> LIBRARIES = List.of("audioset-core", "audioset-cochlea", "audioset-hdf5");
    /** The command line's dependencies, which a library user does not get ({@code audioset-examples/pom.xml}). */
    private static final Set<String> COMMAND_LINE_ONLY = Set.of("info.picocli:picocli",
            "ws.schild:jave-nativebin-linux64", "org.slf4j:slf4j-simple");
    private static final String SLF4J_BINDING = "org.slf4j:slf4j-simple";
    private static final Pattern ARTIFACT = Pattern.compile("^\\s*([^:\\s]+):([^:\\s]+):jar:([^:\\s]+):(\\w+)");
    private static final long WAIT_SECONDS = 60;

    private static final String MODULE_INFO = """
            module probe {
                requires io.github.audiosetdl.core;
                requires io.github.audiosetdl.cochlea;
                requires io.github.audiosetdl.hdf5;
            }
            """;

    private static final String PROBE = """
            package probe;

            import io.github.audiosetdl.cochlea.Cochleagram;
            import io.github.audiosetdl.cochlea.CochleagramConfig;
            import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
            import io.github.audiosetdl.core.LabelIndex;
            import io.github.audiosetdl.core.SegmentCsv;
            import io.github.audiosetdl.core.SegmentRow;
            import io.github.audiosetdl.core.audio.PreparedAudio;
            import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
            import io.github.audiosetdl.core.spi.WaveformSink;
            import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
            import io.github.audiosetdl.hdf5.WaveformFileReader;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;
            import java.util.stream.Stream;

            public final class Main {
                private Main() {
                }

                public static void main(String[] args) throws Exception {
                    Path dir = Path.of(args[0]);
                    Path csv = Files.writeString(dir.resolve("segments.csv"),
                            "# YTID, start_seconds, end_seconds, positive_labels\\n"
                            + "--PJHxphWEs, 30.000, 40.000, \\"/m/09x0r,/t/dd00088\\"\\n");
                    List<SegmentRow> rows;
                    try (Stream<SegmentRow> s = SegmentCsv.stream(csv)) {
                        rows = s.toList();
                    }
                    System.out.println("segment " + rows.get(0).segment().ytid() + " "
                            + rows.get(0).segment().labelIds());
                    CochleagramConfig config = CochleagramConfig.seed().toBuilder().signalLength(1600).n(4)
                            .sampleFactor(1).build();
                    float[] tone = new float[1600];
                    for (int i = 0; i < tone.length; i++) {
                        tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
                    }
                    float[] c = Cochleagram.of(config).compute(tone);
                    System.out.println("cochleagram " + config.channels() + "x" + config.frames() + " " + c.length);
                    Path h5 = dir.resolve("probe.hdf5");
                    try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(h5, LabelIndex.audioSet(),
                            16000, 1600)) {
                        sink.write(rows.get(0), new PreparedAudio(tone, 1.0, false));
                        sink.commit();
                    }
                    try (WaveformFileReader r = WaveformFileReader.open(h5)) {
                        System.out.println("waveforms " + r.size() + " " + r.ytid(0));
                    }
                    try (AudioSetPipeline p = AudioSetPipeline.builder().waveforms(h5)
                            .features(CochleagramFeatures.of(config)).build()) {
                        System.out.println("pipeline " + p.run().features().orElseThrow().rows() + " rows");
                    }
                }
            }
            """;

    /** The three library jars. */
    private static List<Path> libraries;
    /** The library jars' runtime dependencies, by groupId:artifactId. */
    private static Map<String, Path> dependencies;
    /** Everything the command line bundles (picocli, the fallback ffmpeg, the SLF4J binding), by groupId:artifactId. */
    private static Map<String, Path> commandLineOnly;

    @TempDir
    static Path dir;

    private static Path probeModule;

    /** Compiles the program (javac warns of every {@code requires} of an automatic module: not an error). */
    @BeforeAll
    static void findTheJarsAndCompileTheProgram() throws IOException {
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath());
        }
        libraries = new ArrayList<>();
        for (String library : LIBRARIES) {
            Optional<Path> jar = classPath.stream().filter(p -> isLibraryJar(p, library)).findFirst();
            if (jar.isEmpty()) {
                missing(library + "'s jar is not on the test class path, which has "
                        + classPath.stream().filter(p -> p.toString().contains(library)).toList()
                        + " (the library modules are not packaged: run mvn verify)");
            }
            libraries.add(jar.get());
        }
        dependencies = new TreeMap<>();
        commandLineOnly = new TreeMap<>();
        Path list = Path.of("target", "bundled-artifacts.txt");
        for (String line : Files.readAllLines(list)) {
            Matcher m = ARTIFACT.matcher(line);
            if (!m.find()) {
                continue;
            }
            String key = m.group(1) + ":" + m.group(2);
            String file = m.group(2) + "-" + m.group(3) + ".jar";
            Path jar = classPath.stream().filter(p -> p.getFileName().toString().equals(file)).findFirst()
                    .orElseThrow(() -> new AssertionError(list + " names " + key + ", whose " + file
                            + " is not on the test class path " + classPath));
            (COMMAND_LINE_ONLY.contains(key) ? commandLineOnly : dependencies).put(key, jar);
        }
        assertThat(dependencies).as("the library's runtime dependencies, from " + list)
                .containsKeys("org.apache.commons:commons-csv", "io.jhdf:jhdf", "org.slf4j:slf4j-api");

        Path src = Files.createDirectories(dir.resolve("src/probe"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Path main = Files.writeString(Files.createDirectories(src.resolve("probe")).resolve("Main.java"), PROBE);
        probeModule = Files.createDirectories(dir.resolve("modules/probe"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(new StringWriter(), files, diagnostics, List.of("--module-path",
                    modulePath(List.of()), "-d", probeModule.toString(), "-Xlint:all,-requires-automatic", "-Werror"),
                    null,
                    files.getJavaFileObjects(src.resolve("module-info.java"), main)).call();
            assertThat(ok).as("the program compiles against the jars on the module path: %s",
                    diagnostics.getDiagnostics()).isTrue();
        }
    }

    @Test
    void noPackageIsSplitAcrossTheLibraryJarsAndTheirDependencies() throws IOException {
        List<Path> jars = new ArrayList<>(libraries);
        jars.addAll(dependencies.values());
        jars.addAll(commandLineOnly.values());
        assertThat(jars).as("jars read").hasSizeGreaterThanOrEqualTo(LIBRARIES.size() + 5);
        assertThat(splitPackages(jars)).as("packages in more than one jar (the module system refuses them)")
                .isEmpty();
    }

    @Test
    void theSplitPackageCheckSeesASplitPackage() throws IOException {
        Path a = jar(dir.resolve("a.jar"), "x/y/A.class", "META-INF/versions/11/x/z/B.class", "module-info.class");
        Path b = jar(dir.resolve("b.jar"), "x/y/C.class", "META-INF/MANIFEST.MF");
        Path c = jar(dir.resolve("c.jar"), "META-INF/versions/11/x/z/D.class", "x/y/data.txt");
        assertThat(splitPackages(List.of(a, b, c))).containsExactly(
                Map.entry("x.y", new TreeSet<>(Set.of("a.jar", "b.jar"))),
                Map.entry("x.z", new TreeSet<>(Set.of("a.jar", "c.jar"))));
    }

    /** Before: checked by hand only. SLF4J 2 (the API the library is built against) prints its NOP notice. */
    @Test
    void theProgramRunsOnTheModulePathWithoutAnSlf4jBinding() throws Exception {
        Path work = Files.createDirectories(dir.resolve("nop"));
        Run run = java(work, List.of("--module-path", modulePath(List.of(probeModule)), "--add-modules",
                "ALL-MODULE-PATH", "-m", "probe/probe.Main", work.toString()));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("segment --PJHxphWEs [/m/09x0r, /t/dd00088]",
                "cochleagram 6x20 120", "waveforms 1 --PJHxphWEs", "pipeline 1 rows");
        assertThat(run.err()).as(run.toString()).contains("No SLF4J providers were found",
                "Defaulting to no-operation (NOP) logger implementation");
        assertThat(work.resolve("probe_Coch.hdf5")).isRegularFile();
        // Before: in a named module a package has no manifest version, so the record said "(development build)"
        // and outputs of any other build of the library looked up to date.
        String version;
        try (JarFile core = new JarFile(libraries.get(0).toFile())) {
            version = core.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        }
        assertThat(version).as("%s's Implementation-Version", libraries.get(0)).isNotBlank();
        assertThat(Files.readString(work.resolve(".probe_Coch.hdf5.inputs")))
                .as("the pipeline's record of the cochleagrams it wrote on the module path")
                .contains("audioset-core " + version + (version.endsWith("-SNAPSHOT") ? " (build " : ""))
                .doesNotContain("development build");
    }

    /**
     * The library's own log lines go through the binding, to standard output: jhdf's jar carries a
     * {@code simplelogger.properties} ({@code logFile=System.out}, level info) that slf4j-simple reads when the
     * application has none of its own.
     */
    @Test
    void theProgramLogsThroughSlf4jSimpleOnTheModulePath() throws Exception {
        Path binding = commandLineOnly.get(SLF4J_BINDING);
        if (binding == null) {
            missing(SLF4J_BINDING + " is not on the test class path");
        }
        Path work = Files.createDirectories(dir.resolve("simple"));
        Run run = java(work, List.of("-Dorg.slf4j.simpleLogger.log.io.jhdf=error", "--module-path",
                modulePath(List.of(probeModule, binding)), "--add-modules", "ALL-MODULE-PATH", "-m", "probe/probe.Main",
                work.toString()));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("pipeline 1 rows")
                .contains("INFO io.github.audiosetdl.core.pipeline.AudioSetPipeline - pipeline in");
        assertThat(run.err()).as(run.toString()).doesNotContain("SLF4J(W)");
    }

    /** The README's warning: automatic modules cannot require their dependencies, so they are not resolved. */
    @Test
    void withoutAddModulesTheFirstUseOfADependencyFails() throws Exception {
        Path work = Files.createDirectories(dir.resolve("unresolved"));
        Run run = java(work, List.of("--module-path", modulePath(List.of(probeModule)), "-m", "probe/probe.Main",
                work.toString()));
        assertThat(run.exit()).as(run.toString()).isNotZero();
        assertThat(run.err()).as(run.toString()).contains("NoClassDefFoundError: org/apache/commons/csv/CSVFormat");
    }

    private static boolean isLibraryJar(Path p, String library) {
        String name = p.getFileName().toString();
        return name.startsWith(library + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar")
                && !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar") && Files.isRegularFile(p);
    }

    /** The library jars, their dependencies and {@code more}, joined as a module path. */
    private static String modulePath(List<Path> more) {
        List<String> path = new ArrayList<>();
        libraries.forEach(p -> path.add(p.toString()));
        dependencies.values().forEach(p -> path.add(p.toString()));
        more.forEach(p -> path.add(p.toString()));
        return String.join(File.pathSeparator, path);
    }

    /**
     * @param jars jar files
     * @return each package (of a class file; a multi-release jar's versioned classes included) found in more than
     *     one of them, with the jars' file names
     */
    static Map<String, Set<String>> splitPackages(List<Path> jars) throws IOException {
        Map<String, Set<String>> owners = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements();) {
                    String name = e.nextElement().getName();
                    if (name.startsWith("META-INF/versions/")) {
                        name = name.replaceFirst("^META-INF/versions/\\d+/", "");
                    }
                    int slash = name.lastIndexOf('/');
                    if (name.endsWith(".class") && slash > 0 && !name.startsWith("META-INF/")) {
                        owners.computeIfAbsent(name.substring(0, slash).replace('/', '.'), k -> new TreeSet<>())
                                .add(jar.getFileName().toString());
                    }
                }
            }
        }
        Map<String, Set<String>> split = new LinkedHashMap<>();
        owners.forEach((pkg, in) -> {
            if (in.size() > 1) {
                split.put(pkg, in);
            }
        });
        return split;
    }

    private static Path jar(Path file, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (String entry : entries) {
                jar.putNextEntry(new JarEntry(entry));
                jar.closeEntry();
            }
        }
        return file;
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs {@code java args} in {@code work}, at most {@value #WAIT_SECONDS} s; the child is killed by its pid. */
    private static Run java(Path work, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        long pid = p.pid();
        try {
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the program did not finish within " + WAIT_SECONDS + " s: " + command + "\n"
                        + Files.readString(err));
            }
        } finally {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Skips the test on a developer machine; fails it under {@code CI=true}. */
    private static void missing(String what) {
        if (ExternalTools.inCi()) {
            fail(what + " (CI=true: a missing jar is a failure)");
        }
        Assumptions.abort(what);
    }
}
