package io.github.audiosetdl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenceFilesCheckTest {
    private static final byte[] LICENSE = "Apache License\nVersion 2.0\n".getBytes(StandardCharsets.UTF_8);
    private static final String NOTICE = "AudioSetDL for the JVM\n- " + LicenceFilesCheck.FFMPEG_NOTICE + "\n";

    @Test
    void acceptsALibraryJarWithTheProjectsFiles(@TempDir Path dir) throws IOException {
        Path jar = jar(dir.resolve("lib.jar"), Map.of("META-INF/LICENSE", LICENSE, "META-INF/NOTICE", bytes(NOTICE)));
        assertThat(LicenceFilesCheck.check(jar, LICENSE, false)).isEmpty();
        assertThat(LicenceFilesCheck.check(jar, LICENSE, true)).hasSize(LicenceFilesCheck.CLI_FILES.size());
    }

    @Test
    void acceptsACommandLineJarWithTheFfmpegLicence(@TempDir Path dir) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(Map.of("META-INF/LICENSE", LICENSE, "META-INF/NOTICE",
                bytes(NOTICE)));
        LicenceFilesCheck.CLI_FILES.forEach(name -> entries.put(name, bytes("x")));
        assertThat(LicenceFilesCheck.check(jar(dir.resolve("cli.jar"), entries), LICENSE, true)).isEmpty();
    }

    @Test
    void namesWhatIsMissingOrWrong(@TempDir Path dir) throws IOException {
        Path noFiles = jar(dir.resolve("bare.jar"), Map.of("a/B.class", bytes("x")));
        assertThat(LicenceFilesCheck.check(noFiles, LICENSE, false)).hasSize(2)
                .allMatch(p -> p.startsWith(noFiles.toString()));
        Path mitAtRoot = jar(dir.resolve("mit.jar"), Map.of("META-INF/LICENSE", LICENSE, "META-INF/NOTICE",
                bytes(NOTICE), "LICENSE", bytes("The MIT License")));
        assertThat(LicenceFilesCheck.check(mitAtRoot, LICENSE, false)).singleElement().asString()
                .contains("root LICENSE");
        Path otherNotice = jar(dir.resolve("notice.jar"), Map.of("META-INF/LICENSE", LICENSE, "META-INF/NOTICE",
                bytes("Jackson\n")));
        assertThat(LicenceFilesCheck.check(otherNotice, LICENSE, false)).singleElement().asString()
                .contains("NOTICE");
        assertThat(LicenceFilesCheck.check(dir.resolve("absent.jar"), LICENSE, false)).singleElement().asString()
                .contains("no such jar");
    }

    @Test
    void readsTheArtifactIdsOfDependencyList(@TempDir Path dir) throws IOException {
        Path list = Files.writeString(dir.resolve("bundled-artifacts.txt"), String.join("\n", "",
                "The following files have been resolved:",
                "   at.yawk.lz4:lz4-java:jar:1.11.1:runtime -- module org.lz4.java [auto]",
                "   info.picocli:picocli:jar:4.7.7:compile -- module info.picocli",
                "   org.example:natives:jar:linux-x86_64:1.0:runtime",
                "   ws.schild:jave-nativebin-linux64:jar:3.5.0:compile (optional)",
                "   org.ejml:ejml-core:jar:0.46.1:compile", ""));
        assertThat(LicenceFilesCheck.bundledArtifacts(list)).containsExactly("lz4-java", "picocli", "natives",
                "jave-nativebin-linux64", "ejml-core");
        Path none = Files.writeString(dir.resolve("none.txt"), "The following files have been resolved:\n   none\n");
        assertThatThrownBy(() -> LicenceFilesCheck.bundledArtifacts(none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no artifact listed");
    }

    @Test
    void everyBundledArtifactNeedsALicenceFileInItsFolder(@TempDir Path dir) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/licenses/picocli/LICENSE", LICENSE);
        entries.put("META-INF/licenses/picocli/NOTICE", bytes("picocli"));
        entries.put("META-INF/licenses/slf4j-api/LICENSE.txt", bytes("MIT"));
        entries.put("META-INF/licenses/ffmpeg/COPYING.GPLv3", bytes("GPL"));
        entries.put("META-INF/licenses/ejml-core/NOTICE", bytes("EJML"));
        Path cli = jar(dir.resolve("cli.jar"), entries);
        assertThat(LicenceFilesCheck.licenceFolders(cli, List.of("picocli", "slf4j-api", "jave-nativebin-linux64")))
                .isEmpty();
        assertThat(LicenceFilesCheck.licenceFolders(cli, List.of("picocli", "ejml-core", "lz4-java")))
                .containsExactly(cli + ": it bundles ejml-core but META-INF/licenses/ejml-core/ holds no licence file",
                        cli + ": it bundles lz4-java but META-INF/licenses/lz4-java/ holds no licence file");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Path jar(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
