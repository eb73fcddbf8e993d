package io.github.audiosetdl.core.testing;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
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
 * latency added to every request. Binds {@code 127.0.0.1} only; {@link #close()} releases stalled
 * handlers. Thread-safe.
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

    private final HttpServer server;
    private final ExecutorService pool;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Map<String, Injected> faults = new ConcurrentHashMap<>();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private volatile long latencyMillis;

    private LoopbackMediaServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-media-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/media/", this::handle);
        server.start();
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
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
     * @param latency added before every answer
     * @return this
     */
    public LoopbackMediaServer latency(Duration latency) {
        this.latencyMillis = latency.toMillis();
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

    private void handle(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/media/".length());
        requests.computeIfAbsent(name, k -> new LongAdder()).increment();
        LongAdder sent = bytes.computeIfAbsent(name, k -> new LongAdder());
        try (exchange) {
            if (latencyMillis > 0 && closed.await(latencyMillis, TimeUnit.MILLISECONDS)) {
                return;
            }
            Injected injected = faults.get(name);
            if (injected != null && injected.remaining().getAndDecrement() > 0) {
                answerFault(exchange, injected.fault(), name, sent);
                return;
            }
            Path file = files.get(name);
            if (file == null) {
                page(exchange, 404, "<html><body>Video unavailable</body></html>", sent);
                return;
            }
            serveFile(exchange, file, name, sent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (ffmpeg closes connections it no longer needs); nothing to do
        }
    }

    private void answerFault(HttpExchange exchange, Fault fault, String name, LongAdder sent)
            throws IOException, InterruptedException {
        switch (fault) {
            case HTML -> page(exchange, 200, "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
                    + "Please sign in to continue.</body></html>", sent);
            case STALL -> {
                Path file = files.get(name);
                long size = file == null ? 1 << 20 : Files.size(file);
                exchange.getResponseHeaders().set("Content-Type", contentType(name));
                exchange.sendResponseHeaders(200, size);
                OutputStream out = exchange.getResponseBody();
                out.write(new byte[16]);
                out.flush();
                sent.add(16);
                closed.await(5, TimeUnit.MINUTES);
            }
            default -> page(exchange, fault.status(), "<html><body>Error " + fault.status() + "</body></html>", sent);
        }
    }

    private static void page(HttpExchange exchange, int status, String html, LongAdder sent) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        sent.add(body.length);
    }

    private void serveFile(HttpExchange exchange, Path file, String name, LongAdder sent) throws IOException {
        long size = Files.size(file);
        long[] range = parseRange(exchange.getRequestHeaders().getFirst("Range"), size);
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        exchange.getResponseHeaders().set("Content-Type", contentType(name));
        if (range == null) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
            exchange.sendResponseHeaders(416, -1);
            return;
        }
        long first = range[0];
        long last = range[1];
        boolean partial = range[2] == 1;
        if (partial) {
            exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        long length = last - first + 1;
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(partial ? 206 : 200, -1);
            return;
        }
        exchange.sendResponseHeaders(partial ? 206 : 200, length);
        long stop = cuts.containsKey(name) ? Math.min(last + 1, Math.max(first, cuts.get(name))) : last + 1;
        OutputStream out = exchange.getResponseBody();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(first);
            byte[] buffer = new byte[16 * 1024];
            long pos = first;
            while (pos < stop) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, stop - pos));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                sent.add(n);
                pos += n;
            }
        }
        if (stop <= last) {
            out.flush();
            // Closing before Content-Length bytes were written drops the connection: a cut mid-body.
            exchange.close();
        }
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
        server.stop(0);
        pool.shutdownNow();
    }
}
