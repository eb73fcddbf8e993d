package io.github.audiosetdl.hdf5;

import java.nio.ByteBuffer;

/**
 * Element-wise running sums of float32 rows, each a double with a compensation term (Neumaier's summation): the
 * rounding errors of the additions are kept, so the sum of all rows at once and the sums of row ranges combined
 * afterwards agree to about 2<sup>-100</sup> of the values, far below a float32 unit: the average of a feature file
 * written by one process and by several ({@link FeatureFileParts}) is the same float32 matrix. Memory: two doubles
 * per element. Not thread-safe.
 */
final class CompensatedSum {
    private final double[] sum;
    private final double[] compensation;

    /** @param length values per row */
    CompensatedSum(int length) {
        this.sum = new double[length];
        this.compensation = new double[length];
    }

    /** @return values per row */
    int length() {
        return sum.length;
    }

    /** @param row {@link #length()} values to add */
    void add(float[] row) {
        for (int i = 0; i < sum.length; i++) {
            add(i, row[i]);
        }
    }

    private void add(int i, double x) {
        double s = sum[i];
        double t = s + x;
        compensation[i] += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
        sum[i] = t;
    }

    /** @param other sums of other rows, of the same length, added to these */
    void add(CompensatedSum other) {
        if (other.sum.length != sum.length) {
            throw new IllegalArgumentException("sums of " + other.sum.length + " values, not " + sum.length);
        }
        for (int i = 0; i < sum.length; i++) {
            add(i, other.sum[i]);
            compensation[i] += other.compensation[i];
        }
    }

    /**
     * @param rows the number of rows summed
     * @return the element-wise mean as float32, zeros when {@code rows} is 0
     */
    float[] average(long rows) {
        float[] average = new float[sum.length];
        for (int i = 0; i < sum.length && rows > 0; i++) {
            average[i] = (float) ((sum[i] + compensation[i]) / rows);
        }
        return average;
    }

    /** @return bytes {@link #writeTo} writes: 16 per value */
    int bytes() {
        return sum.length * 2 * Double.BYTES;
    }

    /** @param out receives the sums then the compensations, in its byte order */
    void writeTo(ByteBuffer out) {
        out.asDoubleBuffer().put(sum).put(compensation);
        out.position(out.position() + bytes());
    }

    /** @param in holds what {@link #writeTo} wrote, in its byte order; replaces these sums */
    void readFrom(ByteBuffer in) {
        in.asDoubleBuffer().get(sum).get(compensation);
        in.position(in.position() + bytes());
    }
}
