package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.RowFile.ColumnType;
import io.github.audiosetdl.hdf5.internal.Spool;
import io.github.audiosetdl.hdf5.internal.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Writes the HDF5 file PANNs' training code reads ({@code qiuqiangkong/audioset_tagging_cnn},
 * {@code pack_waveforms_to_hdf5}): {@code /audio_name} S20 ({@code Y<id>.wav}), {@code /waveform} int16
 * (N, clipSamples) and {@code /target} bool (N, labels), root attribute {@code sample_rate}. One row per clip
 * written: no empty rows for clips that were not obtained.
 *
 * <p>The waveform keeps the clip's own level, as PANNs' packer does: the prepared samples times their
 * {@link PreparedAudio#norm() norm}, clipped to [-1, 1], then {@code round(x × 32767)} (PANNs truncates).
 *
 * <p>Rows stream to disk: memory does not grow with N. Everything is written in a hidden directory beside the
 * file and renamed into place by {@link #commit()}; {@link #close()} without a commit deletes it. One thread
 * writes.
 *
 * <p><b>Put in place under the file's lock.</b> {@link #commit()} renames the files into place holding an
 * operating-system lock on the hidden file {@code .<file name>.lock} beside them (empty, created if absent, never
 * deleted), from just before the first rename until {@link #close()}, so that what a caller records between the
 * two (a pipeline's record of inputs) describes the files on disk: another writer of the same file waits at its
 * own renames until this one is closed (at most 10 minutes, then its commit fails naming the folder and the
 * file). Writers of one file write their rows side by side; only their renames take turns. The operating system
 * drops the lock of a killed process.
 */
public final class PannsFileWriter implements WaveformSink {
    /** Bytes of {@code audio_name}: numpy's {@code S20}. */
    static final int NAME_BYTES = 20;

    private final Path file;
    private final LabelIndex labels;
    private final int sampleRate;
    private final int clipSamples;
    private final Staging staging;
    private final RowFile rows;
    private final Spool names;
    private final Spool targets;
    private final byte[] multiHot;
    private final short[] int16Row;
    private boolean done;

    private PannsFileWriter(Path file, LabelIndex labels, int sampleRate, int clipSamples) throws IOException {
        this.file = file;
        this.labels = labels;
        this.sampleRate = sampleRate;
        this.clipSamples = clipSamples;
        this.multiHot = new byte[labels.size()];
        this.int16Row = new short[clipSamples];
        this.staging = Staging.beside(file);
        RowFile r = null;
        try {
            r = RowFile.createInt16(staging.dir(), "waveform", clipSamples);
            this.names = r.column("audio_name", ColumnType.STRING, NAME_BYTES);
            this.targets = r.column("target", ColumnType.BOOL, labels.size());
        } catch (IOException | RuntimeException e) {
            if (r != null) {
                r.close();
            }
            staging.delete();
            throw e;
        }
        this.rows = r;
    }

    /**
     * Starts a PANNs waveform file.
     *
     * @param file the final file, e.g. {@code out/balanced_train_panns.h5}
     * @param labels the label index of {@code /target}'s columns
     * @param sampleRate the rows' rate, in Hz (PANNs trains at 32000)
     * @param clipSamples samples per row (320,000 for 10 s at 32 kHz)
     * @return the writer
     * @throws IOException if the staging directory cannot be created
     */
    public static PannsFileWriter create(Path file, LabelIndex labels, int sampleRate, int clipSamples)
            throws IOException {
        requireNonNull(file, "file");
        requireNonNull(labels, "labels");
        if (sampleRate <= 0 || clipSamples <= 0) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " and clipSamples " + clipSamples
                    + " must be > 0");
        }
        return new PannsFileWriter(file, labels, sampleRate, clipSamples);
    }

    /**
     * @param ytid a YouTube id
     * @return the name PANNs gives its clip: {@code Y<id>.wav}
     */
    public static String audioName(String ytid) {
        return "Y" + ytid + ".wav";
    }

    @Override
    public void write(SegmentRow row, PreparedAudio audio) throws IOException {
        requireNonNull(row, "row");
        requireNonNull(audio, "audio");
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        float[] x = audio.samples();
        if (x.length != clipSamples) {
            throw new IllegalArgumentException(file + ": " + row.segment().ytid() + " has " + x.length
                    + " samples, expected " + clipSamples);
        }
        String name = audioName(row.segment().ytid());
        if (name.length() >= NAME_BYTES) {
            throw new IllegalArgumentException(file + ": '" + name + "' does not fit audio_name (S" + NAME_BYTES + ")");
        }
        // round(v x 32767) clamped to +-32767: the same as clipping v to [-1, 1] first, one pass less; the pack
        // stage's workers convert them
        short[] values = audio.int16Or(Int16Level.CLIP_LEVEL, int16Row);
        labels.encode(row.segment().labelIds(), multiHot);
        names.putString(name);
        targets.putBytes(multiHot);
        rows.writeRow(values);
    }

    /**
     * @return {@link Int16Level#CLIP_LEVEL}: {@code /waveform} holds each clip at its own level, converted by the
     *     pack stage's workers
     */
    @Override
    public Optional<Int16Level> int16Level() {
        return Optional.of(Int16Level.CLIP_LEVEL);
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
     * Finishes the file and renames it into place, holding the lock of the file's name, {@code .<file name>.lock}
     * beside it, from just before the first rename until {@link #close()}: a caller that records what it committed (a
     * pipeline writes its record of inputs) does so before it closes this writer, and no other writer of the file puts
     * its own in place in between. A lock held by another writer of the file (in another process, or one of this JVM
     * committed and not closed yet) is waited for, at most 10 minutes. If this fails, the lock is released and nothing
     * more is put in place.
     *
     * @return the file
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
            rows.rootAttribute("sample_rate", sampleRate);
            Path data = rows.finish();
            staging.publishLocked(List.<Path[]>of(new Path[] {data, file}), Staging.PUBLISH_WAIT);
            return List.of(file);
        } finally {
            abandon();
        }
    }

    private void abandon() throws IOException {
        try {
            rows.close();
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
        return "PannsFileWriter(" + file + ", " + rows.rows() + " rows)";
    }
}
