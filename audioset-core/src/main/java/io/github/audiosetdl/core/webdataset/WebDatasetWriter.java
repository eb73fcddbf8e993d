package io.github.audiosetdl.core.webdataset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.audiosetdl.core.Label;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.internal.Background;
import io.github.audiosetdl.core.spi.NameLock;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes WebDataset shards {@code <name>-000000.tar}, {@code <name>-000001.tar}, ... of at most
 * {@code shardSize} clips each. A clip is two members sharing its key (the YouTube id): {@code <key>.wav}, PCM
 * 16-bit mono at the sink's rate ({@code round(x × 32767)} of the peak-normalised samples), and
 * {@code <key>.json}: {@code ytid}, {@code start}, {@code end} (seconds), {@code labels} (MIDs), {@code names}
 * (display names), {@code norm}, {@code padded}, and {@code strong} (a list of {@code {mid, start, end}}, seconds
 * from the clip start) when strong events are known for the clip.
 *
 * <p><b>Atomic shard by shard, not as a whole.</b> Each shard is written to a unique hidden temporary file,
 * synced and renamed to its final name when full (the last one at {@link #commit()}), so a killed pack leaves
 * whole shards only. A shard already on disk under the name the writer reaches is read back clip by clip as the
 * clips are handed over: while its clips are exactly those this pack writes (the same keys in the same order, the
 * same WAV header, so the same rate and length, the same JSON bytes, so the same times, labels, display
 * names, strong events and normalisation, and the same samples) nothing is written; a shard
 * that holds exactly {@code shardSize} such clips and ends there is kept untouched. At the first clip that differs,
 * or where the shard is short, damaged or longer, the shard is written again: the clips that matched are copied
 * into its temporary file and the pack goes on from there. So a rerun of the same pack (same CSV, order, shard
 * size and options) resumes at the first incomplete shard, and a rerun with other options, another shard size or
 * another CSV rewrites what differs (a folder may hold a mix of the two while it runs: the shards are atomic, the
 * data set is not). {@link #commit()} cuts a kept shard the pack ended in to the clips it handed over, and deletes
 * shards numbered beyond the last one (both left by an earlier, longer run). {@link #close()} without a commit
 * deletes only the current temporary file; temporary files left by a killed pack are deleted when the next writer of
 * the same name starts.
 *
 * <p><b>One pack per name at a time.</b> Before it touches anything in the folder, the writer takes an exclusive
 * operating-system lock on the hidden file {@code .<name>.lock} there ({@link FileChannel#tryLock()}), and holds it
 * until {@link #close()} ends, whether the pack was committed or not, succeeded or failed: a successful
 * {@link #commit()} keeps it, so that the caller can record what it committed (a pipeline writes its record of the
 * inputs, {@code .<name>-000000.tar.inputs}, between the commit and the close) before another pack of the name may
 * rewrite the shards. A second writer of the same name in the same folder, in another process or in this JVM, fails
 * at {@link #create} with an {@link IOException} ({@code another pack is writing WebDataset '<name>' in <dir>})
 * instead of deleting the first one's temporary shard as left over. A reader that must not see a pack half-way
 * takes the same lock with {@link #lockName} (a pipeline judging whether the shards are up to date), and a writer
 * fails beside it likewise. The operating system drops the lock of a killed process, so a killed pack never blocks
 * the next one.
 * The lock file is created if absent and never deleted (an empty file per name): deleting lock files races, as a
 * writer that opened the file just before another deleted it would lock the deleted file while a third locks a new
 * one under the same name. Locks on network file systems are only as reliable as the file system's locking.
 *
 * <p>Memory: one clip's int16 values and JSON, a clip's samples read back, and an 8 MB off-heap batch per shard
 * being written (two while a full one is synced in the background). One thread writes.
 */
public final class WebDatasetWriter implements WaveformSink {
    private static final Logger LOG = LoggerFactory.getLogger(WebDatasetWriter.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final JsonFactory JSON = new JsonFactory();
    /**
     * The shard being written is synced in the background every 64 MB, so that the kernel's dirty pages stay
     * few (a buffered writer that lets hundreds of MB pile up is throttled by the kernel) and the final sync of a
     * shard has little left to do.
     */
    private static final long SYNC_BYTES = 64L << 20;
    /**
     * The longest data set name: a temporary shard's file name, {@code .<name>-000000.tar.<uuid>.tmp}, is the
     * name's length plus 53 bytes (the lock file's, {@code .<name>.lock}, plus 6), and file systems allow 255.
     */
    static final int MAX_NAME = 200;

    private final Path dir;
    private final String name;
    private final LabelIndex labels;
    private final int sampleRate;
    private final int clipSamples;
    private final int shardSize;
    private final byte[] wavHeader;
    /** The clip's int16 values when the caller did not convert them. */
    private final short[] pcm;
    private final ByteArrayOutputStream json = new ByteArrayOutputStream(512);
    /** The name's lock, held from {@link #create} to the end of {@link #close()} (a commit keeps it). */
    private final NameLock lock;
    private UstarWriter current;
    /** Syncs and renames full shards while the next one is written; started with the first full shard. */
    private ExecutorService publisher;
    private Future<?> publishing;
    /** The current shard's sync in progress, started every {@link #SYNC_BYTES}, or null. */
    private Future<?> syncing;
    private long synced;
    private int inShard;
    private long shard;
    /** The shard {@link #shard} found on disk, read back as it is compared with the clips handed over, or null. */
    private ShardClips old;
    private long rows;
    private long kept;
    /** Committed or closed: no more clips. */
    private boolean done;
    /** Closed: the lock released (or being released by the publishing thread after its last task). */
    private boolean closed;

    private WebDatasetWriter(Path dir, String name, LabelIndex labels, int sampleRate, int clipSamples,
            int shardSize, NameLock lock) {
        this.lock = lock;
        this.dir = dir;
        this.name = name;
        this.labels = labels;
        this.sampleRate = sampleRate;
        this.clipSamples = clipSamples;
        this.shardSize = shardSize;
        this.wavHeader = wavHeader(sampleRate, clipSamples);
        this.pcm = new short[clipSamples];
    }

    /**
     * Starts writing shards; see the class comment for how existing shards are kept.
     *
     * @param dir the output folder (created if missing)
     * @param name the data set's name ({@code [A-Za-z0-9._-]+}), the shards' prefix
     * @param labels the label index the MIDs' display names come from
     * @param sampleRate the clips' rate, in Hz
     * @param clipSamples samples per clip
     * @param shardSize the most clips per shard, 1..{@link WaveformLayout#MAX_SHARD_SIZE}
     * @return the writer, holding the name's lock until {@link #close()} (also after {@link #commit()})
     * @throws IOException if the folder cannot be created, or another pack (another process, or another writer in
     *     this JVM) is writing this name in this folder
     */
    public static WebDatasetWriter create(Path dir, String name, LabelIndex labels, int sampleRate, int clipSamples,
            int shardSize) throws IOException {
        requireNonNull(dir, "dir");
        requireNonNull(labels, "labels");
        checkName(name);
        if (sampleRate <= 0 || clipSamples <= 0 || clipSamples > (Integer.MAX_VALUE - 44) / 2) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " and clipSamples " + clipSamples
                    + " must be > 0 and fit a WAV");
        }
        if (shardSize < 1 || shardSize > WaveformLayout.MAX_SHARD_SIZE) {
            throw new IllegalArgumentException("shard size " + shardSize + " is not in 1.."
                    + WaveformLayout.MAX_SHARD_SIZE);
        }
        Files.createDirectories(dir);
        NameLock lock = lock(dir, name);
        try {
            removeTemporaries(dir, name); // only while holding the lock: no live pack of this name has them
            return new WebDatasetWriter(dir, name, labels, sampleRate, clipSamples, shardSize, lock);
        } catch (Throwable e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Takes the lock a writer of {@code name} in {@code dir} holds from {@link #create} to the end of its close
     * ({@code .<name>.lock}), without waiting: for a caller that judges the shards on disk and must not see a
     * pack half-way (a pipeline deciding whether they are up to date). While it is held, {@link #create} of the name
     * in the folder fails as it does beside another pack. Release it before creating a writer of the name.
     *
     * @param dir an existing folder
     * @param name the data set's name
     * @return the lock, held until closed; closing it never throws, and closing it again does nothing
     * @throws IOException if a writer of the name, in another process or in this JVM, holds the lock (the message
     *     names the folder, the name and the lock file), or the lock file cannot be created or locked
     */
    public static Closeable lockName(Path dir, String name) throws IOException {
        requireNonNull(dir, "dir");
        return lock(dir, checkName(name));
    }

    /** @return the lock of {@code name} in {@code dir}, taken without waiting */
    private static NameLock lock(Path dir, String name) throws IOException {
        return NameLock.tryAcquire(dir, name, Duration.ZERO).orElseThrow(() -> new IOException(
                "another pack is writing WebDataset '" + name + "' in " + dir + " (it holds "
                + NameLock.fileName(name) + "; packs of one name, and runs judging whether its shards are up to"
                + " date, run one at a time)"));
    }

    /**
     * Checks that a data set's name can name shards, as {@link #create} does (a pipeline checks it before it
     * downloads anything).
     *
     * @param name the data set's name
     * @return the name
     * @throws IllegalArgumentException if it does not match {@code [A-Za-z0-9._-]+} or has more than 200 characters
     *     (the shards' temporary file names must fit 255 bytes)
     */
    public static String checkName(String name) {
        if (!requireNonNull(name, "name").matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name '" + name + "' must match [A-Za-z0-9._-]+");
        }
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("name '" + name.substring(0, 20) + "...' has " + name.length()
                    + " characters, more than " + MAX_NAME + " (the shards' temporary file names must fit 255)");
        }
        return name;
    }

    /**
     * @param ytid a YouTube id
     * @return its key: the id itself ({@code -} and {@code _} kept)
     * @throws IllegalArgumentException if it holds characters other than {@code [A-Za-z0-9_-]} (a {@code .}
     *     would split WebDataset's key from the extension)
     */
    public static String key(String ytid) {
        if (!KEY.matcher(ytid).matches()) {
            throw new IllegalArgumentException("'" + ytid + "' cannot be a WebDataset key (only A-Z a-z 0-9 _ -)");
        }
        return ytid;
    }

    /** @return the final path of shard {@code n} */
    private Path shardFile(long n) {
        return dir.resolve(WaveformLayout.shardName(name, n));
    }

    @Override
    public void write(SegmentRow row, PreparedAudio audio) throws IOException {
        write(row, audio, Optional.empty());
    }

    /** Writes the clip; {@code strong} events, when any, go in its JSON (none: no {@code strong} key). */
    @Override
    public void write(SegmentRow row, PreparedAudio audio, List<StrongEvent> strong) throws IOException {
        write(row, audio, requireNonNull(strong, "strong").isEmpty() ? Optional.empty() : Optional.of(strong));
    }

    /**
     * Writes the clip; its JSON has {@code strong} when the strong label file annotates it, an empty list when
     * none of its events is present (or in the vocabulary), and no {@code strong} key when nothing is known.
     */
    @Override
    public void write(SegmentRow row, PreparedAudio audio, Optional<List<StrongEvent>> strong) throws IOException {
        requireNonNull(row, "row");
        requireNonNull(audio, "audio");
        requireNonNull(strong, "strong");
        if (done) {
            throw new IllegalStateException(this + ": already committed or closed");
        }
        if (audio.samples().length != clipSamples) {
            throw new IllegalArgumentException(row.segment().ytid() + " has " + audio.samples().length
                    + " samples, expected " + clipSamples);
        }
        String key = key(row.segment().ytid());
        if (inShard == 0 && current == null && old == null) {
            startShard();
        }
        byte[] meta = json(row.segment(), audio, strong);
        if (old != null) {
            long matched = old.position();
            ShardClips.Clip c = old.next();
            if (c != null && c.key().equals(key) && Arrays.equals(c.wavHeader(), wavHeader)
                    && Arrays.equals(c.json(), meta)
                    && old.samplesEqual(c, audio.int16Or(Int16Level.NORMALISED, pcm))) {
                kept++;
                advance();
                return;
            }
            rewriteFrom(matched);
        }
        try {
            current.add(key + ".wav", wavHeader, audio.int16Or(Int16Level.NORMALISED, pcm));
            current.add(key + ".json", meta, meta.length);
        } catch (IOException e) {
            throw new IOException(shardFile(shard) + ": writing its temporary file " + current.file().getFileName()
                    + " failed: " + e.getMessage(), e);
        }
        if (current.size() - synced >= SYNC_BYTES) {
            awaitSync();
            synced = current.size();
            UstarWriter w = current;
            syncing = executor().submit(() -> {
                w.sync();
                return null;
            });
        }
        advance();
    }

    /**
     * Counts the clip; a full shard is published, or, when all its clips were found on disk, left as it is if it
     * ends there and cut to them if it does not.
     */
    private void advance() throws IOException {
        rows++;
        inShard++;
        if (inShard == shardSize) {
            if (old != null) {
                keepOrCut();
            }
            if (current != null) {
                publishLater();
            }
            inShard = 0;
            shard++;
        }
    }

    /**
     * Begins shard {@link #shard}: reads it back if it is on disk (see the class comment), else opens its
     * temporary file.
     */
    private void startShard() throws IOException {
        Path file = shardFile(shard);
        if (Files.isRegularFile(file)) {
            old = ShardClips.open(file, wavHeader.length + 2L * clipSamples);
        } else {
            current = temporary();
        }
    }

    /** @return a new temporary file for shard {@link #shard} */
    private UstarWriter temporary() throws IOException {
        return new UstarWriter(dir.resolve("." + shardFile(shard).getFileName() + "." + UUID.randomUUID() + ".tmp"));
    }

    /**
     * The shard on disk differs from here on (or ends, or is damaged): its clips that matched, its first
     * {@code matched} bytes, are copied into a new temporary file, which the following clips are written to.
     */
    private void rewriteFrom(long matched) throws IOException {
        ShardClips o = old;
        old = null;
        try {
            current = temporary();
            if (matched > 0) {
                current.copyMembers(o.file(), matched);
            }
        } finally {
            o.close();
        }
        LOG.debug("{}: written again from clip {}", o.file(), inShard);
    }

    /**
     * Every clip handed over for this shard was found in the shard on disk: it stays untouched if it ends there,
     * else (it holds more clips, from a run with a larger shard size or a longer CSV) it is cut to them.
     */
    private void keepOrCut() throws IOException {
        if (old.endsHere()) {
            old.close();
            old = null;
        } else {
            rewriteFrom(old.position());
        }
    }

    /**
     * Hands the full current shard to the publishing thread: its sync (the disk catching up with a whole shard)
     * overlaps the next shard's writing. Shards are renamed in order: one is published at a time.
     */
    private void publishLater() throws IOException {
        awaitSync();
        awaitPublishing();
        UstarWriter w = current;
        current = null;
        synced = 0;
        Path target = shardFile(shard);
        publishing = executor().submit(() -> {
            publish(w, target);
            return null;
        });
    }

    private ExecutorService executor() {
        if (publisher == null) {
            publisher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "audioset-webdataset-sync");
                t.setDaemon(true);
                return t;
            });
        }
        return publisher;
    }

    private void awaitSync() throws IOException {
        Future<?> p = syncing;
        syncing = null;
        await(p);
    }

    private void awaitPublishing() throws IOException {
        Future<?> p = publishing;
        publishing = null;
        await(p);
    }

    private void await(Future<?> p) throws IOException {
        Background.await(p, dir, "syncing or publishing a shard");
    }

    private void publish() throws IOException {
        awaitSync();
        awaitPublishing();
        UstarWriter w = current;
        current = null;
        publish(w, shardFile(shard));
    }

    /**
     * Ends, syncs and renames {@code w} to {@code target}, then syncs the folder; if that fails, the temporary file
     * is deleted (it can be hundreds of MB, on a disk that may be full).
     */
    private void publish(UstarWriter w, Path target) throws IOException {
        boolean moved = false;
        try {
            try {
                w.finish();
            } finally {
                w.close();
            }
            w.publishable();
            try {
                Files.move(w.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(w.file(), target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new IOException(target + ": finishing its temporary file " + w.file().getFileName() + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (!moved) {
                deleteQuietly(w.file());
            }
        }
        OutputFolder.sync(dir);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete the temporary file ({})", file, e.toString());
        }
    }

    /** @return the 44-byte header of a 16-bit mono WAV file of {@code clipSamples} samples at {@code sampleRate} */
    private static byte[] wavHeader(int sampleRate, int clipSamples) {
        byte[] head = new byte[44];
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int data = 2 * clipSamples;
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(2 * sampleRate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return head;
    }

    private byte[] json(Segment s, PreparedAudio audio, Optional<List<StrongEvent>> strong) throws IOException {
        json.reset();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("ytid", s.ytid());
            g.writeNumberField("start", s.startSeconds());
            g.writeNumberField("end", s.endSeconds());
            g.writeArrayFieldStart("labels");
            for (String mid : s.labelIds()) {
                g.writeString(mid);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("names");
            for (String mid : s.labelIds()) {
                g.writeString(labels.byMid(mid).map(Label::displayName).orElse(mid));
            }
            g.writeEndArray();
            g.writeNumberField("norm", audio.norm());
            g.writeBooleanField("padded", audio.padded());
            if (strong.isPresent()) {
                g.writeArrayFieldStart("strong");
                for (StrongEvent e : strong.get()) {
                    g.writeStartObject();
                    g.writeStringField("mid", e.mid());
                    g.writeNumberField("start", e.startSeconds());
                    g.writeNumberField("end", e.endSeconds());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return json.toByteArray();
    }

    /** @return {@link Int16Level#NORMALISED}: the clips are stored as int16, converted by the pack stage's workers */
    @Override
    public Optional<Int16Level> int16Level() {
        return Optional.of(Int16Level.NORMALISED);
    }

    @Override
    public OptionalInt sampleRate() {
        return OptionalInt.of(sampleRate);
    }

    @Override
    public long size() {
        return rows;
    }

    /** @return the clips found already written in kept shards (not rewritten) */
    public long kept() {
        return kept;
    }

    /**
     * Publishes the last, partial shard and deletes shards numbered beyond it (from an earlier, longer run). The
     * name's lock stays held, whether this succeeds or fails, until {@link #close()}: the caller records what was
     * committed first (no other pack of the name can rewrite the shards in between), then closes the writer.
     *
     * @return the shards, in order
     * @throws IOException if writing fails
     */
    @Override
    public List<Path> commit() throws IOException {
        if (done) {
            throw new IllegalStateException(this + ": already committed or closed");
        }
        done = true;
        List<Path> shards = finish(); // if it fails, close() stops the publisher after its last task
        ExecutorService p = publisher;
        publisher = null;
        if (p != null) {
            p.shutdown(); // idle: every task was awaited
        }
        return shards;
    }

    /** {@link #commit()}, with the lock held: publishes the last shard and deletes those beyond it. */
    private List<Path> finish() throws IOException {
        try {
            awaitSync();
            awaitPublishing();
            if (old != null) {
                keepOrCut(); // the pack ended inside a shard on disk: kept if it ends there too, else cut
                if (current == null) {
                    shard++;
                }
            }
            if (current != null) {
                publish();
                shard++;
            }
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
        List<Path> out = new ArrayList<>();
        for (long n = 0; n < shard; n++) {
            out.add(shardFile(n));
        }
        boolean deleted = false;
        for (long n = shard;; n++) {
            try {
                Files.delete(shardFile(n));
                deleted = true;
            } catch (NoSuchFileException e) {
                break;
            }
        }
        if (deleted) {
            OutputFolder.sync(dir);
        }
        if (kept > 0) {
            LOG.info("{}: {} clips were already in the shards as this pack writes them (not written again)", dir,
                    kept);
        }
        return out;
    }

    /**
     * Deletes the current temporary shard unless committed; full shards stay (one being published is finished
     * first). Then releases the name's lock, after a commit too (whether it succeeded or failed), even if this
     * fails; closing again does nothing.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!done) {
                done = true;
                try {
                    awaitSync();
                    awaitPublishing();
                } finally {
                    discard();
                }
            }
        } finally {
            stopPublisherAndUnlock();
        }
    }

    /** Closes and deletes the current temporary file, if any, and closes the shard being read back. */
    private void discard() throws IOException {
        UstarWriter w = current;
        current = null;
        ShardClips o = old;
        old = null;
        try {
            if (o != null) {
                o.close();
            }
        } finally {
            if (w != null) {
                try {
                    w.close();
                } finally {
                    Files.deleteIfExists(w.file());
                }
            }
        }
    }

    /**
     * Stops the publishing thread and releases the name's lock after its last task: at once when every task was
     * awaited, else (an interrupt cut the wait) when the shard being synced or renamed is done, so no other pack of
     * the name starts while it is. The thread is not interrupted (that could close a shard's channel).
     */
    private void stopPublisherAndUnlock() {
        ExecutorService p = publisher;
        publisher = null;
        if (p == null) {
            lock.close();
            return;
        }
        Future<?> unlocked = p.submit(lock::close);
        p.shutdown();
        try {
            Background.await(unlocked, dir, "releasing the lock of '" + name + "'");
        } catch (IOException e) { // interrupted: the thread releases it after its task
            LOG.debug("{}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "WebDatasetWriter(" + dir.resolve(name) + "-*.tar, " + rows + " clips)";
    }

    /** Deletes the temporary shards of this name that killed packs left. */
    private static void removeTemporaries(Path dir, String name) throws IOException {
        Pattern mine = Pattern.compile("\\." + Pattern.quote(name) + "-\\d{6,}\\.tar\\.[0-9a-f-]{36}\\.tmp");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> mine.matcher(p.getFileName().toString())
                .matches())) {
            for (Path p : ds) {
                LOG.debug("{}: deleting a temporary shard left by an earlier pack", p);
                Files.deleteIfExists(p);
            }
        }
    }
}
