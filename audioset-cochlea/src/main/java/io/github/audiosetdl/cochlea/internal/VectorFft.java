package io.github.audiosetdl.cochlea.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An unnormalised inverse DFT ({@code y[u] = sum_j x[j] e^{+2 pi i j u / n}}) of length {@code n},
 * applied to {@code columns} independent signals at once. Element {@code j} of column {@code v} sits
 * at {@code re[j][v]}, {@code im[j][v]}: one small array per element, so every butterfly is a loop over
 * {@code columns} doubles at the same index of distinct arrays, a shape HotSpot's C2 vectorises (it does
 * not vectorise loops over one array at several unrelated offsets).
 *
 * <p>A self-sorting (Stockham) mixed-radix algorithm with radix-4, 2 and 5 butterflies and a direct
 * DFT for any other prime factor. Twiddles come from exact tables of the {@code n}-th roots of
 * unity. Immutable; the caller provides the buffers.
 */
public final class VectorFft {
    private final int n;
    private final int columns;
    private final int[] radices;
    /** Per stage: twiddle {@code e^{2 pi i k q / (ns r)}} at {@code [k * r + q]}. */
    private final double[][] twRe;
    private final double[][] twIm;

    /**
     * @param n the transform length, {@code >= 1}
     * @param columns the number of signals transformed together, {@code >= 1}
     */
    public VectorFft(int n, int columns) {
        if (n < 1 || columns < 1) {
            throw new IllegalArgumentException("n " + n + " and columns " + columns + " must be positive");
        }
        this.n = n;
        this.columns = columns;
        this.radices = factor(n);
        double[] rootRe = new double[n];
        double[] rootIm = new double[n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / n;
            rootRe[i] = Math.cos(angle);
            rootIm[i] = Math.sin(angle);
        }
        twRe = new double[radices.length][];
        twIm = new double[radices.length][];
        int ns = 1;
        for (int s = 0; s < radices.length; s++) {
            int r = radices[s];
            int stride = n / (ns * r);
            twRe[s] = new double[ns * r];
            twIm[s] = new double[ns * r];
            for (int k = 0; k < ns; k++) {
                for (int q = 0; q < r; q++) {
                    int idx = (int) ((long) k * q * stride % n);
                    twRe[s][k * r + q] = rootRe[idx];
                    twIm[s][k * r + q] = rootIm[idx];
                }
            }
            ns *= r;
        }
    }

    /**
     * @param n a length
     * @return its largest prime factor (1 for n = 1)
     */
    public static int largestPrimeFactor(int n) {
        int largest = 1;
        int m = n;
        for (int p = 2; (long) p * p <= m; p++) {
            while (m % p == 0) {
                largest = p;
                m /= p;
            }
        }
        return m > 1 ? Math.max(largest, m) : largest;
    }

    private static int[] factor(int n) {
        List<Integer> f = new ArrayList<>();
        int m = n;
        while (m % 4 == 0) {
            f.add(4);
            m /= 4;
        }
        while (m % 2 == 0) {
            f.add(2);
            m /= 2;
        }
        for (int p = 3; m > 1; p += 2) {
            while (m % p == 0) {
                f.add(p);
                m /= p;
            }
        }
        return f.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the transform length */
    public int length() {
        return n;
    }

    /**
     * Transforms in place, using a second pair of buffers as scratch.
     *
     * @param re real parts, {@code length()} rows of {@code columns} values; receives the result when this
     *     returns {@code false}
     * @param im imaginary parts, as {@code re}
     * @param re2 scratch of the same shape; receives the result when this returns {@code true}
     * @param im2 scratch of the same shape
     * @return whether the result is in {@code re2, im2} rather than {@code re, im}
     */
    public boolean inverse(double[][] re, double[][] im, double[][] re2, double[][] im2) {
        double[][] sr = re;
        double[][] si = im;
        double[][] dr = re2;
        double[][] di = im2;
        int ns = 1;
        boolean swapped = false;
        for (int s = 0; s < radices.length; s++) {
            int r = radices[s];
            int m = n / r;
            double[] tr = twRe[s];
            double[] ti = twIm[s];
            for (int j = 0; j < m; j++) {
                int k = j % ns;
                int in = j;
                int out = (j / ns) * ns * r + k;
                int inStride = m;
                int outStride = ns;
                switch (r) {
                    case 4 -> radix4(sr, si, dr, di, in, inStride, out, outStride, tr, ti, k * 4);
                    case 2 -> radix2(sr, si, dr, di, in, inStride, out, outStride, tr[k * 2 + 1], ti[k * 2 + 1]);
                    case 5 -> radix5(sr, si, dr, di, in, inStride, out, outStride, tr, ti, k * 5);
                    default -> radixGeneric(r, sr, si, dr, di, in, inStride, out, outStride, tr, ti, k * r);
                }
            }
            ns *= r;
            double[][] t = sr;
            sr = dr;
            dr = t;
            t = si;
            si = di;
            di = t;
            swapped = !swapped;
        }
        return swapped;
    }

    private void radix2(double[][] sr, double[][] si, double[][] dr, double[][] di, int in, int is, int out, int os,
            double wr, double wi) {
        int c = columns;
        double[] a0r = sr[in];
        double[] a0i = si[in];
        double[] a1r = sr[in + is];
        double[] a1i = si[in + is];
        double[] b0r = dr[out];
        double[] b0i = di[out];
        double[] b1r = dr[out + os];
        double[] b1i = di[out + os];
        for (int v = 0; v < c; v++) {
            double xr = a1r[v];
            double xi = a1i[v];
            double yr = xr * wr - xi * wi;
            double yi = xr * wi + xi * wr;
            double ar = a0r[v];
            double ai = a0i[v];
            b0r[v] = ar + yr;
            b0i[v] = ai + yi;
            b1r[v] = ar - yr;
            b1i[v] = ai - yi;
        }
    }

    private void radix4(double[][] sr, double[][] si, double[][] dr, double[][] di, int in, int is, int out, int os,
            double[] tr, double[] ti, int t) {
        int c = columns;
        double[] a0r = sr[in];
        double[] a0i = si[in];
        double[] a1r = sr[in + is];
        double[] a1i = si[in + is];
        double[] a2r = sr[in + 2 * is];
        double[] a2i = si[in + 2 * is];
        double[] a3r = sr[in + 3 * is];
        double[] a3i = si[in + 3 * is];
        double[] b0r = dr[out];
        double[] b0i = di[out];
        double[] b1r = dr[out + os];
        double[] b1i = di[out + os];
        double[] b2r = dr[out + 2 * os];
        double[] b2i = di[out + 2 * os];
        double[] b3r = dr[out + 3 * os];
        double[] b3i = di[out + 3 * os];
        double w1r = tr[t + 1];
        double w1i = ti[t + 1];
        double w2r = tr[t + 2];
        double w2i = ti[t + 2];
        double w3r = tr[t + 3];
        double w3i = ti[t + 3];
        for (int v = 0; v < c; v++) {
            double x0r = a0r[v];
            double x0i = a0i[v];
            double ur = a1r[v];
            double ui = a1i[v];
            double x1r = ur * w1r - ui * w1i;
            double x1i = ur * w1i + ui * w1r;
            ur = a2r[v];
            ui = a2i[v];
            double x2r = ur * w2r - ui * w2i;
            double x2i = ur * w2i + ui * w2r;
            ur = a3r[v];
            ui = a3i[v];
            double x3r = ur * w3r - ui * w3i;
            double x3i = ur * w3i + ui * w3r;
            double t0r = x0r + x2r;
            double t0i = x0i + x2i;
            double t1r = x0r - x2r;
            double t1i = x0i - x2i;
            double t2r = x1r + x3r;
            double t2i = x1i + x3i;
            double t3r = x1r - x3r;
            double t3i = x1i - x3i;
            b0r[v] = t0r + t2r;
            b0i[v] = t0i + t2i;
            b2r[v] = t0r - t2r;
            b2i[v] = t0i - t2i;
            b1r[v] = t1r - t3i;
            b1i[v] = t1i + t3r;
            b3r[v] = t1r + t3i;
            b3i[v] = t1i - t3r;
        }
    }

    private void radix5(double[][] sr, double[][] si, double[][] dr, double[][] di, int in, int is, int out, int os,
            double[] tr, double[] ti, int t) {
        final double c1 = Math.cos(2 * Math.PI / 5);
        final double c2 = Math.cos(4 * Math.PI / 5);
        final double s1 = Math.sin(2 * Math.PI / 5);
        final double s2 = Math.sin(4 * Math.PI / 5);
        int c = columns;
        double[] a0r = sr[in];
        double[] a0i = si[in];
        double[] a1r = sr[in + is];
        double[] a1i = si[in + is];
        double[] a2r = sr[in + 2 * is];
        double[] a2i = si[in + 2 * is];
        double[] a3r = sr[in + 3 * is];
        double[] a3i = si[in + 3 * is];
        double[] a4r = sr[in + 4 * is];
        double[] a4i = si[in + 4 * is];
        double[] b0r = dr[out];
        double[] b0i = di[out];
        double[] b1r = dr[out + os];
        double[] b1i = di[out + os];
        double[] b2r = dr[out + 2 * os];
        double[] b2i = di[out + 2 * os];
        double[] b3r = dr[out + 3 * os];
        double[] b3i = di[out + 3 * os];
        double[] b4r = dr[out + 4 * os];
        double[] b4i = di[out + 4 * os];
        double w1r = tr[t + 1];
        double w1i = ti[t + 1];
        double w2r = tr[t + 2];
        double w2i = ti[t + 2];
        double w3r = tr[t + 3];
        double w3i = ti[t + 3];
        double w4r = tr[t + 4];
        double w4i = ti[t + 4];
        for (int v = 0; v < c; v++) {
            double x0r = a0r[v];
            double x0i = a0i[v];
            double ur = a1r[v];
            double ui = a1i[v];
            double x1r = ur * w1r - ui * w1i;
            double x1i = ur * w1i + ui * w1r;
            ur = a2r[v];
            ui = a2i[v];
            double x2r = ur * w2r - ui * w2i;
            double x2i = ur * w2i + ui * w2r;
            ur = a3r[v];
            ui = a3i[v];
            double x3r = ur * w3r - ui * w3i;
            double x3i = ur * w3i + ui * w3r;
            ur = a4r[v];
            ui = a4i[v];
            double x4r = ur * w4r - ui * w4i;
            double x4i = ur * w4i + ui * w4r;
            double p1r = x1r + x4r;
            double p1i = x1i + x4i;
            double p2r = x2r + x3r;
            double p2i = x2i + x3i;
            double m1r = x1r - x4r;
            double m1i = x1i - x4i;
            double m2r = x2r - x3r;
            double m2i = x2i - x3i;
            double e1r = x0r + c1 * p1r + c2 * p2r;
            double e1i = x0i + c1 * p1i + c2 * p2i;
            double e2r = x0r + c2 * p1r + c1 * p2r;
            double e2i = x0i + c2 * p1i + c1 * p2i;
            double o1r = s1 * m1r + s2 * m2r;
            double o1i = s1 * m1i + s2 * m2i;
            double o2r = s2 * m1r - s1 * m2r;
            double o2i = s2 * m1i - s1 * m2i;
            b0r[v] = x0r + p1r + p2r;
            b0i[v] = x0i + p1i + p2i;
            b1r[v] = e1r - o1i;
            b1i[v] = e1i + o1r;
            b4r[v] = e1r + o1i;
            b4i[v] = e1i - o1r;
            b2r[v] = e2r - o2i;
            b2i[v] = e2i + o2r;
            b3r[v] = e2r + o2i;
            b3i[v] = e2i - o2r;
        }
    }

    private void radixGeneric(int r, double[][] sr, double[][] si, double[][] dr, double[][] di, int in, int is,
            int out, int os, double[] tr, double[] ti, int t) {
        int c = columns;
        for (int p = 0; p < r; p++) {
            double[] br = dr[out + p * os];
            double[] bi = di[out + p * os];
            java.util.Arrays.fill(br, 0, c, 0);
            java.util.Arrays.fill(bi, 0, c, 0);
            for (int q = 0; q < r; q++) {
                // twiddle e^{2 pi i k q / (ns r)} times the DFT kernel e^{2 pi i p q / r}
                double wr = tr[t + q];
                double wi = ti[t + q];
                double angle = 2 * Math.PI * ((long) p * q % r) / r;
                double kr = Math.cos(angle);
                double ki = Math.sin(angle);
                double fr = wr * kr - wi * ki;
                double fi = wr * ki + wi * kr;
                double[] ar = sr[in + q * is];
                double[] ai = si[in + q * is];
                for (int v = 0; v < c; v++) {
                    double xr = ar[v];
                    double xi = ai[v];
                    br[v] += xr * fr - xi * fi;
                    bi[v] += xr * fi + xi * fr;
                }
            }
        }
    }
}
