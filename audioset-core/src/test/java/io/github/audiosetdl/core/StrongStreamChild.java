package io.github.audiosetdl.core;

import java.io.IOException;
import java.util.stream.Stream;

/** Run in a JVM with a small heap by {@link StrongStreamingTest}: summarises a generated strong file. */
final class StrongStreamChild {
    private StrongStreamChild() {
    }

    /**
     * @param args the number of events
     * @throws IOException never (the file is generated)
     */
    public static void main(String[] args) throws IOException {
        long events = Long.parseLong(args[0]);
        try (Stream<StrongRow> rows = StrongCsv.stream(new GeneratedStrongFile(events), "generated.tsv")) {
            StrongSummary s = StrongSummary.of(rows, "generated.tsv", StrongVocabulary.audioSet(),
                    LabelIndex.audioSet());
            System.out.println("events=" + s.events() + " segments=" + s.segments() + " labels=" + s.uniqueLabels()
                    + " maxHeapMB=" + Runtime.getRuntime().maxMemory() / (1 << 20));
        }
    }
}
