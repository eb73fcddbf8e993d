package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.Segment;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's good or error log: a CSV appended to across runs, one row per clip and line (the segment, the
 * outcome, the failure class and reason, attempts, frames, the tool's message with its line breaks as spaces, and
 * the time), flushed after every row so a killed run loses nothing it finished; a partial last row a crash left is
 * cut off when the log is opened again. Thread-safe.
 *
 * <p>A log started by an older version keeps its own header: rows appended to it carry only the columns
 * that header names (an old log has no {@code reason}; readers derive it from the message).
 */
final class DownloadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadLog.class);
    /** The columns, in order. */
    public static final String[] HEADER = {"YTID", "start_seconds", "end_seconds", "positive_labels", "csv_row",
        "outcome", "class", "reason", "attempts", "frames", "message", "time"};
    /** How long a log must be untouched before a partial last row is taken for a crash's and cut. */
    private static final Duration PARTIAL_ROW_AGE = Duration.ofMinutes(1);
    /** The most bytes of a log read to find its header line. */
    private static final int MAX_HEADER_BYTES = 4096;

    private final Path file;
    private final BufferedWriter writer;
    private final CSVPrinter printer;
    /** For each column of the file's header, its index in {@link #HEADER}, or -1 for a column we do not know. */
    private final int[] columns;

    /**
     * Opens (creating, with a header, or appending).
     *
     * @param file the log file
     * @throws IOException if it cannot be opened
     */
    public DownloadLog(Path file) throws IOException {
        this.file = file;
        OutputFolder.createDirectories(file.toAbsolutePath().getParent());
        // header files of tasks killed before they linked it (createWithHeader)
        ProcessTag.removeGone(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
        boolean created = createWithHeader(file);
        if (Files.isSymbolicLink(file)) { // planted by whoever can write the logs folder: never write through it
            throw new IOException(file + " is a symbolic link: refusing to write a download log through it (remove"
                    + " it; a log is a regular file)");
        }
        boolean empty = !created && Files.size(file) == 0; // made by another tool, or where links cannot be
        this.columns = columnsOf(created || empty ? List.of(HEADER) : headerOf(file));
        if (!created && !empty) {
            dropPartialRow(file);
        }
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        this.printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        if (empty) {
            printer.printRecord((Object[]) HEADER);
            printer.flush();
        }
    }

    /**
     * Creates a log that does not exist yet with its header, in one step: the header is written to a temporary
     * file, which is then hard-linked under the log's name (fails if the name exists), so that tasks starting the
     * same log at once write one header, not one each. Where hard links are not supported, creates it empty.
     *
     * @return whether this call created it (with its header)
     */
    private static boolean createWithHeader(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessTag.current() + "." + UUID.randomUUID()
                + ".tmp");
        try {
            Files.writeString(tmp, String.join(",", HEADER) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) { // the folder, not the hidden name, is what the reader can act on
            Files.deleteIfExists(tmp); // a full disk: created, not written
            throw OutputFolder.cannotWriteIn(file, tmp.getFileName().toString(), e);
        }
        try {
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another task created it first
        } catch (UnsupportedOperationException | IOException e) {
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException already) {
                // another task created it first
            }
            return false;
        } finally {
            Files.deleteIfExists(tmp);
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
            Object[] values = {s.ytid(), String.format(Locale.ROOT, "%.3f", s.startSeconds()),
                String.format(Locale.ROOT, "%.3f", s.endSeconds()), String.join(",", s.labelIds()),
                result.row().row(), result.status().label(), result.failure().map(c -> c.label()).orElse(""),
                result.reason().map(FailureReason::label).orElse(""), result.attempts(), result.frames(),
                oneLine(result.message()), Instant.now().toString()};
            List<Object> row = new ArrayList<>(columns.length);
            for (int c : columns) {
                row.add(c < 0 ? "" : values[c]);
            }
            printer.printRecord(row);
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to log " + file, e);
        }
    }

    /** @return {@code text} with line breaks as spaces: one row per line, so that a log can be cut at a line */
    private static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Cuts a log back to its last whole line: a row a crash (or a full disk) cut short would otherwise run into
     * the next row appended, corrupting both. The header line is whole (it was read). Only a log untouched for
     * {@link #PARTIAL_ROW_AGE} is cut: another live process appending to the same log (tasks sharing a job
     * index) may be in the middle of a row, and a crash's partial row is older than that by the time a run
     * starts again.
     */
    private static void dropPartialRow(Path file) throws IOException {
        if (Files.getLastModifiedTime(file).toMillis() > System.currentTimeMillis() - PARTIAL_ROW_AGE.toMillis()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            ByteBuffer block = ByteBuffer.allocate(4096);
            long end = size;
            while (end > 0) {
                int n = (int) Math.min(block.capacity(), end);
                block.clear().limit(n);
                while (block.hasRemaining()) {
                    if (ch.read(block, end - n + block.position()) < 0) {
                        throw new IOException(file + ": shorter than its size while reading it");
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        long whole = end - n + i + 1;
                        if (whole < size) {
                            LOG.warn("{}: dropped a partial last row of {} bytes (a run cut short while writing it)",
                                    file, size - whole);
                            ch.truncate(whole);
                            ch.force(true);
                        }
                        return;
                    }
                }
                end -= n;
            }
        }
    }

    /**
     * @return the names in the first line of an existing log (at most {@link #MAX_HEADER_BYTES} read); only that
     *     line is decoded, so that a row after it that is not UTF-8 (a multi-byte character a crash cut short) does
     *     not make the log unreadable
     */
    private static List<String> headerOf(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        }
        int end = 0;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        if (end == head.length) {
            throw new IOException(file + " is not a download log: no header line in its first " + MAX_HEADER_BYTES
                    + " bytes");
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not a download log: its first line is not UTF-8 text", e);
        }
        List<String> names = new ArrayList<>();
        for (String name : line.strip().split(",", -1)) {
            names.add(name.strip());
        }
        if (!names.contains(HEADER[0]) || !names.contains("outcome")) {
            throw new IOException(file + " is not a download log: its header is " + names);
        }
        return names;
    }

    private static int[] columnsOf(List<String> header) {
        List<String> known = List.of(HEADER);
        int[] columns = new int[header.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = known.indexOf(header.get(i));
        }
        return columns;
    }

    /**
     * Flushes, syncs and closes. On a thread being interrupted (a cancelled run closes its logs so), the interrupt
     * is set aside for the sync, which an interruptible channel would refuse, and set again after it.
     */
    @Override
    public synchronized void close() throws IOException {
        boolean interrupted = Thread.interrupted();
        try (printer) {
            printer.flush();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.force(true); // the run's rows survive a power loss (each row is flushed as it is written)
            } catch (IOException e) {
                LOG.warn("{}: cannot sync the log ({}); its rows are written but may not survive a power loss", file,
                        e.toString());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
