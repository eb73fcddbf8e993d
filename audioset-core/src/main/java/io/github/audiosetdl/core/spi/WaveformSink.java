package io.github.audiosetdl.core.spi;

import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Receives prepared clips in order (the pack stage's output) and publishes them atomically: nothing
 * is visible under the final name(s) until {@link #commit()}; {@link #close()} without a commit
 * discards what was written.
 *
 * <p>Written by one thread. Memory use must not grow with the number of clips.
 */
public interface WaveformSink extends Closeable {
    /**
     * Appends the next clip as the next row.
     *
     * @param row the segment (labels, times) and its position in the segments CSV
     * @param audio the clip: mono, at the sink's rate, exactly one clip long, with its norm and padding flag, and
     *     its int16 values when {@link #int16Level()} names a level. Its arrays are valid only during the call: the
     *     pack stage reuses them for a later clip once this method returns, so a sink that keeps them must copy
     *     them
     * @throws IOException if writing fails
     */
    void write(SegmentRow row, PreparedAudio audio) throws IOException;

    /**
     * Appends the next clip as the next row, with its temporally-strong label events. The pack stage
     * always calls this method; the default ignores {@code strong} and calls
     * {@link #write(SegmentRow, PreparedAudio)}, so sinks that record no strong labels need not
     * override it.
     *
     * @param row the segment (labels, times) and its position in the segments CSV
     * @param audio the clip, as for {@link #write(SegmentRow, PreparedAudio)}
     * @param strong the clip's strong events, times from the clip start; empty when no strong
     *     annotation is known for the clip (no strong file given, or the file has no event for it)
     * @throws IOException if writing fails
     */
    default void write(SegmentRow row, PreparedAudio audio, List<StrongEvent> strong) throws IOException {
        write(row, audio);
    }

    /**
     * Appends the next clip as the next row, with what the strong label file says of it. The pack stage calls this
     * method; the default passes the events, or an empty list, to {@link #write(SegmentRow, PreparedAudio, List)}.
     * A sink that records whether a clip is annotated (the seed layout's {@code /has_strong}, the WebDataset
     * JSON's {@code strong}) overrides it.
     *
     * @param row the segment (labels, times) and its position in the segments CSV
     * @param audio the clip, as for {@link #write(SegmentRow, PreparedAudio)}
     * @param strong empty when nothing is known (no strong file, or the file does not annotate the segment); else
     *     its events in the strong vocabulary, times from the clip start, possibly none (a segment whose labels
     *     were all checked and found absent, or whose events are all outside the vocabulary)
     * @throws IOException if writing fails
     */
    default void write(SegmentRow row, PreparedAudio audio, Optional<List<StrongEvent>> strong) throws IOException {
        write(row, audio, strong.orElse(List.of()));
    }

    /**
     * @return the level at which this sink stores each clip as int16 ({@link Int16Level#convert}), if it does. If
     *     so, the pack stage converts every clip on its worker threads, right after preparing it (the samples are
     *     then still in that core's cache), and hands the values over as {@link PreparedAudio#int16()}, so the
     *     one writing thread need not; a sink must still accept a clip without them, or with them at another
     *     level (another caller: {@link PreparedAudio#int16Or} converts then). The default is empty
     */
    default Optional<Int16Level> int16Level() {
        return Optional.empty();
    }

    /** @return the number of rows written so far */
    long size();

    /**
     * @return the rate, in Hz, that this sink records for its rows, if it records one; the pack stage refuses a
     *     sink whose rate is not its preparation's (16 kHz audio must not be labelled 44.1 kHz). The default is
     *     empty: the sink does not say, and is not checked
     */
    default OptionalInt sampleRate() {
        return OptionalInt.empty();
    }

    /**
     * Finishes the output and moves it to its final name(s).
     *
     * @return the files written (the main file first)
     * @throws IOException if finishing fails
     */
    List<Path> commit() throws IOException;
}
