package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.hdf5.Hdf5Inspector;
import io.github.audiosetdl.hdf5.Hdf5Node;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code audioset inspect}: what an HDF5 file holds, readable. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what an HDF5 file holds: every group and dataset with its type, shape and"
                + " attributes (any HDF5 file; the data itself is not read).", "",
            "Example:", "  audioset inspect data/eval_segments.hdf5"})
final class InspectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.hdf5", description = "The HDF5 file.")
    private Path file;

    /** @return {@code text} with each control character shown as {@code \\uXXXX} */
    static String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    @Override
    public Integer call() throws Exception {
        List<Hdf5Node> nodes = Hdf5Inspector.inspect(FileChecks.inputFile(file));
        PrintWriter out = spec.commandLine().getOut();
        out.println(safe(file.toString()));
        // names and values come from the file: control characters (terminal escapes) are shown, never sent
        for (Hdf5Node node : nodes) {
            int depth = node.path().equals("/") ? 0 : (int) node.path().chars().filter(c -> c == '/').count();
            String indent = "  ".repeat(depth);
            if (node.group()) {
                out.println(indent + safe(node.path()) + (node.path().equals("/") ? "" : "/")
                        + (node.dataType().isEmpty() ? "" : " " + safe(node.dataType())));
            } else if (node.dataType().startsWith("(")) { // a soft or external link, not followed
                out.println(indent + safe(node.path()) + " " + safe(node.dataType()));
            } else {
                String shape = node.shape().stream().map(String::valueOf).collect(Collectors.joining(", ", "(",
                        node.shape().size() == 1 ? ",)" : ")"));
                out.printf("%s%-28s %-10s %s%n", indent, safe(node.path()), safe(node.dataType()), shape);
            }
            for (Map.Entry<String, String> a : node.attributes().entrySet()) {
                out.println(indent + "    @" + safe(a.getKey()) + " = " + safe(a.getValue()));
            }
        }
        out.flush();
        return 0;
    }
}
