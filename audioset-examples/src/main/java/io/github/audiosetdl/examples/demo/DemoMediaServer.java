package io.github.audiosetdl.examples.demo;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server standing in for YouTube's media servers: it serves the files of one folder
 * under {@code /media/<file>} with byte-range support (as ffmpeg's seeking needs), and answers
 * chosen files with a failure instead. Only {@code 127.0.0.1} is bound.
 */
final class DemoMediaServer implements AutoCloseable {
    /** How a file is answered instead of being served. */
    enum Failure {
        /** 404 with a "Video unavailable" page. */
        UNAVAILABLE,
        /** 200 with an HTML page instead of media. */
        NOT_MEDIA
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final Path root;
    private final Map<String, Failure> failures;
    private final HttpServer server;
    private final ExecutorService pool;
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytesServed = new LongAdder();

    private DemoMediaServer(Path root, Map<String, Failure> failures) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.failures = Map.copyOf(failures);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "demo-media-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/media/", this::handle);
        server.start();
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @param root the folder whose files are served
     * @param failures file names answered with a failure instead
     * @return the running server
     * @throws IOException if it cannot bind
     */
    static DemoMediaServer start(Path root, Map<String, Failure> failures) throws IOException {
        return new DemoMediaServer(requireNonNull(root, "root"), requireNonNull(failures, "failures"));
    }

    /** @return {@code http://127.0.0.1:<port>} */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the number of requests answered */
    long requests() {
        return requests.sum();
    }

    /** @return the number of media bytes sent */
    long bytesServed() {
        return bytesServed.sum();
    }

    /** A file by its name, or by its name without the extension ({@code /media/<id>}). */
    private Path locate(String name) {
        Path file = root.resolve(name).normalize();
        if (!Files.isRegularFile(file)) {
            for (String extension : new String[] {".m4a", ".webm"}) {
                Path candidate = root.resolve(name + extension).normalize();
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return file;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.increment();
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/media/".length());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            Failure failure = failures.get(name);
            Path file = locate(name);
            if (failure == Failure.UNAVAILABLE || name.contains("/") || !file.startsWith(root)
                    || !Files.isRegularFile(file)) {
                text(exchange, 404, "text/html", "<html><body>Video unavailable</body></html>", head);
                return;
            }
            if (failure == Failure.NOT_MEDIA) {
                text(exchange, 200, "text/html", "<!DOCTYPE html><html><head><title>Sign in</title></head>"
                        + "<body>Please sign in to continue.</body></html>", head);
                return;
            }
            serveFile(exchange, file, head);
        }
    }

    private void serveFile(HttpExchange exchange, Path file, boolean head) throws IOException {
        long size = Files.size(file);
        long from = 0;
        long to = size - 1;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) {
                    from = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    from = Long.parseLong(m.group(1));
                    to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                }
                if (from >= size || from > to) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
        }
        long length = to - from + 1;
        String name = file.getFileName().toString();
        exchange.getResponseHeaders().set("Content-Type", name.endsWith(".webm") ? "audio/webm" : "audio/mp4");
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length);
        try (FileChannel channel = FileChannel.open(file); OutputStream out = exchange.getResponseBody()) {
            InputStream in = Channels.newInputStream(channel.position(from));
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException clientGone) {
                    return; // ffmpeg closes the connection once it has its section
                }
                bytesServed.add(n);
                left -= n;
            }
        }
    }

    private static void text(HttpExchange exchange, int status, String type, String body, boolean head)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
