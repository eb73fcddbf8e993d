package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.audiosetdl.core.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link YtDlpResolver} against fake yt-dlp scripts: no network, no real yt-dlp. */
class YtDlpResolverTest {
    private static final Segment SEGMENT = new Segment("fakeytdlp01", 0, 10_000, List.of("/m/09x0r"));

    @TempDir
    Path dir;

    /** Kills what a fake left behind (its pid is in this file), so no test leaves a process. */
    @AfterEach
    void killLeftovers() throws IOException {
        Path pid = dir.resolve("leftover.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Path fake(String body) throws IOException {
        Path script = dir.resolve("yt-dlp");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static YtDlpResolver resolver(Path ytDlp, Duration toolTimeout) {
        DownloadConfig config = DownloadConfig.builder(ytDlp.getParent(), "test").resolver(ResolverKind.YT_DLP)
                .toolTimeout(toolTimeout).build();
        return new YtDlpResolver(ytDlp, config);
    }

    /** A library caller gave cookies through the builder: the refusal names that setting too. */
    @Test
    void anUnsafeOrUnknownVersionWithCookiesNamesTheLibrarySettingAndTheOption() {
        YtDlpResolver.checkVersion("2023.03.04", false);
        YtDlpResolver.checkVersion("2023.07.06", true);
        assertThatThrownBy(() -> YtDlpResolver.checkVersion("2023.03.04", true))
                .hasMessage("yt-dlp 2023.03.04 is older than 2023.07.06 and would send your cookies to other hosts"
                        + " (CVE-2023-35934): update yt-dlp, or run without cookies (DownloadConfig.Builder.cookies,"
                        + " the command line's --cookies)");
        assertThatThrownBy(() -> YtDlpResolver.checkVersion("nightly", true))
                .hasMessage("cannot tell yt-dlp's version from 'nightly'; with cookies (DownloadConfig.Builder.cookies,"
                        + " the command line's --cookies), yt-dlp 2023.07.06 or later is needed (CVE-2023-35934)");
    }

    @Test
    void aProcessLeftBehindHoldingStdoutDoesNotHoldTheWorker() throws Exception {
        // the repro: a child keeps stdout and stderr open for 40 s after yt-dlp printed its JSON and exited 0
        Path ytDlp = fake("(sleep 40 & echo $! > '" + dir.resolve("leftover.pid") + "')\n"
                + "echo '{\"url\": \"http://127.0.0.1:9/media/a.m4a\", \"duration\": 31.5,"
                + " \"http_headers\": {\"User-Agent\": \"fake\"}}'\nexit 0");
        YtDlpResolver resolver = resolver(ytDlp, Duration.ofSeconds(5));

        // a generous bound, far below the 40 s the reader of an inherited pipe would wait
        ResolvedMedia media = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> resolver.resolve(SEGMENT));

        assertThat(media.url()).isEqualTo("http://127.0.0.1:9/media/a.m4a");
        assertThat(media.durationSeconds()).isEqualTo(31.5);
        assertThat(media.headers()).containsEntry("User-Agent", "fake");
    }

    @Test
    void itsErrorLinesAreClassified() throws Exception {
        ClipFailure f = failureOf("echo 'WARNING: something' >&2\n"
                + "echo 'ERROR: [youtube] fakeytdlp01: Video unavailable' >&2\nexit 1");
        assertThat(f.failureClass()).isEqualTo(FailureClass.PERMANENT);
        assertThat(f.getMessage()).isEqualTo("ERROR: [youtube] fakeytdlp01: Video unavailable");
    }

    @Test
    void aRateLimitYtDlpOnlyWarnedAboutMakesTheFailureRateLimited() throws Exception {
        // YouTube's 429 on the watch page is a warning; the error that follows names no rate limit. Only the error
        // was read: a "bad_media" permanent failure, no pause for the other workers, exit 0 with clips left
        ClipFailure f = failureOf("echo 'WARNING: [youtube] fakeytdlp01: Unable to download webpage: HTTP Error"
                + " 429: Too Many Requests' >&2\necho 'ERROR: [youtube] fakeytdlp01: No video formats found!' >&2\n"
                + "exit 1");
        assertThat(f.failureClass()).isEqualTo(FailureClass.RATE_LIMITED);
        assertThat(f.getMessage()).contains("HTTP Error 429").contains("No video formats found");
    }

    @Test
    void aSegmentedStreamIsRefusedNamingItsProtocol() throws Exception {
        ClipFailure f = failureOf("echo '{\"url\": \"https://media.example/a.m3u8\", \"protocol\": \"m3u8_native\","
                + " \"duration\": 31.5}'\nexit 0");
        assertThat(f.failureClass()).isEqualTo(FailureClass.PERMANENT);
        assertThat(f.getMessage()).isEqualTo("yt-dlp offers fakeytdlp01 only as a m3u8_native stream, which the"
                + " download cannot fetch (one http or https URL); a newer yt-dlp may offer more");
    }

    /** @return the failure a fake yt-dlp running {@code body} gives */
    private ClipFailure failureOf(String body) throws IOException {
        Path ytDlp = fake(body);
        Throwable t = catchThrowable(() -> resolver(ytDlp, Duration.ofSeconds(5)).resolve(SEGMENT));
        assertThat(t).isInstanceOf(ClipFailure.class);
        return (ClipFailure) t;
    }

    @Test
    void aYtDlpThatDoesNotAnswerIsKilledAtTheToolTimeout() throws Exception {
        Path ytDlp = fake("echo $$ > '" + dir.resolve("leftover.pid") + "'\nexec sleep 60");
        YtDlpResolver resolver = resolver(ytDlp, Duration.ofSeconds(1));

        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> resolver.resolve(SEGMENT)))
                .isInstanceOfSatisfying(ClipFailure.class, f -> {
                    assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
                    assertThat(f.getMessage()).contains("killed after 1 s");
                });
        long pid = Long.parseLong(Files.readString(dir.resolve("leftover.pid")).trim());
        // killed, then reaped by the JDK's reaper thread: allow it a moment
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
