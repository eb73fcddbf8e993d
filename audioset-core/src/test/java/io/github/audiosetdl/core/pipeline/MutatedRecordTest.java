package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.Mutations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OutputRecord#whyStale} on deterministic mutations of a record {@link OutputRecord#write} wrote: it never
 * throws (a damaged record is a reason to make the output again), and says up to date only for a record whose
 * inputs and outputs still match.
 */
class MutatedRecordTest {
    @Test
    void everyMutationIsAReasonOrUpToDateNeverAnError(@TempDir Path dir) throws Exception {
        Map<String, String> inputs = Map.of("csv", "a");
        List<Path> outputs = List.of(Files.writeString(dir.resolve("d.hdf5"), "rows"),
                Files.writeString(dir.resolve("d_metadata.npy"), "meta"));
        Path record = OutputRecord.of(outputs.get(0));
        OutputRecord.write(record, inputs, outputs);
        byte[] valid = Files.readAllBytes(record);
        OutputRecord.Changes words = (key, was, now) -> Optional.of(key);
        assertThat(Mutations.check(record, Mutations.sample(Mutations.of(valid, valid.length, 51, 0), 2000, 51),
                p -> OutputRecord.whyStale(p, inputs, words))).isEmpty();
    }
}
