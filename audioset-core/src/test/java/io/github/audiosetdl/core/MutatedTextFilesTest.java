package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.Mutations;
import io.github.audiosetdl.core.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text readers on deterministic mutations of small valid files: a segments CSV, a
 * {@code class_labels_indices.csv}, a {@code mid_to_display_name.tsv}, a strong-label TSV and an ontology JSON,
 * each truncated at every offset and each byte overwritten with {@code 0x00}, {@code 0xFF}, {@code 0x7F} and
 * {@code 0x80} (a sample of those, and of 4-byte garbage). Each read ends within seconds and fails only with an
 * {@link IOException} or an {@link AudioSetException} (unchecked from a stream) naming the file.
 */
class MutatedTextFilesTest {
    private static final Class<?>[] DOCUMENTED = {IOException.class, AudioSetException.class,
        UncheckedIOException.class};

    @TempDir
    Path dir;

    /** @return the first {@code lines} lines of {@code text} */
    private static byte[] head(String text, int lines) {
        int cut = 0;
        for (int i = 0; i < lines; i++) {
            cut = text.indexOf('\n', cut) + 1;
        }
        return text.substring(0, cut).getBytes(StandardCharsets.UTF_8);
    }

    private List<String> check(String name, byte[] valid, long seed, Mutations.Reader reader) throws Exception {
        return Mutations.check(dir.resolve(name), Mutations.sample(Mutations.of(valid, valid.length, seed, 0),
                1500, seed), reader, DOCUMENTED);
    }

    @Test
    void segmentsCsv() throws Exception {
        byte[] valid = String.join("\n", "# Segments csv created Sun Mar  5 10:54:25 2017",
                "# num_ytids=2, num_segs=2, num_unique_labels=3, num_positive_labels=3",
                "# YTID, start_seconds, end_seconds, positive_labels",
                "--PJHxphWEs, 30.000, 40.000, \"/m/09x0r,/t/dd00088\"",
                "--ZhevVpy1s, 50.000, 60.000, \"/m/012xff\"", "").getBytes(StandardCharsets.UTF_8);
        assertThat(check("segments.csv", valid, 31, p -> {
            try (Stream<SegmentRow> rows = SegmentCsv.stream(p)) {
                rows.count();
            }
        })).isEmpty();
    }

    @Test
    void labelIndexAndVocabulary() throws Exception {
        byte[] labels = head(Files.readString(TestData.file("audioset/class_labels_indices.csv")), 5);
        assertThat(check("class_labels_indices.csv", labels, 32, LabelIndex::read)).isEmpty();
        String vocabulary;
        try (InputStream in = StrongVocabulary.class.getResourceAsStream("mid_to_display_name.tsv")) {
            vocabulary = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
        assertThat(check("mid_to_display_name.tsv", head(vocabulary, 5), 33, StrongVocabulary::read)).isEmpty();
    }

    @Test
    void strongLabels() throws Exception {
        byte[] valid = head(Files.readString(TestData.file("audioset/strong_sample.tsv")), 5);
        assertThat(check("strong.tsv", valid, 34, p -> {
            try (Stream<StrongRow> rows = StrongCsv.stream(p)) {
                rows.count();
            }
            try (Stream<SegmentRow> rows = StrongCsv.segments(p, LabelIndex.audioSet())) {
                rows.count();
            }
            StrongIndex.read(p, StrongVocabulary.audioSet());
        })).isEmpty();
    }

    @Test
    void ontology() throws Exception {
        byte[] valid = String.join("\n", "[", "  {", "    \"id\": \"/m/0dgw9r\",", "    \"name\": \"Human sounds\",",
                "    \"description\": \"d\",", "    \"citation_uri\": \"\",", "    \"positive_examples\": [],",
                "    \"child_ids\": [\"/m/09l8g\"],", "    \"restrictions\": [\"abstract\"]", "  },", "  {",
                "    \"id\": \"/m/09l8g\",", "    \"name\": \"Human voice\",", "    \"description\": \"v\",",
                "    \"citation_uri\": \"\",", "    \"positive_examples\": [\"youtu.be/x\"],",
                "    \"child_ids\": [],", "    \"restrictions\": []", "  }", "]", "").getBytes(StandardCharsets.UTF_8);
        assertThat(Ontology.read(new ByteArrayInputStream(valid), "valid").size()).isEqualTo(2);
        assertThat(check("ontology.json", valid, 35, Ontology::read)).isEmpty();
    }
}
