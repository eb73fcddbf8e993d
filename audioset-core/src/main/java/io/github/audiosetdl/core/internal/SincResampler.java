package io.github.audiosetdl.core.internal;

import io.github.audiosetdl.core.dsp.RealArrays;
import io.github.audiosetdl.core.dsp.WindowFunctions;

/**
 * Resampling by a Kaiser-windowed sinc, with the parameters of ffmpeg's default resampler (libswresample:
 * {@code filter_size} 32, {@code cutoff} 0.97, Kaiser β 9, one filter phase per output position of the reduced rate
 * ratio), which is what PANNs' downloader ({@code ffmpeg -ar 32000}) applies. Matches {@code ffmpeg -ar} on the same
 * samples to about 1e-5 of full scale (ffmpeg keeps its coefficients in float; checked by a test against the
 * ffmpeg binary).
 *
 * <p>For {@code up} outputs per {@code down} inputs (the rates divided by their greatest common divisor), output
 * {@code j} lies at input position {@code j·down/up}; it is the sum over {@code L} input samples around it of the
 * samples times {@code sinc(π·t·f)·I0(β·√(1 − (2t/L)²))}, {@code t} each sample's distance from the position,
 * {@code f = min(1, 0.97 · toRate / fromRate)} the cutoff as a fraction of the input's Nyquist frequency,
 * {@code L = ⌈32 / f⌉} rounded up to even, each phase's coefficients scaled to sum to 1 (unit gain at 0 Hz). The
 * samples before the clip are its first ones mirrored ({@code x[−k] = x[k]}), those after it its last ones
 * ({@code x[n − 1 + k] = x[n − k]}), as ffmpeg does at the ends of a stream.
 *
 * <p>The coefficient tables ({@code up × L} doubles: 320 × 48 for 44.1 to 32 kHz) are built once per rate pair and
 * shared (read-only). A pair whose table would exceed {@link #MAX_TABLE} doubles (for instance 44,099 Hz to 32 kHz)
 * goes to {@link FftResampler} instead. Nothing here changes JVM-wide state or starts a thread.
 */
public final class SincResampler {
    /** ffmpeg's {@code filter_size}: the filter spans this many samples of the lower rate, about. */
    static final int FILTER_SIZE = 32;
    /** ffmpeg's {@code cutoff}: the pass band's edge as a fraction of the lower rate's Nyquist frequency. */
    static final double CUTOFF = 0.97;
    /** ffmpeg's {@code kaiser_beta}. */
    static final double KAISER_BETA = 9;
    /**
     * The largest coefficient table built, in doubles (2 MB; at most 4 are cached): about 5,000 phases of 48 taps, far
     * more than any common pair needs (44.1 to 32 kHz: 320), so that a file with an odd rate cannot make the pack
     * hold or compute a large table.
     */
    public static final int MAX_TABLE = 1 << 18;

    private static final LruCache<Long, Filter> FILTERS = new LruCache<>(4);

    private SincResampler() {
    }

    /**
     * @param fromRate the input rate in Hz, {@code >= 1}
     * @param toRate the output rate in Hz, {@code >= 1}
     * @return whether {@link #resample} filters this pair (else it falls back to {@link FftResampler})
     */
    public static boolean filters(int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        int g = gcd(fromRate, toRate);
        long up = toRate / g;
        return up * alignedTaps(filterLength(fromRate, toRate)) <= MAX_TABLE;
    }

    /**
     * Resamples {@code x[0..n)} from {@code fromRate} to {@code toRate}, {@code out.length} samples from the clip's
     * start. Equal rates copy; pairs {@link #filters} refuses go to {@link FftResampler#resample}, which uses
     * {@code x} as scratch.
     *
     * @param x the signal in {@code x[0..n)}; unchanged by the sinc filter, overwritten by the FFT fallback
     * @param n the signal's length, {@code 1 <= n <= x.length}
     * @param fromRate the signal's rate in Hz
     * @param toRate the output's rate in Hz
     * @param out receives {@code out.length >= 1} samples, rounded to float
     */
    public static void resample(double[] x, int n, int fromRate, int toRate, float[] out) {
        checkRates(fromRate, toRate);
        int num = out.length;
        if (n < 1 || n > x.length || num < 1) {
            throw new IllegalArgumentException("cannot resample " + n + " samples to " + num);
        }
        if (fromRate == toRate) {
            for (int i = 0; i < Math.min(n, num); i++) {
                out[i] = (float) x[i];
            }
            for (int i = n; i < num; i++) {
                out[i] = (float) x[n - 1 - Math.min(i - n, n - 1)];
            }
            return;
        }
        if (!filters(fromRate, toRate)) {
            FftResampler.resample(x, n, out);
            return;
        }
        Filter f = FILTERS.get(((long) fromRate << 32) | toRate, k -> new Filter(fromRate, toRate));
        // Outputs whose taps all lie inside x[0..n) go to the SIMD kernel; the few at each end read mirrored samples.
        // Output j's first tap is x[floor(j·down/up) − centre].
        long lo = ceilDiv((long) f.centre * f.up, f.down);
        long last = n - f.taps + f.centre; // the highest floor(j·down/up) whose taps fit
        long hi = last < 0 ? 0 : ((last + 1) * f.up - 1) / f.down + 1;
        int inLo = (int) Math.min(lo, num);
        int inHi = (int) Math.max(inLo, Math.min(hi, num));
        for (int j = 0; j < inLo; j++) {
            out[j] = f.mirrored(x, n, j);
        }
        RealArrays.polyphase(x, -f.centre, f.table, f.taps, f.up, f.down, inLo, inHi, out);
        for (int j = inHi; j < num; j++) {
            out[j] = f.mirrored(x, n, j);
        }
    }

    private static void checkRates(int fromRate, int toRate) {
        if (fromRate < 1 || toRate < 1) {
            throw new IllegalArgumentException("cannot resample from " + fromRate + " Hz to " + toRate + " Hz");
        }
    }

    /** The pass band's edge as a fraction of the input's Nyquist frequency, {@code f = min(1, 0.97 · to / from)}. */
    private static double factor(int fromRate, int toRate) {
        return Math.min(1.0, (double) toRate * CUTOFF / fromRate);
    }

    /** ffmpeg's filter length: {@code ⌈32 / f⌉} input samples, rounded up to even. */
    private static long filterLength(int fromRate, int toRate) {
        long length = Math.max(1, (long) Math.ceil(FILTER_SIZE / factor(fromRate, toRate)));
        return length + length % 2;
    }

    private static long alignedTaps(long length) {
        return (length + 3) & ~3L;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** One rate pair's coefficients: {@code up} phases of {@code taps} doubles (the filter's length, then zeros). */
    private static final class Filter {
        final int up;
        final int down;
        final int taps;
        final int centre;
        final double[] table;

        Filter(int fromRate, int toRate) {
            int g = gcd(fromRate, toRate);
            up = toRate / g;
            down = fromRate / g;
            double factor = factor(fromRate, toRate);
            int length = (int) filterLength(fromRate, toRate); // filters(): up × taps <= MAX_TABLE
            taps = (int) alignedTaps(length);
            centre = (length - 1) / 2;
            table = new double[up * taps];
            for (int p = 0; p < up; p++) {
                double sum = 0;
                for (int i = 0; i < length; i++) {
                    double t = (i - centre) - (double) p / up; // the tap's distance from the output's position
                    double w = 2 * t / length;
                    double h = sinc(t * factor)
                            * WindowFunctions.besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - w * w)));
                    table[p * taps + i] = h;
                    sum += h;
                }
                for (int i = 0; i < length; i++) {
                    table[p * taps + i] /= sum;
                }
            }
        }

        /**
         * The sinc, exactly 0 at whole numbers other than 0 (where {@code sin(πa) / (πa)} in doubles is about
         * 1e-17): upsampling's phase 0 is then a single tap of 1, the input samples themselves, which the
         * polyphase kernel copies.
         */
        private static double sinc(double a) {
            return a != 0 && a == Math.rint(a) ? 0 : WindowFunctions.sinc(a);
        }

        /** Output {@code j} with the samples outside {@code x[0..n)} mirrored; the kernel's sum, term for term. */
        float mirrored(double[] x, int n, int j) {
            long q = (long) j * down;
            long s = q / up - centre;
            int h = (int) (q % up) * taps;
            double c0 = 0;
            double c1 = 0;
            double c2 = 0;
            double c3 = 0;
            for (int k = 0; k < taps; k += 4) {
                c0 = Math.fma(table[h + k], x[mirror(s + k, n)], c0);
                c1 = Math.fma(table[h + k + 1], x[mirror(s + k + 1, n)], c1);
                c2 = Math.fma(table[h + k + 2], x[mirror(s + k + 2, n)], c2);
                c3 = Math.fma(table[h + k + 3], x[mirror(s + k + 3, n)], c3);
            }
            return (float) ((c0 + c1) + (c2 + c3));
        }

        /** {@code x[−k] = x[k]} before the clip, {@code x[n − 1 + k] = x[n − k]} after it, clamped to the clip. */
        private static int mirror(long i, int n) {
            long m = i < 0 ? -i : i >= n ? 2L * n - 1 - i : i;
            return (int) Math.max(0, Math.min(n - 1, m));
        }
    }
}
