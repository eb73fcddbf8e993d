package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelIndexTest {
    @Test
    void bundledIndexHas527ClassesAndRoundTrips() {
        LabelIndex index = LabelIndex.audioSet();
        assertThat(index.size()).isEqualTo(527);
        assertThat(index.get(0)).isEqualTo(new Label(0, "/m/09x0r", "Speech"));
        assertThat(index.get(1).displayName()).isEqualTo("Male speech, man speaking");
        for (Label label : index.labels()) {
            assertThat(index.get(label.index())).isEqualTo(label);
            assertThat(index.indexOf(label.mid())).isEqualTo(label.index());
            assertThat(index.byMid(label.mid())).contains(label);
            assertThat(index.byName(label.displayName()).orElseThrow().displayName()).isEqualTo(label.displayName());
        }
        assertThat(index.byName("SPEECH")).contains(index.get(0));
    }

    @Test
    void bundledIndexEqualsTheSharedFile() throws IOException {
        LabelIndex fromFile = LabelIndex.read(TestData.file("audioset/class_labels_indices.csv"));
        assertThat(fromFile.labels()).isEqualTo(LabelIndex.audioSet().labels());
    }

    @Test
    void multiHotEncodesBothWays() {
        LabelIndex index = LabelIndex.audioSet();
        byte[] hot = index.encode(List.of("/m/0jbk", "/m/09x0r", "/m/0bt9lr"));
        assertThat(hot).hasSize(527);
        int ones = 0;
        for (byte b : hot) {
            ones += b;
        }
        assertThat(ones).isEqualTo(3);
        assertThat(hot[0]).isEqualTo((byte) 1);
        assertThat(index.decode(hot)).containsExactly("/m/09x0r", "/m/0jbk", "/m/0bt9lr"); // index order
        boolean[] bools = new boolean[527];
        bools[index.indexOf("/m/0bt9lr")] = true;
        assertThat(index.decode(bools)).containsExactly("/m/0bt9lr");
    }

    @Test
    void unknownMidIsAnErrorNamingIt() {
        assertThatThrownBy(() -> LabelIndex.audioSet().encode(List.of("/m/09x0r", "/m/zzz")))
                .isInstanceOf(AudioSetException.class).hasMessageContaining("'/m/zzz'");
        assertThatThrownBy(() -> LabelIndex.audioSet().decode(new byte[3])).hasMessageContaining("length 3");
    }

    @Test
    void badFilesNameTheLineAndValue() {
        assertThatThrownBy(() -> LabelIndex.read(new StringReader("index,mid,display_name\n0,/m/a,A\n2,/m/b,B\n"),
                "labels.csv")).hasMessage("labels.csv:3: expected index 1, got '2'");
        assertThatThrownBy(() -> LabelIndex.read(new StringReader("index,mid,display_name\nx,/m/a,A\n"), "l.csv"))
                .hasMessage("l.csv:2: index is not an integer 'x'");
        assertThatThrownBy(() -> LabelIndex.read(new StringReader("0,/m/a,A\n1,/m/a,B\n"), "l.csv"))
                .hasMessage("l.csv:2: mid '/m/a' already listed at line 1");
        assertThatThrownBy(() -> LabelIndex.read(new StringReader("0,/m/a\n"), "l.csv"))
                .hasMessageStartingWith("l.csv:1: expected 3 fields");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWithTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, "index,mid,display_name\n0,/m/a,Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LabelIndex.read(file)).isInstanceOf(AudioSetException.class)
                .hasMessage(file + ":2: bytes that are not UTF-8 '0,/m/a,Caf\uFFFD'");
    }

    @Test
    void aFolderGivenAsTheLabelsFileIsNamed(@TempDir Path dir) {
        // the error was "Is a directory", naming no file (audioset report --labels DIR)
        assertThatThrownBy(() -> LabelIndex.read(dir)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir + ": ");
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        LabelIndex index = LabelIndex.read(new StringReader("\uFEFFindex,mid,display_name\n0,/m/a,A\n"), "bom.csv");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.get(0).mid()).isEqualTo("/m/a");
    }

    @Test
    void aHugeLineOrTooManyClassesEndTheReadingNamingTheLine() {
        String longName = "0,/m/a,\"" + "x".repeat(100_000) + "\"\n";
        assertThatThrownBy(() -> LabelIndex.read(new StringReader("index,mid,display_name\n" + longName), "l.csv"))
                .isInstanceOf(AudioSetException.class).hasMessage("l.csv:2: line longer than 4096 characters");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= LabelIndex.MAX_SIZE; i++) {
            many.append(i).append(",/m/").append(i).append(",C\n");
        }
        assertThatThrownBy(() -> LabelIndex.read(new StringReader(many.toString()), "l.csv"))
                .isInstanceOf(AudioSetException.class)
                .hasMessage("l.csv:" + (LabelIndex.MAX_SIZE + 1) + ": more than 32767 classes '/m/32767'");
    }
}
