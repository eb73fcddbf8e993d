package io.github.audiosetdl.cochlea;

import io.github.audiosetdl.core.testing.NpyArrays;
import io.github.audiosetdl.core.testing.TestData;

/** Loads the arrays of {@code testdata/golden/cochleagram} and compares arrays with their README's tolerances. */
final class Golden {
    private Golden() {
    }

    /** @param name an array's name without extension, e.g. {@code coch_py_noise} */
    static NpyArrays.Array load(String name) {
        return TestData.array("golden/cochleagram/" + name);
    }

    /** @param name {@code sine1k}, {@code noise}, {@code chirp} or {@code clicks}: 160000 samples at 16 kHz */
    static float[] input(String name) {
        return TestData.floats("golden/cochleagram/input_" + name);
    }

    /** Max |a - b| over the arrays; also checks lengths. */
    static double maxAbsDiff(double[] ref, float[] got) {
        if (ref.length != got.length) {
            throw new AssertionError("length " + got.length + " != reference " + ref.length);
        }
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            m = Math.max(m, Math.abs(ref[i] - got[i]));
        }
        return m;
    }

    static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * Asserts {@code |got - ref| <= rtol * |ref| + atol * max|ref|} everywhere, and reports the worst
     * element.
     */
    static void assertClose(String what, double[] ref, float[] got, double rtol, double atol) {
        if (ref.length != got.length) {
            throw new AssertionError(what + ": length " + got.length + " != reference " + ref.length);
        }
        double scale = max(ref);
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < ref.length; i++) {
            double bound = rtol * Math.abs(ref[i]) + atol * scale;
            double ratio = Math.abs(got[i] - ref[i]) / bound;
            if (!(ratio <= worstRatio) || Double.isNaN(got[i])) {
                worstRatio = Double.isNaN(got[i]) ? Double.POSITIVE_INFINITY : ratio;
                worst = i;
            }
        }
        if (worstRatio > 1) {
            throw new AssertionError(String.format("%s: element %d is %s, reference %s (|diff| %.3g, bound %.3g, "
                    + "max|ref| %.4g)", what, worst, got[worst], ref[worst], Math.abs(got[worst] - ref[worst]),
                    rtol * Math.abs(ref[worst]) + atol * scale, scale));
        }
    }
}
