package io.github.audiosetdl.core.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process for {@link OutputRecordTest}, run from a jar of core's classes. {@code write OUTPUT}: records
 * {@code OUTPUT} as made from the input {@code csv = a}; {@code check OUTPUT}: prints {@code up to date}, or why not.
 */
final class RecordChild {
    private RecordChild() {
    }

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args[1]);
        Map<String, String> inputs = Map.of("csv", "a");
        PrintStream out = System.out;
        if (args[0].equals("write")) {
            OutputRecord.write(OutputRecord.of(output), inputs, List.of(output));
            out.println("written");
        } else {
            Optional<String> stale = OutputRecord.whyStale(OutputRecord.of(output), inputs,
                    (key, was, now) -> Optional.of(key + " changed"));
            out.println(stale.orElse("up to date"));
        }
        out.flush();
    }
}
