package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.audio.AudioClip;
import io.github.audiosetdl.core.webdataset.ClipInfo;
import io.github.audiosetdl.core.webdataset.WebDatasetClip;
import io.github.audiosetdl.core.webdataset.WebDatasetReader;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import io.github.audiosetdl.hdf5.Hdf5Inspector;
import io.github.audiosetdl.hdf5.Hdf5Node;
import io.github.audiosetdl.hdf5.PannsFileReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code audioset inspect}: what an HDF5 file or a WebDataset shard holds, readable. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a file holds.",
            "An HDF5 file (any): every group and dataset with its type, shape and attributes (the data itself is"
                + " not read); a PANNs file (<name>_panns.h5) also gets a summary, its names and labels read once:"
                + " clips, sample rate, samples per clip, the empty rows PANNs' own packer leaves for missing clips,"
                + " the distinct labels and the most frequent ones, and the first names.", "",
            "A WebDataset shard (<name>-000000.tar), or DIR/<name> for all the shards of that name in DIR (read"
                + " once, one clip at a time): the clips, their sample rates and lengths, how many are padded, the"
                + " distinct labels and the most frequent ones, whether strong events are known, and the first"
                + " clip's key and JSON. Every header is checked: a damaged shard fails naming the shard and the"
                + " entry.", "",
            "A read that takes longer than a second (a PANNs file of millions of rows, many shards) shows its"
                + " progress on standard error, as pack does (--progress); standard output has the summary only.", "",
            "Example:", "  audioset inspect data/eval_segments.hdf5", "",
            "Also:", "  audioset inspect --in data/eval_segments-000000.tar   (one shard)",
            "  audioset inspect --in data/eval_segments   (every eval_segments-NNNNNN.tar)"})
final class InspectCommand implements Callable<Integer> {
    /** The most frequent labels shown. */
    static final int TOP_LABELS = 5;
    /** The first clip's JSON is shown up to this many characters. */
    static final int MAX_JSON_SHOWN = 2000;
    /** The PANNs file's first names shown. */
    static final int FIRST_NAMES = 3;
    /** The PANNs file's first empty rows shown. */
    static final int EMPTY_ROWS = 5;

    /** The most files named when a folder is given. */
    static final int FOLDER_NAMES = 5;
    /** A WebDataset shard's name: the data set's name, then the shard number. */
    private static final Pattern SHARD = Pattern.compile("(.+)-\\d{6}\\.tar");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The file: an HDF5 file or a WebDataset shard (or give it as --in).")
    private Path file;

    @Mixin
    private ProgressOptions progress;

    @Option(names = "--in", paramLabel = "FILE",
            description = "The file, as the positional FILE: X.hdf5, X_panns.h5, X-000000.tar, or DIR/X for every"
                    + " shard DIR/X-NNNNNN.tar.")
    private Path in;

    /** @return {@code text} with each control character shown as {@code \\uXXXX} */
    static String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (in == null)) {
            throw new ParameterException(spec.commandLine(), file == null ? "Missing required parameter: FILE (or"
                    + " --in FILE)" : "give the file once: as FILE or as --in, not both");
        }
        AudioSetCli.fromOptions(spec, progress::bar); // a bad --progress fails before the file is read
        Path path = file != null ? file : in;
        PrintWriter out = spec.commandLine().getOut();
        List<Path> shards = shards(path);
        if (!shards.isEmpty()) {
            out.print(webDataset(path, shards));
        } else {
            if (Files.isDirectory(path)) {
                throw new IOException(folder(path));
            }
            hdf5(FileChecks.inputFile(path), out);
        }
        out.flush();
        return 0;
    }

    /**
     * @param dir a folder given where a file is expected
     * @return what to say: the folder, and the files in it that inspect reads (HDF5 files, shards grouped by data
     *     set), at most {@link #FOLDER_NAMES} of them, so that the reader can pick one
     */
    static String folder(Path dir) {
        TreeMap<String, Integer> names = new TreeMap<>(); // a data set's shards: how many
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String n = p.getFileName().toString();
                if (!Files.isRegularFile(p) || n.startsWith(".")) {
                    continue;
                }
                Matcher shard = SHARD.matcher(n);
                if (shard.matches()) {
                    names.merge(shard.group(1), 1, Integer::sum);
                } else if (n.endsWith(".hdf5") || n.endsWith(".h5") || n.endsWith(".tar")) {
                    names.put(n, 0);
                }
            }
        } catch (IOException | UncheckedIOException e) { // not listable: the folder alone is named
            return dir + " is a directory, not a file";
        }
        if (names.isEmpty()) {
            return dir + " is a directory, not a file, and holds no .hdf5, .h5 or .tar file";
        }
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            if (shown.size() == FOLDER_NAMES) {
                shown.add("... (" + (names.size() - FOLDER_NAMES) + " more)");
                break;
            }
            shown.add(e.getValue() == 0 ? safe(e.getKey()) : safe(e.getKey()) + " (" + e.getValue() + " shard"
                    + (e.getValue() == 1 ? "" : "s") + ")");
        }
        return dir + " is a directory, not a file; its files: " + String.join(", ", shown) + "; give one, e.g. "
                + safe(dir.resolve(names.firstKey()).toString());
    }

    /**
     * @return the shards {@code path} names: itself if it ends in {@code .tar}, else those of {@code DIR/<name>}
     *     when it does not exist and {@code DIR/<name>-000000.tar} does; else none (an HDF5 file)
     */
    private static List<Path> shards(Path path) throws IOException {
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".tar")) {
            return List.of(FileChecks.inputFile(path));
        }
        Path name = path.getFileName();
        if (name == null || Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            WebDatasetWriter.checkName(name.toString());
        } catch (IllegalArgumentException e) { // not a data set's name: then it is a missing HDF5 file
            return List.of();
        }
        Path dir = path.toAbsolutePath().getParent();
        List<Path> found = WebDatasetReader.shards(dir, name.toString());
        List<Path> shown = new ArrayList<>(found.size()); // named as the user did: relative stays relative
        for (Path p : found) {
            shown.add(path.resolveSibling(p.getFileName()));
        }
        return shown;
    }

    /** @return the progress of a loop over {@code total} items (-1: not known), shown if it runs long */
    private ProgressOptions.Counter counter(long total) {
        return progress.counter(spec, "inspect", total);
    }

    /** Reads every clip of the shards once, one at a time, and returns the summary; any error is thrown. */
    private String webDataset(Path path, List<Path> shards) throws IOException {
        ShardStats s = new ShardStats();
        try (ProgressOptions.Counter counter = counter(-1)) {
            for (Path shard : shards) {
                try (WebDatasetReader r = WebDatasetReader.open(FileChecks.inputFile(shard))) {
                    for (Optional<WebDatasetClip> c = r.next(); c.isPresent(); c = r.next()) {
                        s.add(c.get());
                        counter.add();
                    }
                }
            }
            counter.finish();
        }
        StringBuilder b = new StringBuilder();
        String what = shards.size() == 1 ? safe(shards.get(0).toString()) : safe(shards.get(0).toString()) + " .. "
                + safe(shards.get(shards.size() - 1).getFileName().toString());
        b.append(what).append(": WebDataset, ").append(shards.size()).append(shards.size() == 1 ? " shard" : " shards")
                .append('\n');
        line(b, "clips", String.valueOf(s.clips));
        if (s.clips == 0) {
            return b.toString();
        }
        line(b, "sample rate", range(s.minRate, s.maxRate) + " Hz");
        line(b, "samples per clip", range(s.minFrames, s.maxFrames) + " ("
                + range(String.format(Locale.ROOT, "%.3f", (double) s.minFrames / s.minRate),
                        String.format(Locale.ROOT, "%.3f", (double) s.maxFrames / s.maxRate)) + " s)");
        line(b, "channels", range(s.minChannels, s.maxChannels));
        line(b, "padded", s.padded + " of " + s.clips + " clips");
        List<Map.Entry<String, Integer>> top = s.labels.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_LABELS).toList();
        String distinct = s.uncounted == 0 ? s.labels.size() + " distinct" : "more than " + ShardStats.MAX_LABELS
                + " distinct: inspect counts the first " + ShardStats.MAX_LABELS + " only (its cap), and "
                + s.uncounted + " occurrences of other labels, from clip " + safe(s.firstUncountedKey) + " of "
                + safe(s.firstUncountedShard.toString()) + " on, were not counted";
        line(b, "labels", distinct + (top.isEmpty() ? "" : "; most frequent" + (s.uncounted == 0 ? "" : " counted")
                + ": " + top.stream()
                .map(e -> safe(e.getKey()) + " " + safe(s.names.get(e.getKey())) + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "))));
        line(b, "strong events", s.strongKnown == 0 ? "not known (no clip's JSON has \"strong\")"
                : "known for " + s.strongKnown + " of " + s.clips + " clips, " + s.strongEvents + " events");
        line(b, "first clip", safe(s.firstKey) + " (" + safe(s.firstShard.getFileName().toString()) + ")");
        String json = s.firstJson.strip();
        b.append("  ").append(safe(json.length() <= MAX_JSON_SHOWN ? json : json.substring(0, MAX_JSON_SHOWN)
                + "... (" + json.length() + " characters)")).append('\n');
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-17s %s%n", name + ":", value));
    }

    private static String range(Object min, Object max) {
        return min.equals(max) ? String.valueOf(min) : min + ".." + max;
    }

    /**
     * What {@link #webDataset} counts, clip by clip; its memory is one entry per distinct label, up to
     * {@link #MAX_LABELS} (AudioSet has 527; a shard naming more counts the first ones only).
     */
    private static final class ShardStats {
        static final int MAX_LABELS = 100_000;
        /** The labels of clips not counted, past {@link #MAX_LABELS}: occurrences, not distinct labels. */
        long uncounted;
        /** The first clip with a label not counted, and its shard. */
        String firstUncountedKey;
        Path firstUncountedShard;
        long clips;
        long padded;
        long strongKnown;
        long strongEvents;
        int minRate = Integer.MAX_VALUE;
        int maxRate;
        int minFrames = Integer.MAX_VALUE;
        int maxFrames;
        int minChannels = Integer.MAX_VALUE;
        int maxChannels;
        final Map<String, Integer> labels = new HashMap<>();
        /** The display name of each MID, as its first clip gives it. */
        final Map<String, String> names = new HashMap<>();
        String firstKey;
        Path firstShard;
        String firstJson;

        void add(WebDatasetClip c) {
            if (clips++ == 0) {
                firstKey = c.key();
                firstShard = c.shard();
                firstJson = c.json();
            }
            AudioClip a = c.audio();
            minRate = Math.min(minRate, a.sampleRate());
            maxRate = Math.max(maxRate, a.sampleRate());
            minFrames = Math.min(minFrames, a.frames());
            maxFrames = Math.max(maxFrames, a.frames());
            minChannels = Math.min(minChannels, a.channelCount());
            maxChannels = Math.max(maxChannels, a.channelCount());
            ClipInfo info = c.info();
            if (info.padded()) {
                padded++;
            }
            if (info.strongKnown()) {
                strongKnown++;
                strongEvents += info.strongEvents().size();
            }
            List<String> mids = info.segment().labelIds();
            for (int i = 0; i < mids.size(); i++) {
                if (labels.size() >= MAX_LABELS && !labels.containsKey(mids.get(i))) {
                    if (uncounted++ == 0) {
                        firstUncountedKey = c.key();
                        firstUncountedShard = c.shard();
                    }
                    continue;
                }
                labels.merge(mids.get(i), 1, Integer::sum);
                names.putIfAbsent(mids.get(i), info.names().get(i));
            }
        }
    }

    private void hdf5(Path path, PrintWriter out) throws IOException {
        List<Hdf5Node> nodes = Hdf5Inspector.inspect(path);
        out.println(safe(path.toString()));
        // names and values come from the file: control characters (terminal escapes) are shown, never sent
        for (Hdf5Node node : nodes) {
            int depth = node.path().equals("/") ? 0 : (int) node.path().chars().filter(c -> c == '/').count();
            String indent = "  ".repeat(depth);
            if (node.group()) {
                out.println(indent + safe(node.path()) + (node.path().equals("/") ? "" : "/")
                        + (node.dataType().isEmpty() ? "" : " " + safe(node.dataType())));
            } else if (node.dataType().startsWith("(")) { // a soft or external link, not followed
                out.println(indent + safe(node.path()) + " " + safe(node.dataType()));
            } else {
                String shape = node.shape().stream().map(String::valueOf).collect(Collectors.joining(", ", "(",
                        node.shape().size() == 1 ? ",)" : ")"));
                out.printf("%s%-28s %-10s %s%n", indent, safe(node.path()), safe(node.dataType()), shape);
            }
            for (Map.Entry<String, String> a : node.attributes().entrySet()) {
                out.println(indent + "    @" + safe(a.getKey()) + " = " + safe(a.getValue()));
            }
        }
        panns(path, out);
    }

    /** Adds a PANNs file's summary when it is that layout; a {@code *_panns.h5} that is not says why. */
    private void panns(Path path, PrintWriter out) throws IOException {
        PannsFileReader r;
        try {
            r = PannsFileReader.open(path);
        } catch (IOException | RuntimeException e) {
            if (path.getFileName().toString().endsWith("_panns.h5")) {
                out.println("not the PANNs layout: " + safe(String.valueOf(e.getMessage())));
            }
            return;
        }
        try (r; ProgressOptions.Counter counter = counter(r.size())) {
            PannsStats s = new PannsStats(r, counter);
            counter.finish();
            out.printf(Locale.ROOT, "PANNs layout: %d clips, %d Hz, %d samples per clip (%.3f s), %d labels%n",
                    r.size() - s.empty, r.sampleRate(), r.clipSamples(), (double) r.clipSamples() / r.sampleRate(),
                    r.labelCount());
            if (s.empty > 0) {
                out.println("  empty rows: " + s.empty + " of " + r.size() + " (rows " + s.emptyRows.stream()
                        .map(String::valueOf).collect(Collectors.joining(", ")) + (s.empty > EMPTY_ROWS ? ", ..." : "")
                        + "): missing clips, left with an empty audio_name by PANNs' packer; not counted here");
            }
            if (s.empty < r.size()) {
                out.println("  labels: " + (s.counts.length > 0 ? s.labels() : "not counted: " + r.labelCount()
                        + " per clip, more than a label index holds (" + LabelIndex.MAX_SIZE + ")"));
            }
            if (!s.first.isEmpty()) {
                out.println("  first names: " + String.join(", ", s.first) + (r.size() - s.empty > FIRST_NAMES
                        ? ", ..." : ""));
            }
        }
    }

    /** A PANNs file read once, row by row: its empty rows (missing clips) apart, its clips' labels counted. */
    private static final class PannsStats {
        long empty;
        final List<Long> emptyRows = new ArrayList<>();
        final List<String> first = new ArrayList<>();
        /** Clips per label, in {@code /target}'s order. */
        final long[] counts;

        PannsStats(PannsFileReader r, ProgressOptions.Counter counter) throws IOException {
            // a label index holds at most LabelIndex.MAX_SIZE labels: a crafted wider /target is not counted
            counts = new long[r.labelCount() <= LabelIndex.MAX_SIZE ? r.labelCount() : 0];
            // in blocks of rows: a row at a time reads every chunk of a chunked file once per row (100 rows/s)
            int block = r.blockRows();
            int width = counts.length;
            for (long start = 0; start < r.size(); start += block) {
                int k = (int) Math.min(block, r.size() - start);
                List<String> names = r.audioNames(start, k);
                byte[] t = width > 0 ? r.labels(start, k) : null;
                for (int j = 0; j < k; j++, counter.add()) {
                    long row = start + j;
                    String name = names.get(j);
                    if (name.isEmpty()) {
                        if (empty++ < EMPTY_ROWS) {
                            emptyRows.add(row);
                        }
                        continue;
                    }
                    if (first.size() < FIRST_NAMES) {
                        first.add(safe(name));
                    }
                    for (int i = 0, at = j * width; i < width; i++) {
                        counts[i] += t[at + i];
                    }
                }
            }
        }

        /** @return the distinct labels and the most frequent, named by the AudioSet index when it has 527 labels */
        String labels() {
            LabelIndex index = counts.length == LabelIndex.audioSet().size() ? LabelIndex.audioSet() : null;
            long distinct = Arrays.stream(counts).filter(c -> c > 0).count();
            String top = IntStream.range(0, counts.length).filter(i -> counts[i] > 0).boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> -counts[i]).thenComparing(i -> i))
                    .limit(TOP_LABELS)
                    .map(i -> (index == null ? "label " + i : index.get(i).mid() + " " + index.get(i).displayName())
                            + " (" + counts[i] + ")")
                    .collect(Collectors.joining(", "));
            return distinct + " distinct" + (top.isEmpty() ? "" : "; most frequent: " + top);
        }
    }
}
