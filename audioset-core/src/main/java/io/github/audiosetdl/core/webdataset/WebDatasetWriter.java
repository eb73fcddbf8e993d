package io.github.audiosetdl.core.webdataset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.audiosetdl.core.Label;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.internal.Background;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import java.io.ByteArrayOutputStream;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
 * whole shards only. On start the writer looks at the shards already there: a shard holding exactly
 * {@code shardSize} clips whose keys are, in order, the keys of the clips the pack stage now hands over, is
 * kept and not rewritten; the first shard that is missing or short is written again, with everything after it
 * (a shard of other clips is an error: the folder holds another pack of the same name). So a rerun of the same
 * pack (same CSV, order and shard size) resumes at the first incomplete shard. {@link #commit()} cuts a kept shard
 * the pack ended in to the clips it handed over, and deletes shards numbered beyond the last one (both left by an
 * earlier, longer run). {@link #close()} without a commit deletes only the current temporary file; temporary files
 * left by a killed pack are deleted when the next writer of the same name starts (two packs must not write the
 * same name at once). Memory: one clip's int16 values, the keys of one existing shard while it is compared, and an
 * 8 MB off-heap batch per shard being written (two while a full one is synced in the background). One thread
 * writes.
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
    private UstarWriter current;
    /** Syncs and renames full shards while the next one is written; started with the first full shard. */
    private ExecutorService publisher;
    private Future<?> publishing;
    /** The current shard's sync in progress, started every {@link #SYNC_BYTES}, or null. */
    private Future<?> syncing;
    private long synced;
    private int inShard;
    private long shard;
    /** Keys of the existing shard {@link #shard} being compared with the clips handed over, or null. */
    private List<String> existing;
    private long rows;
    private long kept;
    private boolean done;

    private WebDatasetWriter(Path dir, String name, LabelIndex labels, int sampleRate, int clipSamples,
            int shardSize) {
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
     * @return the writer
     * @throws IOException if the folder cannot be created
     */
    public static WebDatasetWriter create(Path dir, String name, LabelIndex labels, int sampleRate, int clipSamples,
            int shardSize) throws IOException {
        requireNonNull(dir, "dir");
        requireNonNull(labels, "labels");
        if (!requireNonNull(name, "name").matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name '" + name + "' must match [A-Za-z0-9._-]+");
        }
        if (sampleRate <= 0 || clipSamples <= 0 || clipSamples > (Integer.MAX_VALUE - 44) / 2) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " and clipSamples " + clipSamples
                    + " must be > 0 and fit a WAV");
        }
        if (shardSize < 1 || shardSize > WaveformLayout.MAX_SHARD_SIZE) {
            throw new IllegalArgumentException("shard size " + shardSize + " is not in 1.."
                    + WaveformLayout.MAX_SHARD_SIZE);
        }
        Files.createDirectories(dir);
        removeTemporaries(dir, name);
        return new WebDatasetWriter(dir, name, labels, sampleRate, clipSamples, shardSize);
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
        write(row, audio, List.of());
    }

    @Override
    public void write(SegmentRow row, PreparedAudio audio, List<StrongEvent> strong) throws IOException {
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
        if (inShard == 0 && current == null && existing == null) {
            startShard();
        }
        if (existing != null) {
            if (existing.get(inShard).equals(key)) {
                advance();
                kept++;
                return;
            }
            throw new IOException(shardFile(shard) + " holds other clips than this pack (its clip " + inShard
                    + " is " + existing.get(inShard) + ", not " + key + "): remove the shards from this one on, or"
                    + " pack under another name");
        }
        current.add(key + ".wav", wavHeader, audio.int16Or(Int16Level.NORMALISED, pcm));
        byte[] meta = json(row.segment(), audio, strong);
        current.add(key + ".json", meta, meta.length);
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

    /** Counts the clip; a full shard is published (or, when it was kept, left as it is). */
    private void advance() throws IOException {
        rows++;
        inShard++;
        if (inShard == shardSize) {
            if (current != null) {
                publishLater();
            }
            existing = null;
            inShard = 0;
            shard++;
        }
    }

    /** Begins shard {@link #shard}: keeps it if it is on disk and full, else opens its temporary file. */
    private void startShard() throws IOException {
        Path file = shardFile(shard);
        if (Files.isRegularFile(file)) {
            List<String> keys = TarKeys.read(file, shardSize);
            if (keys.size() == shardSize) {
                existing = keys;
                return;
            }
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        current = new UstarWriter(tmp);
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

    /** Ends, syncs and renames {@code w} to {@code target}, then syncs the folder. */
    private void publish(UstarWriter w, Path target) throws IOException {
        try {
            w.finish();
        } finally {
            w.close();
        }
        try {
            Files.move(w.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(w.file(), target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncFolder(dir);
    }

    private static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("{}: cannot sync the folder ({})", folder, e.toString());
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

    private byte[] json(Segment s, PreparedAudio audio, List<StrongEvent> strong) throws IOException {
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
            if (!strong.isEmpty()) {
                g.writeArrayFieldStart("strong");
                for (StrongEvent e : strong) {
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
     * Publishes the last, partial shard and deletes shards numbered beyond it (from an earlier, longer run).
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
        try {
            awaitSync();
            awaitPublishing();
        } finally {
            stopPublisher();
        }
        if (current != null) {
            publish();
            shard++;
        } else if (existing != null) {
            // The pack ended inside a shard kept from a longer run: keep its first clips only.
            Path file = shardFile(shard);
            long cut = TarKeys.offsetOf(file, inShard);
            existing = null;
            current = new UstarWriter(dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp"));
            current.copyMembers(file, cut);
            publish();
            shard++;
        }
        List<Path> out = new ArrayList<>();
        for (long n = 0; n < shard; n++) {
            out.add(shardFile(n));
        }
        for (long n = shard;; n++) {
            try {
                Files.delete(shardFile(n));
            } catch (NoSuchFileException e) {
                break;
            }
        }
        if (kept > 0) {
            LOG.info("{}: kept {} clips already in whole shards", dir, kept);
        }
        return out;
    }

    /**
     * Deletes the current temporary shard unless committed; full shards stay (one being published is finished
     * first).
     */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            UstarWriter w = current;
            current = null;
            try {
                awaitSync();
                awaitPublishing();
            } finally {
                stopPublisher();
                if (w != null) {
                    try {
                        w.close();
                    } finally {
                        Files.deleteIfExists(w.file());
                    }
                }
            }
        }
    }

    /** Stops the idle thread (every task was awaited; an interrupt could close a shard's channel). */
    private void stopPublisher() {
        if (publisher != null) {
            publisher.shutdown();
            publisher = null;
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
