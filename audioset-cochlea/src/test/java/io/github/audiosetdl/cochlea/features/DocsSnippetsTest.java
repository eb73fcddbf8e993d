package io.github.audiosetdl.cochlea.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of {@code docs/*.md} compile against {@code audioset-core}, {@code audioset-cochlea} and
 * {@code audioset-hdf5} alone, with the README's imports plus {@code java.time} and {@code java.util.concurrent}.
 * A block may use, without declaring them, the inputs the text around it names: {@code waveform} (one clip's
 * samples), {@code waveforms} (several) and {@code executorService} (the caller's pool). The README's own blocks
 * are {@link ReadmeSnippetsTest}'s.
 */
class DocsSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String INPUTS = "float[] waveform, List<float[]> waveforms, ExecutorService executorService";

    @TempDir
    Path dir;

    @Test
    void theDocsJavaBlocksCompileWithTheThreeLibraryModulesAlone() throws IOException {
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("only the library modules on the class path").doesNotContain("audioset-examples")
                .doesNotContain("picocli");
        StringBuilder sb = new StringBuilder();
        List<String> imports = new ArrayList<>(ReadmeSnippetsTest.IMPORTS);
        imports.addAll(List.of("java.time", "java.util.concurrent"));
        imports.forEach(i -> sb.append("import ").append(i).append(".*;\n"));
        sb.append("public class DocsSnippets {\n");
        List<String> blocks = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ReadmeSnippetsTest.projectRoot().resolve("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = BLOCK.matcher(Files.readString(doc));
                for (int i = 0; m.find(); i++) {
                    String name = doc.getFileName().toString().replaceAll("\\W", "_") + "_" + i;
                    blocks.add(name);
                    sb.append("    // ").append(doc.getFileName()).append(", block ").append(i).append('\n')
                            .append("    static void ").append(name).append('(').append(INPUTS)
                            .append(") throws Exception {\n").append(m.group(1).indent(8)).append("    }\n");
                }
            }
        }
        sb.append("}\n");
        assertThat(blocks).as("Java blocks in docs/").hasSizeGreaterThanOrEqualTo(4);

        Path file = Files.writeString(Files.createDirectories(dir.resolve("src")).resolve("DocsSnippets.java"),
                sb.toString());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(new StringWriter(), files, diagnostics,
                    List.of("-classpath", classPath, "-d", Files.createDirectories(dir.resolve("classes")).toString(),
                            "-proc:none"), null, files.getJavaFileObjects(file)).call();
            assertThat(ok).as("the docs' Java blocks compile:\n%s\n%s", diagnostics.getDiagnostics(), sb).isTrue();
        }
    }
}
