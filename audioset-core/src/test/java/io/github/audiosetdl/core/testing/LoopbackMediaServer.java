package io.github.audiosetdl.core.testing;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback HTTP media server for download tests: serves registered files under
 * {@code /media/<name>} with byte ranges ({@code Range: bytes=a-b}, {@code a-}, {@code -n}), counts
 * requests and body bytes per name, and injects faults per name: an HTTP status, an HTML page, a
 * stalled response, a connection cut at a file offset, a number of failures before it recovers, and
 * latency added to every request. Plain sockets, one request per connection ({@code Connection:
 * close}), each with a 16 KB send buffer so that the bytes counted are close to what the client read.
 * Binds {@code 127.0.0.1} only; {@link #close()} releases stalled handlers. Thread-safe.
 */
public final class LoopbackMediaServer implements AutoCloseable {
    /** A way to answer instead of serving the file. */
    public enum Fault {
        /** 404 with a "Video unavailable" page. */
        NOT_FOUND(404),
        /** 403 Forbidden. */
        FORBIDDEN(403),
        /** 410 Gone. */
        GONE(410),
        /** 429 Too Many Requests. */
        TOO_MANY_REQUESTS(429),
        /** 500 Internal Server Error. */
        SERVER_ERROR(500),
        /** 200 with an HTML page instead of media. */
        HTML(200),
        /** 200 with the right headers, a few bytes, then nothing until the server closes. */
        STALL(200);

        private final int status;

        Fault(int status) {
            this.status = status;
        }

        /** @return the HTTP status sent */
        public int status() {
            return status;
        }
    }

    private record Injected(Fault fault, AtomicInteger remaining) {
    }

    /** Send buffer of each connection, in bytes. */
    private static final int SEND_BUFFER = 16 * 1024;

    private final ServerSocket server;
    private final ExecutorService pool;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Map<String, Injected> faults = new ConcurrentHashMap<>();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private final Map<String, Long> firstRequest = new ConcurrentHashMap<>();
    private final Map<String, Long> nameLatency = new ConcurrentHashMap<>();
    private volatile long latencyMillis;
    private final List<Map<String, String>> seenHeaders = new CopyOnWriteArrayList<>();
    private final LongAdder proxied = new LongAdder();
    private volatile String proxyAuthorization;

    private LoopbackMediaServer() throws IOException {
        server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-media-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::acceptLoop, "loopback-media-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @return a running server on a free loopback port
     * @throws IOException if it cannot bind
     */
    public static LoopbackMediaServer start() throws IOException {
        return new LoopbackMediaServer();
    }

    /**
     * @return a loopback port nothing listens on (bound, then released), for "connection refused"
     * @throws IOException if no port can be bound
     */
    public static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes a file of seeded random bytes (junk that is not media).
     *
     * @param file the file
     * @param size its size in bytes
     * @param seed the seed
     * @return the file
     * @throws IOException if it cannot be written
     */
    public static Path randomBytes(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return Files.write(file, data);
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * @param name a name under {@code /media/}
     * @return its URL
     */
    public String url(String name) {
        return baseUrl() + "/media/" + name;
    }

    /**
     * Serves a file.
     *
     * @param name the name under {@code /media/}
     * @param file the file
     * @return this
     */
    public LoopbackMediaServer serve(String name, Path file) {
        files.put(requireNonNull(name, "name"), requireNonNull(file, "file"));
        return this;
    }

    /**
     * Answers every request for {@code name} with a fault.
     *
     * @param name the name
     * @param fault the fault
     * @return this
     */
    public LoopbackMediaServer fault(String name, Fault fault) {
        return fault(name, fault, Integer.MAX_VALUE);
    }

    /**
     * Answers the first {@code times} requests for {@code name} with a fault, then serves the file.
     *
     * @param name the name
     * @param fault the fault
     * @param times how many requests fail
     * @return this
     */
    public LoopbackMediaServer fault(String name, Fault fault, int times) {
        faults.put(name, new Injected(requireNonNull(fault, "fault"), new AtomicInteger(times)));
        return this;
    }

    /**
     * Closes the connection of every response for {@code name} when it reaches this file offset.
     *
     * @param name the name
     * @param offset the byte offset in the file
     * @return this
     */
    public LoopbackMediaServer cutAt(String name, long offset) {
        cuts.put(name, offset);
        return this;
    }

    /**
     * Answers every request for {@code name} with a {@code 302 Found} to {@code location}.
     *
     * @param name the name
     * @param location the {@code Location} sent (any URL, e.g. a {@code file:} URL)
     * @return this
     */
    public LoopbackMediaServer redirect(String name, String location) {
        redirects.put(requireNonNull(name, "name"), requireNonNull(location, "location"));
        return this;
    }

    /**
     * @param latency added before every answer
     * @return this
     */
    public LoopbackMediaServer latency(Duration latency) {
        this.latencyMillis = latency.toMillis();
        return this;
    }

    /**
     * @param name a name
     * @param latency added before every answer for this name (on top of {@link #latency(Duration)})
     * @return this
     */
    public LoopbackMediaServer latency(String name, Duration latency) {
        nameLatency.put(requireNonNull(name, "name"), latency.toMillis());
        return this;
    }

    /**
     * @param name a name
     * @return requests received for it
     */
    public long requests(String name) {
        LongAdder a = requests.get(name);
        return a == null ? 0 : a.sum();
    }

    /**
     * @param name a name
     * @return when its first request arrived ({@link System#nanoTime()}), or -1 if none did
     */
    public long firstRequestNanos(String name) {
        return firstRequest.getOrDefault(name, -1L);
    }

    /**
     * Also answers as an HTTP proxy for itself (a request line with an absolute {@code http://} URL), asking
     * for these Basic credentials (407) until a request carries them.
     *
     * @param user the proxy user
     * @param password the proxy password
     * @return this
     */
    public LoopbackMediaServer requireProxyCredentials(String user, String password) {
        proxyAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** @return requests that came through the server as a proxy, with the right credentials if any are set */
    public long proxiedRequests() {
        return proxied.sum();
    }

    /**
     * @return the headers of every request received (names in lower case), plus the request line under
     *     {@code ":request"}, in arrival order; the first 1000 are kept
     */
    public List<Map<String, String>> requestHeaders() {
        return List.copyOf(seenHeaders);
    }

    /** @return requests received for every name */
    public long totalRequests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * @param name a name
     * @return body bytes sent for it (media or fault page)
     */
    public long bytesServed(String name) {
        LongAdder a = bytes.get(name);
        return a == null ? 0 : a.sum();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            live.add(socket);
            pool.execute(() -> {
                try (socket) {
                    // a small send buffer: bytes counted as sent are (nearly) bytes the client read
                    socket.setSendBufferSize(SEND_BUFFER);
                    socket.setSoTimeout(30_000);
                    handle(socket);
                } catch (IOException e) {
                    // the client went away (ffmpeg drops connections it no longer needs)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    live.remove(socket);
                }
            });
        }
    }

    private void handle(Socket socket) throws IOException, InterruptedException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if (seenHeaders.size() < 1000) {
            Map<String, String> seen = new HashMap<>(headers);
            seen.put(":request", requestLine);
            seenHeaders.add(Map.copyOf(seen));
        }
        String[] parts = requestLine.split(" ");
        String method = parts[0];
        String path = parts.length > 1 ? parts[1] : "/";
        if (path.startsWith("http://")) {
            String expected = proxyAuthorization;
            if (expected != null && !expected.equals(headers.get("proxy-authorization"))) {
                new Response(socket.getOutputStream(), false).headers(407, "Proxy Authentication Required", 0,
                        Map.of("Proxy-Authenticate", "Basic realm=\"loopback\""));
                return;
            }
            proxied.increment();
            int slash = path.indexOf('/', "http://".length());
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Response r = new Response(socket.getOutputStream(), "HEAD".equals(method));
        if (!path.startsWith("/media/")) {
            r.page(404, "<html><body>Not found</body></html>", new LongAdder());
            return;
        }
        String name = java.net.URLDecoder.decode(path.substring("/media/".length()), StandardCharsets.UTF_8);
        firstRequest.putIfAbsent(name, System.nanoTime());
        requests.computeIfAbsent(name, k -> new LongAdder()).increment();
        LongAdder sent = bytes.computeIfAbsent(name, k -> new LongAdder());
        long delay = latencyMillis + nameLatency.getOrDefault(name, 0L);
        if (delay > 0 && closed.await(delay, TimeUnit.MILLISECONDS)) {
            return;
        }
        String location = redirects.get(name);
        if (location != null) {
            r.headers(302, "Found", 0, Map.of("Location", location));
            return;
        }
        Injected injected = faults.get(name);
        if (injected != null && injected.remaining().getAndDecrement() > 0) {
            answerFault(r, injected.fault(), name, sent);
            return;
        }
        Path file = files.get(name);
        if (file == null) {
            r.page(404, "<html><body>Video unavailable</body></html>", sent);
            return;
        }
        serveFile(r, file, name, headers.get("range"), sent);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > 16 * 1024) {
                throw new IOException("request line too long");
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Writes one HTTP/1.1 response and closes the connection after it. */
    private static final class Response {
        private final OutputStream out;
        private final boolean head;

        Response(OutputStream out, boolean head) {
            this.out = out;
            this.head = head;
        }

        void headers(int status, String reason, long length, Map<String, String> extra) throws IOException {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason)
                    .append("\r\nConnection: close\r\nContent-Length: ").append(length).append("\r\n");
            extra.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void page(int status, String html, LongAdder sent) throws IOException {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            headers(status, reason(status), body.length, Map.of("Content-Type", "text/html; charset=utf-8"));
            if (!head) {
                out.write(body);
                out.flush();
                sent.add(body.length);
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 410 -> "Gone";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    private void answerFault(Response r, Fault fault, String name, LongAdder sent)
            throws IOException, InterruptedException {
        switch (fault) {
            case HTML -> r.page(200, "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
                    + "Please sign in to continue.</body></html>", sent);
            case STALL -> {
                Path file = files.get(name);
                long size = file == null ? 1 << 20 : Files.size(file);
                r.headers(200, "OK", size, Map.of("Content-Type", contentType(name), "Accept-Ranges", "bytes"));
                r.out.write(new byte[16]);
                r.out.flush();
                sent.add(16);
                closed.await(5, TimeUnit.MINUTES);
            }
            default -> r.page(fault.status(), "<html><body>Error " + fault.status() + "</body></html>", sent);
        }
    }

    private void serveFile(Response r, Path file, String name, String rangeHeader, LongAdder sent)
            throws IOException {
        long size = Files.size(file);
        long[] range = parseRange(rangeHeader, size);
        if (range == null) {
            r.headers(416, reason(416), 0, Map.of("Content-Range", "bytes */" + size));
            return;
        }
        long first = range[0];
        long last = range[1];
        boolean partial = range[2] == 1;
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        extra.put("Content-Type", contentType(name));
        extra.put("Accept-Ranges", "bytes");
        if (partial) {
            extra.put("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        r.headers(partial ? 206 : 200, reason(partial ? 206 : 200), last - first + 1, extra);
        if (r.head) {
            return;
        }
        // a cut closes the connection at that file offset, before Content-Length bytes were sent
        long stop = cuts.containsKey(name) ? Math.min(last + 1, Math.max(first, cuts.get(name))) : last + 1;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(first);
            byte[] buffer = new byte[8 * 1024];
            long pos = first;
            while (pos < stop) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, stop - pos));
                if (n < 0) {
                    break;
                }
                r.out.write(buffer, 0, n);
                sent.add(n);
                pos += n;
            }
        }
        r.out.flush();
    }

    /** @return {first, last, partial ? 1 : 0}, or null when the range cannot be satisfied */
    private static long[] parseRange(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return new long[] {0, size - 1, 0};
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new long[] {0, size - 1, 0};
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(b));
            }
            return first >= size || first > last ? null : new long[] {first, last, 1};
        } catch (NumberFormatException e) {
            return new long[] {0, size - 1, 0};
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".m4a") || name.endsWith(".mp4")) {
            return "audio/mp4";
        } else if (name.endsWith(".webm")) {
            return "audio/webm";
        } else if (name.endsWith(".mp3")) {
            return "audio/mpeg";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : live) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        pool.shutdownNow();
    }
}
