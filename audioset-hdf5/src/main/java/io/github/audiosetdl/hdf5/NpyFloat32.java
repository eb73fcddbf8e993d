package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/** A float32 array read from an {@code .npy} file: its shape and its values, row-major. */
public final class NpyFloat32 {
    private final int[] shape;
    private final float[] values;

    /**
     * @param shape the dimensions (copied)
     * @param values the values, row-major (shared); as many as the product of the dimensions
     */
    public NpyFloat32(int[] shape, float[] values) {
        this.shape = requireNonNull(shape, "shape").clone();
        this.values = requireNonNull(values, "values");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = d == 0 || n <= values.length ? n * d : n; // past values.length it cannot match: no overflow
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, not "
                    + values.length);
        }
    }

    /** @return the dimensions (a copy) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the values, row-major (shared; do not modify) */
    public float[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "float32" + Arrays.toString(shape);
    }
}
