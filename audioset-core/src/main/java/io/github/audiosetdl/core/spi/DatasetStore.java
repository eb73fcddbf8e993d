package io.github.audiosetdl.core.spi;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.StrongVocabulary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the pipeline's files live: creates waveform sinks and feature sinks and opens waveform
 * sources. {@code audioset-hdf5} implements it with the seed-compatible HDF5 layout; a user can plug
 * in their own storage.
 *
 * <p>Implementations are immutable and thread-safe; what they return is used by one thread.
 */
public interface DatasetStore {
    /**
     * Starts a waveform file.
     *
     * @param file the final file (e.g. {@code out/eval.hdf5}); nothing appears there before
     *     {@link WaveformSink#commit()}
     * @param labels the label index the multi-hot rows follow
     * @param sampleRate the rate of every row, in Hz (e.g. 16000)
     * @param clipSamples samples per row (e.g. 160000)
     * @return a sink for the rows
     * @throws IOException if the file cannot be started
     */
    WaveformSink createWaveforms(Path file, LabelIndex labels, int sampleRate, int clipSamples)
            throws IOException;

    /**
     * Starts the waveform output of a pack in {@code layout}. The default writes the seed layout with float32
     * rows through {@link #createWaveforms(Path, LabelIndex, int, int)} and refuses the others; a store that
     * writes more layouts overrides it.
     *
     * @param dir the output folder
     * @param name the data set's name; the files are named by {@link WaveformLayout#mainFile(Path, String)}
     * @param labels the label index the multi-hot rows follow
     * @param layout the format, sample type, rate and shard size
     * @return a sink for the clips
     * @throws IOException if the output cannot be started
     * @throws UnsupportedOperationException if this store does not write {@code layout}
     */
    default WaveformSink createWaveforms(Path dir, String name, LabelIndex labels, WaveformLayout layout)
            throws IOException {
        if (layout.format() != PackFormat.SEED || layout.sampleType() != SampleType.FLOAT32) {
            throw new UnsupportedOperationException(this + " does not write the " + layout.format().label()
                    + " format with " + layout.sampleType().label() + " samples");
        }
        return createWaveforms(layout.mainFile(dir, name), labels, layout.sampleRate(),
                layout.preparation().clipSamples());
    }

    /**
     * As {@link #createWaveforms(Path, String, LabelIndex, WaveformLayout)}, keeping each clip's temporally-strong
     * events (given to {@link WaveformSink#write(io.github.audiosetdl.core.SegmentRow,
     * io.github.audiosetdl.core.audio.PreparedAudio, java.util.List)}). The default refuses: a store that writes
     * strong labels overrides it ({@code Hdf5DatasetStore}: {@code /strong} frames of 0.1 s in the seed layout,
     * each clip's events in WebDataset JSON).
     *
     * @param dir the output folder
     * @param name the data set's name
     * @param labels the label index the multi-hot rows follow
     * @param layout the format, sample type, rate and shard size
     * @param strong the MIDs the strong labels are kept for (e.g. {@link StrongVocabulary#audioSet()}: 456)
     * @return a sink for the clips and their events
     * @throws IOException if the output cannot be started
     * @throws UnsupportedOperationException if this store does not write strong labels
     * @throws IllegalArgumentException if {@code layout} has no place for strong labels (PANNs')
     */
    default WaveformSink createWaveforms(Path dir, String name, LabelIndex labels, WaveformLayout layout,
            StrongVocabulary strong) throws IOException {
        throw new UnsupportedOperationException(this + " does not write temporally-strong labels");
    }

    /**
     * Whether {@link #createWaveforms(Path, String, LabelIndex, WaveformLayout, StrongVocabulary)} writes strong
     * labels; a store that overrides it says so here, so that a pipeline given strong labels and a store without
     * them fails when it is built, not after its download.
     *
     * @return false unless overridden
     */
    default boolean writesStrongLabels() {
        return false;
    }

    /**
     * Opens a waveform file for reading.
     *
     * @param file a waveform file
     * @return its rows
     * @throws IOException if it cannot be opened or is not a waveform file
     */
    WaveformSource openWaveforms(Path file) throws IOException;

    /**
     * Starts a feature file computed from a waveform file; labels and metadata are copied from
     * {@code source}, and the average feature matrix is kept.
     *
     * @param file the final file (e.g. {@code out/eval_Coch.hdf5}); nothing appears there before
     *     {@link FeatureSink#commit()}
     * @param source the waveform rows the features are computed from
     * @param extractor what is computed (shape and parameters, recorded as attributes)
     * @return a sink for the feature rows, in source order
     * @throws IOException if the file cannot be started
     */
    FeatureSink createFeatures(Path file, WaveformSource source, FeatureExtractor extractor) throws IOException;
}
