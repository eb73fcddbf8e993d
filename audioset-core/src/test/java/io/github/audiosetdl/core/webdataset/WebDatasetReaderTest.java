package io.github.audiosetdl.core.webdataset;

import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.LEN;
import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.row;
import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link WebDatasetReader}: shards of {@link WebDatasetWriter} and Python's tarfile read, damaged ones refused. */
class WebDatasetReaderTest {
    /** Bytes of one clip of {@link WebDatasetWriterTest#LEN} samples without strong events: two members. */
    private static final int CLIP = 512 + 3584 + 512 + 512;

    @TempDir
    Path dir;

    /** @return the lines both this test and Python print per clip */
    private static String line(String shard, String key, int rate, int frames, long sum, long startMs, long endMs,
            List<String> labels, double norm, boolean padded, String strong) {
        return String.join(" ", shard, key, String.valueOf(rate), String.valueOf(frames), String.valueOf(sum),
                String.valueOf(startMs), String.valueOf(endMs), String.join(",", labels), String.valueOf(norm),
                padded ? "True" : "False", strong);
    }

    @Test
    void readsBackWhatTheWriterWroteAsPythonDoes() throws Exception {
        WebDatasetWriterTest.write(dir, 0, 5, 2, true, 16_000, 1);
        List<String> java = new ArrayList<>();
        try (Stream<WebDatasetClip> clips = WebDatasetReader.stream(dir, "t")) {
            int i = 0;
            for (Iterator<WebDatasetClip> it = clips.iterator(); it.hasNext(); i++) {
                WebDatasetClip c = it.next();
                assertThat(c.shard()).isEqualTo(dir.resolve(String.format(Locale.ROOT, "t-%06d.tar", i / 2)));
                assertThat(c.key()).isEqualTo(row(i).segment().ytid());
                assertThat(c.audio().sampleRate()).isEqualTo(16_000);
                assertThat(c.audio().channelCount()).isEqualTo(1);
                float[] v = c.audio().channel(0);
                float[] x = samples(i);
                assertThat(v).hasSize(LEN);
                long sum = 0;
                for (int k = 0; k < LEN; k++) {
                    long stored = Math.round(v[k] * 32768.0);
                    assertThat(stored).as("clip %d sample %d", i, k).isEqualTo(Math.round(x[k] * 32767.0));
                    sum += stored;
                }
                ClipInfo info = c.info();
                assertThat(info.segment()).isEqualTo(row(i).segment());
                assertThat(info.names()).containsExactlyElementsOf(i % 2 == 0 ? List.of("Speech")
                        : List.of("Speech", "Male speech, man speaking"));
                assertThat(info.norm()).isEqualTo(0.125 * i);
                assertThat(info.padded()).isEqualTo(i == 3);
                if (i == 1) {
                    assertThat(info.strong()).contains(List.of(new StrongEvent("/m/09x0r", 0.5, 2.25),
                            new StrongEvent("/m/05zppz", 3, 10)));
                } else {
                    assertThat(info.strong()).isEmpty();
                }
                assertThat(c.json()).startsWith("{\"ytid\":\"" + c.key() + "\"");
                java.add(line(c.shard().getFileName().toString(), c.key(), c.audio().sampleRate(),
                        c.audio().frames(), sum, info.segment().startMs(), info.segment().endMs(),
                        info.segment().labelIds(), info.norm(), info.padded(),
                        info.strong().map(s -> String.valueOf(s.size())).orElse("None")));
            }
            assertThat(i).isEqualTo(5);
        }
        String py = ExternalTools.check(List.of(ExternalTools.require("python3").toString(), "-c", String.join("\n",
                "import sys, tarfile, wave, json, io, glob, os",
                "for shard in sorted(glob.glob(sys.argv[1] + '/t-*.tar')):",
                "    clips = {}",
                "    with tarfile.open(shard) as tar:",
                "        for m in tar.getmembers():",
                "            key, ext = m.name.split('.', 1)",
                "            clips.setdefault(key, {})[ext] = tar.extractfile(m).read()",
                "    for key, c in clips.items():",
                "        w = wave.open(io.BytesIO(c['wav'])); n = w.getnframes(); fr = w.readframes(n)",
                "        s = sum(int.from_bytes(fr[2*k:2*k+2], 'little', signed=True) for k in range(n))",
                "        j = json.loads(c['json'])",
                "        print(os.path.basename(shard), key, w.getframerate(), n, s, round(j['start'] * 1000),",
                "              round(j['end'] * 1000), ','.join(j['labels']), j['norm'], j['padded'],",
                "              len(j['strong']) if 'strong' in j else None)"), dir.toString()));
        assertThat(py.strip().lines()).containsExactlyElementsOf(java);
    }

    @Test
    void shardsOfPythonsTarfileAreReadInBothOfItsFormats() throws Exception {
        // tarfile pads the archive to a record of 10240 bytes (zeros after the two end blocks); GNU_FORMAT writes the
        // magic "ustar  \0", PAX_FORMAT (its default) the POSIX "ustar\0" "00"
        WebDatasetWriterTest.write(dir, 0, 3, 3, true, 16_000, 1);
        Path ours = dir.resolve("t-000000.tar");
        ExternalTools.check(List.of(ExternalTools.require("python3").toString(), "-c", String.join("\n",
                "import sys, tarfile",
                "for fmt, out in ((tarfile.GNU_FORMAT, sys.argv[2]), (tarfile.PAX_FORMAT, sys.argv[3])):",
                "    with tarfile.open(sys.argv[1]) as src, tarfile.open(out, 'w', format=fmt) as dst:",
                "        for m in src.getmembers():",
                "            dst.addfile(m, src.extractfile(m))"), ours.toString(),
                dir.resolve("gnu-000000.tar").toString(), dir.resolve("pax-000000.tar").toString()));
        List<String> expected = jsons(ours);
        assertThat(expected).hasSize(3);
        for (String name : List.of("gnu", "pax")) {
            Path copy = dir.resolve(name + "-000000.tar");
            assertThat(Files.size(copy) % 10240).isZero();
            assertThat(jsons(copy)).as(name).containsExactlyElementsOf(expected);
        }
    }

    /** @return the JSON of every clip of {@code shard}, read with {@link WebDatasetReader#stream()} */
    private static List<String> jsons(Path shard) throws IOException {
        try (Stream<WebDatasetClip> clips = WebDatasetReader.open(shard).stream()) {
            return clips.map(WebDatasetClip::json).toList();
        }
    }

    @Test
    void theShardsOfANameEndAtTheFirstGapAndTemporaryFilesAreNotShards() throws Exception {
        WebDatasetWriterTest.write(dir, 0, 5, 2, true, 16_000, 0);
        Files.copy(dir.resolve("t-000000.tar"), dir.resolve(".t-000003.tar.0f8fad5b-d9cb-469f-a165-70867728950e.tmp"));
        Files.copy(dir.resolve("t-000000.tar"), dir.resolve("t-000004.tar")); // beyond a gap
        assertThat(WebDatasetReader.shards(dir, "t")).containsExactly(dir.resolve("t-000000.tar"),
                dir.resolve("t-000001.tar"), dir.resolve("t-000002.tar"));
        Files.delete(dir.resolve("t-000001.tar"));
        assertThat(WebDatasetReader.shards(dir, "t")).containsExactly(dir.resolve("t-000000.tar"));
        try (Stream<WebDatasetClip> clips = WebDatasetReader.stream(dir, "t")) {
            assertThat(clips.map(WebDatasetClip::key)).containsExactly(row(0).segment().ytid(),
                    row(1).segment().ytid());
        }
        assertThat(WebDatasetReader.shards(dir, "u")).isEmpty();
        assertThatThrownBy(() -> WebDatasetReader.stream(dir, "u")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve("u-000000.tar").toString());
        Files.createDirectory(dir.resolve("t-000001.tar"));
        assertThatThrownBy(() -> WebDatasetReader.shards(dir, "t")).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve("t-000001.tar") + ": not a regular file, so not a shard");
        assertThatThrownBy(() -> WebDatasetReader.shards(dir, "../t")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingTheStreamClosesTheShardItHasOpen() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        WebDatasetWriterTest.write(dir, 0, 5, 2, true, 16_000, 0);
        long before = descriptors();
        for (int i = 0; i < 20; i++) {
            try (Stream<WebDatasetClip> clips = WebDatasetReader.stream(dir, "t")) {
                assertThat(clips.skip(2).findFirst()).isPresent(); // the second shard is open here
            }
        }
        assertThat(descriptors() - before).as("descriptors left open by 20 streams").isLessThanOrEqualTo(2);
    }

    private static long descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** @return a copy of a shard of 3 clips without strong events, named {@code name-000000.tar} */
    private Path shard(String name) throws IOException {
        Path folder = dir.resolve("src");
        if (!Files.exists(folder.resolve("t-000000.tar"))) {
            WebDatasetWriterTest.write(folder, 0, 3, 3, true, 16_000, 0);
            assertThat(Files.size(folder.resolve("t-000000.tar"))).isEqualTo(3 * CLIP + 1024);
        }
        return Files.copy(folder.resolve("t-000000.tar"), dir.resolve(name + "-000000.tar"));
    }

    /**
     * Writes {@code value} (NUL-padded to {@code width} bytes) into the header at {@code at}, then its checksum as
     * tar computes it.
     */
    private static void patch(Path tar, long at, int field, int width, String value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            byte[] h = new byte[512];
            f.seek(at);
            f.readFully(h);
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            java.util.Arrays.fill(h, field, field + width, (byte) 0);
            System.arraycopy(v, 0, h, field, Math.min(v.length, width));
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            System.arraycopy(String.format(Locale.ROOT, "%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, h,
                    148, 8);
            f.seek(at);
            f.write(h);
        }
    }

    private static void setByte(Path tar, long at, int value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.seek(at);
            f.write(value);
        }
    }

    /** @return the clips read before {@code tar}'s error, after checking the error names the shard and each part */
    private static int refused(Path tar, String... parts) throws IOException {
        int read = 0;
        try (WebDatasetReader r = WebDatasetReader.open(tar)) {
            while (true) {
                try {
                    if (r.next().isEmpty()) {
                        throw new AssertionError(tar + " was read to its end, " + read + " clips, without an error");
                    }
                    read++;
                } catch (IOException e) {
                    assertThat(e).hasMessageStartingWith(tar + ": ");
                    for (String part : parts) {
                        assertThat(e).hasMessageContaining(part);
                    }
                    assertThat(r.next()).as("no clip after an error").isEmpty();
                    return read;
                }
            }
        }
    }

    @Test
    void aDamagedHeaderChecksumIsRefusedNamingTheEntry() throws IOException {
        Path tar = shard("sum");
        setByte(tar, CLIP + 100, '7'); // the second clip's .wav header: its mode
        assertThat(refused(tar, "entry '-wds0000001.wav' at byte " + CLIP + ": header checksum ", " stored, ",
                "computed (a damaged header)")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            77777777777 | entry '-wds0000000.wav' at byte 0 declares 8589934591 bytes, more than the 67108864 read
            00000100000 | entry '-wds0000000.wav' at byte 0 declares 32768 bytes (32768 with its padding) but the shard
            9999        | entry '-wds0000000.wav' at byte 0: size field '9999' is not an octal number
            """)
    void aSizeTooLargeOrBeyondTheShardOrNotOctalIsRefused(String size, String message) throws IOException {
        Path tar = shard("size");
        patch(tar, 0, 124, 12, size);
        assertThat(refused(tar, message)).isZero();
    }

    @Test
    void aJsonMemberLargerThanAMegabyteIsRefused() throws IOException {
        Path tar = shard("json");
        patch(tar, 4096, 124, 12, Long.toOctalString(WebDatasetReader.MAX_JSON_BYTES + 1L));
        assertThat(refused(tar, "entry '-wds0000000.json' at byte 4096 declares 1048577 bytes, more than the 1048576"
                + " read of a .json member")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ../-wds0000000.wav  | the name is a path (absolute, with a folder or ..)
            /etc/passwd.wav     | the name is a path
            sub/-wds0000000.wav | the name is a path
            ..\\x.wav           | the name is a path
            -wds0000000.txt     | is not <key>.wav or <key>.json (extension 'txt')
            -wds0000000.b.wav   | is not <key>.wav or <key>.json (extension 'b.wav')
            a+b.wav             | key 'a+b' is not 1 to 64 characters of A-Z a-z 0-9 _ -
            """)
    void aNameThatIsAPathOrNotAClipMemberIsRefused(String name, String message) throws IOException {
        Path tar = shard("name");
        patch(tar, 0, 0, 100, name);
        assertThat(refused(tar, "entry '" + name + "' at byte 0", message)).isZero();
    }

    @Test
    void aPathPrefixALinkAndAnotherMagicAreRefused() throws IOException {
        Path prefix = shard("prefix");
        patch(prefix, 0, 345, 155, "/etc");
        assertThat(refused(prefix, "entry '-wds0000000.wav' at byte 0 has a path prefix '/etc'")).isZero();
        Path link = shard("link");
        patch(link, 0, 156, 1, "2");
        assertThat(refused(link, "entry '-wds0000000.wav' at byte 0 is of type '2', not a regular file")).isZero();
        Path magic = shard("magic");
        patch(magic, 0, 257, 6, "ustaR");
        assertThat(refused(magic, "entry '-wds0000000.wav' at byte 0: magic 'ustaR\\x00' is not ustar's")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            300   | 0 | ends at byte 300, inside the header that starts at byte 0 (a truncated shard)
            2000  | 0 | entry '-wds0000000.wav' at byte 0 declares 3244 bytes (3584 with its padding) but the shard ends
            15360 | 3 | ends at byte 15360 without the two zero blocks that end an archive (a truncated shard)
            15872 | 3 | ends at byte 15872 after one of the two zero blocks that end an archive (a truncated shard)
            """)
    void aTruncatedShardIsRefusedAfterItsWholeClips(long length, int clips, String message) throws IOException {
        Path tar = shard("cut");
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.setLength(length);
        }
        assertThat(refused(tar, message)).isEqualTo(clips);
    }

    @Test
    void bytesAfterTheEndOfTheArchiveAreRefused() throws IOException {
        Path tar = shard("tail");
        Files.write(tar, new byte[] {0, 0, 7}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(refused(tar, "byte " + (3 * CLIP + 1024 + 2) + " is not zero, after the end of the archive at byte "
                + (3 * CLIP + 1024))).isEqualTo(3);
    }

    /** A WAV file's bytes: 0.1 s of 16 kHz mono 16-bit. */
    private byte[] wav() throws IOException {
        Path f = dir.resolve("x.wav");
        WavWriter.writeMono(f, 16_000, new float[1600], WavEncoding.PCM_16);
        return Files.readAllBytes(f);
    }

    private static String json(String ytid) {
        return "{\"ytid\":\"" + ytid + "\",\"start\":0.0,\"end\":10.0,\"labels\":[\"/m/09x0r\"],\"names\":[\"Speech\"],"
                + "\"norm\":0.5,\"padded\":false}";
    }

    /** @return a shard of the members {@code name, bytes, name, bytes, ...}, as the writer's tar code writes them */
    private Path tar(String file, Object... members) throws IOException {
        Path tar = dir.resolve(file);
        try (UstarWriter w = new UstarWriter(tar)) {
            for (int m = 0; m < members.length; m += 2) {
                byte[] data = members[m + 1] instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                        : (byte[]) members[m + 1];
                w.add((String) members[m], data, data.length);
            }
            w.finish();
        }
        return tar;
    }

    @Test
    void aWavWithoutItsJsonOrAJsonWithoutItsWavOrTwiceIsRefused() throws IOException {
        byte[] wav = wav();
        Path control = tar("ok.tar", "aaaaaaaaaaa.json", json("aaaaaaaaaaa"), "aaaaaaaaaaa.wav", wav);
        try (WebDatasetReader r = WebDatasetReader.open(control)) { // either order
            assertThat(r.next().orElseThrow().info().segment().labelIds()).containsExactly("/m/09x0r");
            assertThat(r.next()).isEmpty();
        }
        int next = 512 + (wav.length + 511) / 512 * 512;
        assertThat(refused(tar("a.tar", "aaaaaaaaaaa.wav", wav, "bbbbbbbbbbb.wav", wav, "bbbbbbbbbbb.json",
                json("bbbbbbbbbbb")), "entry 'aaaaaaaaaaa.wav' at byte 0 has no 'aaaaaaaaaaa.json' beside it (the next"
                + " is entry 'bbbbbbbbbbb.wav' at byte " + next + ")")).isZero();
        assertThat(refused(tar("b.tar", "aaaaaaaaaaa.wav", wav, "aaaaaaaaaaa.json", json("aaaaaaaaaaa"),
                "bbbbbbbbbbb.json", json("bbbbbbbbbbb")), "entry 'bbbbbbbbbbb.json' at byte " + (next + 1024)
                + " has no 'bbbbbbbbbbb.wav' beside it (the archive ends there)")).isEqualTo(1);
        assertThat(refused(tar("c.tar", "aaaaaaaaaaa.wav", wav, "aaaaaaaaaaa.wav", wav), "entry 'aaaaaaaaaaa.wav' at"
                + " byte " + next + ": a second member of that name")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {                                    | is not JSON: Unexpected end-of-input
            []                                   | is not a JSON object
            {"ytid":"bbbbbbbbbbb"}               | ytid 'bbbbbbbbbbb' is not the key 'aaaaaaaaaaa'
            {"ytid":"aaaaaaaaaaa","start":"0"}   | start is '"0"', not a finite number
            """)
    void aJsonThatIsNotTheWritersIsRefused(String json, String message) throws IOException {
        assertThat(refused(tar("j.tar", "aaaaaaaaaaa.wav", wav(), "aaaaaaaaaaa.json", json),
                "entry 'aaaaaaaaaaa.json' at byte ", message)).isZero();
        Path later = tar("k.tar", "aaaaaaaaaaa.wav", wav(), "aaaaaaaaaaa.json", json("aaaaaaaaaaa").replace(
                ",\"padded\":false", ""));
        assertThat(refused(later, "padded is missing, not true or false")).isZero();
    }

    @Test
    void aWavTheWavReaderCannotDecodeIsRefusedNamingTheEntry() throws IOException {
        byte[] wav = wav();
        wav[3] = 'X'; // RIFX
        assertThat(refused(tar("w.tar", "aaaaaaaaaaa.wav", wav, "aaaaaaaaaaa.json", json("aaaaaaaaaaa")),
                "entry 'aaaaaaaaaaa.wav' at byte 0: aaaaaaaaaaa.wav: not a RIFF/WAVE file")).isZero();
        byte[] cut = java.util.Arrays.copyOf(wav(), 1000); // its data chunk declares 3200 bytes
        assertThat(refused(tar("v.tar", "aaaaaaaaaaa.wav", cut, "aaaaaaaaaaa.json", json("aaaaaaaaaaa")),
                "entry 'aaaaaaaaaaa.wav' at byte 0: aaaaaaaaaaa.wav: truncated")).isZero();
    }

    @Test
    void streamsSurfaceADamagedShardAsAnUncheckedIoException() throws IOException {
        Path tar = shard("s");
        setByte(tar, 2 * CLIP + 5, 'Z');
        try (Stream<WebDatasetClip> clips = WebDatasetReader.stream(dir, "s")) {
            Iterator<WebDatasetClip> it = clips.iterator();
            it.next();
            it.next();
            assertThatThrownBy(it::hasNext).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(tar + ": entry '-wds0Z00002.wav' at byte " + 2 * CLIP + ": header checksum");
            assertThat(it.hasNext()).isFalse();
        }
    }
}
