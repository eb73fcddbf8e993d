package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StrongStreamingTest {
    /** Three million events: their rows as objects would take about 400 MB, 20 times the child's heap. */
    private static final long EVENTS = 3_000_000;

    @Test
    void streamsMillionsOfEventsInA24MbHeap() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                StrongStreamChild.class.getName(), Long.toString(EVENTS))).redirectErrorStream(true).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child finishes").isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isZero();
            assertThat(out).contains("events=" + EVENTS + " segments=" + EVENTS / 10 + " labels="
                    + StrongVocabulary.AUDIOSET_SIZE);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theGeneratorWritesWhatTheReaderReads() throws IOException {
        try (var rows = StrongCsv.stream(new GeneratedStrongFile(25), "g.tsv")) {
            List<StrongRow> list = rows.toList();
            assertThat(list).hasSize(25);
            assertThat(list.get(24).ytid()).isEqualTo(GeneratedStrongFile.ytid(2));
            assertThat(list.get(24).event().startSeconds()).isEqualTo(4.0);
        }
    }
}
