package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's https path, as yt-dlp's media URLs are: a loopback TLS front (a certificate for 127.0.0.1 made
 * with keytool) before the loopback media server, reached directly and through a {@code CONNECT} proxy that
 * demands Basic credentials; the clip is byte for byte the one ffmpeg decodes from plain http, and a
 * certificate for another name is refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MediaRelayTlsTest {
    private static final Segment SECTION = new Segment("relaytls001", 20_000, 30_000, List.of("/m/09x0r"));
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static LoopbackMediaServer server;
    private static Forwarder front;
    private static Forwarder proxy;
    private static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        server = LoopbackMediaServer.start();
        server.serve("tone.m4a", TestMedia.tone(dir, Codec.AAC, 48_000, 40));
        Path keys = dir.resolve("relay.p12");
        ExternalTools.check(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=relay",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keys.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(store, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(km.getKeyManagers(), null, null);
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(store);
        client = SSLContext.getInstance("TLS");
        client.init(null, tm.getTrustManagers(), null);
        int mediaPort = URI.create(server.baseUrl()).getPort();
        front = new Forwarder(serverTls.getServerSocketFactory().createServerSocket(0, 16,
                InetAddress.getLoopbackAddress()), head -> mediaPort);
        String credentials = "Basic " + Base64.getEncoder().encodeToString("proxyuser:proxy-pass-99"
                .getBytes(StandardCharsets.UTF_8));
        proxy = new Forwarder(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()), head -> {
            // a CONNECT proxy for the TLS front only, asking for Basic credentials
            String expected = "CONNECT 127.0.0.1:" + front.port() + " HTTP/1.1";
            return head.startsWith(expected) && head.contains("\r\nProxy-Authorization: " + credentials + "\r\n")
                    ? front.port() : -1;
        });
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Closeable c : new Closeable[] {proxy, front}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void httpsDirectAndThroughAConnectProxyGiveTheClipOfPlainHttp(@TempDir Path out) throws Exception {
        FfmpegSection section = section(out);
        Path plain = Files.createFile(out.resolve("plain.wav"));
        section.decode(new ResolvedMedia(server.url("tone.m4a"), Map.of(), 40), SECTION, plain);

        String https = "https://127.0.0.1:" + front.port() + "/media/tone.m4a?sig=SECRET";
        Path direct = decode(section, https, Optional.empty(), out.resolve("direct.wav"));
        assertThat(Files.readAllBytes(direct)).isEqualTo(Files.readAllBytes(plain));
        assertThat(proxy.connections()).isZero();

        Path proxied = decode(section, https, Optional.of("http://proxyuser:proxy-pass-99@127.0.0.1:" + proxy.port()),
                out.resolve("proxied.wav"));
        assertThat(Files.readAllBytes(proxied)).isEqualTo(Files.readAllBytes(plain));
        assertThat(proxy.connections()).as("every request tunnelled through the proxy").isPositive()
                .isEqualTo(proxy.forwarded());
    }

    @Test
    void aCertificateForAnotherNameIsRefused(@TempDir Path out) throws Exception {
        FfmpegSection section = section(out);
        long before = server.requests("tone.m4a");
        // the certificate names 127.0.0.1 only
        try (MediaRelay relay = MediaRelay.open("https://localhost:" + front.port() + "/media/tone.m4a", "",
                Optional.empty(), Duration.ofSeconds(5), client.getSocketFactory())) {
            Process p = new ProcessBuilder(section.command(relay.url(), SECTION, out.resolve("x.wav")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isNotZero();
            assertThat(relay.failure()).hasValueSatisfying(f -> assertThat(f).contains("TLS error"));
        }
        assertThat(server.requests("tone.m4a")).as("no request reached the media server").isEqualTo(before);
    }

    private static FfmpegSection section(Path out) {
        return new FfmpegSection(ExternalTools.requireFfmpeg(), fastConfig(out, server.url("{id}.m4a")).build());
    }

    private Path decode(FfmpegSection section, String url, Optional<String> via, Path target) throws Exception {
        try (MediaRelay relay = MediaRelay.open(url, "", via, Duration.ofSeconds(5), client.getSocketFactory())) {
            Process p = new ProcessBuilder(section.command(relay.url(), SECTION, target)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s", relay.failure()).isZero();
        }
        return target;
    }

    /** Chooses where a connection goes from its first bytes (the head, for a proxy), or -1 to refuse it. */
    private interface Route {
        int port(String head);
    }

    /**
     * Forwards each accepted connection to a loopback port, both ways: a TLS front (the server socket does
     * TLS) or a {@code CONNECT} proxy (it reads the request head first, answers 200 or 407).
     */
    private static final class Forwarder implements Closeable {
        private final ServerSocket socket;
        private final Route route;
        private final boolean connectProxy;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger forwarded = new AtomicInteger();

        Forwarder(ServerSocket socket, Route route) {
            this.socket = socket;
            this.route = route;
            this.connectProxy = !(socket instanceof SSLServerSocket);
            Thread t = new Thread(this::accept, "forwarder-" + socket.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        int forwarded() {
            return forwarded.get();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket in = socket.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(in), "forwarder-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket in) {
            try (in) {
                in.setSoTimeout(30_000);
                int port = connectProxy ? route.port(head(in.getInputStream())) : route.port("");
                if (port < 0) {
                    in.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                try (Socket out = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    out.setSoTimeout(30_000);
                    forwarded.incrementAndGet();
                    if (connectProxy) {
                        in.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                    Thread up = new Thread(() -> pump(in, out), "forwarder-up");
                    up.setDaemon(true);
                    up.start();
                    pump(out, in);
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n") && head.size() < 16_384) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.write(c);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        private static void pump(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                out.flush();
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // closed; TLS sockets cannot half-close
                try {
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
