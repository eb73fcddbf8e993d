package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The media URL (a signed URL) never reaches ffmpeg's command line: ffmpeg reads a loopback {@link MediaRelay}
 * that forwards its requests. Checked with the real ffmpeg against loopback servers: {@code /proc/<pid>/cmdline}
 * while a clip downloads from a slow server, outputs and bytes read identical to ffmpeg reading the URL itself,
 * redirects (to http: followed; to {@code file:}: refused), headers, and the relay answering its token only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MediaRelayTest {
    private static final String SIGNATURE = "sig=SECRET-SIGNATURE-4711";
    private static final Segment SECTION = new Segment("relayrelay1", 60_000, 70_000, List.of("/m/09x0r"));

    @TempDir
    static Path media;

    private static LoopbackMediaServer server;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        server = LoopbackMediaServer.start();
        for (Codec codec : List.of(Codec.AAC, Codec.OPUS)) {
            server.serve("tone." + codec.extension(), TestMedia.tone(media, codec, 48_000, 120));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private FfmpegSection section(Path ffmpeg) {
        return new FfmpegSection(ffmpeg, fastConfig(out, server.url("{id}.m4a")).build());
    }

    @Test
    void theMediaUrlAndHeadersAreNeverOnFfmpegsCommandLine() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs /proc");
        server.serve("slow.m4a", media.resolve("tone_48000_120_0.m4a")).latency("slow.m4a", Duration.ofMillis(400));
        Path ffmpeg = ExternalTools.requireFfmpeg();
        String url = server.url("slow.m4a") + "?" + SIGNATURE + "&expire=1700000000";
        ResolvedMedia m = new ResolvedMedia(url, Map.of("User-Agent", "relay-agent/1.0", "X-Visitor", "visitor-77",
                "Cookie", "SID=cookie-secret"), 120);
        int before = server.requestHeaders().size();
        Set<String> seen = new LinkedHashSet<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<FfmpegSection.Report> decoding = pool.submit(() -> section(ffmpeg).decode(m, SECTION,
                    Files.createFile(out.resolve("clip.wav"))));
            // every 10 ms while the clip downloads (the server answers each request after 0.4 s)
            for (int i = 0; i < 3000 && !decoding.isDone(); i++) {
                ProcessHandle.current().children().forEach(p -> cmdline(p.pid()).ifPresent(seen::add));
                Thread.sleep(10);
            }
            assertThat(decoding.get(60, TimeUnit.SECONDS).mediaSeconds()).isBetween(119.9, 120.1);
        } finally {
            pool.shutdownNow();
        }
        List<String> ffmpegs = seen.stream().filter(c -> c.startsWith(ffmpeg.toString())).toList();
        assertThat(ffmpegs).as("ffmpeg's command line was read while it ran").isNotEmpty();
        assertThat(ffmpegs).allSatisfy(c -> assertThat(c).contains(" -i http://127.0.0.1:")
                .doesNotContain(server.baseUrl()).doesNotContain("SECRET").doesNotContain("sig=")
                .doesNotContain("expire").doesNotContain("relay-agent").doesNotContain("visitor-77")
                .doesNotContain("cookie-secret"));
        List<Map<String, String>> requests = server.requestHeaders().subList(before, server.requestHeaders().size());
        assertThat(requests).isNotEmpty().allSatisfy(h -> {
            assertThat(h.get(":request")).startsWith("GET /media/slow.m4a?" + SIGNATURE + "&expire=1700000000 ");
            assertThat(h).containsEntry("user-agent", "relay-agent/1.0").containsEntry("x-visitor", "visitor-77")
                    .containsEntry("host", URI.create(server.baseUrl()).getAuthority()).doesNotContainKey("cookie");
        });
    }

    /** @return a process's arguments joined by spaces, if it still runs */
    private static Optional<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return raw.length == 0 ? Optional.empty()
                    : Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"AAC", "OPUS"})
    void outputsAndBytesReadAreThoseOfFfmpegReadingTheUrlItself(Codec codec) throws Exception {
        List<Path> ffmpegs = new ArrayList<>(List.of(ExternalTools.requireFfmpeg()));
        BundledFfmpeg.locate().filter(p -> !ffmpegs.contains(p)).ifPresent(ffmpegs::add);
        String name = "tone." + codec.extension();
        for (Path ffmpeg : ffmpegs) {
            FfmpegSection section = section(ffmpeg);
            long start = server.bytesServed(name);
            Path relayed = Files.createFile(out.resolve("relayed-" + ffmpegs.indexOf(ffmpeg) + ".wav"));
            section.decode(new ResolvedMedia(server.url(name) + "?" + SIGNATURE, Map.of(), 120), SECTION, relayed);
            long viaRelay = server.bytesServed(name) - start;

            start = server.bytesServed(name);
            Path direct = out.resolve("direct-" + ffmpegs.indexOf(ffmpeg) + ".wav");
            Process p = new ProcessBuilder(section.command(server.url(name) + "?" + SIGNATURE, SECTION, direct))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            long read = server.bytesServed(name) - start;

            assertThat(Files.readAllBytes(relayed)).as("%s with %s", codec, ffmpeg)
                    .isEqualTo(Files.readAllBytes(direct));
            long size = Files.size(media.resolve("tone_48000_120_0." + codec.extension()));
            // the same range requests: a 10-s section of 120 s reads a part of the file (all of it without
            // seeking); the relay's buffers add at most about 100 KB per connection ffmpeg drops (two for AAC,
            // four for Opus here)
            assertThat(viaRelay).as("%s with %s: bytes read through the relay, %d directly, of %d", codec, ffmpeg,
                    read, size).isLessThan(size / 2).isLessThanOrEqualTo(read + 512 * 1024);
            System.out.printf(java.util.Locale.ROOT, "%s with %s: %d bytes read through the relay, %d directly,"
                    + " of %d%n", codec, ffmpeg, viaRelay, read, size);
        }
    }

    @Test
    void aFileUrlTemplateIsStillReadByFfmpegItselfWithTheSameClip() throws Exception {
        Path ffmpeg = ExternalTools.requireFfmpeg();
        FfmpegSection web = section(ffmpeg);
        Path viaRelay = Files.createFile(out.resolve("web.wav"));
        web.decode(new ResolvedMedia(server.url("tone.m4a"), Map.of(), 120), SECTION, viaRelay);

        FfmpegSection local = new FfmpegSection(ffmpeg, fastConfig(out, "file:" + media + "/{id}.m4a").build());
        String url = "file:" + media.resolve("tone_48000_120_0.m4a");
        Path fromFile = Files.createFile(out.resolve("file.wav"));
        local.decode(new ResolvedMedia(url, Map.of(), 120), SECTION, fromFile);
        List<String> command = local.command(url, SECTION, fromFile);
        assertThat(command.get(command.indexOf("-protocol_whitelist") + 1)).isEqualTo(FfmpegSection.FILE_PROTOCOLS);
        assertThat(command.get(command.indexOf("-i") + 1)).isEqualTo(url);
        assertThat(Files.readAllBytes(fromFile)).isEqualTo(Files.readAllBytes(viaRelay));
    }

    @Test
    void aRedirectIsFollowedButOneToAFileUrlIsRefused() throws Exception {
        Path secret = Files.writeString(out.resolve("private.m4a"), "private");
        server.redirect("moved.m4a", server.url("tone.m4a")).redirect("evil.m4a", "file:" + secret);
        FfmpegSection section = section(ExternalTools.requireFfmpeg());

        Path moved = Files.createFile(out.resolve("moved.wav"));
        section.decode(new ResolvedMedia(server.url("moved.m4a"), Map.of(), 120), SECTION, moved);
        assertThat(Files.size(moved)).isGreaterThan(16_000 * 4 * 10L);

        long requests = server.requests("evil.m4a");
        assertThatThrownBy(() -> section.decode(new ResolvedMedia(server.url("evil.m4a") + "?" + SIGNATURE, Map.of(),
                120), SECTION, Files.createFile(out.resolve("evil.wav")))).isInstanceOfSatisfying(ClipFailure.class,
                        f -> {
                            assertThat(f.failureClass()).isEqualTo(FailureClass.PERMANENT);
                            assertThat(f.getMessage()).contains("refused media URL redirect to a file: URL")
                                    .doesNotContain(secret.toString());
                        });
        assertThat(server.requests("evil.m4a")).isEqualTo(requests + 1);
    }

    @Test
    void anUnreachableHostIsATransientFailureNamingTheCause() throws Exception {
        int refused = LoopbackMediaServer.refusedPort();
        FfmpegSection section = section(ExternalTools.requireFfmpeg());
        assertThatThrownBy(() -> section.decode(new ResolvedMedia("http://127.0.0.1:" + refused + "/media/x.m4a?"
                + SIGNATURE, Map.of(), 120), SECTION, Files.createFile(out.resolve("x.wav"))))
                .isInstanceOfSatisfying(ClipFailure.class, f -> {
                    assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
                    assertThat(f.getMessage()).contains("connection refused").doesNotContain("SECRET");
                });
    }

    @Test
    void theRelayAnswersItsOwnTokenOnlyAndStopsWhenClosed() throws Exception {
        long requests = server.totalRequests();
        String relayUrl;
        try (MediaRelay relay = MediaRelay.open(server.url("tone.m4a") + "?" + SIGNATURE, "", Optional.empty(),
                Duration.ofSeconds(5))) {
            relayUrl = relay.url();
            URI uri = URI.create(relayUrl);
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            assertThat(uri.getPath()).matches("/[A-Za-z0-9_-]{43}/media\\.m4a");
            assertThat(status(uri, "/")).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(status(uri, uri.getPath() + "x")).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(status(uri, uri.getPath().replaceFirst("/[^/]+/", "/AAAA/")))
                    .isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(server.totalRequests()).as("no request made for a wrong path").isEqualTo(requests);
            assertThat(status(uri, uri.getPath())).isEqualTo("HTTP/1.1 200 OK");
            assertThat(server.totalRequests()).isEqualTo(requests + 1);
        }
        URI uri = URI.create(relayUrl);
        assertThatThrownBy(() -> status(uri, uri.getPath())).isInstanceOf(IOException.class);
    }

    @Test
    void aConnectionOfAnotherUserIsToldApartByItsSocketsOwner() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:A3C2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 7 1 0",
                "   1: 0100007F:1F90 0100007F:A3C2 01 00000000:00000000 00:00000000 00000000     0        0 8 1 0",
                "   2: 0100007F:A3C3 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 9 1 0");
        // the client's socket (local port 0xA3C2 = 41922, remote 8080) belongs to uid 1001
        assertThat(MediaRelay.socketOwner(table.stream(), 41922, 8080)).hasValue(1001);
        assertThat(MediaRelay.socketOwner(table.stream(), 41923, 8080)).hasValue(0);
        assertThat(MediaRelay.socketOwner(table.stream(), 41924, 8080)).isEmpty();
    }

    /** @return the status line of a GET of {@code path} on the relay */
    private static String status(URI relay, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.getPort())) {
            s.setSoTimeout(5_000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-99\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (answer.isEmpty()) {
                throw new IOException("no answer");
            }
            return answer.substring(0, answer.indexOf("\r\n")).replace("206 Partial Content", "200 OK");
        }
    }

    @Test
    void theProxyIsTheConfiguredOneElseTheEnvironmentsUnlessNoProxyNamesTheHost() {
        DownloadConfig none = fastConfig(out, "http://example.com/{id}").build();
        DownloadConfig given = fastConfig(out, "http://example.com/{id}").proxy("http://proxy:3128").build();
        String url = "https://rr1.googlevideo.com/videoplayback?" + SIGNATURE;
        Map<String, String> env = Map.of("http_proxy", "http://envproxy:8080", "no_proxy", "localhost, .example.org");
        assertThat(FfmpegSection.proxy(url, given, env)).contains("http://proxy:3128");
        assertThat(FfmpegSection.proxy(url, none, env)).contains("http://envproxy:8080");
        assertThat(FfmpegSection.proxy(url, none, Map.of())).isEmpty();
        assertThat(FfmpegSection.proxy("http://media.example.org/x", none, env)).isEmpty();
        assertThat(FfmpegSection.proxy("http://example.org/x", none, env)).isEmpty();
        assertThat(FfmpegSection.proxy("http://badexample.org/x", none, env)).contains("http://envproxy:8080");
        assertThat(FfmpegSection.proxy(url, none, Map.of("http_proxy", "http://p:1", "no_proxy", "*"))).isEmpty();
    }

    @Test
    void anEnvironmentProxyTheRelayCannotUseIsIgnoredAsFfmpegIgnoresIt() throws Exception {
        // http_proxy=proxy.example.com:3128 (no scheme, as curl and yt-dlp take it): ffmpeg connects directly,
        // but the relay refused every clip, a permanent failure ("refused media URL"), and the run exited 0
        DownloadConfig none = fastConfig(out, "http://example.com/{id}").build();
        String url = "http://127.0.0.1:9/media/x.m4a";
        for (String env : List.of("proxy.example.com:3128", "http://user:p@ss@proxy:3128", "socks5://proxy:1080")) {
            Optional<String> proxy = FfmpegSection.proxy(url, none, Map.of("http_proxy", env));
            assertThat(proxy).as(env).isEmpty();
        }
        assertThat(FfmpegSection.proxy(url, none, Map.of("http_proxy", "http://user:p%40ss@proxy:3128")))
                .contains("http://user:p%40ss@proxy:3128");
        try (MediaRelay relay = MediaRelay.open(url, "", FfmpegSection.proxy(url, none,
                Map.of("http_proxy", "proxy.example.com:3128")), Duration.ofSeconds(1))) {
            assertThat(relay.url()).startsWith("http://127.0.0.1:");
        }
    }
}
