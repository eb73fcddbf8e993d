package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledFfmpegTest {
    private static final String SCRIPT = "#!/bin/sh\necho bundled\n";

    /**
     * A copy a process killed while copying left (up to 77 MB for the real ffmpeg) is removed by the next
     * extraction, whether it copies again or finds the program there; a live process's copy is kept.
     */
    @Test
    void partialCopiesOfKilledProcessesAreRemovedAndALiveOnesKept(@TempDir Path dir) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // (its start time cannot be read once it has ended: any will do for a process that is gone)
        io.github.audiosetdl.core.ProcessTag dead = new io.github.audiosetdl.core.ProcessTag(
                io.github.audiosetdl.core.ProcessTag.current().host(), ended.pid(), System.currentTimeMillis() - 1);
        try (URLClassLoader loader = jarWith(dir, "tools/prog", SCRIPT.getBytes(StandardCharsets.UTF_8))) {
            Path cache = dir.resolve("cache");
            Path prog = BundledFfmpeg.extract(loader, "tools/prog", cache, "prog").orElseThrow();
            Path folder = prog.getParent();
            Files.delete(prog);
            Path killed = Files.writeString(folder.resolve(".prog." + dead + ".1234.tmp"), "#!/bin/sh\nech");
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", cache, "prog")).contains(prog);
            assertThat(killed).as("removed when copying again").doesNotExist();

            Path killedAgain = Files.writeString(folder.resolve(".prog." + dead + ".5678.tmp"), "#!/bin/sh\n");
            Path live = Files.writeString(folder.resolve(".prog." + io.github.audiosetdl.core.ProcessTag.current()
                    + ".9999.tmp"), "#!/bin/sh\n");
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", cache, "prog")).contains(prog);
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.toList()).as("removed when the program is there; a live copy kept")
                        .containsExactlyInAnyOrder(prog, live);
            }
            assertThat(killedAgain).doesNotExist();
        }
    }

    @Test
    void copiesTheProgramOnceAndRunsIt(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = jarWith(dir, "tools/prog", SCRIPT.getBytes(StandardCharsets.UTF_8))) {
            Path cache = dir.resolve("cache");
            Path prog = BundledFfmpeg.extract(loader, "tools/prog", cache, "prog").orElseThrow();
            assertThat(prog.getParent().getParent()).isEqualTo(cache);
            assertThat(Files.isExecutable(prog)).isTrue();
            Process p = new ProcessBuilder(prog.toString()).start();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bundled\n");
            assertThat(p.waitFor()).isZero();

            FileTime written = FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(prog, written);
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", cache, "prog")).contains(prog);
            assertThat(Files.getLastModifiedTime(prog)).as("a good copy is reused").isEqualTo(written);
            try (Stream<Path> files = Files.list(prog.getParent())) {
                assertThat(files.toList()).as("no temporary file is left").containsExactly(prog);
            }
        }
    }

    @Test
    void replacesATruncatedCopy(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = jarWith(dir, "tools/prog", SCRIPT.getBytes(StandardCharsets.UTF_8))) {
            Path cache = dir.resolve("cache");
            Path prog = BundledFfmpeg.extract(loader, "tools/prog", cache, "prog").orElseThrow();
            Files.writeString(prog, "#!/bin/sh\n");
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", cache, "prog")).contains(prog);
            assertThat(Files.readString(prog)).isEqualTo(SCRIPT);
        }
    }

    @Test
    void aCopyTheGroupCouldHaveReplacedIsReplacedAndItsFolderMadePrivate(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = jarWith(dir, "tools/prog", SCRIPT.getBytes(StandardCharsets.UTF_8))) {
            Path cache = dir.resolve("cache");
            Path prog = BundledFfmpeg.extract(loader, "tools/prog", cache, "prog").orElseThrow();
            assertThat(Files.getPosixFilePermissions(prog.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            // a folder left group-writable (an older version under umask 002): a group member swapped the program
            Files.setPosixFilePermissions(prog.getParent(), PosixFilePermissions.fromString("rwxrwxr-x"));
            String other = "#!/bin/sh\necho swapped\n";
            assertThat(other).hasSameSizeAs(SCRIPT);
            Files.writeString(prog, other);
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", cache, "prog")).contains(prog);
            assertThat(Files.readString(prog)).isEqualTo(SCRIPT);
            assertThat(Files.getPosixFilePermissions(prog.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            // the program itself writable by others
            Files.writeString(prog, other);
            Files.setPosixFilePermissions(prog, PosixFilePermissions.fromString("rwxr-xrwx"));
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", cache, "prog")).contains(prog);
            assertThat(Files.readString(prog)).isEqualTo(SCRIPT);
            assertThat(Files.getPosixFilePermissions(prog)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aDifferentProgramGetsItsOwnFolder(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path first;
        try (URLClassLoader loader = jarWith(dir.resolve("a"), "tools/prog", SCRIPT.getBytes(StandardCharsets.UTF_8))) {
            first = BundledFfmpeg.extract(loader, "tools/prog", cache, "prog").orElseThrow();
        }
        byte[] other = "#!/bin/sh\necho other\n".getBytes(StandardCharsets.UTF_8);
        try (URLClassLoader loader = jarWith(dir.resolve("b"), "tools/prog", other)) {
            Path second = BundledFfmpeg.extract(loader, "tools/prog", cache, "prog").orElseThrow();
            assertThat(second).isNotEqualTo(first);
            assertThat(Files.readAllBytes(second)).isEqualTo(other);
        }
        assertThat(Files.readString(first)).isEqualTo(SCRIPT);
    }

    @Test
    void isEmptyWithoutTheResourceAndRejectsAnEmptyOne(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = jarWith(dir, "tools/empty", new byte[0])) {
            assertThat(BundledFfmpeg.extract(loader, "tools/prog", dir.resolve("cache"), "prog")).isEmpty();
            assertThatThrownBy(() -> BundledFfmpeg.extract(loader, "tools/empty", dir.resolve("cache"), "empty"))
                    .isInstanceOf(IOException.class).hasMessageContaining("size 0 bytes");
        }
    }

    @Test
    void runsOnLinuxX8664OnlyAndCachesUnderXdgOrHome() {
        assertThat(BundledFfmpeg.supported("Linux", "amd64")).isTrue();
        assertThat(BundledFfmpeg.supported("Linux", "x86_64")).isTrue();
        assertThat(BundledFfmpeg.supported("Linux", "aarch64")).isFalse();
        assertThat(BundledFfmpeg.supported("Mac OS X", "x86_64")).isFalse();
        assertThat(BundledFfmpeg.cacheRoot(Map.of("XDG_CACHE_HOME", "/var/cache/u"), "/home/u"))
                .isEqualTo(Path.of("/var/cache/u/audioset-java"));
        assertThat(BundledFfmpeg.cacheRoot(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/audioset-java"));
        assertThat(BundledFfmpeg.cacheRoot(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/audioset-java"));
    }

    @Test
    void theRealBuildIsFoundWhereItRuns() throws Exception {
        Optional<Path> ffmpeg = BundledFfmpeg.locate();
        assertThat(ffmpeg.isPresent())
                .isEqualTo(BundledFfmpeg.supported(System.getProperty("os.name"), System.getProperty("os.arch")));
        if (ffmpeg.isPresent()) {
            assertThat(ffmpeg.get().getFileName().toString()).isEqualTo("ffmpeg");
            assertThat(Files.size(ffmpeg.get())).isEqualTo(77_173_696L);
        }
    }

    private static URLClassLoader jarWith(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("tools.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }
}
