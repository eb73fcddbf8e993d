package io.github.audiosetdl.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's segment list reaches its final name whole or not at all. */
class DemoSegmentListTest {
    private static final String WHOLE = "# YTID, start_seconds, end_seconds, positive_labels\n"
            + "-0CamVQdP_Y, 0.000, 10.000, \"/m/09x0r\"\n"
            + "-1LrH01Ei1w, 0.000, 10.000, \"/m/04rlf\"\n";

    /**
     * Before, the list was copied straight to its final name ({@code Files.copy}): a copy stopped half-way (here, a
     * read that fails after the first line, as a kill does) left that first line under the final name, and the list
     * an earlier demo wrote was gone.
     */
    @Test
    void aCopyStoppedHalfWayLeavesTheEarlierListWholeAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve(Demo.NAME + ".csv"), WHOLE);
        byte[] firstLine = WHOLE.substring(0, WHOLE.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8);
        InputStream stopped = new SequenceInputStream(new ByteArrayInputStream(firstLine), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("stopped mid-copy");
            }
        });

        assertThatThrownBy(() -> Demo.installSegmentList(stopped, csv)).isInstanceOf(IOException.class)
                .hasMessageContaining("stopped mid-copy");

        assertThat(csv).hasContent(WHOLE);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(csv);
        }
    }

    @Test
    void replacesAnEarlierListWhole(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve(Demo.NAME + ".csv"), "# truncated by a kill\n-0Cam");

        Demo.installSegmentList(new ByteArrayInputStream(WHOLE.getBytes(StandardCharsets.UTF_8)), csv);

        assertThat(csv).hasContent(WHOLE);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(csv);
        }
    }
}
