package io.github.audiosetdl.examples;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What h5py sees in HDF5 files: every object's type, shape, SHA-256 of its data and attributes. */
public final class H5Dump {
    private static final String SCRIPT = String.join("\n",
            "import sys, h5py, hashlib, numpy as np",
            "def dump(path):",
            "    out = []",
            "    with h5py.File(path, 'r') as f:",
            "        out.append(('/', sorted((k, repr(v)) for k, v in f.attrs.items())))",
            "        def visit(name, obj):",
            "            attrs = sorted((k, repr(v)) for k, v in obj.attrs.items())",
            "            if isinstance(obj, h5py.Dataset):",
            "                data = np.ascontiguousarray(obj[()])",
            "                out.append((name, str(obj.dtype), obj.shape, hashlib.sha256(data.tobytes()).hexdigest(),"
                    + " attrs))",
            "            else:",
            "                out.append((name, attrs))",
            "        f.visititems(visit)",
            "    return out",
            "for p in sys.argv[1:]:",
            "    print(repr(dump(p)))");

    private H5Dump() {
    }

    /**
     * @param files HDF5 files
     * @return one line per file, equal for two files exactly when their objects, data and attributes are
     * @throws IOException if python cannot run
     * @throws InterruptedException if interrupted
     */
    public static List<String> of(Path... files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ExternalTools.requirePythonWithH5py().toString(), "-c",
                SCRIPT));
        for (Path f : files) {
            command.add(f.toString());
        }
        return ExternalTools.check(command).strip().lines().toList();
    }
}
