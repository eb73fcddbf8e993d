package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import io.github.audiosetdl.hdf5.StrongLabelsReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strong sample through every stage: {@code segments} summarises it, {@code download --csv} fetches its
 * segments from a loopback server, {@code pack --strong} writes {@code /strong}, and h5py finds there exactly
 * the frames the events cover (the expectation is computed in Python from the TSV, independently).
 */
class StrongLabelsEndToEndTest {
    private static final List<String> IDS = List.of("--4gqARaEJE", "--BfvyPmVMo", "-0SdAVK79lg");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void strongSampleThroughSegmentsDownloadAndPack(@TempDir Path media, @TempDir Path work) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path strong = Files.copy(TestData.file("audioset/strong_sample.tsv"), work.resolve("strong_sample.tsv"));

        assertThat(run("segments", "--csv", strong.toString(), "--json")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"format\" : \"strong\"").contains("\"events\" : 6")
                .contains("\"segments\" : 3").contains("\"unique_labels\" : 6").contains("\"selected\" : 3");

        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 42);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            for (String id : IDS) {
                server.serve(id + ".m4a", tone);
            }
            assertThat(run("download", "--csv", strong.toString(), "--out", work.toString(), "--resolver", "direct",
                    "--url-template", server.url("{id}.m4a"), "--ffmpeg", ExternalTools.requireFfmpeg().toString()))
                    .as(err.toString() + out).isZero();
            assertThat(out.toString()).contains("downloaded         3");
        }
        Path downloads = work.resolve("strong_sample_downloads");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", strong.toString(), "--strong",
                strong.toString(), "--out", work.toString(), "--threads", "1")).as(err.toString()).isZero();
        // a weak CSV with one segment the strong file does not annotate (another start)
        Path weak = Files.writeString(work.resolve("weak.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                + "--4gqARaEJE,0.000,10.000,/m/09x0r\n"
                + "--BfvyPmVMo,25.000,35.000,/m/04rlf\n"
                + "-0SdAVK79lg,30.000,40.000,/m/015p6\n");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", weak.toString(), "--strong",
                strong.toString(), "--out", work.toString(), "--threads", "1")).as(err.toString()).isZero();
        // a bad line of the strong file fails the pack, or is skipped under --on-error skip, as a bad CSV row is
        Path bad = Files.writeString(work.resolve("bad_strong.tsv"), Files.readString(strong)
                + "zzzzzzzzzzz_0\tsoon\t10.000\t/m/09x0r\n");
        Path badOut = Files.createDirectories(work.resolve("bad"));
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", weak.toString(), "--strong",
                bad.toString(), "--out", badOut.toString(), "--threads", "1")).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ":8: ", "soon");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", weak.toString(), "--strong",
                bad.toString(), "--out", badOut.toString(), "--threads", "1", "--on-error", "skip"))
                .as(err.toString()).isZero();
        assertThat(badOut.resolve("weak.hdf5")).exists();

        String check = String.join("\n",
                "import sys, csv, h5py, numpy as np",
                "events = {}",
                "with open(sys.argv[1]) as f:",
                "    for r in csv.DictReader(f, delimiter='\\t'):",
                "        events.setdefault(r['segment_id'], []).append(",
                "            (r['label'], float(r['start_time_seconds']), float(r['end_time_seconds'])))",
                "labels = [l.split(',')[1] for l in open(sys.argv[4]).read().splitlines()[1:]]",
                "for path in sys.argv[2:4]:",
                "    with h5py.File(path, 'r') as f:",
                "        s, has = f['strong'][...], f['has_strong'][...]",
                "        mids = [m.decode() for m in f['strong_mids'][...]]",
                "        assert s.dtype == np.uint8 and s.shape == (3, 100, 456), s.shape",
                "        assert len(mids) == 456 and abs(f['strong'].attrs['frame_seconds'] - 0.1) < 1e-12",
                "        for i in range(3):",
                "            sid = '%s_%d' % (f['meta/ytid'][i].decode(), round(f['meta/start'][i] * 1000))",
                "            want = np.zeros((100, 456), np.uint8)",
                "            for mid, a, b in events.get(sid, []):",
                "                a, b = round(a * 1000), round(b * 1000)",
                "                hit = [fr for fr in range(100) if a <= 100 * fr + 50 < b]",
                "                if not hit and 0 <= (a + b) // 2 < 10000:",
                "                    hit = [(a + b) // 2 // 100]",
                "                for fr in hit:",
                "                    want[fr, mids.index(mid)] = 1",
                "            assert (s[i] == want).all(), (path, sid, np.argwhere(s[i] != want)[:5])",
                "            assert has.dtype == np.bool_ and has[i] == (sid in events), (path, sid, has[i])",
                "            if path == sys.argv[2]:",
                "                got = {labels[j] for j in np.flatnonzero(f['labels'][i])}",
                "                assert got == {m for m, a, b in events[sid] if m in labels}, (sid, got)",
                "        print(path, int(s.sum()), 'frames set,', int(has.sum()), 'rows with strong labels')");
        String printed = ExternalTools.check(List.of(python.toString(), "-c", check, strong.toString(),
                work.resolve("strong_sample.hdf5").toString(), work.resolve("weak.hdf5").toString(),
                TestData.file("audioset/class_labels_indices.csv").toString()));
        assertThat(printed).contains("3 rows with strong labels").contains("2 rows with strong labels");

        // WebDataset shards carry the same events in each clip's JSON; PANNs has no place for them
        Path shards = Files.createDirectories(work.resolve("shards"));
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", strong.toString(), "--strong",
                strong.toString(), "--out", shards.toString(), "--threads", "1", "--format", "webdataset"))
                .as(err.toString()).isZero();
        String tarCheck = String.join("\n",
                "import sys, csv, json, tarfile",
                "events = {}",
                "with open(sys.argv[1]) as f:",
                "    for r in csv.DictReader(f, delimiter='\\t'):",
                "        events.setdefault(r['segment_id'], []).append(",
                "            (r['label'], float(r['start_time_seconds']), float(r['end_time_seconds'])))",
                "n = 0",
                "with tarfile.open(sys.argv[2]) as t:",
                "    for m in t.getmembers():",
                "        if m.name.endswith('.json'):",
                "            j = json.load(t.extractfile(m))",
                "            sid = '%s_%d' % (j['ytid'], round(j['start'] * 1000))",
                "            got = sorted((e['mid'], e['start'], e['end']) for e in j['strong'])",
                "            assert got == sorted(events[sid]), (sid, got)",
                "            n += 1",
                "print(n, 'clips with their strong events')");
        assertThat(ExternalTools.check(List.of(python.toString(), "-c", tarCheck, strong.toString(),
                shards.resolve("strong_sample-000000.tar").toString()))).contains("3 clips with their strong events");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", strong.toString(), "--strong",
                strong.toString(), "--out", shards.toString(), "--format", "panns")).isEqualTo(2);
        assertThat(err.toString()).contains("--strong: the PANNs layout has no strong labels");

        // read back in Java: frame runs become events; render overlays them on the row's cochleagram
        Path packed = work.resolve("strong_sample.hdf5");
        try (StrongLabelsReader r = StrongLabelsReader.open(packed).orElseThrow()) {
            assertThat(r.size()).isEqualTo(3);
            List<StrongEvent> events = r.events(0);
            assertThat(events).hasSize(3);
            StrongEvent cough = events.stream().filter(e -> e.mid().equals("/m/05tny_")).findFirst().orElseThrow();
            assertThat(cough.startSeconds()).isCloseTo(2.1, within(1e-9)); // centres 2.15, 2.25 in [2.112, 2.305]
            assertThat(cough.endSeconds()).isCloseTo(2.3, within(1e-9));
        }
        try (StrongLabelsReader w = StrongLabelsReader.open(work.resolve("weak.hdf5")).orElseThrow()) {
            assertThat(w.events(1)).isEmpty(); // --BfvyPmVMo from 25 s: not the annotated segment (20 s)
            assertThat(w.events(2)).hasSize(1);
        }
        assertThat(run("cochleagram", "--in", packed.toString(), "--threads", "1")).as(err.toString()).isZero();
        Path png = work.resolve("row0.png");
        assertThat(run("render", "--in", work.resolve("strong_sample_Coch.hdf5").toString(), "--row", "0", "--out",
                png.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("overlaid 3 strong event(s)");
        assertThat(ImageIO.read(png.toFile())).isNotNull();
    }
}
