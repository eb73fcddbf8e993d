package io.github.audiosetdl.examples;

import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.SharedData;
import io.github.audiosetdl.core.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A small real segments CSV and a loopback server with media for it, as the example tests use them. */
final class ExampleData {
    private ExampleData() {
    }

    /**
     * Writes the first {@code count} eval segments carrying {@code label} to {@code dir/<name>.csv}.
     *
     * @return the CSV and its ids, in file order
     */
    static Subset subset(Path dir, String name, String label, int count) throws IOException {
        SegmentSelection sel = SegmentSelection.builder(SharedData.evalSegments()).label(label).limit(count).build();
        List<String> lines = new ArrayList<>(List.of("# YTID, start_seconds, end_seconds, positive_labels"));
        List<String> ids = new ArrayList<>();
        try (Stream<SegmentRow> rows = sel.stream()) {
            rows.forEach(r -> {
                ids.add(r.segment().ytid());
                lines.add(String.format(Locale.ROOT, "%s, %.3f, %.3f, \"%s\"", r.segment().ytid(),
                        r.segment().startMs() / 1000.0, r.segment().endMs() / 1000.0,
                        String.join(",", r.segment().labelIds())));
            });
        }
        Path csv = Files.write(dir.resolve(name + ".csv"), lines);
        return new Subset(csv, List.copyOf(ids));
    }

    /** Serves one AAC tone, long enough for any eval segment, as {@code <id>.m4a} for every id. */
    static LoopbackMediaServer serve(Path dir, List<String> ids) throws IOException, InterruptedException {
        Path tone = TestMedia.tone(dir, TestMedia.Codec.AAC, 44_100, 42);
        LoopbackMediaServer server = LoopbackMediaServer.start();
        ids.forEach(id -> server.serve(id + ".m4a", tone));
        return server;
    }

    record Subset(Path csv, List<String> ids) {
    }
}
