package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

class RealFftTest {
    /** Max |error| allowed, relative to the largest |X[k]| or |x[j]| compared (measured errors are ~1e-15). */
    private static final double TOLERANCE = 1e-13;
    /** Marks output entries that must be left alone. */
    private static final double UNTOUCHED = 12345.0;
    /** Put in the imaginary parts of bins 0 and n/2, which the inverse must ignore. */
    private static final double IGNORED = 777.0;

    @BeforeAll
    static void singleThreadedJTransforms() {
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8, 10, 14, 16, 22, 26, 28, 42, 98, 128, 154, 182, 210, 286, 512, 686, 768, 784,
        1280, 1352, 2002, 4410, 9450, 2 * 3 * 7 * 11 * 13})
    void forwardMatchesNaiveDftOnAllBins(int n) {
        double[] x = signal(n, n);
        int bins = n / 2 + 1;
        double[] out = new double[2 * bins];
        RealFft fft = new RealFft(n);
        fft.forward(x, out, bins, fft.newWorkspace());
        assertClose(out, naiveDft(x, bins), 2 * bins, "n = " + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8, 10, 14, 16, 22, 26, 28, 42, 98, 128, 154, 182, 210, 286, 512, 686, 768, 784,
        1280, 1352, 2002, 4410, 9450, 2 * 3 * 7 * 11 * 13})
    void inverseMatchesNaiveInverseDftOnAllBins(int n) {
        int m = n / 2;
        double[] spectrum = naiveDft(signal(n, 3 * n), m + 1);
        spectrum[1] = IGNORED;
        spectrum[2 * m + 1] = -IGNORED;
        double[] out = new double[n];
        RealFft fft = new RealFft(n);
        fft.inverse(spectrum, m + 1, out, fft.newWorkspace());
        assertClose(out, naiveInverse(spectrum, m + 1, n), n, "n = " + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8, 14, 16, 26, 210, 512, 768, 784, 1280, 1352, 4410, 2 * 2 * 11 * 13})
    void everyRowLengthAndBinCountMatchesNaiveDfts(int n) {
        int m = n / 2;
        double[] x = signal(n, 7 * n);
        double[] spectrum = naiveDft(x, m + 1);
        double[] givenSpectrum = Arrays.copyOf(spectrum, 2 * m + 2 + 6);
        givenSpectrum[1] = IGNORED;
        givenSpectrum[2 * m + 1] = IGNORED;
        Arrays.fill(givenSpectrum, 2 * m + 2, givenSpectrum.length, -UNTOUCHED);
        double[] spectrumBefore = givenSpectrum.clone();
        Map<Integer, double[]> inverses = new HashMap<>();
        FftWorkspace ws = new FftWorkspace();
        for (int n1 = 1; n1 <= m; n1++) {
            if (m % n1 != 0) {
                continue;
            }
            RealFft fft = new RealFft(n, n1);
            for (int bins : new int[] {1, 2, 3, n1, n1 + 1, m / 2, m / 2 + 1, m / 2 + 2, m, m + 1}) {
                if (bins < 1 || bins > m + 1) {
                    continue;
                }
                String what = "n = " + n + ", n1 = " + n1 + ", bins = " + bins;
                double[] out = new double[2 * m + 4];
                Arrays.fill(out, UNTOUCHED);
                fft.forward(x, out, bins, ws);
                assertClose(out, spectrum, 2 * bins, "forward, " + what);
                assertUntouchedFrom(out, 2 * bins, "forward, " + what);

                double[] signal = new double[n + 3];
                Arrays.fill(signal, UNTOUCHED);
                // Bins >= bins are zero for the inverse, though the array holds more.
                fft.inverse(givenSpectrum, bins, signal, ws);
                double[] expected = inverses.computeIfAbsent(bins, b -> naiveInverse(givenSpectrum, b, n));
                assertClose(signal, expected, n, "inverse, " + what);
                assertUntouchedFrom(signal, n, "inverse, " + what);
                assertThat(givenSpectrum).as("spectrum after the inverse, %s", what).isEqualTo(spectrumBefore);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {441_000, 480_000, 160_000, 220_500, 110_250})
    void forwardMatchesJTransformsOnClipLengths(int n) {
        double[] x = signal(n, 42);
        double[] input = x.clone();
        double[] expected = jtransformsForward(x);
        RealFft fft = RealFft.of(n);
        FftWorkspace ws = fft.newWorkspace();
        assertThat(fft.length()).isEqualTo(n);

        int all = n / 2 + 1;
        double[] out = new double[2 * all];
        fft.forward(x, out, all, ws);
        assertClose(out, expected, 2 * all, "n = " + n + ", all bins");

        int bins = n == 480_000 ? 80_001 : (int) (0.18 * n);
        double[] part = new double[2 * bins + 6];
        Arrays.fill(part, UNTOUCHED);
        fft.forward(x, part, bins, ws);
        assertClose(part, expected, 2 * bins, "n = " + n + ", bins = " + bins);
        assertUntouchedFrom(part, 2 * bins, "n = " + n);
        assertThat(x).isEqualTo(input);
    }

    @ParameterizedTest
    @ValueSource(ints = {160_000, 441_000, 480_000})
    void inverseMatchesJTransformsOnClipLengths(int n) {
        int m = n / 2;
        double[] spectrum = jtransformsForward(signal(n, 43));
        spectrum[1] = IGNORED;
        spectrum[2 * m + 1] = IGNORED;
        double[] before = spectrum.clone();
        RealFft fft = RealFft.of(n);
        FftWorkspace ws = new FftWorkspace();
        for (int bins : new int[] {m + 1, m, 80_001, (int) (0.18 * n), 2, 1}) {
            double[] out = new double[n + 2];
            Arrays.fill(out, UNTOUCHED);
            fft.inverse(spectrum, bins, out, ws);
            String what = "n = " + n + ", bins = " + bins;
            assertClose(out, jtransformsInverse(spectrum, bins, n), n, what);
            assertUntouchedFrom(out, n, what);
        }
        assertThat(spectrum).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 14, 1000, 2 * 13 * 13 * 11, 80_000, 160_000, 220_500, 441_000, 480_000})
    void inverseUndoesForward(int n) {
        double[] x = signal(n, 5);
        RealFft fft = RealFft.of(n);
        FftWorkspace ws = new FftWorkspace();
        double[] spectrum = new double[n + 2];
        fft.forward(x, spectrum, n / 2 + 1, ws);
        double[] back = new double[n];
        fft.inverse(spectrum, n / 2 + 1, back, ws);
        assertClose(back, x, n, "n = " + n);
    }

    @Test
    void readsOnlyTheFirstNSamplesAndReusesItsScratchCorrectly() {
        int n = 2 * 3 * 5 * 7 * 7 * 4;
        RealFft fft = new RealFft(n);
        FftWorkspace ws = fft.newWorkspace();
        double[] x = signal(n, 1);
        double[] longer = Arrays.copyOf(x, n + 100);
        Arrays.fill(longer, n, n + 100, 1e6);
        double[] other = signal(n, 2);
        int bins = n / 2 + 1;
        double[] first = new double[2 * bins];
        double[] between = new double[2 * bins];
        double[] again = new double[2 * bins];
        fft.forward(x, first, bins, ws);
        fft.forward(other, between, bins, ws);
        fft.forward(longer, again, bins, ws);
        assertThat(again).isEqualTo(first);
        assertClose(between, naiveDft(other, bins), 2 * bins, "second input");

        double[] inPlace = Arrays.copyOf(x, 2 * bins);
        fft.forward(inPlace, inPlace, bins, ws);
        assertThat(inPlace).as("in place").isEqualTo(first);
    }

    @Test
    void oneWorkspaceServesPlansOfEveryLength() {
        FftWorkspace shared = new FftWorkspace();
        for (int n : new int[] {14, 480_000, 160_000, 2, 441_000, 98, 160_000}) {
            RealFft fft = RealFft.of(n);
            int bins = n / 2 + 1;
            double[] x = signal(n, n + 1);
            double[] expected = new double[2 * bins];
            double[] actual = new double[2 * bins];
            fft.forward(x, expected, bins, fft.newWorkspace());
            fft.forward(x, actual, bins, shared);
            assertThat(actual).as("forward, n = %d", n).isEqualTo(expected);
            double[] expectedBack = new double[n];
            double[] actualBack = new double[n];
            fft.inverse(expected, bins, expectedBack, fft.newWorkspace());
            fft.inverse(expected, bins, actualBack, shared);
            assertThat(actualBack).as("inverse, n = %d", n).isEqualTo(expectedBack);
        }
    }

    @Test
    void workspaceHoldsWhatTheJavadocSays() {
        int n = 441_000;
        RealFft fft = RealFft.of(n);
        FftWorkspace inverseOnly = new FftWorkspace();
        assertThat(inverseOnly.bytes()).isLessThan(1000);
        fft.inverse(new double[] {1, 0}, 1, new double[n], inverseOnly);
        assertThat(inverseOnly.bytes()).as("no n-sized array for the inverse").isBetween(900_000L, 1_000_000L);
        FftWorkspace full = fft.newWorkspace();
        assertThat(full.bytes()).isBetween(8L * n + 900_000, 8L * n + 1_000_000);
        fft.forward(new double[n], new double[2], 1, full);
        assertThat(full.bytes()).as("newWorkspace() is already grown").isBetween(8L * n + 900_000,
                8L * n + 1_000_000);
        assertThat(fft.tableBytes()).isBetween(40_000L, 50_000L);
    }

    @Test
    void onePlanServesFourThreadsWithTheirOwnWorkspaces() throws Exception {
        // 2·2·3·5·7·11·13: every radix kind, including the generic odd one that needs per-thread sums.
        int n = 2 * 2 * 3 * 5 * 7 * 11 * 13;
        int bins = n / 2 + 1;
        int threads = 4;
        RealFft fft = new RealFft(n);
        double[][] inputs = new double[threads][];
        double[][] spectra = new double[threads][];
        double[][] signals = new double[threads][];
        for (int t = 0; t < threads; t++) {
            inputs[t] = signal(n, 100 + t);
            spectra[t] = new double[2 * bins];
            signals[t] = new double[n];
            FftWorkspace ws = fft.newWorkspace();
            fft.forward(inputs[t], spectra[t], bins, ws);
            fft.inverse(spectra[t], bins, signals[t], ws);
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    FftWorkspace ws = new FftWorkspace();
                    double[] spectrum = new double[2 * bins];
                    double[] signal = new double[n];
                    start.await();
                    for (int round = 0; round < 30; round++) {
                        int which = (id + round) % threads;
                        fft.forward(inputs[which], spectrum, bins, ws);
                        if (!Arrays.equals(spectrum, spectra[which])) {
                            return "forward differs: thread " + id + ", round " + round;
                        }
                        fft.inverse(spectra[which], bins, signal, ws);
                        if (!Arrays.equals(signal, signals[which])) {
                            return "inverse differs: thread " + id + ", round " + round;
                        }
                    }
                    return "ok";
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofCachesTheEightLengthsUsedLast() {
        RealFft plan = RealFft.of(480_000);
        assertThat(RealFft.of(480_000)).isSameAs(plan);
        assertThat(plan.length()).isEqualTo(480_000);
        RealFft other = RealFft.of(160_000);
        assertThat(other).isNotSameAs(plan);
        assertThat(other.length()).isEqualTo(160_000);

        RealFft kept = RealFft.of(2 * 3 * 5 * 7);
        RealFft dropped = RealFft.of(2 * 3 * 5 * 11);
        for (int i = 1; i <= 7; i++) {
            RealFft.of(2 * 13 * i);
            // Using kept makes it the most recent; dropped is then the least recently used.
            assertThat(RealFft.of(2 * 3 * 5 * 7)).isSameAs(kept);
        }
        assertThat(RealFft.of(2 * 3 * 5 * 11)).as("evicted after 8 newer lengths").isNotSameAs(dropped);
        assertThat(RealFft.of(2 * 3 * 5 * 7)).isSameAs(kept);
        assertThatThrownBy(() -> RealFft.of(2 * 17)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsAPureToneAndMakesOne() {
        int n = 441_000;
        int bin = 12_345;
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = Math.cos(2 * Math.PI * (((long) bin * j) % n) / n);
        }
        RealFft fft = RealFft.of(n);
        FftWorkspace ws = fft.newWorkspace();
        double[] out = new double[2 * 20_000];
        fft.forward(x, out, 20_000, ws);
        for (int k = 0; k < 20_000; k++) {
            double expectedRe = k == bin ? n / 2.0 : 0;
            assertThat(Math.abs(out[2 * k] - expectedRe)).as("Re X[%d]", k).isLessThan(1e-7);
            assertThat(Math.abs(out[2 * k + 1])).as("Im X[%d]", k).isLessThan(1e-7);
        }

        double[] tone = new double[n];
        fft.inverse(out, 20_000, tone, ws);
        for (int j = 0; j < n; j++) {
            assertThat(Math.abs(tone[j] - x[j])).as("x[%d]", j).isLessThan(1e-13);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {480_000, 160_000, 441_000, 80_000, 220_500, 2, 4, 6, 8, 14, 22, 26, 1024, 2 * 13 * 13 * 13,
        2 * 11 * 13 * 1000, 2 * 7 * 7 * 7 * 7})
    void supportsEvenLengthsWhoseHalfHasNoPrimeFactorAboveThirteen(int n) {
        assertThat(RealFft.supports(n)).isTrue();
        assertThat(new RealFft(n).length()).isEqualTo(n);
    }

    @ParameterizedTest
    @ValueSource(ints = {441_001, 480_001, 1, 3, 7, 21, 2 * 17, 2 * 19 * 49, 2 * 17 * 3 * 5, 2 * 100_003, 0, -14})
    void rejectsOtherLengths(int n) {
        assertThat(RealFft.supports(n)).isFalse();
        assertThatThrownBy(() -> new RealFft(n)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length n = " + n + ":");
    }

    @Test
    void rejectsBadArguments() {
        RealFft fft = new RealFft(98);
        FftWorkspace ws = fft.newWorkspace();
        double[] x = new double[98];
        assertThatThrownBy(() -> fft.forward(x, new double[100], 0, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bins 0");
        assertThatThrownBy(() -> fft.forward(x, new double[100], 51, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bins 51");
        assertThatThrownBy(() -> fft.forward(new double[97], new double[100], 50, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("97");
        assertThatThrownBy(() -> fft.forward(x, new double[99], 50, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");

        double[] spectrum = new double[100];
        assertThatThrownBy(() -> fft.inverse(spectrum, 0, x, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bins 0");
        assertThatThrownBy(() -> fft.inverse(spectrum, 51, x, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bins 51");
        assertThatThrownBy(() -> fft.inverse(new double[99], 50, x, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> fft.inverse(spectrum, 50, new double[97], ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("97");
        assertThatThrownBy(() -> fft.inverse(spectrum, 50, spectrum, ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be");
        assertThatThrownBy(() -> new RealFft(98, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Noise plus a few tones, so that both the peaks and the floor are compared. */
    private static double[] signal(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = random.nextGaussian() + 3 * Math.sin(0.01 * j) + Math.cos(1.3 * j + 0.2);
        }
        return x;
    }

    /** {@code X[k] = sum_j x[j]·exp(-2πi·jk/n)} for {@code k < bins}, from exact angles, interleaved. */
    private static double[] naiveDft(double[] x, int bins) {
        int n = x.length;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int r = 0; r < n; r++) {
            cos[r] = Math.cos(2 * Math.PI * r / n);
            sin[r] = Math.sin(2 * Math.PI * r / n);
        }
        double[] out = new double[2 * bins];
        for (int k = 0; k < bins; k++) {
            double re = 0;
            double im = 0;
            for (int j = 0; j < n; j++) {
                int r = (int) ((long) j * k % n);
                re += x[j] * cos[r];
                im -= x[j] * sin[r];
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    /**
     * {@code x[j] = (1/n)·sum_{k<n} X[k]·exp(2πi·jk/n)} from exact angles, for the Hermitian spectrum whose
     * bins {@code k < bins} are given (the imaginary parts of bins 0 and n/2 ignored) and the rest are 0.
     */
    private static double[] naiveInverse(double[] spectrum, int bins, int n) {
        int m = n / 2;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int r = 0; r < n; r++) {
            cos[r] = Math.cos(2 * Math.PI * r / n);
            sin[r] = Math.sin(2 * Math.PI * r / n);
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double sum = spectrum[0];
            if (bins > m) {
                sum += j % 2 == 0 ? spectrum[2 * m] : -spectrum[2 * m];
            }
            for (int k = 1; k < Math.min(bins, m); k++) {
                int r = (int) ((long) j * k % n);
                sum += 2 * (spectrum[2 * k] * cos[r] - spectrum[2 * k + 1] * sin[r]);
            }
            out[j] = sum / n;
        }
        return out;
    }

    /** JTransforms' {@code realForward}, unpacked to {@code X[0..n/2]} interleaved. */
    private static double[] jtransformsForward(double[] x) {
        int n = x.length;
        double[] a = x.clone();
        new DoubleFFT_1D(n).realForward(a);
        double[] out = new double[n + 2];
        System.arraycopy(a, 2, out, 2, n - 2);
        out[0] = a[0];
        out[n] = a[1];
        return out;
    }

    /**
     * JTransforms' {@code realInverse(a, true)} of the bins {@code k < bins} of {@code spectrum}, packed as
     * {@code a[0] = Re X[0]}, {@code a[1] = Re X[n/2]}, {@code a[2k], a[2k+1] = X[k]}.
     */
    private static double[] jtransformsInverse(double[] spectrum, int bins, int n) {
        int m = n / 2;
        double[] a = new double[n];
        a[0] = spectrum[0];
        a[1] = bins > m ? spectrum[2 * m] : 0;
        System.arraycopy(spectrum, 2, a, 2, 2 * (Math.min(bins, m) - 1));
        new DoubleFFT_1D(n).realInverse(a, true);
        return a;
    }

    /** Compares {@code actual[0..count)} with {@code expected[0..count)}, relative to the largest expected. */
    private static void assertClose(double[] actual, double[] expected, int count, String what) {
        double scale = 0;
        double error = 0;
        for (int i = 0; i < count; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(actual[i] - expected[i]));
        }
        assertThat(scale).as("largest expected magnitude for %s", what).isGreaterThan(0);
        assertThat(error / scale).as("max |error| / max |expected| for %s", what).isLessThanOrEqualTo(TOLERANCE);
    }

    private static void assertUntouchedFrom(double[] out, int from, String what) {
        for (int i = from; i < out.length; i++) {
            assertThat(out[i]).as("out[%d] for %s", i, what).isEqualTo(UNTOUCHED);
        }
    }
}
