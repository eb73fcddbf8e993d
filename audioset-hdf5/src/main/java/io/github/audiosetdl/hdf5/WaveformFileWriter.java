package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.hdf5.internal.MetadataNpy;
import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a waveform file ({@code <name>.hdf5}) and its {@code <name>_metadata.npy} in the layout of
 * {@code docs/formats.md}: {@code /wav} float32 (N, clipSamples) or int16 {@code round(x × 32767)} with the
 * attribute {@code scale = 32767}, {@code /labels} uint8 (N, labels),
 * {@code /meta/*}, root attributes {@code size}, {@code sample_rate}, {@code clip_seconds}; when made with a
 * strong vocabulary, also {@code /strong} uint8 (N, clipSeconds / 0.1, vocabulary size) with attribute
 * {@code frame_seconds} 0.1, {@code /strong_mids} and {@code /has_strong} (N,) from each row's strong events.
 *
 * <p>Rows stream to disk: memory does not grow with N. Everything is written in a hidden directory
 * beside the file and renamed into place by {@link #commit()}; {@link #close()} without a commit
 * deletes it. One thread writes.
 *
 * <p><b>Put in place under the file's lock.</b> {@link #commit()} renames the files into place holding an
 * operating-system lock on the hidden file {@code .<file name>.lock} beside them (empty, created if absent, never
 * deleted), from just before the first rename until {@link #close()}, so that what a caller records between the
 * two (a pipeline's record of inputs) describes the files on disk: another writer of the same file waits at its
 * own renames until this one is closed (at most 10 minutes, then its commit fails naming the folder and the
 * file). Writers of one file write their rows side by side; only their renames take turns. The operating system
 * drops the lock of a killed process.
 */
public final class WaveformFileWriter implements WaveformSink {
    private static final Logger LOG = LoggerFactory.getLogger(WaveformFileWriter.class);
    private final Path file;
    private final Path metadataFile;
    private final LabelIndex labels;
    private final int sampleRate;
    private final int clipSamples;
    private final Staging staging;
    private final RowFile rows;
    private final MetadataNpy npy;
    private final MetaColumns meta;
    private final byte[] multiHot;
    /** The int16 row being converted, or null for float32 rows. */
    private final short[] int16Row;
    private final StrongColumns strong;
    private boolean done;

    private WaveformFileWriter(Path file, LabelIndex labels, int sampleRate, int clipSamples, SampleType type,
            StrongVocabulary strongVocabulary) throws IOException {
        this.file = file;
        this.metadataFile = metadataFile(file);
        this.labels = labels;
        this.sampleRate = sampleRate;
        this.clipSamples = clipSamples;
        this.multiHot = new byte[labels.size()];
        this.int16Row = type == SampleType.INT16 ? new short[clipSamples] : null;
        this.staging = Staging.beside(file);
        RowFile r = null;
        MetadataNpy n = null;
        try {
            r = type == SampleType.INT16 ? RowFile.createInt16(staging.dir(), "wav", clipSamples)
                    : RowFile.create(staging.dir(), "wav", clipSamples);
            if (type == SampleType.INT16) {
                r.mainAttribute("scale", (double) SampleType.INT16_SCALE);
            }
            this.meta = new MetaColumns(r, labels.size());
            this.strong = strongVocabulary == null ? null
                    : new StrongColumns(r, strongVocabulary, (double) clipSamples / sampleRate);
            n = MetadataNpy.create(staging.dir().resolve("metadata.npy"));
        } catch (IOException | RuntimeException e) {
            if (r != null) {
                r.close();
            }
            staging.delete();
            throw e;
        }
        this.rows = r;
        this.npy = n;
    }

    /**
     * Starts a waveform file.
     *
     * @param file the final file, e.g. {@code out/eval.hdf5}
     * @param labels the label index the multi-hot rows follow
     * @param sampleRate the rows' rate, in Hz
     * @param clipSamples samples per row
     * @return the writer
     * @throws IOException if the staging directory cannot be created
     */
    public static WaveformFileWriter create(Path file, LabelIndex labels, int sampleRate, int clipSamples)
            throws IOException {
        return validated(file, labels, sampleRate, clipSamples, SampleType.FLOAT32, null);
    }

    /**
     * Starts a waveform file whose {@code /wav} holds {@code type}.
     *
     * @param file the final file, e.g. {@code out/eval.hdf5}
     * @param labels the label index the multi-hot rows follow
     * @param sampleRate the rows' rate, in Hz
     * @param clipSamples samples per row
     * @param type float32 (the seed's) or int16 ({@code round(x × 32767)} of the peak-normalised samples)
     * @return the writer
     * @throws IOException if the staging directory cannot be created
     */
    public static WaveformFileWriter create(Path file, LabelIndex labels, int sampleRate, int clipSamples,
            SampleType type) throws IOException {
        return validated(file, labels, sampleRate, clipSamples, requireNonNull(type, "type"), null);
    }

    /**
     * Starts a waveform file whose {@code /wav} holds {@code type} and that also holds temporally-strong labels
     * ({@code /strong}, {@code /strong_mids}, {@code /has_strong}), from the events given to
     * {@link #write(SegmentRow, PreparedAudio, List)}.
     *
     * @param file the final file
     * @param labels the label index the multi-hot rows follow
     * @param sampleRate the rows' rate, in Hz
     * @param clipSamples samples per row
     * @param type float32 or int16, as for {@link #create(Path, LabelIndex, int, int, SampleType)}
     * @param strongVocabulary the MIDs of {@code /strong}'s last axis
     * @return the writer
     * @throws IOException if the staging directory cannot be created
     */
    public static WaveformFileWriter create(Path file, LabelIndex labels, int sampleRate, int clipSamples,
            SampleType type, StrongVocabulary strongVocabulary) throws IOException {
        return validated(file, labels, sampleRate, clipSamples, requireNonNull(type, "type"),
                requireNonNull(strongVocabulary, "strongVocabulary"));
    }

    private static WaveformFileWriter validated(Path file, LabelIndex labels, int sampleRate, int clipSamples,
            SampleType type, StrongVocabulary strongVocabulary) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(labels, "labels");
        if (sampleRate <= 0 || clipSamples <= 0) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " and clipSamples " + clipSamples
                    + " must be > 0");
        }
        return new WaveformFileWriter(file, labels, sampleRate, clipSamples, type, strongVocabulary);
    }

    /**
     * @param file a waveform file {@code <name>.hdf5}
     * @return {@code <name>_metadata.npy} beside it
     */
    public static Path metadataFile(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".hdf5") ? name.substring(0, name.length() - 5) : name;
        return file.resolveSibling(base + "_metadata.npy");
    }

    @Override
    public void write(SegmentRow row, PreparedAudio audio) throws IOException {
        write(row, audio, Optional.empty());
    }

    /**
     * Appends a row; its events fill {@code /strong} when the file has it, and are ignored otherwise (none: a row
     * not annotated, {@code /has_strong} false).
     */
    @Override
    public void write(SegmentRow row, PreparedAudio audio, List<StrongEvent> strongEvents) throws IOException {
        write(row, audio, requireNonNull(strongEvents, "strongEvents").isEmpty() ? Optional.empty()
                : Optional.of(strongEvents));
    }

    /**
     * Appends a row; when the file has {@code /strong}, the events fill it and {@code /has_strong} says whether the
     * strong label file annotates the row (true for an annotated row without events); ignored otherwise.
     */
    @Override
    public void write(SegmentRow row, PreparedAudio audio, Optional<List<StrongEvent>> strongEvents)
            throws IOException {
        requireNonNull(row, "row");
        requireNonNull(strongEvents, "strongEvents");
        requireNonNull(audio, "audio");
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        if (audio.samples().length != clipSamples) {
            throw new IllegalArgumentException(file + ": " + row.segment().ytid() + " has " + audio.samples().length
                    + " samples, expected " + clipSamples);
        }
        Segment s = row.segment();
        labels.encode(s.labelIds(), multiHot);
        ClipMetadata m = new ClipMetadata(s.ytid(), s.startSeconds(), s.endSeconds(), String.join(",", s.labelIds()),
                audio.norm(), audio.padded(), row.row());
        npy.append(m.ytid(), m.startSeconds(), m.endSeconds(), m.labels(), m.norm(), m.padded());
        if (int16Row != null) {
            rows.writeRow(audio.int16Or(Int16Level.NORMALISED, int16Row)); // the pack stage's workers convert them
        } else {
            rows.writeRow(audio.samples());
        }
        meta.append(multiHot, m);
        if (strong != null) {
            strong.append(strongEvents.orElse(List.of()), strongEvents.isPresent());
        }
    }

    /** @return {@link Int16Level#NORMALISED} if {@code /wav} is int16 ({@link SampleType#INT16}), else empty */
    @Override
    public Optional<Int16Level> int16Level() {
        return int16Row != null ? Optional.of(Int16Level.NORMALISED) : Optional.empty();
    }

    @Override
    public OptionalInt sampleRate() {
        return OptionalInt.of(sampleRate);
    }

    @Override
    public long size() {
        return rows.rows();
    }

    /**
     * Finishes the file and renames it and its metadata file into place (the npy first), holding the lock of the file's
     * name, {@code .<file name>.lock} beside it, from just before the first rename until {@link #close()}: a caller
     * that records what it committed (a pipeline writes its record of inputs) does so before it closes this writer, and
     * no other writer of the file puts its own in place in between. A lock held by another writer of the file (in
     * another process, or one of this JVM committed and not closed yet) is waited for, at most 10 minutes. If this
     * fails, the lock is released and nothing more is put in place.
     *
     * @return the file and its metadata file
     * @throws IOException if writing or renaming fails, or another writer of the file still holds its lock after 10
     *     minutes (the message names the folder, the file and the lock file; nothing is put in place)
     */
    @Override
    public List<Path> commit() throws IOException {
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        done = true;
        try {
            rows.rootAttribute("size", rows.rows());
            rows.rootAttribute("sample_rate", sampleRate);
            if (clipSamples % sampleRate == 0) {
                rows.rootAttribute("clip_seconds", clipSamples / sampleRate);
            } else {
                rows.rootAttribute("clip_seconds", (double) clipSamples / sampleRate);
            }
            rows.rootAttribute("label_count", labels.size());
            if (strong != null) {
                LOG.info("{}: strong labels for {} of {} rows", file, strong.annotated(), rows.rows());
                if (!strong.unknown().isEmpty()) {
                    LOG.warn("{}: events of MIDs outside the strong vocabulary, not in /strong: {}", file,
                            strong.unknown());
                }
            }
            Path data = rows.finish();
            npy.finish();
            staging.publishLocked(List.of(new Path[] {staging.dir().resolve("metadata.npy"), metadataFile},
                    new Path[] {data, file}), Staging.PUBLISH_WAIT);
            return List.of(file, metadataFile);
        } finally {
            abandon();
        }
    }

    private void abandon() throws IOException {
        try {
            rows.close();
            npy.close();
        } finally {
            staging.delete();
        }
    }

    /**
     * Discards everything unless committed; after a commit, releases the lock of the file's name (see
     * {@link #commit()}). Closing again does nothing.
     */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            abandon();
        }
        staging.unlock(); // taken by a commit alone
    }

    @Override
    public String toString() {
        return "WaveformFileWriter(" + file + ", " + rows.rows() + " rows)";
    }
}
