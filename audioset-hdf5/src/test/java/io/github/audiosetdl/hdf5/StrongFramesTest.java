package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which {@code /strong} frames an event marks: those whose centre it covers, start inclusive and end exclusive, in
 * whole milliseconds, alike for every frame (an event of 0.1 s marks one frame wherever it lies); an event too short
 * to cover a centre marks the frame holding its midpoint.
 */
class StrongFramesTest {
    @TempDir
    Path dir;

    /** @return the frames, as events read back (runs of frames), that one event of {@code /m/09x0r} marks */
    private List<StrongEvent> framesOf(double start, double end) throws Exception {
        Path out = dir.resolve(start + "-" + end);
        WaveformLayout layout = WaveformLayout.builder().build();
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(out, "s", LabelIndex.audioSet(), layout,
                StrongVocabulary.audioSet())) {
            Segment s = new Segment("abcdefghijk", 0, 10_000, List.of("/m/09x0r"));
            sink.write(new SegmentRow(0, 1, s), new PreparedAudio(new float[160_000], 1, false),
                    List.of(new StrongEvent("/m/09x0r", start, end)));
            sink.commit();
        }
        try (StrongLabelsReader r = StrongLabelsReader.open(layout.mainFile(out, "s")).orElseThrow()) {
            return r.events(0);
        }
    }

    private void assertFrames(double start, double end, int first, int last) throws Exception {
        List<StrongEvent> events = framesOf(start, end);
        assertThat(events).as("[%s, %s]", start, end).hasSize(1);
        assertThat(events.get(0).startSeconds()).as("[%s, %s]", start, end).isCloseTo(0.1 * first, within(1e-9));
        assertThat(events.get(0).endSeconds()).as("[%s, %s]", start, end).isCloseTo(0.1 * (last + 1),
                within(1e-9));
    }

    @Test
    void hasStrongSaysWhetherTheRowIsAnnotatedEventsOrNot() throws Exception {
        Path out = dir.resolve("has");
        WaveformLayout layout = WaveformLayout.builder().build();
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(out, "s", LabelIndex.audioSet(), layout,
                StrongVocabulary.audioSet())) {
            for (int i = 0; i < 3; i++) {
                Segment s = new Segment("abcdefghij" + i, 0, 10_000, List.of("/m/09x0r"));
                java.util.Optional<List<StrongEvent>> strong = switch (i) {
                    case 0 -> java.util.Optional.of(List.of(new StrongEvent("/m/09x0r", 1, 2)));
                    case 1 -> java.util.Optional.of(List.of()); // annotated: every label checked and absent
                    default -> java.util.Optional.empty(); // not annotated
                };
                sink.write(new SegmentRow(i, i + 1, s), new PreparedAudio(new float[160_000], 1, false), strong);
            }
            sink.commit();
        }
        String printed = io.github.audiosetdl.core.testing.ExternalTools.check(List.of(
                io.github.audiosetdl.core.testing.ExternalTools.requirePythonWithH5py().toString(), "-c",
                "import sys, h5py; print([bool(x) for x in h5py.File(sys.argv[1], 'r')['has_strong'][...]])",
                layout.mainFile(out, "s").toString()));
        assertThat(printed.strip()).isEqualTo("[True, True, False]");
    }

    @Test
    void aTenthOfASecondMarksOneFrameWhereverItLies() throws Exception {
        double[][] cases = { // start, end, first frame, last frame
            {0.05, 0.15, 0, 0}, {0.15, 0.25, 1, 1}, {0.25, 0.35, 2, 2}, {1.15, 1.25, 11, 11}, {8.85, 8.95, 88, 88},
            {2.112, 2.305, 21, 22}, {9.95, 10.0, 99, 99}, {0, 10, 0, 99}};
        for (double[] c : cases) {
            assertFrames(c[0], c[1], (int) c[2], (int) c[3]);
        }
    }

    @Test
    void anEventCoveringNoCentreMarksTheFrameOfItsMidpoint() throws Exception {
        double[][] cases = {{0.01, 0.04, 0, 0}, {3.36, 3.44, 34, 34}, {3.42, 3.44, 34, 34}, {5.0, 5.0, 50, 50}};
        for (double[] c : cases) {
            assertFrames(c[0], c[1], (int) c[2], (int) c[3]);
        }
        assertThat(framesOf(10.0, 10.0)).isEmpty(); // outside the clip
    }

    @Test
    void strongMidsDeclaringMoreNamesThanColumnsAreRefusedBeforeTheyAreRead() throws Exception {
        // 100 kB on disk, 16 Mi names of 16 bytes: all were read (over 1 GB of strings) before their count was
        // compared with the 456 columns of /strong; with less heap, out of memory
        Path file = h5pyFile("many_mids.h5", "shape=(1, 100, 456), dtype='u1'",
                "shape=(1 << 24,), dtype='S16', chunks=(1 << 16,), compression='gzip'");
        assertThatThrownBy(() -> StrongLabelsReader.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("many_mids.h5").hasMessageContaining("/strong_mids has shape [16777216]")
                .hasMessageContaining("(456,)");
    }

    @Test
    void aStrongDatasetThatIsNotBytesIsRefusedNamingTheFileAndType() throws Exception {
        // float32 or int64 flags failed with "argument type mismatch", h5py's bool with "Argument is not an array of
        // primitive type": neither named the file
        for (String type : new String[] {"'f4'", "'i8'", "bool"}) {
            Path file = h5pyFile("typed.h5", "shape=(1, 100, 456), dtype=" + type, "shape=(456,), dtype='S16'");
            assertThatThrownBy(() -> StrongLabelsReader.open(file).orElseThrow().events(0)).as(type)
                    .isInstanceOf(IOException.class).hasMessageContaining("typed.h5")
                    .hasMessageContaining("not uint8 frame flags");
        }
    }

    @Test
    void aDamagedChunkIndexIsAnErrorNamingTheFile() throws Exception {
        // a fixed-array chunk index declaring 2^63 entries: jhdf's ArithmeticException "integer overflow" reached the
        // user without the file's name
        Path file = dir.resolve("damaged_index.h5");
        ExternalTools.check(List.of(ExternalTools.requirePythonWithH5py().toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w', libver='latest') as f:",
                "    d = f.create_dataset('strong', data=np.ones((2, 10, 2), 'u1'), chunks=(1, 10, 2))",
                "    d.attrs['frame_seconds'] = 0.1",
                "    f.create_dataset('strong_mids', data=np.array([b'/m/a', b'/m/b']))",
                "b = bytearray(open(sys.argv[1], 'rb').read())",
                "at = b.find(b'FAHD')",
                "assert at > 0 and b.find(b'FAHD', at + 1) < 0",
                "b[at + 15] = 0x80",
                "open(sys.argv[1], 'wb').write(b)"), file.toString()));
        try (StrongLabelsReader r = StrongLabelsReader.open(file).orElseThrow()) {
            assertThatThrownBy(() -> r.events(0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("damaged_index.h5").hasMessageContaining("cannot read row 0 of /strong");
        }
    }

    /**
     * @param name the file's name in {@link #dir}
     * @param strong the h5py arguments of {@code /strong} after its name
     * @param mids the h5py arguments of {@code /strong_mids} after its name
     * @return a file h5py wrote with those datasets, {@code /strong}'s first chunk set and one name
     */
    private Path h5pyFile(String name, String strong, String mids) throws Exception {
        Path file = dir.resolve(name);
        ExternalTools.check(List.of(ExternalTools.requirePythonWithH5py().toString(), "-c", String.join("\n",
                "import sys, h5py",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    d = f.create_dataset('strong', " + strong + ")",
                "    d[0, 0:100, 0:456] = 1",
                "    d.attrs['frame_seconds'] = 0.1",
                "    m = f.create_dataset('strong_mids', " + mids + ")",
                "    m[0] = b'/m/09x0r'"),
                file.toString()));
        return file;
    }

    @Test
    void aStrongDatasetWhoseRowsAreTooLargeToReadIsRefusedAtOpen() throws Exception {
        // 300 kB on disk (one chunk written, the rest unallocated), 2 GB per row: reading a row ran out of memory
        Path file = h5pyFile("huge_rows.h5", "shape=(1, 60000, 32767), dtype='u1', chunks=(1, 100, 456),"
                + " compression='gzip'", "shape=(32767,), dtype='S16'");
        assertThatThrownBy(() -> StrongLabelsReader.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("huge_rows.h5").hasMessageContaining("60000 frames x 32767 mids");
    }

    @Test
    void anEventOfAColumnWithABlankNameIsAnErrorNamingTheFile() throws Exception {
        // an IllegalArgumentException "blank MID", naming no file, escaped events()
        Path file = h5pyFile("blank_mid.h5", "shape=(2, 100, 456), dtype='u1'", "shape=(456,), dtype='S16'");
        try (StrongLabelsReader r = StrongLabelsReader.open(file).orElseThrow()) {
            assertThat(r.events(1)).isEmpty(); // blank names of columns never flagged are harmless
            assertThatThrownBy(() -> r.events(0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("blank_mid.h5").hasMessageContaining("row 0 of /strong flags column 1,")
                    .hasMessageContaining("blank");
        }
    }

    @Test
    void strongMidsOfHugeStringsAreRefusedAtOpen() throws Exception {
        // 5 kB on disk, 2 GB of names: reading /strong_mids ran out of memory
        Path file = h5pyFile("huge_mids.h5", "shape=(1, 100, 32767), dtype='u1', chunks=(1, 100, 456),"
                + " compression='gzip'", "shape=(32767,), dtype='S60000', chunks=(16,), compression='gzip'");
        assertThatThrownBy(() -> StrongLabelsReader.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("huge_mids.h5").hasMessageContaining("60000 bytes");
    }
}
