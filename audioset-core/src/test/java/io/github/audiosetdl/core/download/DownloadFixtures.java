package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Helpers shared by the download tests. */
final class DownloadFixtures {
    private DownloadFixtures() {
    }

    /** @return a fast test configuration: direct resolver, short delays and timeouts */
    static DownloadConfig.Builder fastConfig(Path out, String template) {
        return DownloadConfig.builder(out, "test").resolver(ResolverKind.DIRECT).urlTemplate(template)
                .ffmpeg(ExternalTools.requireFfmpeg()).threads(4).retries(2).retryDelay(Duration.ofMillis(20))
                .maxRetryDelay(Duration.ofMillis(200)).socketTimeout(Duration.ofSeconds(1))
                .toolTimeout(Duration.ofSeconds(30));
    }

    static SegmentRow row(long index, String id, double start, double end, String... labels) {
        return new SegmentRow(index, index + 1, new Segment(id, Math.round(start * 1000), Math.round(end * 1000),
                List.of(labels.length == 0 ? new String[] {"/m/09x0r"} : labels)));
    }

    static DownloadSummary run(DownloadConfig config, List<SegmentRow> rows) throws IOException {
        return DownloadStage.builder().config(config).build().run(rows.stream(), Shard.ALL, rows.size());
    }

    static DownloadSummary run(DownloadConfig config, Stream<SegmentRow> rows, long total) throws IOException {
        return DownloadStage.builder().config(config).build().run(rows, Shard.ALL, total);
    }

    /** @return the rows of a good or error log, by YTID (the last row for each) */
    static Map<String, CSVRecord> readLog(Path log) throws IOException {
        Map<String, CSVRecord> rows = new HashMap<>();
        if (!Files.exists(log)) {
            return rows;
        }
        try (Reader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                rows.put(rec.get("YTID"), rec);
            }
        }
        return rows;
    }

    /** @return every file in the tree whose name starts with a dot or ends with .tmp */
    static List<Path> temporaries(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".")
                    || p.getFileName().toString().endsWith(".tmp")).forEach(found::add);
        }
        return found;
    }
}
