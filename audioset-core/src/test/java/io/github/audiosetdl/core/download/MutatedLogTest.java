package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.testing.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download logs on deterministic mutations of one {@link DownloadLog} wrote: read by {@link DownloadLogReader} and
 * opened again for appending (an old one, so that a partial last row is cut). Each ends within seconds and fails
 * only with an {@link IOException} (unchecked from a stream) naming the log.
 */
class MutatedLogTest {
    @Test
    void everyMutationIsReadOrRefusedNamingTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("errorLog_0.csv");
        try (DownloadLog l = new DownloadLog(log)) {
            l.write(new ClipResult(new SegmentRow(0, 2, new Segment("abcdefghijk", 0, 10_000, List.of("/m/09x0r"))),
                    ClipStatus.FAILED, FailureClass.PERMANENT, 1, "ERROR: Private video", 0));
            l.write(new ClipResult(new SegmentRow(1, 3, new Segment("bbcdefghijk", 0, 10_000,
                    List.of("/m/09x0r", "/m/0bt9lr"))), ClipStatus.FAILED, FailureClass.TRANSIENT, 2,
                    "HTTP Error 503", 0));
        }
        byte[] valid = Files.readAllBytes(log);
        List<Mutations.Mutant> mutants = Mutations.sample(Mutations.of(valid, valid.length, 41, 0), 1500, 41);
        assertThat(Mutations.check(dir.resolve("errorLog_1.csv"), mutants, p -> {
            try (Stream<LogEntry> rows = DownloadLogReader.stream(p)) {
                rows.count();
            }
        }, IOException.class, UncheckedIOException.class)).isEmpty();
        assertThat(Mutations.check(dir.resolve("errorLog_2.csv"), mutants, p -> {
            Files.setLastModifiedTime(p, FileTime.fromMillis(0));
            new DownloadLog(p).close();
        }, IOException.class)).isEmpty();
    }
}
