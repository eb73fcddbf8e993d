package io.github.audiosetdl.examples;

import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.core.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A small real segments CSV and a loopback server with media for it, as the example tests use them. */
public final class ExampleData {
    private ExampleData() {
    }

    /**
     * Writes the first {@code count} eval segments carrying {@code label} to {@code dir/<name>.csv}.
     *
     * @return the CSV and its ids, in file order
     */
    public static Subset subset(Path dir, String name, String label, int count) throws IOException {
        SegmentSelection sel = SegmentSelection.builder(TestData.evalSegments()).label(label).limit(count).build();
        List<String> lines = new ArrayList<>(List.of("# YTID, start_seconds, end_seconds, positive_labels"));
        List<String> ids = new ArrayList<>();
        long[] endMs = {0};
        try (Stream<SegmentRow> rows = sel.stream()) {
            rows.forEach(r -> {
                ids.add(r.segment().ytid());
                endMs[0] = Math.max(endMs[0], r.segment().endMs());
                lines.add(String.format(Locale.ROOT, "%s, %.3f, %.3f, \"%s\"", r.segment().ytid(),
                        r.segment().startMs() / 1000.0, r.segment().endMs() / 1000.0,
                        String.join(",", r.segment().labelIds())));
            });
        }
        Path csv = Files.write(dir.resolve(name + ".csv"), lines);
        return new Subset(csv, List.copyOf(ids), endMs[0]);
    }

    /** Serves one AAC tone, 2 s longer than the subset's latest segment end, as {@code <id>.m4a} for every id. */
    public static LoopbackMediaServer serve(Path dir, Subset subset) throws IOException, InterruptedException {
        Path tone = TestMedia.tone(dir, TestMedia.Codec.AAC, 44_100, Math.ceil(subset.lastEndMs() / 1000.0) + 2);
        LoopbackMediaServer server = LoopbackMediaServer.start();
        subset.ids().forEach(id -> server.serve(id + ".m4a", tone));
        return server;
    }

    /**
     * A CSV and its ids.
     *
     * @param csv the CSV
     * @param ids its ids, in file order
     * @param lastEndMs the latest segment end, in ms
     */
    public record Subset(Path csv, List<String> ids, long lastEndMs) {
    }
}
