package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackToHdf5Test {
    static final LabelIndex LABELS = LabelIndex.audioSet();

    @TempDir
    Path dir;

    /** The golden cases as a downloads folder of two job folders, and a CSV listing them (plus one more). */
    List<String> goldenDownloads(Path downloads, Path csv) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(TestData.file("golden/prepare/manifest.json").toFile());
        List<String> names = new ArrayList<>();
        manifest.fieldNames().forEachRemaining(names::add);
        StringBuilder rows = new StringBuilder("# Segments csv created by a test\n# num_ytids=7\n"
                + "# YTID, start_seconds, end_seconds, positive_labels\n");
        rows.append("notDownload, 0.000, 10.000, \"/m/09x0r\"\n");
        for (int i = 0; i < names.size(); i++) {
            String id = id(i);
            Path job = downloads.resolve("t_downloads_" + (i % 2));
            Files.createDirectories(job);
            Files.copy(TestData.file("golden/prepare/" + names.get(i) + ".wav"), job.resolve("YT_" + id + ".wav"));
            rows.append(id).append(", ").append(10 * i).append(".000, ").append(10 * i + 10)
                    .append(".000, \"/m/09x0r,/m/05zppz\"\n");
        }
        Files.writeString(csv, rows);
        return names;
    }

    static String id(int i) {
        return "-golden" + i + "xyz"; // 11 characters, starting with '-' as 2% of AudioSet ids do
    }

    @Test
    void packsTheGoldenCasesWithinTheTolerance() throws IOException {
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        List<String> names = goldenDownloads(downloads, csv);
        // not clips: a temporary file, a log, a WAV whose id is not in the CSV, a WAV that is not a WAV
        Files.writeString(downloads.resolve("t_downloads_0").resolve(".YT_abcdefghijk.wav.part"), "partial");
        Files.writeString(downloads.resolve("notes.txt"), "log");
        Files.copy(TestData.file("golden/prepare/" + names.get(0) + ".wav"),
                downloads.resolve("t_downloads_1").resolve("YT_zzzzzzzzzzz.wav"));
        Files.writeString(downloads.resolve("t_downloads_1").resolve("YT_" + "notDownload" + ".wav"), "junk bytes");
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        PipelineListener listener = new PipelineListener() {
            @Override
            public void itemFailed(Stage stage, String item, String reason) {
                failures.add(stage + " " + item + " " + reason);
            }
        };
        Path out = dir.resolve("out/t.hdf5");
        PackSummary summary;
        try (WaveformFileWriter sink = WaveformFileWriter.create(out, LABELS, 16_000, 160_000)) {
            summary = PackStage.builder().downloads(downloads).segments(csv).threads(2).listener(listener).build()
                    .run(sink);
        }
        assertThat(summary.rowsWritten()).isEqualTo(names.size());
        assertThat(summary.wavFilesFound()).isEqualTo(names.size() + 2);
        assertThat(summary.skipped()).containsEntry(PackSummary.UNREADABLE, 1L)
                .containsEntry(PackSummary.NOT_IN_CSV, 1L);
        assertThat(summary.files()).containsExactly(out, dir.resolve("out/t_metadata.npy"));
        assertThat(failures).hasSize(2).anySatisfy(f -> assertThat(f).contains("YT_notDownload.wav", "unreadable WAV"))
                .anySatisfy(f -> assertThat(f).contains("YT_zzzzzzzzzzz.wav", "not in the segments CSV"));

        JsonNode manifest = new ObjectMapper().readTree(TestData.file("golden/prepare/manifest.json").toFile());
        try (WaveformFileReader r = WaveformFileReader.open(out)) {
            assertThat(r.size()).isEqualTo(names.size());
            float[] row = new float[160_000];
            for (int i = 0; i < names.size(); i++) { // CSV order
                r.read(i, row);
                double[] expected = TestData.array("golden/prepare/" + names.get(i) + ".expected")
                        .values();
                double max = 0;
                for (int k = 0; k < row.length; k++) {
                    max = Math.max(max, Math.abs(row[k] - expected[k]));
                }
                assertThat(max).as(names.get(i)).isLessThanOrEqualTo(1e-5);
                ClipMetadata m = r.metadata(i);
                JsonNode spec = manifest.get(names.get(i));
                assertThat(m.ytid()).isEqualTo(id(i));
                assertThat(m.padded()).isEqualTo(spec.get("padded").asBoolean());
                double unit = spec.get("sample_format").asText().equals("int16") ? 32768.0 : 1.0;
                assertThat(m.norm() * unit).isCloseTo(spec.get("norm").asDouble(),
                        org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, spec.get("norm").asDouble())));
                assertThat(m.csvRow()).isEqualTo(i + 1);
                assertThat(LABELS.decode(r.labels(i))).containsExactlyInAnyOrder("/m/09x0r", "/m/05zppz");
            }
        }
    }

    @Test
    void shuffleIsDeterministicForASeed() throws IOException {
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        List<String> names = goldenDownloads(downloads, csv);
        List<List<String>> orders = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            Path out = dir.resolve("s" + orders.size() + ".hdf5");
            try (WaveformFileWriter sink = WaveformFileWriter.create(out, LABELS, 16_000, 160_000)) {
                PackStage.builder().downloads(downloads).segments(csv).shuffleSeed(seed).threads(1).build().run(sink);
            }
            List<String> ids = new ArrayList<>();
            try (WaveformFileReader r = WaveformFileReader.open(out)) {
                for (int i = 0; i < r.size(); i++) {
                    ids.add(r.metadata(i).ytid());
                }
            }
            orders.add(ids);
        }
        assertThat(orders.get(0)).hasSize(names.size()).isEqualTo(orders.get(1)).isNotEqualTo(orders.get(2))
                .containsExactlyInAnyOrderElementsOf(orders.get(2));
    }

    @Test
    void badInputsGiveClearErrorsAndNoOutput() throws IOException {
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        goldenDownloads(downloads, csv);
        Path out = dir.resolve("out/t.hdf5");
        assertThatThrownBy(() -> PackStage.builder().segments(csv).build()).hasMessageContaining("downloads");
        assertThatThrownBy(() -> PackStage.builder().threads(0)).hasMessageContaining("threads 0");
        try (WaveformFileWriter sink = WaveformFileWriter.create(out, LABELS, 16_000, 160_000)) {
            assertThatThrownBy(() -> PackStage.builder().downloads(dir.resolve("nope")).segments(csv).build()
                    .run(sink)).isInstanceOf(IOException.class).hasMessageContaining("nope");
        }
        Files.writeString(csv, Files.readString(csv) + "abcdefghijk, 0.000, 10.000, \"/m/notALabel\"\n");
        try (WaveformFileWriter sink = WaveformFileWriter.create(out, LABELS, 16_000, 160_000)) {
            assertThatThrownBy(() -> PackStage.builder().downloads(downloads).segments(csv).build().run(sink))
                    .isInstanceOf(AudioSetException.class).hasMessageContaining("/m/notALabel")
                    .hasMessageContaining("t.csv");
        }
        try (var left = Files.list(dir.resolve("out"))) {
            assertThat(left).isEmpty();
        }
    }
}
