package io.github.audiosetdl.core.dsp;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the SIMD twin of a kernel interface ({@link Butterflies}, {@link ArrayKernels}): a class in
 * {@code src/main/java-vector}, compiled apart, that uses the incubating Vector API. It is loaded only when the
 * JVM was started with {@code --add-modules jdk.incubator.vector}, the system property {@link #PROPERTY} is not
 * {@code false}, and its constructor accepts the machine (256-bit double vectors); otherwise the scalar code runs.
 */
final class SimdTwins {
    /** The system property that turns SIMD off when {@code false}. */
    static final String PROPERTY = "audioset.simd";

    private static final Logger LOG = LoggerFactory.getLogger(SimdTwins.class);

    private SimdTwins() {
    }

    /**
     * @param type the kernel interface
     * @param implementation the simple name of its SIMD class, in this package
     * @param what what the kernels serve, for the debug log ("FFT")
     * @return the SIMD kernels, or null when this JVM cannot run them
     */
    static <T> T load(Class<T> type, String implementation, String what) {
        if ("false".equals(System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT))) {
            LOG.debug("{}: SIMD turned off by -D{}=false", what, PROPERTY);
            return null;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.debug("{}: scalar (start the JVM with --add-modules jdk.incubator.vector for SIMD)", what);
            return null;
        }
        try {
            T simd = type.cast(Class.forName(SimdTwins.class.getPackageName() + "." + implementation)
                    .getDeclaredConstructor().newInstance());
            LOG.debug("{}: SIMD on 256-bit vectors (jdk.incubator.vector)", what);
            return simd;
        } catch (InvocationTargetException e) {
            LOG.debug("{}: scalar ({})", what, e.getCause().getMessage());
            return null;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            LOG.warn("{}: SIMD unavailable, using scalar code: {}", what, e.toString());
            return null;
        }
    }
}
