package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputRecord}: what makes an output up to date, and what does not. */
class OutputRecordTest {
    @TempDir
    Path dir;

    private static final OutputRecord.Changes WORDS = (key, was, now) -> Optional.of(key + ": " + was.get(key)
            + " -> " + now.get(key));

    private Map<String, String> inputs(String csv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("csv", csv);
        m.put("seed", "none");
        return m;
    }

    @Test
    void anOutputRecordedWithTheSameInputsAndUnchangedIsUpToDate() throws IOException {
        Path main = Files.writeString(dir.resolve("d.hdf5"), "rows");
        Path meta = Files.writeString(dir.resolve("d_metadata.npy"), "meta");
        Path record = OutputRecord.of(main);
        assertThat(record.getFileName().toString()).isEqualTo(".d.hdf5.inputs");
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("no record");
        assertThat(OutputRecord.whyStale(OutputRecord.of(dir.resolve("x.hdf5")), inputs("a"), WORDS))
                .contains("there is no output yet");

        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("d.hdf5", "d_metadata.npy", ".d.hdf5.inputs");
        }
        // written again over an older record
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).isEmpty();
    }

    @Test
    void anotherInputAChangedOrMissingOutputOrADamagedRecordIsStale() throws IOException {
        Path main = Files.writeString(dir.resolve("d.hdf5"), "rows");
        Path meta = Files.writeString(dir.resolve("d_metadata.npy"), "meta");
        Path record = OutputRecord.of(main);
        OutputRecord.write(record, inputs("a"), List.of(main, meta));

        assertThat(OutputRecord.whyStale(record, inputs("b"), WORDS)).contains("csv: a -> b");
        Map<String, String> more = inputs("a");
        more.put("strong", "none");
        assertThat(OutputRecord.whyStale(record, more, WORDS)).contains("strong was not recorded");

        Files.setLastModifiedTime(meta, FileTime.fromMillis(Files.getLastModifiedTime(meta).toMillis() - 5000));
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("d_metadata.npy")
                .contains("changed since it was written");
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        Files.delete(meta);
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().endsWith("is missing");

        Files.writeString(meta, "meta");
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        Path replaced = Files.writeString(dir.resolve("new.hdf5"), "rows");
        FileTime time = Files.getLastModifiedTime(main);
        Files.move(replaced, main, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(main, time); // the same size and time, another file
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).isPresent();

        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        String text = Files.readString(record);
        Files.writeString(record, text.replace("\tnone\n", "\t1\n")); // edited: the fingerprint no longer matches
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("damaged");
        Files.writeString(record, text.substring(0, text.indexOf("fingerprint"))); // cut short
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("damaged");
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        String older = Files.readString(record).replaceFirst("input\t" + OutputRecord.MADE_BY + "\t[^\n]*",
                "input\t" + OutputRecord.MADE_BY + "\taudioset-core 0.0.1");
        Map<String, String> olderInputs = new LinkedHashMap<>();
        olderInputs.put(OutputRecord.MADE_BY, "audioset-core 0.0.1");
        olderInputs.putAll(inputs("a"));
        Files.writeString(record, older.replaceFirst("fingerprint\t[0-9a-f]{64}", "fingerprint\t"
                + OutputRecord.fingerprint(olderInputs))); // an intact record of another version
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString()
                .contains("it was made by audioset-core 0.0.1, this is audioset-core");
        Files.write(record, new byte[(int) OutputRecord.MAX_RECORD_BYTES + 1]);
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString()
                .contains("more than a record holds");
        Files.writeString(record, "something else\n");
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("not one");
    }
}
