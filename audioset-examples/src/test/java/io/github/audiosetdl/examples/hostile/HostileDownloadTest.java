package io.github.audiosetdl.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.examples.cli.AudioSetCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile resolver, server or network path against {@code audioset download}, with real ffmpeg behind a
 * recording wrapper and a loopback server (issue 14, items 1, 3, 7, 9): cookies never reach ffmpeg or a
 * command line, the user's cookies file is never rewritten, a yt-dlp with CVE-2023-35934 is refused, only
 * http(s) media is fetched, proxies are honoured with their credentials in the environment (never on a
 * command line), ffmpeg's command line holds neither the media URL nor a header (it reads a loopback relay),
 * and a full disk stops the run at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileDownloadTest {
    private static final String ID = "abcdefghijk";
    private static final String SECRET = "SID=secret-session-4711";

    @TempDir
    Path dir;

    private LoopbackMediaServer server;
    private Path csv;
    private Path ffmpegArgs;
    private Path ffmpegWrapper;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        Path ffmpeg = ExternalTools.requireFfmpeg();
        server = LoopbackMediaServer.start();
        Path media = TestMedia.tone(dir, TestMedia.Codec.AAC, 44_100, 12);
        server.serve(ID + ".m4a", media);
        csv = dir.resolve("hostile_segments.csv");
        Files.writeString(csv, ID + ", 1.000, 11.000, \"/m/09x0r\"\n");
        ffmpegArgs = dir.resolve("ffmpeg-args.txt");
        ffmpegWrapper = script("ffmpeg-wrapper", "printf '%s\\n' \"$@\" >> '" + ffmpegArgs + "'\n"
                + "printf 'http_proxy=%s\\n' \"$http_proxy\" >> '" + ffmpegArgs + ".env'\n"
                + "exec '" + ffmpeg + "' \"$@\"\n");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** A yt-dlp that prints {@code version}, records its arguments and rewrites the cookies file it gets. */
    private Path fakeYtDlp(String version, String json) throws IOException {
        Path record = dir.resolve("yt-dlp-args.txt");
        return script("fake-yt-dlp", "if [ \"$1\" = --version ]; then echo " + version + "; exit 0; fi\n"
                + "printf '%s\\n' \"$@\" >> '" + record + "'\n"
                + "printf 'http_proxy=%s\\n' \"$http_proxy\" >> '" + record + "'\n"
                + "prev=\n"
                + "for a in \"$@\"; do if [ \"$prev\" = --cookies ]; then echo '# rewritten by yt-dlp' >> \"$a\";"
                + " fi; prev=$a; done\n"
                + "cat <<'JSON'\n" + json + "\nJSON\n");
    }

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private List<String> download(String... extra) {
        List<String> args = new ArrayList<>(List.of("download", "--csv", csv.toString(), "--out",
                dir.resolve("out").toString(), "--retries", "2", "--retry-delay", "0.01", "--timeout", "60",
                "--ffmpeg", ffmpegWrapper.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private Path clip() {
        return dir.resolve("out/hostile_segments_downloads/hostile_segments_downloads_0/YT_" + ID + ".wav");
    }

    @Test
    void cookiesNeverReachFfmpegAndTheUsersFileIsNeverRewritten() throws Exception {
        Path cookies = dir.resolve("cookies.txt");
        String original = "# Netscape HTTP Cookie File\n.example.com\tTRUE\t/\tTRUE\t0\tSID\tsecret\n";
        Files.writeString(cookies, original);
        Path ytDlp = fakeYtDlp("2024.04.09", "{\"url\": \"" + server.url(ID + ".m4a") + "\", \"duration\": 12,"
                + " \"http_headers\": {\"User-Agent\": \"test-agent\", \"Cookie\": \"" + SECRET + "\","
                + " \"Authorization\": \"Bearer " + SECRET + "\", \"X-Split\": \"a\\u000b" + SECRET + "\"}}");
        int code = cli(download("--yt-dlp", ytDlp.toString(), "--cookies", cookies.toString(),
                "--url-template", "http://127.0.0.1:9/watch?v={id}").toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        assertThat(clip()).isRegularFile();
        assertThat(Files.readString(cookies)).as("the user's cookies file").isEqualTo(original);
        List<String> ytArgs = Files.readAllLines(dir.resolve("yt-dlp-args.txt"));
        String given = ytArgs.get(ytArgs.indexOf("--cookies") + 1);
        assertThat(Path.of(given)).as("yt-dlp gets a private copy, deleted afterwards").isNotEqualTo(cookies)
                .doesNotExist();
        // neither the media URL nor any header is on ffmpeg's command line: the loopback relay adds the headers
        assertThat(Files.readString(ffmpegArgs)).doesNotContain("test-agent").doesNotContain(SECRET)
                .doesNotContainIgnoringCase("cookie").doesNotContain(server.baseUrl());
        assertThat(server.requestHeaders()).isNotEmpty().allSatisfy(h -> assertThat(h).doesNotContainKeys("cookie",
                "authorization", "x-split").containsEntry("user-agent", "test-agent"));
    }

    @Test
    void aYtDlpWithTheCookieLeakIsRefusedWhenCookiesAreGiven() throws Exception {
        Path cookies = Files.writeString(dir.resolve("cookies.txt"), "# Netscape HTTP Cookie File\n");
        Path ytDlp = fakeYtDlp("2023.03.04", "{}");
        int code = cli(download("--yt-dlp", ytDlp.toString(), "--cookies", cookies.toString(),
                "--url-template", "http://127.0.0.1:9/watch?v={id}").toArray(String[]::new));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList()).hasSize(1).first().asString()
                .contains("yt-dlp 2023.03.04", "2023.07.06", "CVE-2023-35934");
        assertThat(dir.resolve("yt-dlp-args.txt")).as("yt-dlp never ran").doesNotExist();
    }

    @Test
    void theInstalledYtDlpIsRefusedWithCookiesWhenItIsOlderThanTheFix() throws Exception {
        Path ytDlp = ExternalTools.require("yt-dlp");
        Process p = new ProcessBuilder(ytDlp.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Assumptions.assumeTrue(version.compareTo("2023.07.06") < 0, "yt-dlp " + version + " has the fix");
        Path cookies = Files.writeString(dir.resolve("cookies.txt"), "# Netscape HTTP Cookie File\n");
        int code = cli(download("--yt-dlp", ytDlp.toString(), "--cookies", cookies.toString(),
                "--url-template", server.baseUrl() + "/watch?v={id}").toArray(String[]::new));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("yt-dlp " + version, "CVE-2023-35934");
        assertThat(server.totalRequests()).isZero();
    }

    @Test
    void aFileUrlFromTheResolverIsNeverRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("private.wav"), "private");
        Path ytDlp = fakeYtDlp("2024.04.09", "{\"url\": \"file:" + secret + "\", \"duration\": 12}");
        int code = cli(download("--yt-dlp", ytDlp.toString(), "--url-template", "http://127.0.0.1:9/watch?v={id}")
                .toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("failed permanent +1");
        assertThat(clip()).doesNotExist();
        assertThat(decodes()).as("ffmpeg never decoded").isZero();
        String errorLog = Files.readString(dir.resolve("out/logs/hostile_segments_errorlogs/errorLog_0.csv"));
        assertThat(errorLog).contains("refused media URL", "only http and https");
    }

    @Test
    void ffmpegIsRestrictedToWebProtocols() throws Exception {
        int code = cli(download("--resolver", "direct", "--url-template", server.url("{id}.m4a"))
                .toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        List<String> args = Files.readAllLines(ffmpegArgs);
        // ffmpeg reads the loopback relay only; the relay follows http and https redirects alone
        assertThat(args.get(args.indexOf("-protocol_whitelist") + 1)).isEqualTo("http,tcp");
        assertThat(args.get(args.indexOf("-i") + 1)).startsWith("http://127.0.0.1:")
                .doesNotContain(server.baseUrl()).doesNotContain(ID);
        assertThat(clip()).isRegularFile();
    }

    @Test
    void bothResolversAndFfmpegUseTheProxyWithCredentialsOnlyInTheEnvironment() throws Exception {
        server.requireProxyCredentials("proxyuser", "proxy-pass-99");
        String proxy = "http://proxyuser:proxy-pass-99@127.0.0.1:" + server.baseUrl().replaceAll(".*:", "");
        ChildCli.Result r = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(90),
                Map.of("AUDIOSET_PROXY", proxy), download("--resolver", "direct", "--url-template",
                        server.url("{id}.m4a")).toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(server.proxiedRequests()).as("requests through the proxy").isPositive();
        assertThat(server.requests(ID + ".m4a")).isEqualTo(server.proxiedRequests());
        assertThat(clip()).isRegularFile();
        assertThat(Files.readString(ffmpegArgs)).doesNotContain("proxy-pass-99").doesNotContain("proxyuser")
                .doesNotContain("-http_proxy");
        // ffmpeg reads the loopback relay directly; the relay in the JVM takes the proxy
        assertThat(Files.readAllLines(Path.of(ffmpegArgs + ".env"))).containsOnly("http_proxy=");
        assertThat(r.err()).doesNotContain("proxy-pass-99");

        Path ytDlp = fakeYtDlp("2024.04.09", "{\"url\": \"" + server.url(ID + ".m4a") + "\"}");
        Files.delete(clip());
        ChildCli.Result viaYtDlp = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(90),
                Map.of("AUDIOSET_PROXY", proxy), download("--yt-dlp", ytDlp.toString(), "--url-template",
                        "http://127.0.0.1:9/watch?v={id}").toArray(String[]::new));
        assertThat(viaYtDlp.exit()).as(viaYtDlp.err()).isZero();
        List<String> ytArgs = Files.readAllLines(dir.resolve("yt-dlp-args.txt"));
        assertThat(ytArgs).contains("http_proxy=" + proxy).doesNotContain("--proxy");
        assertThat(String.join("\n", ytArgs.subList(0, ytArgs.size() - 1))).doesNotContain("proxy-pass-99");
    }

    @Test
    void theRealYtDlpAndFfmpegReachMediaOnlyThroughTheProxy() throws Exception {
        Path ytDlp = ExternalTools.require("yt-dlp");
        server.requireProxyCredentials("proxyuser", "proxy-pass-99");
        String proxy = "http://proxyuser:proxy-pass-99@127.0.0.1:" + server.baseUrl().replaceAll(".*:", "");
        // nothing listens on port 9: the page and the media are reachable only through the proxy
        ChildCli.Result r = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(90),
                Map.of("AUDIOSET_PROXY", proxy), download("--yt-dlp", ytDlp.toString(), "--url-template",
                        "http://127.0.0.1:9/media/{id}.m4a").toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(clip()).isRegularFile();
        assertThat(server.requestHeaders()).extracting(h -> h.get(":request")).isNotEmpty()
                .allMatch(line -> line.contains("http://127.0.0.1:9/media/" + ID + ".m4a"));
        // ffmpeg sends Icy-MetaData, yt-dlp does not: both came through the proxy
        assertThat(server.requestHeaders()).as("yt-dlp and ffmpeg both came")
                .anyMatch(h -> h.containsKey("icy-metadata")).anyMatch(h -> !h.containsKey("icy-metadata"));
        assertThat(Files.readString(ffmpegArgs)).doesNotContain("proxy-pass-99");
    }

    @Test
    void aProxyTheRelayCannotUseOrCredentialsOnTheCommandLineAreRefused() {
        int socks = cli(download("--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--proxy",
                "socks5://127.0.0.1:1080").toArray(String[]::new));
        assertThat(socks).isEqualTo(2);
        assertThat(err.toString()).contains("media relay", "socks5", "http://");
        int inArgv = cli(download("--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--proxy",
                "http://u:pw-123@127.0.0.1:3128").toArray(String[]::new));
        assertThat(inArgv).isEqualTo(2);
        assertThat(err.toString()).contains("AUDIOSET_PROXY").doesNotContain("pw-123");
        assertThat(server.totalRequests()).isZero();
    }

    @Test
    void aFullDiskStopsTheRunAtOnce() throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Assumptions.assumeTrue(mount(small), "a 1 MB tmpfs can be mounted (needs root)");
        try {
            StringBuilder rows = new StringBuilder();
            for (char c = 'a'; c <= 'c'; c++) {
                String id = "abcdefghij" + c;
                server.serve(id + ".m4a", TestMedia.tone(dir, TestMedia.Codec.AAC, 44_100, 12));
                rows.append(id).append(", 1.000, 11.000, \"/m/09x0r\"\n");
            }
            Files.writeString(csv, rows);
            long start = System.nanoTime();
            int code = cli("download", "--csv", csv.toString(), "--out", small.toString(), "--threads", "1",
                    "--sample-rate", "source", "--retries", "3", "--retry-delay", "0.01", "--resolver", "direct",
                    "--url-template", server.url("{id}.m4a"), "--ffmpeg", ffmpegWrapper.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString().lines().toList()).hasSize(1).first().asString()
                    .contains("disk full", "No space left on device");
            assertThat(decodes()).as("one ffmpeg run: no retry, no other clip").isEqualTo(1);
            assertThat(server.requests("abcdefghijb.m4a") + server.requests("abcdefghijc.m4a")).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoRunsOfOneClipAtOnceFetchItOnce() throws Exception {
        List<String> args = download("--resolver", "direct", "--url-template", server.url("{id}.m4a"));
        Path goodLog = dir.resolve("out/logs/hostile_segments_goodlogs/goodLog_0.csv");
        for (int round = 0; round < 5; round++) {
            Files.deleteIfExists(clip());
            ExecutorService two = Executors.newFixedThreadPool(2);
            List<Integer> codes = new ArrayList<>();
            try {
                List<Future<Integer>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(two.submit(() -> AudioSetCli.run(new PrintWriter(new StringWriter()),
                            new PrintWriter(System.err, true), args.toArray(String[]::new))));
                }
                for (Future<Integer> run : runs) {
                    codes.add(run.get(90, TimeUnit.SECONDS));
                }
            } finally {
                two.shutdownNow();
            }
            // one run fetches; the other finds the clip there (0) or claimed by the first (3: retry later)
            assertThat(codes).as("round %d", round).contains(0).allMatch(c -> c == 0 || c == 3);
            assertThat(WavReader.readFormat(clip()).frames()).isEqualTo(160_000);
            try (Stream<String> lines = Files.lines(goodLog)) {
                assertThat(lines.filter(l -> l.startsWith(ID + ",") && l.contains(",downloaded,")).count())
                        .as("downloads logged after round %d", round).isEqualTo(round + 1);
            }
        }
        try (Stream<Path> left = Files.list(clip().getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("YT_" + ID + ".wav");
        }
        try (Stream<Path> left = Files.list(clip().getParent().resolveSibling(".claims"))) {
            assertThat(left).as("claims left").isEmpty();
        }
    }

    @Test
    void plantedLinksAtTemporaryNamesAreNeverFollowed() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path job = clip().getParent();
        Files.createDirectories(job);
        for (String name : List.of(".YT_" + ID + ".wav.tmp", ".YT_" + ID + ".decode.tmp")) {
            Files.createSymbolicLink(job.resolve(name), victim);
        }
        int code = cli(download("--resolver", "direct", "--url-template", server.url("{id}.m4a"))
                .toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(WavReader.readFormat(clip()).frames()).isEqualTo(160_000);
    }

    @Test
    void sigtermEndsTheToolsAndLeavesNoTemporaryFiles() throws Exception {
        Path pidFile = dir.resolve("yt-dlp.pid");
        Path ytDlp = script("slow-yt-dlp", "if [ \"$1\" = --version ]; then echo 2024.04.09; exit 0; fi\n"
                + "echo $$ > '" + pidFile + "'\nexec sleep 60\n");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ChildCli.HEAP, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                AudioSetCli.class.getName()));
        cmd.addAll(download("--yt-dlp", ytDlp.toString(), "--url-template", "http://127.0.0.1:9/watch?v={id}"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pidFile).as(Files.readString(dir.resolve("child.log"))).exists();
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the CLI ends on SIGTERM").isTrue();
            Optional<ProcessHandle> tool = ProcessHandle.of(pid);
            if (tool.isPresent()) {
                tool.get().onExit().get(5, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("yt-dlp is gone").isNotEqualTo(
                    Optional.of(true));
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("temporary files")
                        .noneMatch(n -> n.startsWith("audioset-"));
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aVersionCheckIsNotHeldByAProcessTheToolLeavesBehind() throws Exception {
        Path sleeperPid = dir.resolve("sleeper.pid");
        // prints its version, then leaves a process behind that holds its output open for 60 s
        Path ytDlp = script("lingering-yt-dlp", "if [ \"$1\" = --version ]; then echo 2024.04.09;"
                + " sleep 60 & echo $! > '" + sleeperPid + "'; exit 0; fi\n"
                + "cat <<'JSON'\n{\"url\": \"" + server.url(ID + ".m4a") + "\"}\nJSON\n");
        try {
            long start = System.nanoTime();
            int code = cli(download("--yt-dlp", ytDlp.toString(), "--url-template", "http://127.0.0.1:9/watch?v={id}")
                    .toArray(String[]::new));
            assertThat(code).as(err.toString()).isZero();
            assertThat(clip()).isRegularFile();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
        } finally {
            if (Files.exists(sleeperPid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(sleeperPid).strip()))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** @return how many times ffmpeg was run to decode (not to print its version) */
    private long decodes() throws IOException {
        return Files.exists(ffmpegArgs) ? Files.readAllLines(ffmpegArgs).stream().filter("-i"::equals).count() : 0;
    }

    private static boolean mount(Path dir) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
