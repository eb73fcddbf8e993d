package io.github.audiosetdl.hdf5;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The seed-compatible HDF5 storage: waveform files through {@link WaveformFileWriter} and
 * {@link WaveformFileReader}, cochleagram files through {@link CochleagramFileWriter}. Immutable and
 * thread-safe.
 */
public final class Hdf5DatasetStore implements DatasetStore {
    /** The one instance. */
    public static final Hdf5DatasetStore INSTANCE = new Hdf5DatasetStore();

    private Hdf5DatasetStore() {
    }

    @Override
    public WaveformSink createWaveforms(Path file, LabelIndex labels, int sampleRate, int clipSamples)
            throws IOException {
        return WaveformFileWriter.create(file, labels, sampleRate, clipSamples);
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
