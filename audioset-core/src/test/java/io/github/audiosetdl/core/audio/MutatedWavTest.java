package io.github.audiosetdl.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.testing.Mutations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WavReader} on deterministic mutations of a small file {@link WavWriter} wrote: truncated at every offset of
 * its header and at some of its samples, each header byte overwritten, its length fields set to huge or negative
 * values. Each read ends within seconds, allocates no more than the file warrants, and fails only with an
 * {@link IOException} or a {@link WavFormatException} naming the file, whether read from disk or from memory.
 */
class MutatedWavTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = WavEncoding.class, names = {"PCM_8", "PCM_24", "FLOAT_64"})
    void everyMutationIsReadOrRefusedNamingTheFile(WavEncoding encoding) throws Exception {
        float[][] channels = new float[2][48];
        for (int i = 0; i < 48; i++) {
            channels[0][i] = (float) Math.sin(i);
            channels[1][i] = -channels[0][i];
        }
        Path valid = dir.resolve("valid.wav");
        WavWriter.write(valid, 16_000, channels, encoding);
        byte[] bytes = Files.readAllBytes(valid);
        List<Mutations.Mutant> mutants = Mutations.of(bytes, Math.min(bytes.length, 72), encoding.ordinal(), 40);
        Path file = dir.resolve("damaged.wav");
        assertThat(Mutations.check(file, mutants, WavReader::read, IOException.class, AudioSetException.class))
                .isEmpty();
        assertThat(Mutations.check(file, mutants, p -> WavReader.read(p, ByteBuffer.wrap(Files.readAllBytes(p))),
                IOException.class, AudioSetException.class)).isEmpty();
    }
}
