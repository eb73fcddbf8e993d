package io.github.audiosetdl.examples.tools;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The verify-phase check that every jar of the project holds the project's {@code LICENSE} and {@code NOTICE} in
 * {@code META-INF}, and that the command-line jar also holds the licence of the ffmpeg it bundles (run by
 * {@code exec:java} from audioset-examples' pom, after the jars are built).
 *
 * <p>Arguments: the repository's {@code LICENSE}, the command-line jar, then any further jar of this module. The
 * library jars (core, cochlea, hdf5) are the ones on the class path, wherever Maven resolved them from.
 */
public final class LicenceFilesCheck {
    /** What the command-line jar holds besides the project's own files. */
    static final List<String> CLI_FILES = List.of("META-INF/licenses/ffmpeg/COPYING.GPLv3",
            "META-INF/licenses/ffmpeg/README", "ws/schild/jave/nativebin/ffmpeg-amd64");
    /** The NOTICE line that says what the command-line jar bundles. */
    static final String FFMPEG_NOTICE = "ffmpeg 4.4.1, a statically linked program";

    private LicenceFilesCheck() {
    }

    /**
     * @param args the repository's LICENSE, the command-line jar, further jars
     * @throws IOException if a file cannot be read
     * @throws URISyntaxException never, for a class loaded from a file
     */
    public static void main(String[] args) throws IOException, URISyntaxException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: LicenceFilesCheck LICENSE audioset-cli.jar [jar...]");
        }
        byte[] license = Files.readAllBytes(Path.of(args[0]));
        List<Path> jars = new ArrayList<>();
        for (Class<?> c : List.of(Segment.class, Cochleagram.class, Hdf5DatasetStore.class)) {
            jars.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        Arrays.stream(args).skip(1).map(Path::of).forEach(jars::add);
        List<String> problems = new ArrayList<>();
        for (Path jar : jars) {
            problems.addAll(check(jar, license, jar.equals(Path.of(args[1]))));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("licence files missing or wrong:\n  " + String.join("\n  ", problems));
        }
        System.out.println("LicenceFilesCheck: " + jars.size() + " jars hold LICENSE and NOTICE " + jars);
    }

    /**
     * @param jar a jar, or a classes folder (a module's build in an IDE)
     * @param license the expected {@code META-INF/LICENSE}
     * @param cli whether it is the command-line jar
     * @return the problems found, each naming the jar
     * @throws IOException if the jar cannot be read
     */
    static List<String> check(Path jar, byte[] license, boolean cli) throws IOException {
        List<String> problems = new ArrayList<>();
        if (Files.isDirectory(jar)) {
            if (!Arrays.equals(license, readOrEmpty(jar.resolve("META-INF/LICENSE")))
                    || !Files.isRegularFile(jar.resolve("META-INF/NOTICE"))) {
                problems.add(jar + ": no META-INF/LICENSE of this project, or no META-INF/NOTICE");
            }
            return problems;
        }
        if (!Files.isRegularFile(jar)) {
            return List.of(jar + ": no such jar");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (!Arrays.equals(license, read(zip, "META-INF/LICENSE"))) {
                problems.add(jar + ": META-INF/LICENSE is missing or not the project's LICENSE");
            }
            String notice = new String(read(zip, "META-INF/NOTICE"), StandardCharsets.UTF_8);
            if (!notice.startsWith("AudioSetDL for the JVM")) {
                problems.add(jar + ": META-INF/NOTICE is missing or not the project's NOTICE");
            }
            if (zip.getEntry("LICENSE") != null && !Arrays.equals(license, read(zip, "LICENSE"))) {
                problems.add(jar + ": its root LICENSE is another licence than the project's");
            }
            if (cli) {
                for (String name : CLI_FILES) {
                    if (zip.getEntry(name) == null) {
                        problems.add(jar + ": no " + name);
                    }
                }
                if (!notice.contains(FFMPEG_NOTICE)) {
                    problems.add(jar + ": META-INF/NOTICE does not name the bundled ffmpeg");
                }
            }
        }
        return problems;
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            return new byte[0];
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readNBytes(1 << 20);
        }
    }

    private static byte[] readOrEmpty(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
    }
}
