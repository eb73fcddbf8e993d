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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The verify-phase check that every jar of the project holds the project's {@code LICENSE} and {@code NOTICE} in
 * {@code META-INF}, and that the command-line jar also holds the licence of the ffmpeg it bundles and a licence
 * folder, {@code META-INF/licenses/<artifactId>/} with a licence file, for every third-party artifact it bundles
 * (run by {@code exec:java} from audioset-examples' pom, after the jars are built).
 *
 * <p>Arguments: the repository's {@code LICENSE}, the bundled artifacts as {@code dependency:list} wrote them, the
 * command-line jar, then any further jar of this module. The library jars (core, cochlea, hdf5) are the ones on
 * the class path, wherever Maven resolved them from.
 */
public final class LicenceFilesCheck {
    /** What the command-line jar holds besides the project's own files. */
    static final List<String> CLI_FILES = List.of("META-INF/licenses/ffmpeg/COPYING.GPLv3",
            "META-INF/licenses/ffmpeg/README", "ws/schild/jave/nativebin/ffmpeg-amd64");
    /** The NOTICE line that says what the command-line jar bundles. */
    static final String FFMPEG_NOTICE = "ffmpeg 4.4.1, a statically linked program";
    private static final String LICENSES = "META-INF/licenses/";
    private static final Pattern LICENCE_FILE = Pattern.compile("LICENSE|COPYING", Pattern.CASE_INSENSITIVE);
    /** The bundled artifacts whose licence folder has another name: the jave jar holds only the ffmpeg program. */
    static final Map<String, String> LICENCE_FOLDERS = Map.of("jave-nativebin-linux64", "ffmpeg");
    /** An artifact in {@code dependency:list}'s output: {@code group:artifact:type[:classifier]:version:scope}. */
    private static final Pattern LISTED =
            Pattern.compile("\\s+[^\\s:]+:([^\\s:]+)(:[^\\s:]+){2,3}:(compile|runtime)(\\s.*)?");

    private LicenceFilesCheck() {
    }

    /**
     * @param args the repository's LICENSE, the bundled artifacts' list, the command-line jar, further jars
     * @throws IOException if a file cannot be read
     * @throws URISyntaxException never, for a class loaded from a file
     */
    public static void main(String[] args) throws IOException, URISyntaxException {
        if (args.length < 3) {
            throw new IllegalArgumentException(
                    "usage: LicenceFilesCheck LICENSE bundled-artifacts.txt audioset-cli.jar [jar...]");
        }
        byte[] license = Files.readAllBytes(Path.of(args[0]));
        Path cli = Path.of(args[2]);
        List<String> bundled = bundledArtifacts(Path.of(args[1]));
        List<Path> jars = new ArrayList<>();
        for (Class<?> c : List.of(Segment.class, Cochleagram.class, Hdf5DatasetStore.class)) {
            jars.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        Arrays.stream(args).skip(2).map(Path::of).forEach(jars::add);
        List<String> problems = new ArrayList<>();
        for (Path jar : jars) {
            problems.addAll(check(jar, license, jar.equals(cli)));
        }
        problems.addAll(licenceFolders(cli, bundled));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("licence files missing or wrong:\n  " + String.join("\n  ", problems));
        }
        System.out.println("LicenceFilesCheck: " + jars.size() + " jars hold LICENSE and NOTICE " + jars
                + "; the command-line jar a licence folder for each of " + bundled);
    }

    /**
     * @param list what {@code dependency:list} wrote: a header line, then one artifact a line
     *     ({@code group:artifact:type:version:scope}, maybe with a classifier and {@code -- module name})
     * @return the artifact ids, in the list's order
     * @throws IOException if the list cannot be read
     * @throws IllegalStateException if it names no artifact (it always holds some: jackson, slf4j, ...)
     */
    static List<String> bundledArtifacts(Path list) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                ids.add(m.group(1));
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException(list + ": no artifact listed (is it dependency:list's output?)");
        }
        return ids;
    }

    /**
     * @param cliJar the command-line jar
     * @param artifactIds the third-party artifacts it bundles
     * @return a problem, naming the jar, the artifact and the folder, for each artifact whose folder under
     *     {@code META-INF/licenses/} ({@link #LICENCE_FOLDERS}, else its artifact id) holds no licence file
     *     (a name with {@code LICENSE} or {@code COPYING} in it)
     * @throws IOException if the jar cannot be read
     */
    static List<String> licenceFolders(Path cliJar, List<String> artifactIds) throws IOException {
        if (!Files.isRegularFile(cliJar)) {
            return List.of(cliJar + ": no such jar");
        }
        Set<String> licensed = new TreeSet<>();
        try (ZipFile zip = new ZipFile(cliJar.toFile())) {
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith(LICENSES) && !n.endsWith("/"))
                    .map(n -> n.substring(LICENSES.length()).split("/", 2))
                    .filter(f -> f.length == 2 && LICENCE_FILE.matcher(f[1]).find())
                    .forEach(f -> licensed.add(f[0]));
        }
        List<String> problems = new ArrayList<>();
        for (String id : artifactIds) {
            String folder = LICENCE_FOLDERS.getOrDefault(id, id);
            if (!licensed.contains(folder)) {
                problems.add(cliJar + ": it bundles " + id + " but " + LICENSES + folder
                        + "/ holds no licence file");
            }
        }
        return problems;
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
