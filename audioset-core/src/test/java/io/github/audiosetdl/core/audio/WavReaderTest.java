package io.github.audiosetdl.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class WavReaderTest {
    @TempDir
    Path dir;

    private static float[][] noise(int channels, int frames, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][frames];
        for (float[] c : x) {
            for (int i = 0; i < frames; i++) {
                c[i] = (float) (r.nextDouble() * 1.8 - 0.9);
            }
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(WavEncoding.class)
    void roundTripsEveryEncoding(WavEncoding encoding) throws IOException {
        float[][] x = noise(3, 1234, 7);
        Path file = dir.resolve("x.wav");
        WavWriter.write(file, 22_050, x, encoding);
        WavFormat format = WavReader.readFormat(file);
        assertThat(format.sampleRate()).isEqualTo(22_050);
        assertThat(format.channels()).isEqualTo(3);
        assertThat(format.frames()).isEqualTo(1234);
        assertThat(format.bitsPerSample()).isEqualTo(encoding.bits());
        assertThat(format.floatingPoint()).isEqualTo(encoding.floatingPoint());
        AudioClip clip = WavReader.read(file);
        double step = encoding.floatingPoint() ? 0 : Math.pow(2, 1 - encoding.bits());
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 1234; i++) {
                assertThat((double) clip.channel(c)[i]).isCloseTo(x[c][i],
                        Offset.offset(step / 2 + 1e-7));
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary left behind
        }
        // the same bytes in memory (a tar member): from the buffer's position, which read leaves as it was
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer member = ByteBuffer.allocate(bytes.length + 9).position(7).put(bytes).flip().position(7);
        AudioClip inMemory = WavReader.read(Path.of("member.wav"), member);
        assertThat(member.position()).isEqualTo(7);
        assertThat(inMemory.sourceFormat()).isEqualTo(format);
        for (int c = 0; c < 3; c++) {
            assertThat(inMemory.channel(c)).as("channel %d", c).containsExactly(clip.channel(c));
        }
        assertThatThrownBy(() -> WavReader.read(Path.of("member.wav"), ByteBuffer.wrap(bytes, 0, bytes.length - 2)))
                .isInstanceOf(WavFormatException.class).hasMessageStartingWith("member.wav: truncated");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pcm_u8,8,false,2", "pcm_s16le,16,false,1", "pcm_s24le,24,false,2", "pcm_s32le,32,false,2",
        "pcm_f32le,32,true,2", "pcm_f64le,64,true,1", "pcm_s16le,16,false,6"})
    void readsWhatFfmpegWrites(String codec, int bits, boolean floating, int channels) throws Exception {
        Path ffmpeg = ExternalTools.requireFfmpeg();
        Path file = dir.resolve(codec + "_" + channels + ".wav");
        // A 440 Hz sine at half scale in every channel; 6 channels makes ffmpeg write WAVE_FORMAT_EXTENSIBLE.
        String layout = channels == 1 ? "mono" : channels == 2 ? "stereo" : "5.1";
        ExternalTools.check(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "aevalsrc=exprs=0.5*sin(2*PI*440*t):s=48000:d=0.5:c=" + layout, "-c:a", codec, file.toString()));
        WavFormat format = WavReader.readFormat(file);
        assertThat(format.bitsPerSample()).isEqualTo(bits);
        assertThat(format.floatingPoint()).isEqualTo(floating);
        assertThat(format.channels()).isEqualTo(channels);
        assertThat(format.frames()).isEqualTo(24_000);
        AudioClip clip = WavReader.read(file);
        float peak = 0;
        for (float v : clip.channel(channels - 1)) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertThat((double) peak).isCloseTo(0.5, Offset.offset(1.0 / 128));
        assertThat(clip.channel(0)[100]).isEqualTo(clip.channel(channels - 1)[100]);
    }

    @Test
    void rejectsFilesItCannotDecode() throws Exception {
        Path text = dir.resolve("text.wav");
        Files.writeString(text, "<html>not audio</html>");
        assertThatThrownBy(() -> WavReader.readFormat(text)).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("text.wav").hasMessageContaining("not a RIFF/WAVE file");

        Path empty = dir.resolve("empty.wav");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> WavReader.read(empty)).hasMessageContaining("not a RIFF/WAVE file");

        Path good = dir.resolve("good.wav");
        WavWriter.writeMono(good, 16_000, new float[16_000], WavEncoding.PCM_16);
        Path truncated = dir.resolve("truncated.wav");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1000));
        assertThatThrownBy(() -> WavReader.readFormat(truncated)).hasMessageContaining("truncated");

        Path ffmpeg = ExternalTools.requireFfmpeg();
        Path mulaw = dir.resolve("mulaw.wav");
        ExternalTools.check(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "sine=duration=0.1", "-c:a", "pcm_mulaw", mulaw.toString()));
        assertThatThrownBy(() -> WavReader.readFormat(mulaw)).hasMessageContaining("unsupported encoding");
    }

    @Test
    void readsRf64AsFfmpegWritesIt() throws Exception {
        Path ffmpeg = ExternalTools.requireFfmpeg();
        Path riff = dir.resolve("riff.wav");
        Path rf64 = dir.resolve("rf64.wav");
        for (Path file : List.of(riff, rf64)) {
            ExternalTools.check(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "aevalsrc=exprs=0.5*sin(2*PI*440*t):s=48000:d=0.5:c=stereo", "-c:a", "pcm_s24le", "-rf64",
                    file == rf64 ? "always" : "never", file.toString()));
        }
        // RF64 (EBU Tech 3306): "RF64" for "RIFF", sizes of 0xFFFFFFFF, the data chunk's size in the ds64 chunk.
        byte[] bytes = Files.readAllBytes(rf64);
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RF64");
        AudioClip expected = WavReader.read(riff);
        AudioClip got = WavReader.read(rf64);
        assertThat(got.frames()).isEqualTo(24_000);
        for (int c = 0; c < 2; c++) {
            assertThat(got.channel(c)).containsExactly(expected.channel(c));
        }
        assertThat(SeedPreparation.DEFAULT.prepare(rf64).samples())
                .containsExactly(SeedPreparation.DEFAULT.prepare(riff).samples());

        // The ds64 size, not the end of the file, bounds the data when a chunk follows it.
        byte[] list = "LIST\u0004\u0000\u0000\u0000INFO".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path trailing = dir.resolve("rf64-trailing.wav");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + list.length);
        System.arraycopy(list, 0, longer, bytes.length, list.length);
        Files.write(trailing, longer);
        assertThat(WavReader.readFormat(trailing).frames()).isEqualTo(24_000);

        // Streamed to a pipe, the ds64 sizes stay 0: the data runs to the end of the file.
        Path streamed = dir.resolve("rf64-streamed.wav");
        byte[] zeroed = bytes.clone();
        Arrays.fill(zeroed, 20, 44, (byte) 0); // the ds64 chunk's RIFF, data and sample counts
        Files.write(streamed, zeroed);
        assertThat(WavReader.read(streamed).channel(1)).containsExactly(expected.channel(1));

        Path negative = dir.resolve("rf64-negative.wav");
        byte[] huge = bytes.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(28, -1); // the ds64 data size
        Files.write(negative, huge);
        assertThatThrownBy(() -> WavReader.readFormat(negative)).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("ds64 chunk declares a data size of -1 bytes");
    }

    @ParameterizedTest(name = "{1} bits in {0}")
    @CsvSource({"PCM_16,12", "PCM_24,20", "PCM_32,28"})
    void readsIntegerSamplesNarrowerThanTheirContainer(WavEncoding container, int bits) throws IOException {
        // WAVE_FORMAT_PCM may declare bits that are not a whole number of bytes: each sample then fills the next
        // whole byte count (block align), left-justified, as ffmpeg reads it (checked: the same decoded samples).
        float[][] x = noise(2, 500, 3);
        Path wide = dir.resolve("wide.wav");
        WavWriter.write(wide, 16_000, x, container);
        byte[] bytes = Files.readAllBytes(wide);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) bits);
        Path narrow = dir.resolve("narrow.wav");
        Files.write(narrow, bytes);
        WavFormat format = WavReader.readFormat(narrow);
        assertThat(format.bitsPerSample()).isEqualTo(container.bits());
        assertThat(format.frames()).isEqualTo(500);
        AudioClip expected = WavReader.read(wide);
        AudioClip got = WavReader.read(narrow);
        for (int c = 0; c < 2; c++) {
            assertThat(got.channel(c)).containsExactly(expected.channel(c));
        }
        assertThat(SeedPreparation.DEFAULT.prepare(narrow).samples())
                .containsExactly(SeedPreparation.DEFAULT.prepare(wide).samples());
    }

    @Test
    void streamedHeaderMeansToTheEndOfTheFile() throws IOException {
        Path file = dir.resolve("streamed.wav");
        WavWriter.writeMono(file, 8_000, new float[] {0.5f, -0.5f, 0.25f}, WavEncoding.PCM_16);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1); // data size 0xFFFFFFFF
        Files.write(file, bytes);
        assertThat(WavReader.read(file).channel(0)).containsExactly(0.5f, -0.5f, 0.25f);
    }

    @Test
    void aZeroDataSizeIsStreamedUnlessAnotherChunkFollows() throws IOException {
        Path streamed = dir.resolve("zero-streamed.wav");
        WavWriter.writeMono(streamed, 8_000, new float[] {0.5f, -0.5f, 0.25f}, WavEncoding.PCM_16);
        byte[] bytes = Files.readAllBytes(streamed);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0);
        Files.write(streamed, bytes);
        assertThat(WavReader.read(streamed).channel(0)).containsExactly(0.5f, -0.5f, 0.25f);

        // An empty clip with metadata after it (as libsndfile and Audacity write): the LIST bytes are not samples.
        Path empty = dir.resolve("zero-then-list.wav");
        WavWriter.writeMono(empty, 8_000, new float[0], WavEncoding.PCM_16);
        byte[] head = Files.readAllBytes(empty);
        byte[] list = "LIST\u0010\u0000\u0000\u0000INFOISFT\u0004\u0000\u0000\u0000test"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] both = Arrays.copyOf(head, head.length + list.length);
        System.arraycopy(list, 0, both, head.length, list.length);
        ByteBuffer.wrap(both).order(ByteOrder.LITTLE_ENDIAN).putInt(4, both.length - 8);
        Files.write(empty, both);
        assertThat(WavReader.readFormat(empty).frames()).isZero();
        assertThat(SeedPreparation.DEFAULT.prepare(empty, new float[160_000]).norm()).isZero();
    }
}
