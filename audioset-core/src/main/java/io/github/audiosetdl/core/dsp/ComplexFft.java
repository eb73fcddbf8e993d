package io.github.audiosetdl.core.dsp;

/**
 * The complex DFT of one signal of any length {@code n >= 1}: forward {@code X[k] = sum_{t<n} x[t]·exp(-2πi·tk/n)}
 * and inverse {@code x[t] = sum_{k<n} X[k]·exp(+2πi·tk/n)}, both unnormalised, in place in an interleaved array
 * ({@code data[2t]} real part, {@code data[2t+1]} imaginary part), in double precision.
 *
 * <p>Lengths with no prime factor above 13 run on the mixed-radix passes of {@link BatchFft} (SIMD included);
 * any other length by Bluestein's algorithm: the chirp {@code w[t] = exp(-πi·t²/n)} turns the DFT into a
 * convolution, {@code X[k] = w[k]·sum_t (x[t]·w[t])·conj(w[k-t])}, done by FFTs of a length {@code m >= 2n - 1}
 * with no prime factor above 7, about {@code 3·m/n} times the work of a smooth length. Angles are reduced
 * exactly ({@code t² mod 2n}) before {@code Math.cos/sin}, so results agree with a direct double-precision DFT
 * to about 1e-14 of the largest magnitude for clip lengths.
 *
 * <p>An immutable, thread-safe plan; the scratch is a {@link FftWorkspace} per thread, grown to {@code 32·m}
 * bytes (Bluestein) or {@code 16·n} bytes. For a real signal of a smooth even length, {@link RealFft} does half
 * the work.
 */
public final class ComplexFft {
    private final int n;
    /** The passes for {@code n}, or for the convolution length {@code m} (Bluestein). */
    private final StockhamPlan plan;
    /** Bluestein only: the convolution length, else 0. */
    private final int m;
    /** Bluestein only: {@code w[t]} interleaved, {@code t < n}. */
    private final double[] chirp;
    /** Bluestein only: the forward DFT of the kernel {@code conj(w[|t|])} over {@code m} points, divided by m. */
    private final double[] kernel;

    /**
     * @param n the transform length, {@code >= 1}
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 2^29} (Bluestein's buffers would not fit)
     */
    public ComplexFft(int n) {
        if (n < 1 || n > 1 << 29) {
            throw new IllegalArgumentException("ComplexFft length " + n + " is not in 1..2^29");
        }
        this.n = n;
        Butterflies simd = Butterflies.simd();
        if (BatchFft.supports(n)) {
            this.m = 0;
            this.plan = new StockhamPlan(n, simd);
            this.chirp = null;
            this.kernel = null;
            return;
        }
        this.m = convolutionLength(2 * n - 1);
        this.plan = new StockhamPlan(m, simd);
        this.chirp = new double[2 * n];
        long period = 2L * n;
        for (int t = 0; t < n; t++) {
            RealFft.setRoot(chirp, t, (long) t * t % period, period);
        }
        double[] b = new double[2 * m];
        for (int t = 0; t < n; t++) {
            double re = chirp[2 * t] / m;
            double im = -chirp[2 * t + 1] / m;
            b[2 * t] = re;
            b[2 * t + 1] = im;
            if (t > 0) {
                b[2 * (m - t)] = re;
                b[2 * (m - t) + 1] = im;
            }
        }
        FftWorkspace ws = new FftWorkspace();
        this.kernel = copyOut(plan.run(b, 0, 1, new double[2 * m], b, 1, ws), 2 * m);
    }

    /** @return the smallest {@code m >= min} with no prime factor above 7 */
    static int convolutionLength(int min) {
        for (long c = min; ; c++) {
            long rest = c;
            for (int p : new int[] {2, 3, 5, 7}) {
                while (rest % p == 0) {
                    rest /= p;
                }
            }
            if (rest == 1) {
                return Math.toIntExact(c);
            }
        }
    }

    private static double[] copyOut(double[] result, int length) {
        double[] copy = new double[length];
        System.arraycopy(result, 0, copy, 0, length);
        return copy;
    }

    /** @return the transform length {@code n} */
    public int length() {
        return n;
    }

    /**
     * The forward DFT, in place.
     *
     * @param data {@code 2n} doubles, interleaved; replaced by the transform
     * @param ws scratch, used by one thread at a time
     * @throws IllegalArgumentException if {@code data} is shorter than {@code 2n}
     */
    public void forward(double[] data, FftWorkspace ws) {
        if (data.length < 2 * n) {
            throw new IllegalArgumentException("data has " + data.length + " doubles, need 2n = " + 2 * n);
        }
        if (chirp == null) {
            ws.reserve(2 * n, 0);
            double[] r = plan.run(data, 0, 1, ws.bufA, data, 1, ws);
            if (r != data) {
                System.arraycopy(r, 0, data, 0, 2 * n);
            }
            return;
        }
        ws.reserve(2 * m, 0);
        double[] a = ws.bufA;
        for (int t = 0; t < n; t++) {
            double xr = data[2 * t];
            double xi = data[2 * t + 1];
            double wr = chirp[2 * t];
            double wi = chirp[2 * t + 1];
            a[2 * t] = xr * wr - xi * wi;
            a[2 * t + 1] = xr * wi + xi * wr;
        }
        java.util.Arrays.fill(a, 2 * n, 2 * m, 0);
        double[] f = plan.run(a, 0, 1, ws.bufB, a, 1, ws);
        // times the kernel's transform, then the inverse DFT as the forward of the swapped parts
        for (int k = 0; k < m; k++) {
            double fr = f[2 * k];
            double fi = f[2 * k + 1];
            double kr = kernel[2 * k];
            double ki = kernel[2 * k + 1];
            f[2 * k] = fr * ki + fi * kr;
            f[2 * k + 1] = fr * kr - fi * ki;
        }
        double[] other = f == a ? ws.bufB : a;
        double[] c = plan.run(f, 0, 1, other, f, 1, ws);
        for (int k = 0; k < n; k++) {
            double cr = c[2 * k + 1];
            double ci = c[2 * k];
            double wr = chirp[2 * k];
            double wi = chirp[2 * k + 1];
            data[2 * k] = cr * wr - ci * wi;
            data[2 * k + 1] = cr * wi + ci * wr;
        }
    }

    /**
     * The inverse DFT (unnormalised: the forward then the inverse multiply by {@code n}), in place.
     *
     * @param data {@code 2n} doubles, interleaved; replaced by the transform
     * @param ws scratch, used by one thread at a time
     * @throws IllegalArgumentException if {@code data} is shorter than {@code 2n}
     */
    public void inverse(double[] data, FftWorkspace ws) {
        swapParts(data);
        forward(data, ws);
        swapParts(data);
    }

    private void swapParts(double[] data) {
        if (data.length < 2 * n) {
            throw new IllegalArgumentException("data has " + data.length + " doubles, need 2n = " + 2 * n);
        }
        for (int t = 0; t < 2 * n; t += 2) {
            double re = data[t];
            data[t] = data[t + 1];
            data[t + 1] = re;
        }
    }
}
