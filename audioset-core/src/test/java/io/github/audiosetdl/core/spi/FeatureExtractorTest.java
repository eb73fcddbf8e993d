package io.github.audiosetdl.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
    private static final FeatureExtractor.Worker NOTHING = (in, out) -> { };

    @Test
    void aDatasetNameNoStoreCouldUseIsRefusedWhenTheExtractorIsMade() {
        // before, the pipeline took it and failed only after the pack stage, when the feature file was created
        assertThatThrownBy(() -> FeatureExtractor.of("my-feature", 16, 8, 1, 2, Map.of(), () -> NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'my-feature'");
        assertThatThrownBy(() -> FeatureExtractor.of("mfcc", "a/b", 16, 8, 1, 2, Map.of(), () -> NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> FeatureExtractor.of("mfcc", "", 16, 8, 1, 2, Map.of(), () -> NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("''");
        // what the HDF5 store refuses too: over 64 characters, or a dataset a feature file keeps beside the rows
        assertThatThrownBy(() -> FeatureExtractor.of("f".repeat(65), 16, 8, 1, 2, Map.of(), () -> NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> FeatureExtractor.of("mfcc", "labels", 16, 8, 1, 2, Map.of(), () -> NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'labels'");
        assertThat(FeatureExtractor.of("f".repeat(64), 16, 8, 1, 2, Map.of(), () -> NOTHING).dataset()).hasSize(64);
        FeatureExtractor ok = FeatureExtractor.of("mfcc_40", 16, 8, 1, 2, Map.of("bands", 40), () -> NOTHING);
        assertThat(ok.dataset()).isEqualTo("mfcc_40");
        assertThat(ok.outputLength()).isEqualTo(2);
    }

    @Test
    void anAttributeTheStoreRecordsItselfIsRefusedUnlessItSaysTheSame() {
        // before, the declared value replaced the store's: a file whose sample_rate was not the rows' rate
        for (Map<String, Object> clash : java.util.List.<Map<String, Object>>of(Map.of("feature", "other"),
                Map.of("input_length", 32), Map.of("sample_rate", 16_000))) {
            String name = clash.keySet().iterator().next();
            assertThatThrownBy(() -> FeatureExtractor.of("mfcc", 16, 8, 1, 2, clash, () -> NOTHING))
                    .as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("attribute '" + name + "'").hasMessageContaining("'" + clash.get(name) + "'");
        }
        // the same values (as the cochleagram declares its feature and rate) are kept
        FeatureExtractor same = FeatureExtractor.of("mfcc", 16, 8, 1, 2, Map.of("feature", "mfcc", "sample_rate", 8,
                "input_length", 16L), () -> NOTHING);
        assertThat(same.attributes()).containsEntry("sample_rate", 8).containsEntry("feature", "mfcc");
    }
}
