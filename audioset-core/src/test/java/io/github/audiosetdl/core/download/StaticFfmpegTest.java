package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.readLog;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static io.github.audiosetdl.core.download.DownloadFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.audio.WavFormat;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ffmpeg the command line falls back to (the static build of {@code ws.schild:jave-nativebin-linux64}, a test
 * dependency here) runs on a bare machine and decodes real sections through the download stage.
 */
class StaticFfmpegTest {
    /** The only shared libraries a dynamically linked program may need on a bare Linux machine: glibc's. */
    private static final Pattern GLIBC = Pattern.compile(
            "\\s*(linux-vdso\\.so\\.1|/lib64/ld-linux-x86-64\\.so\\.2|(libc|libm|libdl|libpthread|librt|libresolv)"
            + "\\.so\\.\\d+)( => \\S+)? \\(0x[0-9a-f]+\\)");

    @TempDir
    static Path media;

    static Path ffmpeg;

    @BeforeAll
    static void locate() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the bundled ffmpeg is built for Linux x86-64 only");
        ffmpeg = BundledFfmpeg.locate().orElseThrow(() -> new AssertionError(BundledFfmpeg.RESOURCE
                + " is not on the test class path (ws.schild:jave-nativebin-linux64)"));
    }

    @Test
    void needsNoSharedLibraryABareMachineLacks() throws Exception {
        Path ldd = ExternalTools.require("ldd");
        Process p = new ProcessBuilder(ldd.toString(), ffmpeg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(out.contains("not a dynamic executable")
                || out.lines().allMatch(line -> GLIBC.matcher(line).matches()))
                .as("ldd %s:%n%s", ffmpeg, out).isTrue();
        assertThat(ExternalTools.check(List.of(ffmpeg.toString(), "-hide_banner", "-version")))
                .startsWith("ffmpeg version 4.4.1");
    }

    @Test
    void theLibraryPatternAcceptsGlibcOnly() {
        assertThat(GLIBC.matcher("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f236d41e000)").matches())
                .isTrue();
        assertThat(GLIBC.matcher("\t/lib64/ld-linux-x86-64.so.2 (0x00007f23729dd000)").matches()).isTrue();
        assertThat(GLIBC.matcher("\tlibpulse.so.0 => not found").matches()).isFalse();
        assertThat(GLIBC.matcher("\tlibavdevice.so.61 => /x/libavdevice.so.61 (0x00007f237295a000)").matches())
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"AAC", "OPUS"})
    void decodesASectionFromTheLoopbackServer(Codec codec, @TempDir Path out) throws Exception {
        Path source = TestMedia.tone(media, codec, 48_000, 120);
        String id = "static" + codec.ordinal() + "xxxx";
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve(id + "." + codec.extension(), source);
            DownloadSummary summary = run(fastConfig(out, server.url("{id}." + codec.extension())).ffmpeg(ffmpeg)
                    .build(), List.of(row(0, id, 60, 70)));
            assertThat(summary.downloaded()).as("%s", readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv")))
                    .isEqualTo(1);
            Path clip = out.resolve("test_downloads/test_downloads_0/YT_" + id + ".wav");
            WavFormat format = WavReader.readFormat(clip);
            assertThat(format.sampleRate()).isEqualTo(16_000);
            assertThat(format.frames()).isEqualTo(160_000);
            // it seeks: reading up to the section's end without seeking would take over 58% of the file
            assertThat(server.bytesServed(id + "." + codec.extension())).isLessThan(Files.size(source) / 2);
        }
    }
}
