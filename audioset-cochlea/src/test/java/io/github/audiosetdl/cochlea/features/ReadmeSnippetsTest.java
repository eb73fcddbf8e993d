package io.github.audiosetdl.cochlea.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Library API" Java blocks compile against {@code audioset-core}, {@code audioset-cochlea} and
 * {@code audioset-hdf5} alone (this module's test class path: no command line, no picocli, no SLF4J binding but
 * the tests'), and the blocks that need no network run, in order, in a child JVM whose working folder holds a
 * small data set: a segments CSV of 20 rows, their downloaded WAVs, and {@code YT_abc.wav}. A block preceded by
 * {@code <!-- compile-only: ... -->} (it downloads from YouTube) is compiled but not run.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("(<!-- compile-only:[^>]*-->\\s*)?```java\\n(.*?)```",
            Pattern.DOTALL);
    static final List<String> IMPORTS = List.of("io.github.audiosetdl.core", "io.github.audiosetdl.core.audio",
            "io.github.audiosetdl.core.download", "io.github.audiosetdl.core.pack",
            "io.github.audiosetdl.core.pipeline", "io.github.audiosetdl.core.progress", "io.github.audiosetdl.core.spi",
            "io.github.audiosetdl.core.webdataset",
            "io.github.audiosetdl.cochlea", "io.github.audiosetdl.cochlea.features", "io.github.audiosetdl.hdf5",
            "java.nio.file", "java.util", "java.util.stream");
    private static final int ROWS = 20;

    @TempDir
    Path dir;

    /** A README block: its code, and whether it may run here. */
    private record Snippet(String code, boolean runs) {
    }

    static Path projectRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(pom)
                    && Files.readString(pom).contains("<artifactId>audioset-parent</artifactId>")) {
                return p;
            }
        }
        throw new IllegalStateException("no project root (README.md beside the parent pom.xml) above "
                + Path.of("").toAbsolutePath());
    }

    static List<Snippet> librarySnippets() throws IOException {
        String readme = Files.readString(projectRoot().resolve("README.md"));
        int start = readme.indexOf("\n## Library API");
        assertThat(start).as("README has a Library API section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        String imports = section.substring(0, section.indexOf("```"));
        for (String i : IMPORTS) {
            assertThat(imports).as("the README names the imports its blocks compile with").contains("`" + i + ".*`");
        }
        List<Snippet> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(section);
        while (m.find()) {
            out.add(new Snippet(m.group(2), m.group(1) == null));
        }
        return out;
    }

    /** The blocks as one class: block {@code i} is {@code static void block<i>()}; main runs those that may run. */
    static String source(List<Snippet> snippets) {
        StringBuilder sb = new StringBuilder();
        IMPORTS.forEach(i -> sb.append("import ").append(i).append(".*;\n"));
        sb.append("public class ReadmeSnippets {\n");
        StringBuilder main = new StringBuilder("    public static void main(String[] args) throws Exception {\n");
        for (int i = 0; i < snippets.size(); i++) {
            sb.append("    static void block").append(i).append("() throws Exception {\n")
                    .append(snippets.get(i).code().indent(8)).append("    }\n");
            if (snippets.get(i).runs()) {
                main.append("        block").append(i).append("();\n        System.out.println(\"block ")
                        .append(i).append(" ran\");\n");
            }
        }
        return sb.append(main).append("    }\n}\n").toString();
    }

    @Test
    void theLibraryApiSnippetsCompileAndRunWithTheThreeLibraryModulesAlone() throws Exception {
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("only the library modules on the class path").doesNotContain("audioset-examples")
                .doesNotContain("picocli").doesNotContain("bytedeco");
        List<Snippet> snippets = librarySnippets();
        assertThat(snippets).as("Java blocks of the Library API section").hasSizeGreaterThanOrEqualTo(4);
        assertThat(snippets.stream().filter(Snippet::runs).count()).as("blocks that run").isGreaterThanOrEqualTo(2);

        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path file = Files.writeString(src.resolve("ReadmeSnippets.java"), source(snippets));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(new StringWriter(), files, diagnostics,
                    List.of("-classpath", classPath, "-d", classes.toString(), "-Xlint:all", "-Werror"), null,
                    files.getJavaFileObjects(file)).call();
            assertThat(ok).as("the README's snippets compile:\n%s\n%s", diagnostics.getDiagnostics(),
                    Files.readString(file)).isTrue();
        }

        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> ids = writeDataSet(work);
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classes + File.pathSeparator + classPath, "ReadmeSnippets").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the snippets finish within 180 s").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains(ids.get(0) + " [/m/09x0r]");
        for (int i = 0; i < snippets.size(); i++) {
            if (snippets.get(i).runs()) {
                assertThat(out).contains("block " + i + " ran");
            }
        }
        try (WaveformFileReader wav = WaveformFileReader.open(work.resolve("data/eval.hdf5"))) {
            assertThat(wav.size()).as("the pack block packed every clip").isEqualTo(ROWS);
            assertThat(wav.ytid(17)).isEqualTo(ids.get(17));
        }
    }

    /**
     * {@code eval_segments.csv} with {@value #ROWS} segments, their clips in {@code
     * data/eval_segments_downloads/eval_segments_downloads_0/}, and {@code YT_abc.wav}: tones of 16 kHz mono.
     *
     * @return the ids, in CSV order
     */
    private static List<String> writeDataSet(Path work) throws IOException {
        Path clips = Files.createDirectories(work.resolve("data/eval_segments_downloads/eval_segments_downloads_0"));
        List<String> lines = new ArrayList<>(List.of("# Segments csv created for a test",
                "# num_ytids=" + ROWS + ", num_segs=" + ROWS + ", num_unique_labels=1, num_positive_labels=" + ROWS,
                "# YTID, start_seconds, end_seconds, positive_labels"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = String.format(Locale.ROOT, "readme_%04d", i);
            ids.add(id);
            lines.add(id + ", 30.000, 40.000, \"/m/09x0r\"");
            WavWriter.writeMono(clips.resolve("YT_" + id + ".wav"), 16_000, tone(200 + 10 * i, 16_000),
                    WavEncoding.PCM_16);
        }
        Files.write(work.resolve("eval_segments.csv"), lines);
        WavWriter.writeMono(work.resolve("YT_abc.wav"), 16_000, tone(440, 16_000), WavEncoding.PCM_16);
        return ids;
    }

    private static float[] tone(double hz, int rate) {
        float[] x = new float[10 * rate];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }
}
