package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.Segment;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * One job's good or error log: a CSV appended to across runs, one row per clip (the segment, the
 * outcome, the failure class, attempts, frames, the tool's message and the time), flushed after
 * every row so a killed run loses nothing it finished. Thread-safe.
 */
final class DownloadLog implements AutoCloseable {
    /** The columns, in order. */
    public static final String[] HEADER = {"YTID", "start_seconds", "end_seconds", "positive_labels", "csv_row",
        "outcome", "class", "attempts", "frames", "message", "time"};

    private final Path file;
    private final BufferedWriter writer;
    private final CSVPrinter printer;

    /**
     * Opens (creating, with a header, or appending).
     *
     * @param file the log file
     * @throws IOException if it cannot be opened
     */
    public DownloadLog(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        if (fresh) {
            printer.printRecord((Object[]) HEADER);
            printer.flush();
        }
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /**
     * Appends one row and flushes.
     *
     * @param result the outcome
     */
    public synchronized void write(ClipResult result) {
        Segment s = result.row().segment();
        try {
            printer.printRecord(s.ytid(), String.format(Locale.ROOT, "%.3f", s.startSeconds()),
                    String.format(Locale.ROOT, "%.3f", s.endSeconds()), String.join(",", s.labelIds()),
                    result.row().row(), result.status().label(),
                    result.failure().map(c -> c.label()).orElse(""), result.attempts(), result.frames(),
                    result.message(), Instant.now().toString());
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to log " + file, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        printer.close();
    }
}
