package io.github.audiosetdl.core.download;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A loopback HTTP relay for one clip, so that the media URL (a signed URL, valid for hours) never appears on
 * ffmpeg's command line: ffmpeg reads {@link #url()}, {@code http://127.0.0.1:<port>/<token>/<name>} with a
 * random 256-bit token, and the relay forwards each of its requests (method, {@code Range} and its other
 * headers) to the media URL, adding the resolver's headers (which replace ffmpeg's of the same name) and going
 * through the proxy if one is given ({@code Proxy-Authorization: Basic} when it has credentials, {@code CONNECT}
 * for https), and the media URL's {@code user:password}, if any, as {@code Authorization: Basic} to the media
 * URL's own host (as ffmpeg reading it would; never to another host a redirect names). The answer's head and body
 * are passed back unchanged, so ffmpeg sees what it would have read itself; redirects are followed here (at most
 * {@value #MAX_REDIRECTS}, http and https only: a redirect to any other scheme is refused, the target never read).
 *
 * <p>Binds {@code 127.0.0.1} only, on a port of its own, and answers only requests for its token (any other
 * path gets a 404 and no request is made) from sockets of this process's user (on Linux, where
 * {@code /proc/net/tcp} tells; another user who reads the loopback URL in {@code ps} gets nothing);
 * {@link #close()} ends the listener and every connection. Each connection carries one request ({@code
 * Connection: close}, as ffmpeg asks). Upstream sockets time out after the socket timeout, and buffer little
 * (32 KB towards the relay, 16 KB towards ffmpeg): ffmpeg drops a connection to seek, and what was buffered
 * for it was fetched for nothing. Failures before an answer (refused, timed out, unknown host, refused
 * redirect) are kept for {@link #failure()} and answered with a 502, which ffmpeg does not retry.
 * Thread-safe.
 */
final class MediaRelay implements AutoCloseable {
    /** Redirects followed per request, as ffmpeg's own limit. */
    static final int MAX_REDIRECTS = 8;
    /** Longest request or response head read, in bytes. */
    private static final int MAX_HEAD = 64 * 1024;
    /** Most connections one clip may open (ffmpeg opens a few: probe, seek, reconnects). */
    private static final int MAX_CONNECTIONS = 256;
    /** Send buffer towards ffmpeg, in bytes. */
    private static final int RELAY_BUFFER = 16 * 1024;
    /** Receive buffer from the media host, in bytes (Linux doubles it): ample for audio at any usual latency. */
    private static final int UPSTREAM_BUFFER = 32 * 1024;
    private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,8}$");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");
    private static final Set<String> METHODS = Set.of("GET", "HEAD");
    /** ffmpeg's headers never forwarded: replaced ({@code Host}) or credentials ffmpeg was never given. */
    private static final Set<String> DROPPED = Set.of("host", "cookie", "authorization", "proxy-authorization",
            "proxy-connection");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] BAD_GATEWAY = ("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND = ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final SSLSocketFactory tls;
    private final URI target;
    private final String headers;
    private final URI proxy;
    private final int timeoutMs;
    private final byte[] path;
    private final ServerSocket server;
    private final String url;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean closed;

    private MediaRelay(URI target, String headers, URI proxy, Duration timeout, SSLSocketFactory tls)
            throws IOException {
        this.tls = tls;
        this.target = target;
        this.headers = headers;
        this.proxy = proxy;
        this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        String name = fileName(target);
        String p = "/" + Base64.getUrlEncoder().withoutPadding().encodeToString(token) + "/" + name;
        this.path = p.getBytes(StandardCharsets.US_ASCII);
        // 127.0.0.1 itself, as in the URL (the JVM's loopback address may be ::1)
        this.server = new ServerSocket(0, 16, InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}));
        this.url = "http://127.0.0.1:" + server.getLocalPort() + p;
        Thread acceptor = new Thread(this::acceptLoop, "media-relay-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a relay for one media URL.
     *
     * @param mediaUrl the http or https media URL
     * @param headers the headers to add to every request, {@code Name: value\r\n} each (already filtered)
     * @param proxy an {@code http://[user:password@]host:port} proxy, if any
     * @param timeout the connect and read timeout of upstream sockets, and of reading ffmpeg's request
     * @return the running relay
     * @throws IllegalArgumentException if the media URL is not a valid http or https URL, or the proxy not an
     *     http URL
     * @throws IOException if no loopback port can be bound
     */
    static MediaRelay open(String mediaUrl, String headers, Optional<String> proxy, Duration timeout)
            throws IOException {
        return open(mediaUrl, headers, proxy, timeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * As {@link #open(String, String, Optional, Duration)}, with the TLS sockets of {@code tls} (tests trust
     * their own certificate with it; host names are checked all the same).
     *
     * @param mediaUrl the http or https media URL
     * @param headers the headers to add to every request
     * @param proxy an http proxy, if any
     * @param timeout the socket timeout
     * @param tls makes the TLS sockets for https
     * @return the running relay
     * @throws IOException if no loopback port can be bound
     */
    static MediaRelay open(String mediaUrl, String headers, Optional<String> proxy, Duration timeout,
            SSLSocketFactory tls) throws IOException {
        URI target = webUri(mediaUrl);
        URI p = null;
        if (proxy.isPresent()) {
            try {
                p = new URI(proxy.get());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("the proxy is not a valid URL", e);
            }
            if (p.getHost() == null || !"http".equalsIgnoreCase(p.getScheme())) {
                throw new IllegalArgumentException("the proxy is not an http://host:port URL");
            }
        }
        return new MediaRelay(target, headers, p, timeout, tls);
    }

    /** @return the loopback URL ffmpeg reads: no part of the media URL but its file name's extension */
    String url() {
        return url;
    }

    /** @return the first failure to reach the media (before any answer), if any, without the URL's query */
    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    private static URI webUri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getReason(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.isOpaque()) {
            throw new IllegalArgumentException("not a valid http or https URL");
        }
        return uri;
    }

    /**
     * @return {@code media} with the extension of the media URL's last path segment, if it has one (ffmpeg's
     *     probe looks at it); nothing else of the URL
     */
    private static String fileName(URI uri) {
        String p = uri.getRawPath() == null ? "" : uri.getRawPath();
        Matcher m = EXTENSION.matcher(p.substring(p.lastIndexOf('/') + 1));
        return m.find() ? "media" + m.group() : "media";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            if (connections.incrementAndGet() > MAX_CONNECTIONS || closed) {
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            Thread t = new Thread(() -> {
                try {
                    handle(socket);
                } finally {
                    closeQuietly(socket);
                    open.remove(socket);
                    handlers.remove(Thread.currentThread());
                }
            }, "media-relay-" + server.getLocalPort() + "-" + connections.get());
            t.setDaemon(true);
            handlers.add(t);
            t.start();
        }
    }

    private void handle(Socket client) {
        List<String> request;
        try {
            if (!sameUser(client)) {
                return;
            }
            client.setSoTimeout(timeoutMs);
            // little buffering towards ffmpeg: what the media host sends stays close to what ffmpeg reads
            // (ffmpeg drops a connection to seek; bytes buffered here would have been fetched for nothing)
            client.setSendBufferSize(RELAY_BUFFER);
            request = lines(readHead(client.getInputStream()));
        } catch (IOException e) {
            return;
        }
        Socket upstream = null;
        boolean answered = false;
        try {
            OutputStream toClient = client.getOutputStream();
            String[] parts = request.isEmpty() ? new String[0] : request.get(0).split(" ");
            if (parts.length != 3 || !METHODS.contains(parts[0]) || !ownPath(parts[1])) {
                toClient.write(NOT_FOUND);
                return;
            }
            URI location = target;
            for (int hop = 0;; hop++) {
                upstream = connect(location);
                open.add(upstream);
                if (closed) {
                    return;
                }
                OutputStream out = upstream.getOutputStream();
                out.write(requestHead(parts[0], location, request).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = upstream.getInputStream();
                byte[] head = readHead(in);
                Optional<URI> next = redirect(location, head);
                if (next.isEmpty()) {
                    answered = true;
                    toClient.write(head);
                    in.transferTo(toClient);
                    return;
                }
                open.remove(upstream);
                closeQuietly(upstream);
                upstream = null;
                if (hop + 1 >= MAX_REDIRECTS) {
                    throw new IOException("more than " + MAX_REDIRECTS + " redirects");
                }
                location = next.get();
            }
        } catch (RefusedRedirect e) {
            fail(e.getMessage(), client);
        } catch (IOException e) {
            // once the answer has begun, a cut or a stall is ffmpeg's to see (and to reconnect)
            if (!answered) {
                fail("cannot fetch the media from " + target.getHost() + ": " + describe(e), client);
            }
        } finally {
            if (upstream != null) {
                open.remove(upstream);
            }
            closeQuietly(upstream);
        }
    }

    /**
     * @return whether the peer's socket belongs to this process's user, from {@code /proc/net/tcp} (and
     *     {@code tcp6}); true where they cannot be read (the token then guards alone): another local user who
     *     read the loopback URL in {@code ps} cannot use it
     */
    private static boolean sameUser(Socket client) {
        Path self = Path.of("/proc/self");
        if (!Files.isDirectory(self)) {
            return true;
        }
        try {
            int uid = (Integer) Files.getAttribute(self, "unix:uid");
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path file = Path.of(table);
                if (Files.isReadable(file)) {
                    OptionalInt owner;
                    try (Stream<String> lines = Files.lines(file, StandardCharsets.US_ASCII)) {
                        owner = socketOwner(lines, client.getPort(), client.getLocalPort());
                    }
                    if (owner.isPresent()) {
                        return owner.getAsInt() == uid;
                    }
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * @param table the lines of {@code /proc/net/tcp}, read one at a time
     * @param port the local port of the socket looked for
     * @param remotePort its remote port
     * @return the uid owning the socket, if the table lists it
     */
    static OptionalInt socketOwner(Stream<String> table, int port, int remotePort) {
        String local = String.format(Locale.ROOT, ":%04X", port);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        return table.map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length > 7 && f[1].endsWith(local) && f[2].endsWith(remote)
                        && f[7].matches("\\d{1,9}"))
                .mapToInt(f -> Integer.parseInt(f[7])).findFirst();
    }

    private boolean ownPath(String requested) {
        return MessageDigest.isEqual(requested.getBytes(StandardCharsets.ISO_8859_1), path);
    }

    private void fail(String message, Socket client) {
        if (!closed) {
            failure.compareAndSet(null, message);
        }
        try {
            client.getOutputStream().write(BAD_GATEWAY);
        } catch (IOException e) {
            // the answer may have begun, or ffmpeg went away: the connection is closed either way
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String kind = e instanceof java.net.UnknownHostException ? "unknown host"
                : e instanceof java.net.SocketTimeoutException ? "timed out"
                : e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof javax.net.ssl.SSLException ? "TLS error"
                : "I/O error";
        String text = m.toLowerCase(Locale.ROOT).contains(kind.toLowerCase(Locale.ROOT)) || m.isEmpty() ? kind
                : kind + " (" + m + ")";
        return text.replaceAll("\\?[^\\s)]*", "?...");
    }

    /**
     * The request sent upstream: ffmpeg's request line with the media URL's path and query (absolute for a
     * plain-http proxy), its headers but {@code Host} and those the resolver's replace, then the resolver's, and
     * the media URL's {@code user:password} as {@code Basic} authorization when the request goes to its own scheme,
     * host and port (not to where a redirect points).
     */
    private String requestHead(String method, URI location, List<String> request) {
        boolean viaProxy = proxy != null && "http".equalsIgnoreCase(location.getScheme());
        String pathAndQuery = (location.getRawPath() == null || location.getRawPath().isEmpty() ? "/"
                : location.getRawPath()) + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
        String requestTarget = viaProxy ? location.getScheme() + "://" + authority(location) + pathAndQuery
                : pathAndQuery;
        StringBuilder h = new StringBuilder(method).append(' ').append(requestTarget).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(authority(location)).append("\r\n");
        Set<String> replaced = headerNames(headers);
        for (String line : request.subList(1, request.size())) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
            if (!name.isEmpty() && !DROPPED.contains(name) && !replaced.contains(name)) {
                h.append(line).append("\r\n");
            }
        }
        h.append(headers);
        if (sameOrigin(location, target)) { // the media URL's user:password, as ffmpeg sends it; never elsewhere
            basic(target.getRawUserInfo()).ifPresent(a -> h.append("Authorization: ").append(a).append("\r\n"));
        }
        if (viaProxy) {
            basic(proxy.getRawUserInfo()).ifPresent(a -> h.append("Proxy-Authorization: ").append(a).append("\r\n"));
        }
        return h.append("\r\n").toString();
    }

    private static Set<String> headerNames(String headers) {
        Set<String> names = new java.util.HashSet<>();
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String authority(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** @return whether two URLs have the same scheme, host and port */
    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    /** @return {@code Basic} credentials from a URL's raw {@code user:password}, if it has one */
    private static Optional<String> basic(String info) {
        if (info == null) {
            return Optional.empty();
        }
        String decoded = URLDecoder.decode(info.replace("+", "%2B"), StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
    }

    /** Opens a socket to the media host (through the proxy if any; TLS for https, with host name checks). */
    private Socket connect(URI location) throws IOException {
        String host = location.getHost();
        if (!HOST.matcher(host).matches()) {
            throw new IOException("invalid host name");
        }
        boolean https = "https".equalsIgnoreCase(location.getScheme());
        Socket socket = new Socket();
        try {
            // a bounded window: what ffmpeg abandons when it seeks (it drops the connection) was fetched for nothing
            socket.setReceiveBufferSize(UPSTREAM_BUFFER);
            URI first = proxy != null ? proxy : location;
            socket.connect(new InetSocketAddress(first.getHost(), port(first)), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            if (!https) {
                return socket;
            }
            if (proxy != null) {
                tunnel(socket, host + ":" + port(location));
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port(location), true);
            SSLParameters params = secure.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(params);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private void tunnel(Socket socket, String authority) throws IOException {
        StringBuilder h = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        basic(proxy.getRawUserInfo()).ifPresent(a -> h.append("Proxy-Authorization: ").append(a).append("\r\n"));
        socket.getOutputStream().write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        List<String> answer = lines(readHead(socket.getInputStream()));
        Matcher m = STATUS.matcher(answer.isEmpty() ? "" : answer.get(0));
        if (!m.matches() || !m.group(1).startsWith("2")) {
            throw new IOException("the proxy refused the tunnel: " + (answer.isEmpty() ? "no answer" : answer.get(0)));
        }
    }

    /** @return the next location if {@code head} is a redirect, else empty */
    private static Optional<URI> redirect(URI from, byte[] head) throws IOException {
        List<String> lines = lines(head);
        Matcher m = STATUS.matcher(lines.isEmpty() ? "" : lines.get(0));
        if (!m.matches()) {
            throw new IOException("not an HTTP answer");
        }
        int status = Integer.parseInt(m.group(1));
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return Optional.empty();
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.regionMatches(true, 0, "location:", 0, "location:".length())) {
                String to = line.substring("location:".length()).trim();
                URI next;
                try {
                    next = from.resolve(new URI(to));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new RefusedRedirect("refused media URL redirect to an invalid URL");
                }
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
                    throw new RefusedRedirect("refused media URL redirect to a " + (scheme.isEmpty() ? "relative"
                            : scheme.replaceAll("[^a-z0-9+.-]", "?")) + ": URL: only http and https are fetched");
                }
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }

    /** A redirect to a URL that is not fetched. */
    private static final class RefusedRedirect extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedRedirect(String message) {
            super(message);
        }
    }

    /** @return the bytes up to and including the blank line that ends an HTTP head */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int last = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException(head.size() == 0 ? "end of file before an answer" : "end of file in a head");
            }
            head.write(c);
            if (head.size() > MAX_HEAD) {
                throw new IOException("head longer than " + MAX_HEAD + " bytes");
            }
            // the last four bytes: a head ends with CRLF CRLF (or a bare LF LF)
            last = last << 8 | c;
            if (last == 0x0d0a0d0a || (last & 0xffff) == 0x0a0a) {
                return head.toByteArray();
            }
        }
    }

    private static List<String> lines(byte[] head) {
        List<String> lines = new ArrayList<>();
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Stops listening and ends every connection and its thread. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        for (Thread t : handlers) {
            t.interrupt();
        }
    }
}
