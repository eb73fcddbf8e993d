package io.github.audiosetdl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
