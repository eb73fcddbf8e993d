package io.github.audiosetdl.core.webdataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebDatasetWriterTest {
    static final LabelIndex LABELS = LabelIndex.audioSet();
    static final int LEN = 1600;

    @TempDir
    Path dir;

    static SegmentRow row(int i) {
        String id = String.format("-wds%07d", i);
        List<String> mids = i % 2 == 0 ? List.of("/m/09x0r") : List.of("/m/09x0r", "/m/05zppz");
        return new SegmentRow(i, i + 4L, new Segment(id, 30_000L + i * 1000L, 40_000L + i * 1000L, mids));
    }

    static float[] samples(int i) {
        Random r = new Random(i);
        float[] x = new float[LEN];
        float peak = 0;
        for (int k = 0; k < LEN; k++) {
            x[k] = r.nextFloat() * 2 - 1;
            peak = Math.max(peak, Math.abs(x[k]));
        }
        for (int k = 0; k < LEN; k++) {
            x[k] /= peak;
        }
        return x;
    }

    /** Writes clips {@code from..to-1}; clip 1 has strong events. */
    private WebDatasetWriter write(int from, int to, int shardSize, boolean commit) throws IOException {
        return write(from, to, shardSize, commit, 16_000, 1);
    }

    /**
     * Writes clips {@code from..to-1} at {@code rate} with {@code clip 1}'s strong events (if {@code events} is 1,
     * none if 0).
     */
    private WebDatasetWriter write(int from, int to, int shardSize, boolean commit, int rate, int events)
            throws IOException {
        return write(dir, from, to, shardSize, commit, rate, events);
    }

    /** As {@link #write(int, int, int, boolean, int, int)}, the shards {@code t-*.tar} in {@code dir}. */
    static WebDatasetWriter write(Path dir, int from, int to, int shardSize, boolean commit, int rate, int events)
            throws IOException {
        WebDatasetWriter w = WebDatasetWriter.create(dir, "t", LABELS, rate, LEN, shardSize);
        try {
            for (int i = from; i < to; i++) {
                List<StrongEvent> strong = i == 1 && events == 1
                        ? List.of(new StrongEvent("/m/09x0r", 0.5, 2.25), new StrongEvent("/m/05zppz", 3, 10))
                        : List.of();
                w.write(row(i), new PreparedAudio(samples(i), 0.125 * i, i == 3), strong);
            }
            if (commit) {
                w.commit();
            }
        } finally {
            w.close();
        }
        return w;
    }

    @Test
    void pythonReadsTheShardsWithTarfileWaveAndJson() throws Exception {
        write(0, 5, 2, true);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".t.lock",
                    "t-000000.tar", "t-000001.tar", "t-000002.tar");
        }
        Path python = ExternalTools.require("python3");
        String out = ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, tarfile, wave, json, io, glob",
                "for shard in sorted(glob.glob(sys.argv[1] + '/t-*.tar')):",
                "    with tarfile.open(shard) as tar:",
                "        for m in tar.getmembers():",
                "            data = tar.extractfile(m).read()",
                "            if m.name.endswith('.wav'):",
                "                w = wave.open(io.BytesIO(data))",
                "                fr = w.readframes(w.getnframes())",
                "                v = [int.from_bytes(fr[2*k:2*k+2], 'little', signed=True) for k in range(3)]",
                "                print(shard[-10:], m.name, w.getnchannels(), w.getsampwidth(), w.getframerate(),"
                        + " w.getnframes(), v)",
                "            else:",
                "                print(shard[-10:], m.name, json.dumps(json.loads(data), sort_keys=True))"),
                dir.toString()));
        float[] x = samples(4);
        String first = Math.round(x[0] * 32767.0) + ", " + Math.round(x[1] * 32767.0) + ", "
                + Math.round(x[2] * 32767.0);
        assertThat(out).contains("000002.tar -wds0000004.wav 1 2 16000 1600 [" + first + "]")
                .contains("000000.tar -wds0000001.json {\"end\": 41.0, \"labels\": [\"/m/09x0r\", \"/m/05zppz\"],"
                        + " \"names\": [\"Speech\", \"Male speech, man speaking\"], \"norm\": 0.125, \"padded\": false,"
                        + " \"start\": 31.0, \"strong\": [{\"end\": 2.25, \"mid\": \"/m/09x0r\", \"start\": 0.5},"
                        + " {\"end\": 10.0, \"mid\": \"/m/05zppz\", \"start\": 3.0}], \"ytid\": \"-wds0000001\"}")
                .contains("000001.tar -wds0000003.json {\"end\": 43.0, \"labels\": [\"/m/09x0r\", \"/m/05zppz\"],"
                        + " \"names\": [\"Speech\", \"Male speech, man speaking\"], \"norm\": 0.375, \"padded\": true,"
                        + " \"start\": 33.0, \"ytid\": \"-wds0000003\"}");
        assertThat(out.lines().filter(l -> l.contains(".wav"))).hasSize(5);
    }

    @Test
    void int16ValuesConvertedByThePackStageGiveTheSameShards() throws Exception {
        Path plain = dir.resolve("plain");
        Path converted = dir.resolve("converted");
        for (Path out : List.of(plain, converted)) {
            try (WebDatasetWriter w = WebDatasetWriter.create(out, "t", LABELS, 16_000, LEN, 3)) {
                assertThat(w.int16Level()).contains(Int16Level.NORMALISED);
                for (int i = 0; i < 5; i++) {
                    PreparedAudio clip = new PreparedAudio(samples(i), 0.125 * i, false);
                    if (out == converted) {
                        short[] values = new short[LEN];
                        SampleType.toInt16(clip.samples(), values);
                        clip = clip.withInt16(Int16Level.NORMALISED, values);
                    }
                    w.write(row(i), clip);
                }
                w.commit();
            }
        }
        for (String shard : List.of("t-000000.tar", "t-000001.tar")) {
            assertThat(Files.readAllBytes(converted.resolve(shard))).as(shard)
                    .isEqualTo(Files.readAllBytes(plain.resolve(shard)));
        }
    }

    @Test
    void aKilledPackResumesAtTheFirstIncompleteShard() throws Exception {
        write(0, 5, 2, false); // killed after clip 4: shards 0 and 1 published, shard 2 only a temporary file
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".t.lock",
                    "t-000000.tar", "t-000001.tar");
        }
        Files.createFile(dir.resolve(".t-000002.tar.0b5e0c8e-4c31-4f43-9c1e-6a0f7a3b2d10.tmp")); // as kill -9 leaves it
        Path other = Files.createFile(dir.resolve(".t-x-000002.tar.0b5e0c8e-4c31-4f43-9c1e-6a0f7a3b2d10.tmp"));
        Path kept = dir.resolve("t-000001.tar");
        Files.setLastModifiedTime(kept, FileTime.fromMillis(1_000_000));
        byte[] before = Files.readAllBytes(kept);
        WebDatasetWriter again = write(0, 7, 2, true);
        assertThat(again.kept()).isEqualTo(4);
        assertThat(again.size()).isEqualTo(7);
        assertThat(Files.getLastModifiedTime(kept).toMillis()).isEqualTo(1_000_000); // not rewritten
        assertThat(Files.readAllBytes(kept)).isEqualTo(before);
        Files.delete(other); // another data set's temporary file is not touched
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".t.lock",
                    "t-000000.tar", "t-000001.tar", "t-000002.tar", "t-000003.tar");
        }
        assertThat(keys("t-000003.tar")).containsExactly("-wds0000006");
        // A shorter run deletes the shards beyond its last
        write(0, 3, 2, true);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".t.lock",
                    "t-000000.tar", "t-000001.tar");
        }
        assertThat(keys("t-000001.tar")).containsExactly("-wds0000002");
    }

    /** @return the keys of the clips in shard {@code name}, read back as the writer does */
    private List<String> keys(String name) throws IOException {
        return keys(dir.resolve(name));
    }

    /** @return the keys of the clips in {@code shard}, read back as the writer does */
    static List<String> keys(Path shard) throws IOException {
        List<String> keys = new ArrayList<>();
        try (ShardClips clips = ShardClips.open(shard, 44 + 2L * LEN)) {
            for (ShardClips.Clip c = clips.next(); c != null; c = clips.next()) {
                keys.add(c.key());
            }
            assertThat(clips.endsHere()).as(shard + " ends after its clips").isTrue();
        }
        return keys;
    }

    private List<String> shards() throws IOException {
        return files(dir);
    }

    /** @return the names of the files in {@code folder}, sorted */
    static List<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shardsOfOtherClipsAreWrittenAgain() throws Exception {
        write(0, 4, 2, true);
        WebDatasetWriter again = write(2, 6, 2, true);
        assertThat(again.kept()).isZero();
        assertThat(shards()).containsExactly(".t.lock", "t-000000.tar", "t-000001.tar");
        assertThat(keys("t-000000.tar")).containsExactly("-wds0000002", "-wds0000003");
        assertThat(keys("t-000001.tar")).containsExactly("-wds0000004", "-wds0000005");
    }

    @Test
    void anotherShardSizeRewritesEveryShardWithoutMixingTheTwo() throws Exception {
        write(0, 8, 3, true); // 3 + 3 + 2: the last shard holds as many clips as the new size
        WebDatasetWriter again = write(0, 8, 2, true);
        assertThat(shards()).containsExactly(".t.lock", "t-000000.tar", "t-000001.tar", "t-000002.tar", "t-000003.tar");
        for (int s = 0; s < 4; s++) {
            assertThat(keys("t-00000" + s + ".tar")).containsExactly(String.format("-wds%07d", 2 * s),
                    String.format("-wds%07d", 2 * s + 1));
        }
        assertThat(again.kept()).isEqualTo(2); // shard 0's first two clips, copied into its new file
        write(0, 8, 5, true); // and back to a larger size: shard 0 is read up to its end, then extended
        assertThat(shards()).containsExactly(".t.lock", "t-000000.tar", "t-000001.tar");
        assertThat(keys("t-000000.tar")).hasSize(5);
        assertThat(keys("t-000001.tar")).containsExactly("-wds0000005", "-wds0000006", "-wds0000007");
    }

    @Test
    void shardsWrittenWithOtherOptionsAreWrittenAgain() throws Exception {
        write(0, 4, 2, true);
        byte[] first = Files.readAllBytes(dir.resolve("t-000000.tar"));
        assertThat(write(0, 4, 2, true, 32_000, 1).kept()).isZero(); // another rate: other WAV headers
        assertThat(Files.readAllBytes(dir.resolve("t-000000.tar"))).isNotEqualTo(first);
        assertThat(write(0, 4, 2, true, 32_000, 1).kept()).isEqualTo(4); // the same again: nothing written
        WebDatasetWriter noEvents = write(0, 4, 2, true, 32_000, 0); // clip 1's JSON loses its strong events
        assertThat(noEvents.kept()).isEqualTo(3); // all but clip 1
        String python = ExternalTools.check(List.of(ExternalTools.require("python3").toString(), "-c", String.join(
                "\n", "import sys, tarfile, json",
                "with tarfile.open(sys.argv[1]) as t:",
                "    print(sorted(json.loads(t.extractfile('-wds0000001.json').read())))"),
                dir.resolve("t-000000.tar").toString()));
        assertThat(python.strip()).isEqualTo("['end', 'labels', 'names', 'norm', 'padded', 'start', 'ytid']");
    }

    @Test
    void aShardDamagedAfterItsLastWavHeaderIsWrittenAgain() throws Exception {
        write(0, 4, 3, true);
        Path shard = dir.resolve("t-000000.tar");
        byte[] whole = Files.readAllBytes(shard);
        // Cut off the last clip's JSON and the end blocks: the last .wav header and samples are still there
        Files.write(shard, java.util.Arrays.copyOf(whole, whole.length - 1546));
        WebDatasetWriter again = write(0, 4, 3, true);
        assertThat(again.kept()).isEqualTo(3); // clips 0 and 1 copied, shard 1 untouched
        assertThat(Files.readAllBytes(shard)).isEqualTo(whole);
    }

    @Test
    void aShardThatCannotBePublishedLeavesNoTemporaryFileAndIsNamed() throws Exception {
        Path blocker = Files.createDirectories(dir.resolve("t-000000.tar"));
        Files.createFile(blocker.resolve("x")); // a non-empty folder under the shard's name: the rename fails
        assertThatThrownBy(() -> write(0, 3, 2, true)).isInstanceOf(IOException.class)
                .hasMessageContaining("t-000000.tar: finishing its temporary file .t-000000.tar.");
        assertThat(shards()).containsExactly(".t.lock", "t-000000.tar");
    }

    @Test
    void overlongNamesAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path out = dir.resolve("out");
        String name = "n".repeat(WebDatasetWriter.MAX_NAME + 1);
        assertThatThrownBy(() -> WebDatasetWriter.create(out, name, LABELS, 16_000, LEN, 2))
                .hasMessageContaining("has 201 characters, more than 200");
        assertThat(out).doesNotExist();
        WebDatasetWriter.create(out, "n".repeat(WebDatasetWriter.MAX_NAME), LABELS, 16_000, LEN, 2).close();
    }

    @Test
    void aClipTheStrongFileAnnotatesWithoutEventsHasAnEmptyStrongList() throws Exception {
        try (WebDatasetWriter w = WebDatasetWriter.create(dir, "t", LABELS, 16_000, LEN, 3)) {
            w.write(row(0), new PreparedAudio(samples(0), 1, false), java.util.Optional.of(List.of()));
            w.write(row(1), new PreparedAudio(samples(1), 1, false), java.util.Optional.empty());
            w.commit();
        }
        String out = ExternalTools.check(List.of(ExternalTools.require("python3").toString(), "-c", String.join(
                "\n", "import sys, tarfile, json",
                "with tarfile.open(sys.argv[1]) as t:",
                "    for k in ('-wds0000000', '-wds0000001'):",
                "        print(k, json.loads(t.extractfile(k + '.json').read()).get('strong', 'unknown'))"),
                dir.resolve("t-000000.tar").toString()));
        assertThat(out).contains("-wds0000000 []").contains("-wds0000001 unknown");
    }

    @Test
    void shardNamesHaveAsciiDigitsWhateverTheDefaultLocale() throws IOException {
        List<SegmentRow> rows = List.of(row(0), row(1), row(2));
        Locale before = Locale.getDefault(Locale.Category.FORMAT);
        // as a JVM started with LANG=fa_IR.UTF-8 has it: String.format writes Persian digits
        Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag("fa-IR"));
        try {
            assertThat(WaveformLayout.shardName("eval", 12)).isEqualTo("eval-000012.tar");
            List<Path> shards;
            try (WebDatasetWriter w = WebDatasetWriter.create(dir, "t", LABELS, 16_000, LEN, 2)) {
                for (int i = 0; i < rows.size(); i++) {
                    w.write(rows.get(i), new PreparedAudio(samples(i), 0.5, false));
                }
                shards = w.commit();
            }
            assertThat(shards).containsExactly(dir.resolve("t-000000.tar"), dir.resolve("t-000001.tar"));
            assertThat(dir.resolve("t-000001.tar")).isRegularFile();
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, before);
        }
    }

    @Test
    void keysAndSizesAreChecked() {
        assertThat(WebDatasetWriter.key("-a_b-C9")).isEqualTo("-a_b-C9");
        assertThatThrownBy(() -> WebDatasetWriter.key("a.b")).hasMessageContaining("cannot be a WebDataset key");
        assertThatThrownBy(() -> WebDatasetWriter.create(dir, "t", LABELS, 16_000, LEN, 0))
                .hasMessageContaining("shard size 0");
        assertThat(WaveformLayout.shardName("eval", 12)).isEqualTo("eval-000012.tar");
    }
}
