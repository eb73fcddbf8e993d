package io.github.audiosetdl.hdf5;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The seed-compatible HDF5 storage, and the other pack formats ({@link #createWaveforms(Path, String, LabelIndex,
 * WaveformLayout)}): waveform files through {@link WaveformFileWriter} and
 * {@link WaveformFileReader}, cochleagram files through {@link CochleagramFileWriter}. Immutable and
 * thread-safe.
 *
 * <p>Registered as the {@link DatasetStore} service ({@code META-INF/services}): a pipeline built without
 * {@code store(...)} finds it when this module is on the class path, and uses it for its pack and feature stages.
 */
public final class Hdf5DatasetStore implements DatasetStore {
    /** The instance to use in code; every instance behaves the same (the class has no state). */
    public static final Hdf5DatasetStore INSTANCE = new Hdf5DatasetStore();

    /**
     * For {@link java.util.ServiceLoader}, which on the class path (and for an automatic module) makes its
     * providers only through a public no-argument constructor: it uses neither {@link #INSTANCE} nor a static
     * {@code provider()} method there. In code, use {@link #INSTANCE}.
     */
    public Hdf5DatasetStore() {
        // no state: every instance is interchangeable with INSTANCE
    }

    @Override
    public WaveformSink createWaveforms(Path file, LabelIndex labels, int sampleRate, int clipSamples)
            throws IOException {
        return WaveformFileWriter.create(file, labels, sampleRate, clipSamples);
    }

    /**
     * Writes any {@link PackFormat}: the seed layout through {@link WaveformFileWriter} (float32 or int16
     * {@code /wav}), PANNs' through {@link PannsFileWriter}, WebDataset shards through {@link WebDatasetWriter}.
     */
    @Override
    public WaveformSink createWaveforms(Path dir, String name, LabelIndex labels, WaveformLayout layout)
            throws IOException {
        int clipSamples = layout.preparation().clipSamples();
        Path file = layout.mainFile(dir, name);
        return switch (layout.format()) {
            case SEED -> WaveformFileWriter.create(file, labels, layout.sampleRate(), clipSamples, layout.sampleType());
            case PANNS -> PannsFileWriter.create(file, labels, layout.sampleRate(), clipSamples);
            case WEBDATASET -> WebDatasetWriter.create(dir, name, labels, layout.sampleRate(), clipSamples,
                    layout.shardSize());
        };
    }

    /** @return true: the seed layout and WebDataset shards keep strong labels (PANNs' has no place for them) */
    @Override
    public boolean writesStrongLabels() {
        return true;
    }

    /**
     * As {@link #createWaveforms(Path, String, LabelIndex, WaveformLayout)}, keeping each clip's
     * temporally-strong events (given to {@link WaveformSink#write(SegmentRow, PreparedAudio, List)}): the seed
     * layout adds {@code /strong}, {@code /strong_mids} and {@code /has_strong}; WebDataset shards put them in
     * each clip's JSON.
     *
     * @param dir the output folder
     * @param name the data set's name
     * @param labels the label index the multi-hot rows follow
     * @param layout the format, sample type and rate
     * @param strong the MIDs of {@code /strong}'s last axis
     * @return the sink
     * @throws IOException if the output cannot be started
     * @throws IllegalArgumentException for the PANNs layout, which has no place for strong labels
     */
    @Override
    public WaveformSink createWaveforms(Path dir, String name, LabelIndex labels, WaveformLayout layout,
            StrongVocabulary strong) throws IOException {
        return switch (layout.format()) {
            case SEED -> WaveformFileWriter.create(layout.mainFile(dir, name), labels, layout.sampleRate(),
                    layout.preparation().clipSamples(), layout.sampleType(), strong);
            case PANNS -> throw new IllegalArgumentException("the PANNs layout has no strong labels: use the seed"
                    + " layout or WebDataset shards");
            case WEBDATASET -> createWaveforms(dir, name, labels, layout);
        };
    }

    @Override
    public WaveformSource openWaveforms(Path file) throws IOException {
        return WaveformFileReader.open(file);
    }

    @Override
    public FeatureSink createFeatures(Path file, WaveformSource source, FeatureExtractor extractor)
            throws IOException {
        return CochleagramFileWriter.create(file, source, extractor);
    }

    @Override
    public String toString() {
        return "Hdf5DatasetStore";
    }
}
