package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.download.FailureClass;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareDatasetTest {
    @Test
    void downloadsPacksAndComputesTheSelectedLabel(@TempDir Path dir) throws Exception {
        ExampleData.Subset subset = ExampleData.subset(dir, "dogs", "Dog", 5);
        try (LoopbackMediaServer server = ExampleData.serve(dir, subset)) {
            server.fault(subset.ids().get(2) + ".m4a", LoopbackMediaServer.Fault.NOT_FOUND);
            PipelineSummary s = PrepareDataset.run(subset.csv(), dir.resolve("out"), "Dog", ResolverKind.DIRECT,
                    server.baseUrl() + "/media/{id}.m4a");
            assertThat(s.download().orElseThrow().downloaded()).isEqualTo(4);
            assertThat(s.download().get().failed().get(FailureClass.PERMANENT)).isEqualTo(1);
            assertThat(s.complete()).isTrue();
            assertThat(s.pack().orElseThrow().rowsWritten()).isEqualTo(4);
            assertThat(s.features().orElseThrow().rows()).isEqualTo(4);
            assertThat(s.files()).extracting(p -> p.getFileName().toString()).containsExactly("dogs.hdf5",
                    "dogs_metadata.npy", "dogs_Coch.hdf5", "dogs_average.npy");
            assertThat(s.files()).allSatisfy(f -> assertThat(f).isRegularFile());
        }
        assertThat(Files.readString(dir.resolve("out/logs/dogs_errorlogs/errorLog_0.csv"))).contains("404");
    }
}
