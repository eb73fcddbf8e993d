package io.github.audiosetdl.core.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads simple little-endian, C-order {@code .npy} arrays (float32, float64, int32, int64; integers are
 * widened to double, exact below 2^53) in tests.
 */
public final class NpyArrays {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpyArrays() {
    }

    /** A decoded array: the shape and the values widened to double. */
    public record Array(int[] shape, double[] values) {
    }

    /**
     * @param file a {@code .npy} file of dtype {@code <f4}, {@code <f8}, {@code <i4} or {@code <i8}
     * @return its shape and values
     * @throws IOException if it cannot be read
     */
    public static Array read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(0) != (byte) 0x93 || b.get(1) != 'N') {
            throw new IOException(file + ": not a .npy file");
        }
        int major = b.get(6);
        int headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(b.array(), start, headerLength, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": unsupported header " + header);
        }
        String[] dims = s.group(1).split(",");
        int count = 0;
        int[] shape = new int[dims.length];
        long total = 1;
        for (String dim : dims) {
            if (!dim.isBlank()) {
                shape[count] = Integer.parseInt(dim.trim());
                total *= shape[count++];
            }
        }
        shape = Arrays.copyOf(shape, count);
        b.position(start + headerLength);
        double[] values = new double[(int) total];
        switch (d.group(1)) {
            case "<f4" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = b.getFloat();
                }
            }
            case "<f8" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = b.getDouble();
                }
            }
            case "<i4" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = b.getInt();
                }
            }
            case "<i8" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = b.getLong();
                }
            }
            default -> throw new IOException(file + ": unsupported dtype " + d.group(1));
        }
        return new Array(shape, values);
    }
}
