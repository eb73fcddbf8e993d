package io.github.audiosetdl.core.webdataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebDatasetReader} on deterministic mutations of a shard {@link WebDatasetWriter} wrote (two clips, one with
 * strong events): truncated and overwritten in each member's header and the WAV header after the first, with huge
 * and negative values in its fields, and at random places in the rest. Every read ends within seconds, allocates no
 * more than a clip warrants, and fails only with an {@link IOException} naming the shard.
 */
class MutatedShardTest {
    @TempDir
    Path dir;

    @Test
    void everyMutationIsReadOrRefusedNamingTheShard() throws Exception {
        Path made = Files.createDirectories(dir.resolve("made"));
        WebDatasetWriterTest.write(made, 0, 2, 2, true, 16_000, 1);
        byte[] valid = Files.readAllBytes(made.resolve("t-000000.tar"));
        List<Mutations.Mutant> mutants = new ArrayList<>(Mutations.of(valid, 0, 560, 21, 150));
        for (int at = 512; at + 512 <= valid.length; at += 512) { // the other members' headers
            if (valid[at + 257] == 'u' && valid[at + 258] == 's' && valid[at + 259] == 't') {
                mutants.addAll(Mutations.sample(Mutations.of(valid, at, at + 512, at, 0), 600, at));
            }
        }
        assertThat(Mutations.check(dir.resolve("t-000000.tar"), Mutations.sample(mutants, 4000, 22), shard -> {
            try (WebDatasetReader r = WebDatasetReader.open(shard)) {
                while (r.next().isPresent()) {
                    continue;
                }
            }
        }, IOException.class)).isEmpty();
    }
}
