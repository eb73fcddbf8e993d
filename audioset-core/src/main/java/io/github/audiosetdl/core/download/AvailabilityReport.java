package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Ontology;
import io.github.audiosetdl.core.OntologyNode;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.StrongVocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which segments of a data set were obtained and why the others failed, per label: what to publish next to a
 * data set so that others know exactly which clips it has. Built from a run's logs ({@code <name>_goodlogs}
 * and {@code <name>_errorlogs} of every job, appended to across runs), each id counted once: obtained if any
 * run downloaded it (downloaded or short) or its clip is on disk beside the logs
 * ({@code <name>_downloads/<name>_downloads_<job>/YT_<id>.wav}, also when no log row names it), else by its
 * latest failure. With the segments CSV, requested
 * segments the logs never mention are counted as not attempted. Ids are held in {@link IdStates} (a byte
 * each), so logs of millions of rows fit in tens of MB.
 *
 * @param name the data set's name
 * @param requested distinct segments requested (with a CSV: its distinct ids; else the ids in the logs)
 * @param obtained of those, clips on disk (downloaded, or short: the video ends inside the segment)
 * @param failed failed segments per class (every class present, possibly 0)
 * @param notAttempted requested segments the logs do not mention (0 without a CSV)
 * @param reasons failed segments per reason (every reason present, possibly 0)
 * @param perLabel per label MID, sorted: segments requested and obtained (for a temporally-strong label file,
 *     every MID of the segments' present events, also those outside the 527-class index)
 * @param perTopLevelClass per top-level ontology class name, in ontology order: segments with a label under
 *     it requested and obtained (a segment counts once per class)
 */
public record AvailabilityReport(String name, long requested, long obtained, Map<FailureClass, Long> failed,
        long notAttempted, Map<FailureReason, Long> reasons, Map<String, LabelAvailability> perLabel,
        Map<String, LabelAvailability> perTopLevelClass) {
    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityReport.class);
    private static final byte OBTAINED = 1;
    private static final int FAILED_BASE = 2;
    private static final int COUNTED = 0x80;
    /** The origin of the failures' times kept per id: 2020-01-01, in seconds since the epoch (ints last to 2088). */
    private static final long TIME_ORIGIN_SECONDS = 1_577_836_800L;
    /**
     * The reasons of a permanent failure that the video itself settles, whatever the setup: not those a cookie
     * file, a proxy or newer tools may change ({@code age_restricted}, {@code region_blocked}, {@code forbidden},
     * {@code bad_media}, {@code other}).
     */
    private static final Set<FailureReason> SETTLED = EnumSet.of(FailureReason.UNAVAILABLE,
            FailureReason.PRIVATE, FailureReason.REMOVED, FailureReason.ACCOUNT_TERMINATED, FailureReason.COPYRIGHT,
            FailureReason.MEMBERS_ONLY, FailureReason.NOT_FOUND);
    /** How the download stage's message for a repeated id in the CSV begins. */
    private static final String DUPLICATE = "duplicate id in the CSV";

    /**
     * Validates and copies.
     *
     * @param name the data set's name; not null
     * @param requested distinct segments requested
     * @param obtained of those, clips on disk
     * @param failed failed segments per class, copied
     * @param notAttempted requested segments the logs do not mention
     * @param reasons failed segments per reason, copied
     * @param perLabel per label MID, copied sorted
     * @param perTopLevelClass per top-level class name, copied in its iteration order
     * @throws IllegalArgumentException if {@code obtained}, the failures and {@code notAttempted} do not add up to
     *     {@code requested}
     */
    public AvailabilityReport {
        requireNonNull(name, "name");
        failed = Collections.unmodifiableMap(new EnumMap<>(failed));
        reasons = Collections.unmodifiableMap(new EnumMap<>(reasons));
        perLabel = Collections.unmodifiableMap(new TreeMap<>(perLabel));
        perTopLevelClass = Collections.unmodifiableMap(new LinkedHashMap<>(perTopLevelClass));
        long failedTotal = failed.values().stream().mapToLong(Long::longValue).sum();
        if (obtained + failedTotal + notAttempted != requested) {
            throw new IllegalArgumentException("obtained " + obtained + " + failed " + failedTotal
                    + " + not attempted " + notAttempted + " != requested " + requested);
        }
    }

    /** @return failed segments of every class */
    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Reads the logs of data set {@code name} under {@code logsDir}; requested = the ids in the logs.
     *
     * @param logsDir the logs folder ({@code <out>/logs})
     * @param name the data set's name
     * @return the report
     * @throws IOException if the logs cannot be read, or there are none
     */
    public static AvailabilityReport fromLogs(Path logsDir, String name) throws IOException {
        return build(logsDir, name, null);
    }

    /**
     * Reads the logs of data set {@code name} under {@code logsDir}; requested = the selection's distinct ids.
     *
     * @param logsDir the logs folder ({@code <out>/logs})
     * @param name the data set's name
     * @param selection the segments requested
     * @return the report
     * @throws IOException if the logs or the CSV cannot be read, or there are no logs
     */
    public static AvailabilityReport fromLogs(Path logsDir, String name, SegmentSelection selection)
            throws IOException {
        return build(logsDir, name, requireNonNull(selection, "selection"));
    }

    /**
     * @param logsDir a logs folder
     * @return the data-set names with logs there ({@code <name>_goodlogs} or {@code <name>_errorlogs}), sorted
     * @throws IOException if it cannot be listed
     */
    public static List<String> namesIn(Path logsDir) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(logsDir)) {
            for (Path p : dir) {
                String f = p.getFileName().toString();
                if (Files.isDirectory(p) && (f.endsWith("_goodlogs") || f.endsWith("_errorlogs"))) {
                    names.add(f.substring(0, f.lastIndexOf('_')));
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static List<Path> logs(Path logsDir, String name, String kind) throws IOException {
        Path dir = logsDir.resolve(name + "_" + kind + "logs");
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, kind + "Log_*.csv")) {
            d.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private static byte failureState(LogEntry e) {
        return (byte) (FAILED_BASE + e.failureClass().ordinal() * 16 + e.reason().ordinal());
    }

    private static AvailabilityReport build(Path logsDir, String name, SegmentSelection selection)
            throws IOException {
        requireNonNull(logsDir, "logsDir");
        requireNonNull(name, "name");
        List<Path> good = logs(logsDir, name, "good");
        List<Path> errors = logs(logsDir, name, "error");
        if (good.isEmpty() && errors.isEmpty()) {
            throw new NoSuchFileException(logsDir.resolve(name + "_goodlogs").toString(), null,
                    "no download logs of '" + name + "' here");
        }
        IdStates states = new IdStates();
        Tally t = new Tally();
        try {
            readStates(states, good, errors, false);
            markClipsOnDisk(states, logsDir, name);
            tally(t, states, good, errors, selection);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new AvailabilityReport(name, t.requested, t.obtained, t.failed, t.notAttempted, t.reasons,
                t.labels(), t.classes());
    }

    /**
     * The clips of {@code name} whose latest outcome in its logs is a permanent failure for a reason the video
     * itself settles ({@link #SETTLED}: unavailable, private, removed, account terminated, copyright, members only,
     * not found; by the rows' times; a clip any run obtained is not one), with the reason. A repeated row of the
     * CSV ("duplicate id") says nothing of its id and is left out. Memory: a few bytes per id in the logs.
     *
     * @param logsDir the logs folder
     * @param name the data set's name
     * @return each id's reason, empty for an id not known to have failed permanently
     * @throws IOException if a log cannot be read
     */
    static Function<String, Optional<FailureReason>> permanentFailures(Path logsDir, String name) throws IOException {
        List<Path> good = logs(logsDir, name, "good");
        List<Path> errors = logs(logsDir, name, "error");
        IdStates states = new IdStates();
        readStates(states, good, errors, true);
        return id -> {
            int state = states.get(id) & 0xFF;
            return state >= FAILED_BASE && classOf(state) == FailureClass.PERMANENT && SETTLED.contains(reasonOf(state))
                    ? Optional.of(reasonOf(state)) : Optional.empty();
        };
    }

    /** @return the failure class of a failed id's state */
    private static FailureClass classOf(int state) {
        return FailureClass.values()[(state - FAILED_BASE) / 16];
    }

    /** @return the failure reason of a failed id's state */
    private static FailureReason reasonOf(int state) {
        return FailureReason.values()[(state - FAILED_BASE) % 16];
    }

    /** @return when the row was written, in seconds from {@link #TIME_ORIGIN_SECONDS}, within an int */
    private static int seconds(LogEntry e) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, e.timeMillis() / 1000 - TIME_ORIGIN_SECONDS));
    }

    /**
     * The first pass: each id's final state (obtained if any run got it, else its latest failure by the rows'
     * times, whichever job's log holds it: the job count may change between runs).
     *
     * @param sparingRequests for a download deciding what not to request again: a repeated row of the CSV is
     *     left out (it says nothing of its id; for the report it stands for an id no other row covers), and a log
     *     that cannot be read (another task is just creating it) is passed over with a warning instead of ending
     *     the reading
     */
    private static void readStates(IdStates states, List<Path> good, List<Path> errors, boolean sparingRequests)
            throws IOException {
        for (Path log : errors) {
            read(log, sparingRequests, e -> {
                boolean repeated = e.message().startsWith(DUPLICATE);
                if (e.failureClass() != null && (!repeated || !sparingRequests && states.get(e.ytid()) == 0)) {
                    // a repeated row never hides the first's outcome
                    states.putIfLater(e.ytid(), failureState(e), seconds(e));
                }
            });
        }
        for (Path log : good) {
            read(log, sparingRequests, e -> {
                if (e.obtained()) {
                    states.put(e.ytid(), OBTAINED);
                }
            });
        }
    }

    /**
     * Marks every clip on disk beside the logs ({@code <logsDir>/../<name>_downloads/<name>_downloads_<job>/
     * YT_<id>.wav}, the download stage's layout) as obtained, whatever the logs say: a run killed between saving a
     * clip and logging it, or clips copied in, leave clips no log row names, and every later run skips them as
     * already there without logging them.
     */
    private static void markClipsOnDisk(IdStates states, Path logsDir, String name) throws IOException {
        Path out = logsDir.toAbsolutePath().getParent();
        Path downloads = out == null ? null : out.resolve(name + "_downloads");
        if (downloads == null || !Files.isDirectory(downloads)) {
            return;
        }
        for (Path job : DownloadStage.jobFoldersIn(downloads, name)) {
            try (DirectoryStream<Path> clips = Files.newDirectoryStream(job, p -> {
                String f = p.getFileName().toString();
                return f.startsWith("YT_") && f.endsWith(".wav");
            })) {
                for (Path clip : clips) {
                    String f = clip.getFileName().toString();
                    String id = f.substring("YT_".length(), f.length() - ".wav".length());
                    if (Segment.isValidId(id) && Files.isRegularFile(clip)) {
                        states.put(id, OBTAINED);
                    }
                }
            }
        }
    }

    /** Gives each of {@code log}'s rows to {@code each}; an unreadable log is an error unless {@code lenient}. */
    private static void read(Path log, boolean lenient, Consumer<LogEntry> each) throws IOException {
        try (Stream<LogEntry> s = DownloadLogReader.stream(log)) {
            s.forEach(each);
        } catch (IOException | UncheckedIOException e) {
            if (!lenient) {
                throw e;
            }
            LOG.warn("{}: passed over ({})", log, e.getMessage());
        }
    }

    /** The second pass: each requested id once, with its labels. */
    private static void tally(Tally t, IdStates states, List<Path> good, List<Path> errors,
            SegmentSelection selection) throws IOException {
        if (selection != null) {
            try (Stream<SegmentSelection.LabelledRow> rows = selection.streamWithAllLabels()) {
                rows.forEach(r -> t.count(states, r.row().segment().ytid(), r.mids(),
                        () -> selection.csv() + " line " + r.row().line()));
            }
        } else {
            for (Path log : concat(good, errors)) {
                try (Stream<LogEntry> s = DownloadLogReader.stream(log)) {
                    s.forEach(e -> t.count(states, e.ytid(), e.labelIds(), log::toString));
                }
            }
        }
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The second pass: each id once, with its labels. */
    private static final class Tally {
        /** The most distinct labels counted (every label's counts are held until the report is written). */
        static final int MAX_LABELS = 100_000;
        private final Ontology ontology = Ontology.audioSet();
        private final Map<String, long[]> labels = new TreeMap<>();
        private final Map<String, long[]> classes = new LinkedHashMap<>();
        private final Map<String, List<String>> topOf = new java.util.HashMap<>();
        private final Map<FailureClass, Long> failed = new EnumMap<>(FailureClass.class);
        private final Map<FailureReason, Long> reasons = new EnumMap<>(FailureReason.class);
        private long requested;
        private long obtained;
        private long notAttempted;

        Tally() {
            for (FailureClass c : FailureClass.values()) {
                failed.put(c, 0L);
            }
            for (FailureReason r : FailureReason.values()) {
                reasons.put(r, 0L);
            }
            for (OntologyNode root : ontology.roots()) {
                classes.put(root.name(), new long[2]);
            }
        }

        /**
         * @param where the file (and line) the row is from, for the message when the labels pass the cap
         * @throws AudioSetException if the row names a label past {@link #MAX_LABELS} distinct ones
         */
        void count(IdStates states, String ytid, List<String> mids, Supplier<String> where) {
            int state = states.get(ytid) & 0xFF;
            if ((state & COUNTED) != 0) {
                return; // a repeated row: the id counts once
            }
            for (String mid : mids) {
                if (labels.size() >= MAX_LABELS && !labels.containsKey(mid)) {
                    throw new AudioSetException(where.get() + ": " + ytid + " names label '" + mid + "', past the "
                            + MAX_LABELS + " distinct labels a report counts (AudioSet has 527 and the strong"
                            + " vocabulary 456): is this a segments CSV or a download log?");
                }
            }
            states.put(ytid, (byte) (state | COUNTED));
            requested++;
            boolean got = state == OBTAINED;
            if (got) {
                obtained++;
            } else if (state == 0) {
                notAttempted++;
            } else {
                failed.merge(classOf(state), 1L, Long::sum);
                reasons.merge(reasonOf(state), 1L, Long::sum);
            }
            Set<String> tops = new LinkedHashSet<>();
            for (String mid : new LinkedHashSet<>(mids)) { // a MID the row names twice: the segment counts once
                long[] n = labels.computeIfAbsent(mid, m -> new long[2]);
                n[0]++;
                n[1] += got ? 1 : 0;
                tops.addAll(topOf.computeIfAbsent(mid, this::topLevel));
            }
            for (String top : tops) {
                long[] n = classes.get(top);
                n[0]++;
                n[1] += got ? 1 : 0;
            }
        }

        private List<String> topLevel(String mid) {
            List<String> out = new ArrayList<>();
            Set<String> lineage = new LinkedHashSet<>(ontology.node(mid).isPresent() ? ontology.ancestors(mid)
                    : Set.of());
            lineage.add(mid);
            for (OntologyNode root : ontology.roots()) {
                if (lineage.contains(root.id())) {
                    out.add(root.name());
                }
            }
            return out;
        }

        Map<String, LabelAvailability> labels() {
            Map<String, LabelAvailability> out = new TreeMap<>();
            labels.forEach((mid, n) -> out.put(mid, new LabelAvailability(n[0], n[1])));
            return out;
        }

        Map<String, LabelAvailability> classes() {
            Map<String, LabelAvailability> out = new LinkedHashMap<>();
            classes.forEach((c, n) -> out.put(c, new LabelAvailability(n[0], n[1])));
            return out;
        }
    }

    /**
     * @param mid a label MID
     * @return its display name: from the 527-class index, else the strong vocabulary, else empty
     */
    public static String displayName(String mid) {
        return LabelIndex.audioSet().byMid(mid).map(l -> l.displayName())
                .or(() -> StrongVocabulary.audioSet().displayName(mid)).orElse("");
    }

    /**
     * The JSON document: {@code name}, {@code requested}, {@code obtained}, {@code failed} ({@code permanent},
     * {@code transient}, {@code rate_limited}), {@code not_attempted}, {@code reasons} (reason → count),
     * {@code per_label} (MID → {@code name}, {@code requested}, {@code obtained}) and
     * {@code per_top_level_class} (class name → {@code requested}, {@code obtained}).
     *
     * @return the document, pretty-printed
     */
    public String toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", name);
        doc.put("requested", requested);
        doc.put("obtained", obtained);
        Map<String, Long> f = new LinkedHashMap<>();
        failed.forEach((c, n) -> f.put(c.name().toLowerCase(Locale.ROOT), n));
        doc.put("failed", f);
        doc.put("not_attempted", notAttempted);
        Map<String, Long> r = new LinkedHashMap<>();
        reasons.forEach((reason, n) -> r.put(reason.label(), n));
        doc.put("reasons", r);
        Map<String, Object> labels = new LinkedHashMap<>();
        perLabel.forEach((mid, a) -> {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", displayName(mid));
            l.put("requested", a.selected());
            l.put("obtained", a.available());
            labels.put(mid, l);
        });
        doc.put("per_label", labels);
        Map<String, Object> classes = new LinkedHashMap<>();
        perTopLevelClass.forEach((c, a) -> {
            Map<String, Object> t = new LinkedHashMap<>(); // Map.of's order varies from JVM to JVM
            t.put("requested", a.selected());
            t.put("obtained", a.available());
            classes.put(c, t);
        });
        doc.put("per_top_level_class", classes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    /** @return the CSV: {@code mid,name,requested,obtained,obtained_fraction}, one row per label, MID order */
    public String toCsv() {
        StringBuilder b = new StringBuilder("mid,name,requested,obtained,obtained_fraction\n");
        perLabel.forEach((mid, a) -> b.append(mid).append(',').append(csvField(displayName(mid))).append(',')
                .append(a.selected()).append(',').append(a.available()).append(',')
                .append(String.format(Locale.ROOT, "%.4f", a.fraction())).append('\n'));
        return b.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * Writes {@code <dir>/<name>_availability.json} and {@code .csv}, each to a unique temporary file, synced,
     * then renamed into place.
     *
     * @param dir the folder
     * @return the two files
     * @throws IOException if writing fails
     */
    public List<Path> write(Path dir) throws IOException {
        OutputFolder.createDirectories(dir);
        Path json = dir.resolve(name + "_availability.json");
        Path csv = dir.resolve(name + "_availability.csv");
        writeAtomically(json, toJson().getBytes(StandardCharsets.UTF_8));
        writeAtomically(csv, toCsv().getBytes(StandardCharsets.UTF_8));
        return List.of(json, csv);
    }

    /**
     * Writes bytes to a unique temporary file beside {@code target} ({@code .<name>.<owner>.<uuid>.tmp}, the owner
     * a {@link ProcessTag}), syncs it, renames it onto {@code target} and syncs the folder (so the rename, too,
     * survives a crash). The temporary files of {@code target}
     * that processes killed before their rename left are removed first (never a live process's).
     *
     * @param target the final file
     * @param bytes its contents
     * @throws IOException if writing fails (the temporary file is removed)
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        ProcessTag.removeGone(target.toAbsolutePath().getParent(), prefix, ".tmp");
        Path tmp = target.resolveSibling(prefix + ProcessTag.current() + "." + UUID.randomUUID() + ".tmp");
        FileChannel created;
        try {
            created = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) { // the folder given, not the hidden name, is what the reader can act on
            throw OutputFolder.cannotWriteIn(target, tmp.getFileName().toString(), e);
        }
        try {
            try (FileChannel ch = created) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            OutputFolder.sync(target.toAbsolutePath().getParent()); // the rename survives a crash
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
