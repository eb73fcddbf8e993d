package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline built without {@code store(...)} takes the one {@link DatasetStore} service on the class path, and
 * says what to do when there is none (core's tests have no {@code audioset-hdf5}), several, or a broken one. The
 * services are listed in a temporary {@code META-INF/services} file seen through the thread's context class loader.
 */
class StoreServiceTest {
    private static final String SERVICES = "META-INF/services/" + DatasetStore.class.getName();
    private static final FeatureExtractor FEATURES = FeatureExtractor.of("x", 8, 16_000, 1, 1, Map.of(),
            () -> (w, o) -> o[0] = w[0]);

    @TempDir
    Path dir;

    /** A service provider: public, with a public no-argument constructor. */
    public static class OneStore implements DatasetStore {
        /** For ServiceLoader. */
        public OneStore() {
        }

        @Override
        public WaveformSink createWaveforms(Path file, LabelIndex labels, int sampleRate, int clipSamples) {
            throw new UnsupportedOperationException("not packing here");
        }

        @Override
        public WaveformSource openWaveforms(Path file) {
            throw new UnsupportedOperationException("not reading here");
        }

        @Override
        public FeatureSink createFeatures(Path file, WaveformSource source, FeatureExtractor extractor) {
            throw new UnsupportedOperationException("not computing here");
        }

        @Override
        public String toString() {
            return getClass().getSimpleName();
        }
    }

    /** Another service provider. */
    public static final class OtherStore extends OneStore {
        /** For ServiceLoader. */
        public OtherStore() {
        }
    }

    private AudioSetPipeline.Builder packs() {
        return AudioSetPipeline.builder().downloads(dir.resolve("e_downloads")).segments(dir.resolve("e.csv"));
    }

    private AudioSetPipeline.Builder computes() {
        return AudioSetPipeline.builder().waveforms(dir.resolve("e.hdf5")).features(FEATURES);
    }

    /** Runs {@code call} with a context class loader that also sees a services file listing {@code providers}. */
    private <T> T withServices(List<String> providers, Callable<T> call) throws Exception {
        Path root = Files.createTempDirectory(dir, "services");
        Files.createDirectories(root.resolve(SERVICES).getParent());
        Files.write(root.resolve(SERVICES), providers);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()},
                StoreServiceTest.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            return call.call();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void withoutStoreAndWithoutServiceTheErrorSaysToAddHdf5OrCallStore() {
        for (AudioSetPipeline.Builder b : List.of(packs(), computes())) {
            assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("needs store(...)")
                    .hasMessageContaining("no DatasetStore service is on the class path")
                    .hasMessageContaining("add audioset-hdf5").hasMessageContaining("or call store(...)");
        }
        assertThatThrownBy(packs()::build).hasMessageStartingWith("the pack stage needs store(...)");
        assertThatThrownBy(computes()::build).hasMessageStartingWith("the features stage needs store(...)");
    }

    @Test
    void theOneServiceIsUsedWhenNoStoreIsGiven() throws Exception {
        List<String> one = List.of(OneStore.class.getName());
        assertThat(withServices(one, () -> AudioSetPipeline.Builder.serviceStore(Stage.PACK)))
                .isExactlyInstanceOf(OneStore.class);
        assertThat(withServices(one, () -> packs().build()).lastStage()).isEqualTo(Stage.PACK);
        assertThat(withServices(one, () -> computes().build()).lastStage()).isEqualTo(Stage.FEATURES);
        // the store found is the one the pipeline uses: it is named when it cannot keep strong labels
        assertThatThrownBy(() -> withServices(one, () -> packs().strong(dir.resolve("s.tsv")).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("strong(...) is set but the store OneStore does not write strong labels");
    }

    @Test
    void aGivenStoreOverridesTheServices() throws Exception {
        List<String> two = List.of(OneStore.class.getName(), OtherStore.class.getName());
        OtherStore given = new OtherStore();
        assertThatThrownBy(() -> withServices(two, () -> packs().store(given).strong(dir.resolve("s.tsv")).build()))
                .hasMessageContaining("the store OtherStore does not");
        assertThat(withServices(two, () -> packs().store(given).build()).lastStage()).isEqualTo(Stage.PACK);
    }

    @Test
    void severalServicesAreNamedAndStoreIsAskedFor() {
        List<String> two = List.of(OneStore.class.getName(), OtherStore.class.getName());
        assertThatThrownBy(() -> withServices(two, () -> packs().build())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the pack stage needs store(...): several DatasetStore services")
                .hasMessageContaining("(" + OneStore.class.getName() + ", " + OtherStore.class.getName() + ")")
                .hasMessageContaining("choose one with store(...)");
    }

    @Test
    void aBrokenServiceEntryIsReportedWithItsCause() {
        assertThatThrownBy(() -> withServices(List.of("no.such.Store"), () -> computes().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the features stage needs store(...)")
                .hasMessageContaining("no.such.Store").hasMessageContaining("cannot be loaded");
    }

    @Test
    void aRunThatNeitherPacksNorComputesLooksForNoStore() throws Exception {
        // a broken service would fail the look-up: a download-only run does not make it
        AudioSetPipeline download = withServices(List.of("no.such.Store"), () -> AudioSetPipeline.builder()
                .download(DownloadConfig.builder(dir, "e").build())
                .segments(dir.resolve("e.csv")).build());
        assertThat(download.lastStage()).isEqualTo(Stage.DOWNLOAD);
    }
}
