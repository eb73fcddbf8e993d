package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.hdf5.internal.ReadableHdfFile;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.links.ExternalLink;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists what an HDF5 file holds (any HDF5 file, ours or not): every group and dataset with its type,
 * shape and attributes, without reading datasets' data.
 */
public final class Hdf5Inspector {
    private static final int MAX_ATTRIBUTE_CHARS = 120;
    /** The most groups and datasets listed. */
    static final int MAX_NODES = 100_000;
    /** The deepest group nesting followed. */
    static final int MAX_DEPTH = 64;

    private Hdf5Inspector() {
    }

    /**
     * @param file an HDF5 file
     * @return its nodes, depth first, children in name order, the root ({@code /}) first
     * @throws IOException if the file is missing or is not readable HDF5, or a contiguous dataset's data lies beyond
     *     its end (a file cut short); the message names it
     */
    public static List<Hdf5Node> inspect(Path file) throws IOException {
        requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (HdfFile hdf = ReadableHdfFile.open(file)) {
            List<Hdf5Node> nodes = new ArrayList<>();
            walk(file, hdf, nodes, new Extent(Files.size(file), hdf.getUserBlockSize()));
            return nodes;
        } catch (RuntimeException | StackOverflowError e) { // jhdf's parse errors are not all HdfExceptions
            throw new IOException(file + ": not a readable HDF5 file: " + (e instanceof StackOverflowError
                    ? "its structure nests too deeply" : e.getMessage()), e);
        }
    }

    /**
     * Depth first, without recursion: a group met again (a hard link back to a parent, which makes a loop) is
     * listed once, as a link to where it was first seen; at most {@link #MAX_NODES} nodes and
     * {@link #MAX_DEPTH} levels.
     */
    private static void walk(Path file, Node root, List<Hdf5Node> out, Extent extent) throws IOException {
        Map<Long, String> seen = new HashMap<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            if (out.size() >= MAX_NODES) {
                throw new IOException(file + ": more than " + MAX_NODES + " groups and datasets");
            }
            String path = path(node);
            if (node instanceof Group group) {
                String first = seen.putIfAbsent(group.getAddress(), path);
                if (first != null) {
                    out.add(new Hdf5Node(path, true, "(hard link to " + first + ")", List.of(), Map.of()));
                    continue;
                }
                if (path.chars().filter(c -> c == '/').count() > MAX_DEPTH) {
                    throw new IOException(file + ": groups nested deeper than " + MAX_DEPTH + " levels");
                }
                out.add(new Hdf5Node(path, true, "", List.of(), attributes(node)));
                List<String> names = group.getChildren().keySet().stream().sorted().toList();
                for (int i = names.size() - 1; i >= 0; i--) {
                    stack.push(group.getChild(names.get(i)));
                }
            } else {
                visit(node, path, out);
                extent.check(file, node, path);
            }
        }
    }

    /**
     * The bytes of the file, against which a contiguous dataset's data is checked: a file cut short (a copy
     * interrupted) still has its header and lists as whole, but its data is not there; the commands that read it
     * (cochleagram, stats, render) say so, and inspect now does too.
     *
     * @param fileSize the file's size in bytes
     * @param userBlock the bytes before the HDF5 data, which addresses do not count
     */
    private record Extent(long fileSize, long userBlock) {
        void check(Path file, Node node, String path) throws IOException {
            if (!(node instanceof ContiguousDataset d) || d.isEmpty()) { // never written: no storage, h5py's fill
                return;
            }
            long at = d.getDataAddress() + userBlock;
            long bytes = d.getSizeInBytes();
            if (at < 0 || at > fileSize || bytes > fileSize - at) {
                throw new IOException(file + ": " + path + " declares " + bytes + " bytes of data at byte " + at
                        + ", beyond the file's end (" + fileSize + " bytes): a truncated or damaged file");
            }
        }
    }

    private static String path(Node node) {
        String path = node.getPath().isEmpty() ? "/" : ("/" + node.getPath()).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static void visit(Node node, String path, List<Hdf5Node> out) {
        if (node instanceof Link link) { // listed, not followed (its target may be missing or another file)
            String kind = link instanceof ExternalLink ? "external" : "soft";
            out.add(new Hdf5Node(path, false, "(" + kind + " link to " + link.getTargetPath() + ")", List.of(),
                    Map.of()));
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
        } else if (data instanceof Map<?, ?> fields) { // a compound value: its members by name
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : fields.entrySet()) {
                if (sb.length() >= MAX_ATTRIBUTE_CHARS) {
                    break;
                }
                sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(format(e.getValue()));
            }
            text = sb.append('}').toString();
        } else {
            text = String.valueOf(data);
        }
        return text.length() > MAX_ATTRIBUTE_CHARS ? text.substring(0, MAX_ATTRIBUTE_CHARS - 1) + "…" : text;
    }
}
