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
     * A parsed {@code .npy} file: its dtype, shape and element count, and its data (positioned at the first
     * element, exactly count times the element width long).
     */
    record Raw(String descr, int[] shape, int count, ByteBuffer data) {
    }

    /**
     * @param file a {@code .npy} file of dtype {@code <f4}, {@code <f8}, {@code <i4} or {@code <i8}
     * @return its shape and values
     * @throws IOException if it cannot be read
     */
    public static Array read(Path file) throws IOException {
        return decode(parse(Files.readAllBytes(file), file.toString()), file.toString());
    }

    /**
     * Writes a float32 {@code .npy} file (version 1.0, little-endian, C order), for tests that hand an array
     * to a program.
     *
     * @param file the file to create or replace
     * @param shape its shape; the product is {@code values.length}
     * @param values the values, row-major
     * @throws IOException if it cannot be written
     */
    public static void writeFloat32(Path file, int[] shape, float[] values) throws IOException {
        long total = 1;
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            total *= d;
            dims.append(d).append(", ");
        }
        if (total != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length
                    + " values");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': ("
                + (shape.length == 1 ? dims.toString().trim() : dims.substring(0, dims.length() - 2)) + "), }";
        int padded = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }

    /**
     * @param bytes a whole {@code .npy} file
     * @param what the file's name, for messages
     * @return its header and data, checked: the data holds exactly the elements the header promises
     * @throws IOException if it is not a C-order {@code .npy} file of a known dtype
     */
    static Raw parse(byte[] bytes, String what) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.get(0) != (byte) 0x93 || b.get(1) != 'N') {
            throw new IOException(what + ": not a .npy file");
        }
        int major = b.get(6);
        int headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        if (headerLength < 0 || headerLength > bytes.length - start) {
            throw new IOException(what + ": header length " + headerLength + " beyond the file's " + bytes.length
                    + " bytes");
        }
        String header = new String(bytes, start, headerLength, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IOException(what + ": unsupported header " + header);
        }
        int width = switch (d.group(1)) {
            case "|u1" -> 1;
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            default -> throw new IOException(what + ": unsupported dtype " + d.group(1));
        };
        String[] dims = s.group(1).split(",");
        int count = 0;
        int[] shape = new int[dims.length];
        long total = 1;
        for (String dim : dims) {
            if (!dim.isBlank()) {
                shape[count] = Integer.parseInt(dim.trim());
                total *= shape[count++];
                if (total > Integer.MAX_VALUE) {
                    throw new IOException(what + ": shape " + s.group(1) + " is too large");
                }
            }
        }
        long dataBytes = bytes.length - (long) start - headerLength;
        if (dataBytes != total * width) {
            throw new IOException(what + ": shape (" + s.group(1) + ") of " + d.group(1) + " needs " + total * width
                    + " data bytes, the file has " + dataBytes);
        }
        b.position(start + headerLength);
        return new Raw(d.group(1), Arrays.copyOf(shape, count), (int) total, b.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * @param raw a parsed file of dtype {@code <f4}, {@code <f8}, {@code <i4} or {@code <i8}
     * @param what the file's name, for messages
     * @return its shape and values
     * @throws IOException for another dtype
     */
    static Array decode(Raw raw, String what) throws IOException {
        ByteBuffer b = raw.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[raw.count()];
        switch (raw.descr()) {
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
            default -> throw new IOException(what + ": unsupported dtype " + raw.descr());
        }
        return new Array(raw.shape(), values);
    }
}
