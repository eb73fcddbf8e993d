package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@link OutputRecord}: what makes an output up to date, and what does not. */
class OutputRecordTest {
    @TempDir
    Path dir;

    private static final OutputRecord.Changes WORDS = (key, was, now) -> Optional.of(key + ": " + was.get(key)
            + " -> " + now.get(key));

    private Map<String, String> inputs(String csv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("csv", csv);
        m.put("seed", "none");
        return m;
    }

    @Test
    void anOutputRecordedWithTheSameInputsAndUnchangedIsUpToDate() throws IOException {
        Path main = Files.writeString(dir.resolve("d.hdf5"), "rows");
        Path meta = Files.writeString(dir.resolve("d_metadata.npy"), "meta");
        Path record = OutputRecord.of(main);
        assertThat(record.getFileName().toString()).isEqualTo(".d.hdf5.inputs");
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("no record");
        assertThat(OutputRecord.whyStale(OutputRecord.of(dir.resolve("x.hdf5")), inputs("a"), WORDS))
                .contains("there is no output yet");

        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("d.hdf5", "d_metadata.npy", ".d.hdf5.inputs");
        }
        // written again over an older record
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).isEmpty();
    }

    /**
     * A record whose output name is not a file name beside it (damaged: a NUL byte, which no path holds; or edited)
     * is stale: the NUL threw InvalidPathException out of the check, ending the run (found by mutating a record).
     */
    @Test
    void aRecordNamingAnOutputThatIsNotAFileBesideItIsStale() throws IOException {
        Path main = Files.writeString(dir.resolve("d.hdf5"), "rows");
        Path record = OutputRecord.of(main);
        OutputRecord.write(record, inputs("a"), List.of(main));
        String text = Files.readString(record);
        for (String name : new String[] {"d\0hdf5", "../d.hdf5", "x/d.hdf5", ".."}) {
            Files.writeString(record, text.replace("\td.hdf5\n", "\t" + name + "\n"));
            assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).as(name)
                    .contains("its record " + record + " names an output that is not a file name beside it");
        }
    }

    @Test
    void anotherInputAChangedOrMissingOutputOrADamagedRecordIsStale() throws IOException {
        Path main = Files.writeString(dir.resolve("d.hdf5"), "rows");
        Path meta = Files.writeString(dir.resolve("d_metadata.npy"), "meta");
        Path record = OutputRecord.of(main);
        OutputRecord.write(record, inputs("a"), List.of(main, meta));

        assertThat(OutputRecord.whyStale(record, inputs("b"), WORDS)).contains("csv: a -> b");
        Map<String, String> more = inputs("a");
        more.put("strong", "none");
        assertThat(OutputRecord.whyStale(record, more, WORDS)).contains("strong was not recorded");

        Files.setLastModifiedTime(meta, FileTime.fromMillis(Files.getLastModifiedTime(meta).toMillis() - 5000));
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("d_metadata.npy")
                .contains("changed since it was written");
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        Files.delete(meta);
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().endsWith("is missing");

        Files.writeString(meta, "meta");
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        Path replaced = Files.writeString(dir.resolve("new.hdf5"), "rows");
        FileTime time = Files.getLastModifiedTime(main);
        Files.move(replaced, main, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(main, time); // the same size and time, another file
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).isPresent();

        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        String text = Files.readString(record);
        Files.writeString(record, text.replace("\tnone\n", "\t1\n")); // edited: the fingerprint no longer matches
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("damaged");
        Files.writeString(record, text.substring(0, text.indexOf("fingerprint"))); // cut short
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("damaged");
        OutputRecord.write(record, inputs("a"), List.of(main, meta));
        String older = Files.readString(record).replaceFirst("input\t" + OutputRecord.MADE_BY + "\t[^\n]*",
                "input\t" + OutputRecord.MADE_BY + "\taudioset-core 0.0.1");
        Map<String, String> olderInputs = new LinkedHashMap<>();
        olderInputs.put(OutputRecord.MADE_BY, "audioset-core 0.0.1");
        olderInputs.putAll(inputs("a"));
        Files.writeString(record, older.replaceFirst("fingerprint\t[0-9a-f]{64}", "fingerprint\t"
                + OutputRecord.fingerprint(olderInputs))); // an intact record of another version
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString()
                .contains("it was made by audioset-core 0.0.1, this is audioset-core");
        Files.write(record, new byte[(int) OutputRecord.MAX_RECORD_BYTES + 1]);
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString()
                .contains("more than a record holds");
        Files.writeString(record, "something else\n");
        assertThat(OutputRecord.whyStale(record, inputs("a"), WORDS)).get().asString().contains("not one");
    }

    /**
     * Every build from source is the same snapshot version: a snapshot's records name its build, the listing of its
     * jar, so a jar built again from the same classes keeps the outputs and one with any entry changed makes them
     * again. Run in another process, from a jar of core's classes with a snapshot version in its manifest.
     */
    @Test
    void aSnapshotBuiltAgainFromChangedSourcesMakesItsOutputsAgain() throws Exception {
        Path output = Files.writeString(dir.resolve("d.hdf5"), "rows");
        Path jar = dir.resolve("lib/audioset-core-0.1.0-SNAPSHOT.jar");
        snapshotJar(jar, 1_000_000_000_000L, null);
        assertThat(child(jar, "write", output)).isEqualTo("written");
        assertThat(Files.readString(OutputRecord.of(output))).containsPattern(
                "input\tmade by\taudioset-core 0\\.1\\.0-SNAPSHOT \\(build [0-9a-f]{16}\\)\n");
        assertThat(child(jar, "check", output)).isEqualTo("up to date");

        snapshotJar(jar, 1_700_000_000_000L, null); // built again from the same sources, at another time
        assertThat(child(jar, "check", output)).as("the same classes, other times").isEqualTo("up to date");

        snapshotJar(jar, 1_700_000_000_000L, "io/github/audiosetdl/core/pipeline/changed.txt");
        assertThat(child(jar, "check", output)).as("a class or resource changed")
                .startsWith("it was made by audioset-core 0.1.0-SNAPSHOT (build ")
                .contains("this is audioset-core 0.1.0-SNAPSHOT (build ");
    }

    /**
     * Writes a jar of core's classes and {@link RecordChild}, with Implementation-Version 0.1.0-SNAPSHOT.
     *
     * @param time the entries' modification time, in ms since 1970
     * @param extra the name of one more entry, or null
     */
    private static void snapshotJar(Path jar, long time, String extra) throws Exception {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "0.1.0-SNAPSHOT");
        Path classes = codeSource(OutputRecord.class);
        Path child = codeSource(RecordChild.class).resolve("io/github/audiosetdl/core/pipeline/RecordChild.class");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar),
                manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                add(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), time);
            }
            add(out, "io/github/audiosetdl/core/pipeline/RecordChild.class", Files.readAllBytes(child), time);
            if (extra != null) {
                add(out, extra, "changed".getBytes(StandardCharsets.UTF_8), time);
            }
        }
    }

    private static void add(JarOutputStream out, String name, byte[] bytes, long time)
            throws IOException {
        JarEntry e = new JarEntry(name);
        e.setTime(time);
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** @return what {@link RecordChild} printed, run from {@code jar} and core's dependencies */
    private static String child(Path jar, String mode, Path output) throws Exception {
        List<String> path = new ArrayList<>(List.of(jar.toString()));
        for (Class<?> dependency : List.of(LoggerFactory.class, JsonFactory.class,
                ObjectMapper.class,
                JsonProperty.class, CSVFormat.class)) {
            path.add(codeSource(dependency).toString());
        }
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                String.join(File.pathSeparator, path), RecordChild.class.getName(), mode, output.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ends").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .trim();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
