package io.github.audiosetdl.core.pipeline;

import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.core.internal.InputDigests;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record a stage of the pipeline leaves beside its output once the output is complete: the inputs and options
 * that made it (a listing, and its SHA-256, the fingerprint) and each output file as it was committed (size,
 * modification time, file key). On a rerun with the same inputs and options, and the files as recorded, the stage
 * keeps its output instead of computing it again.
 *
 * <p>The record is the hidden file {@code .<main output file name>.inputs} in the output's folder. It is written only
 * after the output is committed, atomically (a unique temporary file created new, synced, renamed), and deleted
 * before the stage writes anything: an output without a record, or whose record does not match, is made again. So
 * an interrupted or failed stage, an output written by an older version or by another command, and an output
 * changed since (replaced, rewritten, touched) are never taken as up to date. A run holds the output's
 * {@link RecordLock} from just before its files are renamed into place until the record is written, so that the
 * record of one run never names the files of another run committing the same output at the same instant.
 *
 * <p>Format (UTF-8 text, tab-separated): a header line; {@code input <key> <value>} lines, in the stage's order;
 * {@code fingerprint <SHA-256 of the input lines>}; {@code output <size> <modified> <file key> <name>} lines (the
 * name relative to the record's folder).
 */
final class OutputRecord {
    private static final Logger LOG = LoggerFactory.getLogger(OutputRecord.class);
    private static final String HEADER = "# audioset output record 1: the inputs that made the files below; delete"
            + " this file to make them again";
    private static final String INPUT = "input";
    private static final String FINGERPRINT = "fingerprint";
    private static final String OUTPUT = "output";
    /**
     * The input naming the library version that made the output, first in every record: an upgrade may pack or
     * compute differently, so its outputs are made again. A snapshot version is followed by its build
     * ({@link #buildOf}), so a snapshot built again from changed sources makes them again too.
     */
    static final String MADE_BY = "made by";
    /**
     * The largest record read, in bytes: 16 MiB, room for over 100,000 output files (AudioSet's 2 million clips
     * in WebDataset shards of 20 clips); beyond it the output is made again, with the reason logged.
     */
    static final long MAX_RECORD_BYTES = 16L << 20;

    /** The builds of the jars read, by path. */
    private static final Map<Path, String> BUILDS = new ConcurrentHashMap<>();

    private OutputRecord() {
    }

    /**
     * @param mainFile a stage's main output file
     * @return its record's path
     */
    static Path of(Path mainFile) {
        return mainFile.resolveSibling("." + mainFile.getFileName() + ".inputs");
    }

    /**
     * @param inputs keys and values
     * @return the SHA-256 over the canonical listing of {@code inputs}
     */
    static String fingerprint(Map<String, String> inputs) {
        StringBuilder sb = new StringBuilder();
        inputs.forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        return InputDigests.text(sb.toString());
    }

    /**
     * Why the output recorded in {@code record} is not up to date with {@code inputs}.
     *
     * @param record the record's path
     * @param inputs the inputs a run now would use, keys and values (no tab or line break)
     * @param describe turns a key whose value changed, its recorded value and its value now into words
     * @return empty if the output is complete and up to date: the record exists, names the same inputs, and every
     *     output file it lists is there unchanged; else the reason, in words
     */
    static Optional<String> whyStale(Path record, Map<String, String> given, Changes describe) {
        return whyStale(record, given, describe, files -> Optional.empty());
    }

    /**
     * {@link #whyStale(Path, Map, Changes)}, with a last check of the output files recorded, all there unchanged.
     *
     * @param record the record's path
     * @param given the inputs a run now would use
     * @param describe turns a changed input into words
     * @param beyond given the output files recorded, in the record's order: why the output is not up to date
     *     although they are (a file of the output that the record does not list: a WebDataset shard beyond the
     *     last one recorded), or empty
     * @return empty if the output is complete and up to date, else the reason, in words
     */
    static Optional<String> whyStale(Path record, Map<String, String> given, Changes describe,
            Function<List<Path>, Optional<String>> beyond) {
        Map<String, String> inputs = withVersion(given);
        List<String> lines;
        try {
            long size = Files.size(record);
            if (size > MAX_RECORD_BYTES) {
                return Optional.of("its record " + record + " is " + size + " bytes, more than a record holds ("
                        + MAX_RECORD_BYTES + ")");
            }
            lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            String name = record.getFileName().toString();
            Path main = record.resolveSibling(name.substring(1, name.length() - ".inputs".length()));
            return Optional.of(!Files.exists(main) ? "there is no output yet" : main.getFileName() + " has no record"
                    + " of the inputs it was made from (" + name + "): made by an older version or another command,"
                    + " or by a run stopped before it completed");
        } catch (IOException | RuntimeException e) { // unreadable or not UTF-8: made again
            return Optional.of("its record " + record + " cannot be read: " + e);
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        String fingerprint = null;
        List<String[]> outputs = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f[0].equals(INPUT) && f.length == 3) {
                recorded.put(f[1], f[2]);
            } else if (f[0].equals(FINGERPRINT) && f.length == 2) {
                fingerprint = f[1];
            } else if (f[0].equals(OUTPUT) && f.length == 5) {
                outputs.add(f);
            } else if (!line.equals(HEADER)) {
                return Optional.of("its record " + record + " is not one this version writes");
            }
        }
        if (fingerprint == null || !fingerprint.equals(fingerprint(recorded)) || outputs.isEmpty()) {
            return Optional.of("its record " + record + " is incomplete or damaged");
        }
        if (!fingerprint.equals(fingerprint(inputs))) {
            List<String> changes = new ArrayList<>();
            for (Map.Entry<String, String> e : inputs.entrySet()) {
                String was = recorded.get(e.getKey());
                if (was == null) {
                    changes.add(e.getKey() + " was not recorded");
                } else if (e.getKey().equals(MADE_BY) && !was.equals(e.getValue())) {
                    changes.add("it was made by " + was + ", this is " + e.getValue());
                } else if (!was.equals(e.getValue())) {
                    describe.change(e.getKey(), recorded, inputs).ifPresent(changes::add);
                }
            }
            for (String key : recorded.keySet()) {
                if (!inputs.containsKey(key)) {
                    changes.add(key + " is no longer an input");
                }
            }
            return Optional.of(changes.isEmpty() ? "the inputs changed" : String.join("; ", changes));
        }
        List<Path> files = new ArrayList<>();
        for (String[] o : outputs) {
            Path file = sibling(record, o[4]);
            if (file == null) { // a damaged or edited record: a NUL byte made resolving the name throw
                return Optional.of("its record " + record + " names an output that is not a file name beside it");
            }
            files.add(file);
            String now;
            try {
                now = identity(file);
            } catch (NoSuchFileException e) {
                return Optional.of(file + " is missing");
            } catch (IOException e) {
                return Optional.of(file + " cannot be read: " + e);
            }
            if (!now.equals(o[1] + '\t' + o[2] + '\t' + o[3])) {
                return Optional.of(file + " changed since it was written (size, modification time or file)");
            }
        }
        return beyond.apply(files);
    }

    /**
     * @param record the record's path
     * @param name an output's name as the record holds it
     * @return the output, beside the record; null unless {@code name} is a file name (what {@link #write} records):
     *     not empty, no separator, not {@code .} or {@code ..}, nothing a path cannot hold (a NUL byte)
     */
    private static Path sibling(Path record, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf(record.getFileSystem().getSeparator().charAt(0)) >= 0) {
            return null;
        }
        try {
            return record.resolveSibling(name);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Writes the record of a complete output, atomically: a unique temporary file created new beside it, synced,
     * then renamed over the record ({@link AvailabilityReport#writeAtomically}, which also removes the temporary
     * files of processes killed before their rename).
     *
     * @param record the record's path
     * @param inputs the inputs that made the output (no tab or line break in keys and values)
     * @param outputs the files committed (in the record's folder)
     * @throws IOException if it cannot be written (the output is then made again next time)
     */
    static void write(Path record, Map<String, String> given, List<Path> outputs) throws IOException {
        Map<String, String> inputs = withVersion(given);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        inputs.forEach((k, v) -> {
            if ((k + v).indexOf('\t') >= 0 || (k + v).indexOf('\n') >= 0 || (k + v).indexOf('\r') >= 0) {
                throw new IllegalArgumentException("input " + k + " = " + v + " holds a tab or line break");
            }
            sb.append(INPUT).append('\t').append(k).append('\t').append(v).append('\n');
        });
        sb.append(FINGERPRINT).append('\t').append(fingerprint(inputs)).append('\n');
        Path dir = record.toAbsolutePath().getParent();
        for (Path f : outputs) {
            Path abs = f.toAbsolutePath();
            if (!dir.equals(abs.getParent())) {
                throw new IllegalArgumentException(f + " is not in the record's folder " + dir);
            }
            sb.append(OUTPUT).append('\t').append(identity(f)).append('\t').append(f.getFileName()).append('\n');
        }
        AvailabilityReport.writeAtomically(record, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param inputs a stage's inputs
     * @return {@link #MADE_BY} (the library's version, from its jar's manifest; "development build" when run from
     *     classes), then {@code inputs}
     */
    private static Map<String, String> withVersion(Map<String, String> inputs) {
        Map<String, String> all = new LinkedHashMap<>();
        String version = versionOf(OutputRecord.class);
        all.put(MADE_BY, "audioset-core " + (version != null ? version + buildOf(OutputRecord.class)
                : "(development build)"));
        all.putAll(inputs);
        return all;
    }

    /**
     * Which build of a snapshot version a class comes from: every build from source is the same snapshot version, so
     * the version alone would keep the outputs of an earlier build whose code differed. The build is named by the
     * SHA-256 of the listing of the jar the class was loaded from: each entry's name, size and CRC-32, in name order,
     * read from the jar's central directory (no entry is decompressed; the shaded command-line jar, a few tens of MB,
     * takes milliseconds). The entries' times are left out, so a jar built again from the same source (the build is
     * reproducible) is the same build, and a jar with any class or resource changed is another.
     *
     * @param type a class of ours
     * @return {@code " (build <16 hex digits>)"} when its package's version is a {@code -SNAPSHOT} and it was
     *     loaded from a jar; {@code ""} for a release version or a class not loaded from a jar; a build of this
     *     process alone when the jar cannot be read (its outputs are never kept by another process)
     */
    static String buildOf(Class<?> type) {
        String version = versionOf(type);
        if (version == null || !version.endsWith("-SNAPSHOT")) {
            return "";
        }
        Path jar = jarOf(type);
        return jar != null ? " (build " + BUILDS.computeIfAbsent(jar, OutputRecord::jarBuild) + ")" : "";
    }

    /**
     * The version of the jar a class was loaded from. On the class path it is its package's
     * {@code Implementation-Version}; in a named module (the jars on the module path are automatic modules) the JDK
     * gives packages no manifest attributes, so it is read from the jar's manifest itself.
     *
     * @param type a class of ours
     * @return the {@code Implementation-Version} of its jar's manifest; {@code null} when it was not loaded from a
     *     jar (classes folders: a development build) or the manifest names none
     */
    static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        if (version != null) {
            return version;
        }
        Path jar = jarOf(type);
        if (jar == null) {
            return null;
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param type a class
     * @return the jar file it was loaded from, or {@code null} when it has no code source or was loaded from a folder
     */
    private static Path jarOf(Class<?> type) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | RuntimeException e) { // no code source, or not a file
            return null;
        }
    }

    /**
     * @param jar a jar file
     * @return the first 16 hex digits of the SHA-256 of its entries' names, sizes and CRC-32s, in name order; if it
     *     cannot be read, {@code unreadable jar, process <random>}
     */
    static String jarBuild(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Map<String, String> entries = new TreeMap<>();
            file.stream().filter(e -> !e.isDirectory())
                    .forEach(e -> entries.put(e.getName(), e.getSize() + " " + e.getCrc()));
            StringBuilder listing = new StringBuilder();
            entries.forEach((name, sizeAndCrc) -> listing.append(name).append('\t').append(sizeAndCrc).append('\n'));
            return InputDigests.text(listing.toString()).substring(0, 16);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot list the jar to name its build ({}); outputs recorded by this process will be made"
                    + " again by the next", jar, e.toString());
            return "unreadable jar, process " + UUID.randomUUID();
        }
    }

    /**
     * @param file a file
     * @return its size, modification time and file key (inode), tab-separated ({@code -} for a file system
     *     without file keys)
     * @throws IOException if its attributes cannot be read
     */
    static String identity(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object key = a.fileKey();
        return a.size() + "\t" + a.lastModifiedTime().toInstant() + "\t"
                + (key != null ? key.toString().replace('\t', ' ').replace('\n', ' ') : "-");
    }

    /** Turns a changed input into words. */
    @FunctionalInterface
    interface Changes {
        /**
         * @param key the input whose value changed
         * @param was the inputs recorded
         * @param now the inputs now
         * @return the change in words, or empty to say nothing (another key says it)
         */
        Optional<String> change(String key, Map<String, String> was, Map<String, String> now);
    }
}
