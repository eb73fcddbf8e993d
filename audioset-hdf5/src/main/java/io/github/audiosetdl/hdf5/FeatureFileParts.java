package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.internal.ChannelOpener;
import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.Staging;
import io.github.audiosetdl.hdf5.internal.WriteFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature file such as {@code <name>_Coch.hdf5} computed by several processes (e.g. the tasks of a SLURM job
 * array), each over a contiguous range of the waveform rows ({@link Shard}), with no second copy of the data.
 *
 * <p>The parts meet in a work folder beside the final file, {@code .<file name>.parts/}: the first process to
 * arrive reserves the data file there (under a file lock: a sparse file of {@link RowFile#DATA_START} header bytes
 * and the N·C·F float32 rows), and every process writes its rows at their final offsets. When a part's rows are
 * all written and synced, its running sum for the average is committed as a small side file {@code
 * part-<from>-<to>.sum} (C·F compensated doubles, renamed into place): its presence is what marks the range done,
 * so a killed task's rerun rewrites only its own range. {@link #finish} picks done ranges that follow each other
 * over every row (parts left by an earlier run with another number of tasks may overlap them), combines their
 * sums, adds the labels, metadata and attributes exactly as {@link CochleagramFileWriter} does and renames the
 * file into place: the result equals the file one process writes (same datasets, attributes
 * and average). A finish stopped after that rename leaves the folder without its data file: a later finish only
 * deletes it, and a later part reserves anew rather than take the old sums for done rows.
 *
 * <p>The work folder must be on a file system every task sees, with working {@code fcntl} locks (local disks and
 * NFSv4 do). Each part's memory: one C·F compensated sum (16 bytes per value) and one row buffer.
 */
public final class FeatureFileParts {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureFileParts.class);
    private static final String DATA = "data.hdf5";
    private static final String PLAN = "plan.txt";
    private static final String LOCK = "lock";
    private static final Pattern PART = Pattern.compile("part-([0-9]{1,19})-([0-9]{1,19})\\.sum");
    private static final long MAGIC = 0x4155_4453_5041_5254L; // "AUDSPART"
    /** Header of a sum file: magic, from, to, values per row; then the sums, then a CRC-32 of all before it. */
    private static final int HEADER = 4 * Long.BYTES;

    private FeatureFileParts() {
    }

    /**
     * @param file the final feature file
     * @return the folder where the parts meet, {@code .<file name>.parts} beside it
     */
    public static Path workFolder(Path file) {
        Path f = file.toAbsolutePath();
        return f.resolveSibling("." + f.getFileName() + ".parts");
    }

    /**
     * Starts this process's part: reserves the shared data file if no process did yet.
     *
     * @param file the final feature file (e.g. {@code out/eval_Coch.hdf5})
     * @param source all the waveform rows (not only this part's)
     * @param extractor what is computed; every part must use the same (checked against the reservation)
     * @param shard which rows this part computes: {@link Shard#start}{@code (source.size())} to {@link Shard#end}
     * @return a sink for exactly this part's rows, in order; its {@link FeatureSink#commit()} marks the range done
     *     and returns the side file (none for a part of no rows, which writes nothing)
     * @throws IOException if the reservation fails or was made for another input or other parameters
     * @throws IllegalArgumentException if the extractor declares what {@link CochleagramFileWriter#create} refuses
     */
    public static FeatureSink createPart(Path file, WaveformSource source, FeatureExtractor extractor, Shard shard)
            throws IOException {
        return createPart(file, source, extractor, shard, data -> openNoLink(data));
    }

    /**
     * {@link #createPart(Path, WaveformSource, FeatureExtractor, Shard)} with the reserved data file opened by
     * {@code dataOpener}: tests give one that fails, as a full disk does.
     */
    static FeatureSink createPart(Path file, WaveformSource source, FeatureExtractor extractor, Shard shard,
            ChannelOpener dataOpener) throws IOException {
        requireNonNull(shard, "shard");
        return part(reserve(file, source, extractor), source, extractor, shard, dataOpener);
    }

    /** This part's sink in the reserved work folder {@code work}. */
    private static FeatureSink part(Path work, WaveformSource source, FeatureExtractor extractor, Shard shard,
            ChannelOpener dataOpener) throws IOException {
        long n = source.size();
        return new Part(work, extractor.outputLength(), shard.start(n), shard.end(n), dataOpener);
    }

    /**
     * Computes one part: the rows {@code shard} covers, through {@code stage}, into their place in the shared data
     * file, then marks the range done. A part already done is skipped (a rerun of a killed array task redoes only
     * its own unfinished range).
     *
     * @param file the final feature file
     * @param source all the waveform rows
     * @param stage the features stage (its extractor and threads)
     * @param shard which rows
     * @return what was computed: 0 rows and no files when the part was already done
     * @throws IOException if reading, computing or writing fails (the range then stays not done)
     * @throws IllegalArgumentException if the extractor declares what {@link CochleagramFileWriter#create} refuses
     */
    public static FeatureSummary computePart(Path file, WaveformSource source, FeatureStage stage, Shard shard)
            throws IOException {
        requireNonNull(shard, "shard");
        Path work = reserve(file, source, stage.extractor()); // parts of an input since rewritten are not "done"
        if (isDone(file, source, shard)) {
            LOG.info("{}: rows {} of {} are already done", file, shard, workFolder(file));
            return new FeatureSummary(0, List.of(), Duration.ZERO);
        }
        long n = source.size();
        try (FeatureSink sink = part(work, source, stage.extractor(), shard, data -> openNoLink(data))) {
            // rows by their numbers in the file (no array of them; a failing row is named as the file numbers it)
            return stage.run(source, shard.start(n), shard.end(n), sink);
        }
    }

    /**
     * @param file the final feature file
     * @param source all the waveform rows
     * @param shard a part
     * @return whether that part's rows are already written and its sum committed (a rerun can skip it)
     */
    public static boolean isDone(Path file, WaveformSource source, Shard shard) {
        long n = source.size();
        return Files.isRegularFile(workFolder(file).resolve(partName(shard.start(n), shard.end(n))));
    }

    /**
     * @param file the final feature file
     * @return whether parts of it are under way: its work folder holds the reserved data file (a folder left by a
     *     finish that was stopped after it published the file holds none, and is cleared by the next part)
     */
    public static boolean started(Path file) {
        return Files.exists(workFolder(file).resolve(DATA));
    }

    /**
     * @param file the final feature file
     * @return the row ranges whose parts are done, {@code [from, to)} pairs sorted by {@code from} (empty when
     *     there is no work folder)
     * @throws IOException if the folder cannot be listed
     */
    public static List<long[]> doneRanges(Path file) throws IOException {
        Path work = workFolder(file);
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        List<long[]> ranges = new ArrayList<>();
        try (Stream<Path> list = Files.list(work)) {
            for (Path p : list.toList()) {
                Matcher m = PART.matcher(p.getFileName().toString());
                if (m.matches()) {
                    ranges.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                }
            }
        }
        ranges.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> -r[1]));
        return ranges;
    }

    /**
     * Completes the feature file from the parts: picks done ranges that follow each other over every row, each row
     * in one (parts of runs with different numbers of tasks may overlap), combines their sums into the average,
     * writes labels, metadata, attributes and {@code /average}, renames the file and {@code <name>_average.npy}
     * into place and deletes the work folder.
     *
     * @param file the final feature file
     * @param source all the waveform rows (their labels and metadata are copied)
     * @param extractor what was computed (the same as the parts')
     * @return the feature file and the npy file
     * @throws IOException if rows are missing (the message names the ranges), the done ranges do not follow each
     *     other, a side file is damaged, or writing fails (the final names are then untouched)
     */
    public static List<Path> finish(Path file, WaveformSource source, FeatureExtractor extractor) throws IOException {
        Path work = workFolder(file);
        if (!Files.isDirectory(work)) {
            throw new NoSuchFileException(work.toString(), null, "no parts of " + file + " were started");
        }
        try (FileChannel lockFile = openNoLink(work.resolve(LOCK), StandardOpenOption.CREATE)) {
            lockFile.lock(); // released when the channel closes
            // Only a finish moves the data file away (a reservation writes it before its plan, and parts need it):
            // without it, a plan or a done part means a finish published the file and was stopped before it
            // deleted the folder.
            if (!Files.exists(work.resolve(DATA))) {
                if (publishedByFinish(file, work)) {
                    LOG.info("{}: published by an earlier finish, stopped before it deleted {}", file, work);
                    deleteTree(work);
                    return List.of(file, CochleagramFileWriter.averageFile(file));
                }
                throw new NoSuchFileException(work.resolve(DATA).toString(), null, "no rows of " + file
                        + " were reserved; delete " + work + " and run the parts");
            }
            checkPlan(work, plan(source, extractor));
            long n = source.size();
            CompensatedSum total = new CompensatedSum(extractor.outputLength());
            for (long[] r : tiling(file, doneRanges(file), n)) {
                total.add(readSum(work.resolve(partName(r[0], r[1])), r[0], r[1], total.length()));
            }
            Staging staging = Staging.beside(file);
            try (RowFile rows = RowFile.inPlace(staging.dir(), work.resolve(DATA), extractor.dataset(),
                    extractor.outputLength(), n)) {
                List<Path> written = CochleagramFileWriter.complete(rows, staging, source, extractor, file,
                        total.average(n));
                LOG.info("{}: {} rows from the parts in {}", file, n, work);
                deleteTree(work);
                return written;
            } finally {
                staging.unlock(); // the lock of the file's name, taken for its renames: a finish records nothing
                staging.delete();
            }
        }
    }

    /**
     * Deletes the work folder that a finish stopped after it published {@code file}, before it deleted the folder,
     * left: the plan and the part sums ({@code C·F·16} bytes each, 5.5 MB at the default 171 × 2000), no data file.
     * A rerun that finds the file complete computes nothing, so without this the folder stayed for good. A folder
     * that holds the data file (parts under way, or a finish still to come) or whose plan is newer than the file
     * stays.
     *
     * @param file the final feature file
     * @return whether a folder was deleted
     * @throws IOException if the folder cannot be locked, listed or deleted
     */
    public static boolean removeLeftByFinish(Path file) throws IOException {
        Path work = workFolder(file);
        if (!Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel lockFile = openNoLink(work.resolve(LOCK), StandardOpenOption.CREATE)) {
            lockFile.lock(); // released when the channel closes
            if (Files.exists(work.resolve(DATA)) || !publishedByFinish(file, work)) {
                return false;
            }
            LOG.info("{}: removing {}, left by a finish stopped after it published the file", file, work);
            deleteTree(work);
            return true;
        }
    }

    /**
     * Whether {@code file} was published by a finish from {@code work}, a work folder without its data file (only a
     * finish moves it away; a reservation writes it before its plan, and parts need it): the file is there and not
     * older than the plan, or, without a plan, done parts are left.
     */
    private static boolean publishedByFinish(Path file, Path work) throws IOException {
        Path plan = work.resolve(PLAN);
        return Files.isRegularFile(file) && (Files.exists(plan)
                ? Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(plan)) >= 0
                : !doneRanges(file).isEmpty());
    }

    /**
     * Picks done ranges that follow each other from row 0 to row {@code n}, each row in exactly one, so that every
     * row's sum is counted once: parts of a resubmission with another number of tasks may overlap the parts an
     * earlier submission left.
     *
     * @param file the final feature file, for messages
     * @param done the done ranges, sorted by {@code from}
     * @param n the number of rows
     * @return the ranges, in row order
     * @throws IOException if no such ranges exist (the message names the rows no part covers)
     */
    private static List<long[]> tiling(Path file, List<long[]> done, long n) throws IOException {
        Map<Long, long[]> reachedBy = new HashMap<>(); // a row reached by following ranges from 0 -> the last range
        reachedBy.put(0L, null);
        for (long[] r : done) { // sorted by from: every range ending at r's start was seen before r
            if (r[1] > r[0] && r[1] <= n && reachedBy.containsKey(r[0]) && !reachedBy.containsKey(r[1])) {
                reachedBy.put(r[1], r);
            }
        }
        if (reachedBy.containsKey(n)) {
            List<long[]> ranges = new ArrayList<>();
            for (long[] r = reachedBy.get(n); r != null; r = reachedBy.get(r[0])) {
                ranges.add(0, r);
            }
            return ranges;
        }
        long cursor = 0;
        List<String> missing = new ArrayList<>();
        for (long[] r : done) {
            if (r[0] > cursor) {
                missing.add(cursor + ".." + (r[0] - 1));
            }
            cursor = Math.max(cursor, r[1]);
        }
        if (cursor < n) {
            missing.add(cursor + ".." + (n - 1));
        }
        if (missing.isEmpty()) {
            throw new IOException(file + ": the done parts " + done.stream().map(r -> r[0] + ".." + (r[1] - 1))
                    .collect(Collectors.joining(", ")) + " of " + n + " rows overlap without following each other"
                    + " (parts of different job counts): run every part of one job count, then finish again");
        }
        throw new IOException(file + ": rows " + String.join(", ", missing) + " of " + n
                + " are not computed yet (run the parts that cover them, then finish again)");
    }

    /**
     * Opens a file of the work folder for writing, never through a symbolic link: whoever can write the folder (a
     * shared project space) could otherwise make a task create, lock or overwrite any file of the user it names.
     *
     * @param file the lock or the data file
     * @param create {@link StandardOpenOption#CREATE}, or none for a file that must exist
     * @return the channel, open for writing
     * @throws IOException if it cannot be opened, or is a link (the message names it)
     */
    static FileChannel openNoLink(Path file, StandardOpenOption... create) throws IOException {
        List<java.nio.file.OpenOption> options = new ArrayList<>(List.of(create));
        options.add(StandardOpenOption.WRITE);
        options.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, options.toArray(new java.nio.file.OpenOption[0]));
        } catch (IOException e) { // ELOOP: a plain IOException on Linux
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link: refusing to write through it (delete "
                        + file.getParent() + " and run the parts again)", e);
            }
            throw e;
        }
    }

    private static Path reserve(Path file, WaveformSource source, FeatureExtractor extractor) throws IOException {
        CochleagramFileWriter.checkDeclared(file, extractor);
        Path work = workFolder(file);
        Files.createDirectories(work);
        String plan = plan(source, extractor);
        try (FileChannel lockFile = openNoLink(work.resolve(LOCK), StandardOpenOption.CREATE)) {
            lockFile.lock(); // released when the channel closes
            boolean planned = Files.exists(work.resolve(PLAN));
            boolean reserved = Files.exists(work.resolve(DATA));
            if (planned && reserved && !rewrittenInput(work, plan, source.path())) {
                checkPlan(work, plan);
                return work;
            } else if (planned && reserved) {
                LOG.warn("{}: {} was rewritten since these parts were computed (a pack run again): they are"
                        + " discarded and computed anew", work, source.path());
            } else if (planned || !doneRanges(file).isEmpty()) {
                // part sums without the data file they describe (a finish stopped after it published the file) are
                // not done parts of a new reservation
                LOG.warn("{}: left by a finish stopped after it published {}: reserved anew", work, file);
            }
            clear(work);
            long bytes = RowFile.DATA_START + Math.multiplyExact(source.size(),
                    (long) extractor.outputLength() * Float.BYTES);
            Path tmp = work.resolve(DATA + "." + UUID.randomUUID() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SPARSE)) {
                ch.write(ByteBuffer.allocate(1), bytes - 1); // sparse: the rows take space as the parts write them
                ch.force(true);
            }
            move(tmp, work.resolve(DATA));
            writeAtomically(work, PLAN, plan.getBytes(StandardCharsets.UTF_8));
            LOG.info("{}: reserved {} rows of {} values in {}", file, source.size(), extractor.outputLength(), work);
            return work;
        }
    }

    /** Deletes everything in the work folder but the lock file (held by the caller). */
    private static void clear(Path work) throws IOException {
        try (Stream<Path> old = Files.list(work)) {
            for (Path p : old.toList()) {
                if (!p.getFileName().toString().equals(LOCK)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** What every part must agree on: the rows, their shape and the features' parameters. */
    private static String plan(WaveformSource source, FeatureExtractor extractor) throws IOException {
        StringBuilder sb = new StringBuilder();
        Path input = source.path().toAbsolutePath();
        sb.append("input=").append(input.toString().replaceAll("[\\r\\n]", "?")).append(' ')
                .append(Files.size(input)).append(" bytes, modified ").append(Files.getLastModifiedTime(input))
                .append('\n');
        sb.append("rows=").append(source.size()).append('\n');
        sb.append("input_length=").append(source.rowLength()).append('\n');
        sb.append("sample_rate=").append(source.sampleRate()).append('\n');
        sb.append("dataset=").append(extractor.dataset()).append('\n');
        sb.append("feature=").append(extractor.name()).append('\n');
        sb.append("shape=").append(extractor.rows()).append('x').append(extractor.columns()).append('\n');
        for (Map.Entry<String, Object> a : new TreeMap<>(extractor.attributes()).entrySet()) {
            sb.append("attribute.").append(a.getKey()).append('=').append(a.getValue()).append('\n');
        }
        return sb.toString();
    }

    /**
     * @return whether the work folder's plan differs from {@code plan} only because its input, the same file, was
     *     rewritten after the plan (its size, time or row count changed; every parameter is the same)
     */
    private static boolean rewrittenInput(Path work, String plan, Path input) throws IOException {
        String found = Files.readString(work.resolve(PLAN), StandardCharsets.UTF_8);
        String firstFound = found.lines().findFirst().orElse("");
        String firstNow = plan.lines().findFirst().orElse("");
        String path = "input=" + input.toAbsolutePath().toString().replaceAll("[\\r\\n]", "?") + " ";
        return !found.equals(plan) && firstFound.startsWith(path) && firstNow.startsWith(path)
                && parameters(found).equals(parameters(plan))
                && Files.getLastModifiedTime(input).compareTo(Files.getLastModifiedTime(work.resolve(PLAN))) > 0;
    }

    /** @return a plan's lines but its input and row count: the parameters the parts were computed with */
    private static List<String> parameters(String plan) {
        return plan.lines().filter(l -> !l.startsWith("input=") && !l.startsWith("rows=")).toList();
    }

    private static void checkPlan(Path work, String expected) throws IOException {
        String found = Files.readString(work.resolve(PLAN), StandardCharsets.UTF_8);
        if (!found.equals(expected)) {
            throw new IOException(work + " holds parts of another input or other parameters:\n" + found
                    + "this run has:\n" + expected + "delete the folder to start over, or use the same options");
        }
    }

    private static String partName(long from, long to) {
        return "part-" + from + "-" + to + ".sum";
    }

    private static CompensatedSum readSum(Path p, long from, long to, int length) throws IOException {
        CompensatedSum sum = new CompensatedSum(length);
        long expected = HEADER + (long) sum.bytes() + Long.BYTES;
        long size = Files.size(p);
        if (size != expected) {
            throw new IOException(p + ": " + size + " bytes, expected " + expected + "; delete it and rerun its part");
        }
        ByteBuffer b = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                continue;
            }
        }
        b.flip();
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().limit((int) expected - Long.BYTES));
        if (b.getLong() != MAGIC || b.getLong() != from || b.getLong() != to || b.getLong() != length) {
            throw new IOException(p + ": not the sum of rows " + from + ".." + (to - 1) + " of " + length
                    + " values; delete it and rerun its part");
        }
        sum.readFrom(b);
        if (b.getLong() != crc.getValue()) {
            throw new IOException(p + ": checksum mismatch; delete it and rerun its part");
        }
        return sum;
    }

    /**
     * Writes {@code dir/name} through a temporary file renamed into place, then syncs {@code dir} (a part's sum marks
     * its rows done: the rename must survive a crash); if that fails (a full disk), the temporary file is deleted,
     * not left to hold space until a finish.
     */
    private static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = dir.resolve(name + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            move(tmp, dir.resolve(name));
            OutputFolder.sync(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            throw WriteFailure.naming(dir.resolve(name), "writing", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One process's rows, written at their offsets in the shared data file. */
    private static final class Part implements FeatureSink {
        private final Path work;
        private final long from;
        private final long to;
        private final FileChannel channel;
        private final ByteBuffer row;
        private final CompensatedSum sum;
        private long next;
        private boolean done;

        Part(Path work, int length, long from, long to, ChannelOpener dataOpener) throws IOException {
            this.work = work;
            this.from = from;
            this.to = to;
            this.next = from;
            this.sum = new CompensatedSum(length);
            this.row = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            this.channel = dataOpener.open(work.resolve(DATA));
        }

        @Override
        public void write(float[] features) throws IOException {
            if (done) {
                throw new IllegalStateException(work + ": part already committed or closed");
            }
            if (next == to) {
                throw new IllegalStateException(work + ": part " + from + ".." + (to - 1) + " is full");
            }
            if (features.length != sum.length()) {
                throw new IllegalArgumentException(work + ": row of " + features.length + " values, expected "
                        + sum.length());
            }
            row.clear();
            row.asFloatBuffer().put(features);
            long at = RowFile.DATA_START + next * row.capacity();
            try {
                while (row.hasRemaining()) {
                    at += channel.write(row, at);
                }
            } catch (IOException e) {
                throw WriteFailure.naming(work.resolve(DATA), "writing row " + next, e);
            }
            sum.add(features);
            next++;
        }

        @Override
        public List<Path> commit() throws IOException {
            if (done) {
                throw new IllegalStateException(work + ": part already committed or closed");
            }
            done = true;
            try {
                if (next != to) {
                    throw new IOException(work + ": part " + from + ".." + (to - 1) + " got " + (next - from)
                            + " rows, not " + (to - from));
                }
                if (from == to) { // more tasks than rows: nothing to mark done (a finish needs no part of no rows)
                    return List.of();
                }
                channel.force(true);
                ByteBuffer b = ByteBuffer.allocate(HEADER + sum.bytes() + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(MAGIC).putLong(from).putLong(to).putLong(sum.length());
                sum.writeTo(b);
                CRC32 crc = new CRC32();
                crc.update(b.duplicate().flip());
                b.putLong(crc.getValue());
                String name = partName(from, to);
                writeAtomically(work, name, b.array());
                return List.of(work.resolve(name));
            } finally {
                channel.close();
            }
        }

        /** Closes without marking the range done (its rows stay; a rerun rewrites them). */
        @Override
        public void close() throws IOException {
            done = true;
            channel.close();
        }
    }
}
