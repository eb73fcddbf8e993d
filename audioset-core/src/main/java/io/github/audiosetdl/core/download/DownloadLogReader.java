package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.LineLimitReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams the rows of a download log written by any version: columns are found by the header's names, and
 * a log without a {@code reason} column (written before it existed) gets each failure's reason derived from
 * its message by the same table that classifies tool output. A line longer than {@link #MAX_LINE_CHARS} ends
 * the reading with an error naming the line.
 */
final class DownloadLogReader {
    /** The most characters a log line may hold (messages are a tool's last lines: far shorter). */
    static final int MAX_LINE_CHARS = 1 << 20;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true).get();

    private DownloadLogReader() {
    }

    /**
     * @param log a good or error log
     * @return its rows, lazily; close the stream
     * @throws IOException if it cannot be opened or its header lacks {@code YTID} or {@code outcome}
     */
    static Stream<LogEntry> stream(Path log) throws IOException {
        BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8);
        CSVParser parser;
        try {
            parser = FORMAT.parse(new LineLimitReader(in, MAX_LINE_CHARS));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        Map<String, Integer> header = parser.getHeaderMap();
        if (header == null || !header.containsKey("YTID") || !header.containsKey("outcome")) {
            parser.close();
            throw new IOException(log + " is not a download log: its header is "
                    + (header == null ? "missing" : header.keySet()));
        }
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(parser.iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false).map(r -> entry(r, log)).onClose(() -> {
                    try {
                        parser.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static LogEntry entry(CSVRecord r, Path log) {
        String ytid = get(r, "YTID");
        String labels = get(r, "positive_labels");
        List<String> labelIds = labels.isEmpty() ? List.of() : Arrays.asList(labels.split(","));
        String outcome = get(r, "outcome");
        String message = get(r, "message");
        FailureClass failureClass = null;
        FailureReason reason = null;
        if (outcome.equals(ClipStatus.FAILED.label())) {
            String logged = get(r, "class").toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                failureClass = FailureClass.valueOf(logged);
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException(log + " line " + r.getRecordNumber()
                        + ": failure class '" + get(r, "class") + "' is not one of permanent, transient,"
                        + " rate-limited", e));
            }
            reason = FailureReason.ofLabel(get(r, "reason")).orElseGet(() -> FailureClassifier.reason(message));
        }
        return new LogEntry(ytid, labelIds, outcome, failureClass, reason, message);
    }

    private static String get(CSVRecord r, String column) {
        return r.isMapped(column) && r.isSet(column) ? r.get(column).strip() : "";
    }
}
