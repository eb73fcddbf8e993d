package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists what an HDF5 file holds (any HDF5 file, ours or not): every group and dataset with its type,
 * shape and attributes, without reading datasets' data.
 */
public final class Hdf5Inspector {
    private static final int MAX_ATTRIBUTE_CHARS = 120;

    private Hdf5Inspector() {
    }

    /**
     * @param file an HDF5 file
     * @return its nodes, depth first, children in name order, the root ({@code /}) first
     * @throws IOException if the file is missing or is not readable HDF5 (the message names it)
     */
    public static List<Hdf5Node> inspect(Path file) throws IOException {
        requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (HdfFile hdf = new HdfFile(file)) {
            List<Hdf5Node> nodes = new ArrayList<>();
            walk(hdf, nodes);
            return nodes;
        } catch (HdfException e) {
            throw new IOException(file + ": not a readable HDF5 file: " + e.getMessage(), e);
        }
    }

    private static void walk(Node node, List<Hdf5Node> out) {
        String path = node.getPath().isEmpty() ? "/" : ("/" + node.getPath()).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (node instanceof Group group) {
            out.add(new Hdf5Node(path, true, "", List.of(), attributes(node)));
            group.getChildren().keySet().stream().sorted().forEach(name -> walk(group.getChild(name), out));
        } else if (node instanceof Dataset dataset) {
            List<Long> shape = new ArrayList<>();
            for (long d : dataset.getDimensionsAsLong()) {
                shape.add(d);
            }
            out.add(new Hdf5Node(path, false, typeName(dataset.getDataType(), dataset.getJavaType()), shape,
                    attributes(node)));
        }
    }

    private static Map<String, String> attributes(Node node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Attribute> e : node.getAttributes().entrySet()) {
            String value;
            try {
                value = format(e.getValue().getData());
            } catch (HdfException | UnsupportedOperationException ex) {
                value = "<unreadable: " + ex.getMessage() + ">";
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** NumPy-style names for the common types; the Java type otherwise. */
    static String typeName(DataType type, Class<?> javaType) {
        if (type instanceof FloatingPoint) {
            return "float" + 8 * type.getSize();
        }
        if (type instanceof FixedPoint fixed) {
            return (fixed.isSigned() ? "int" : "uint") + 8 * type.getSize();
        }
        String simple = type.getClass().getSimpleName();
        return switch (simple) {
            case "StringData" -> "|S" + type.getSize();
            case "VariableLength" -> "string (variable length)";
            case "EnumDataType" -> "enum";
            case "CompoundDataType" -> "compound";
            default -> simple + (javaType == null ? "" : " (" + javaType.getSimpleName() + ")");
        };
    }

    private static String format(Object data) {
        if (data == null) {
            return "null";
        }
        String text;
        if (data.getClass().isArray()) {
            int n = Array.getLength(data);
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n && sb.length() < MAX_ATTRIBUTE_CHARS; i++) {
                sb.append(i > 0 ? ", " : "").append(format(Array.get(data, i)));
            }
            text = sb.append(']').toString();
        } else {
            text = String.valueOf(data);
        }
        return text.length() > MAX_ATTRIBUTE_CHARS ? text.substring(0, MAX_ATTRIBUTE_CHARS - 1) + "…" : text;
    }
}
