package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.ProcessTag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statically linked ffmpeg 4.4.1 of Maven Central's {@code ws.schild:jave-nativebin-linux64} (GPL-3; it needs
 * nothing beyond the Linux kernel, not even glibc), when that jar is on the class path: the command-line jar bundles
 * it, and core's tests take it as a test dependency. Core itself never depends on the jar; it only knows the
 * resource's name. The program is copied once out of the jar into a cache folder and run from there.
 *
 * <p>The copy is keyed by the jar entry's CRC-32 and size, written under a unique temporary name, forced to disk and
 * renamed atomically, so concurrent processes never run a half-written copy; a cached copy of the wrong size is
 * replaced, and so is one that anyone but this user could have written (its folder, made {@code rwx------}, or
 * itself writable by the group or others, or owned by another user: a folder of another user is refused).
 * Linux only (the build it copies runs nowhere else). Thread-safe.
 */
public final class BundledFfmpeg {
    private static final Logger LOG = LoggerFactory.getLogger(BundledFfmpeg.class);
    /** The program's resource in {@code ws.schild:jave-nativebin-linux64}. */
    public static final String RESOURCE = "ws/schild/jave/nativebin/ffmpeg-amd64";
    /** The largest program copied out (bytes): the 3.5.0 build is 77 MB. */
    static final long MAX_BYTES = 512L << 20;
    private static final int BUFFER = 1 << 16;
    /** The cache folders' permissions: only this user may write them (and so replace the program). */
    private static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");

    private BundledFfmpeg() {
    }

    /**
     * @return the bundled ffmpeg, copied to {@link #cacheRoot}; empty when this is not Linux on x86-64 or the jar is
     *     not on the class path
     * @throws IOException if the copy cannot be made (the message names the folder)
     */
    public static Optional<Path> locate() throws IOException {
        if (!supported(System.getProperty("os.name", ""), System.getProperty("os.arch", ""))) {
            return Optional.empty();
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return extract(loader != null ? loader : BundledFfmpeg.class.getClassLoader(), RESOURCE,
                cacheRoot(System.getenv(), System.getProperty("user.home", ".")), "ffmpeg");
    }

    /**
     * @param osName the {@code os.name} property
     * @param osArch the {@code os.arch} property
     * @return whether the bundled build runs on this platform (Linux on x86-64)
     */
    static boolean supported(String osName, String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return osName.toLowerCase(Locale.ROOT).startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * @param env the environment ({@code XDG_CACHE_HOME} is read)
     * @param userHome the user's home folder
     * @return {@code $XDG_CACHE_HOME/audioset-java}, else {@code ~/.cache/audioset-java}
     */
    static Path cacheRoot(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(userHome, ".cache");
        return base.resolve("audioset-java");
    }

    /**
     * Copies an executable resource out of the class path, once per content.
     *
     * @param loader where the resource is looked up
     * @param resource its name, e.g. {@link #RESOURCE}
     * @param cacheRoot the folder that receives {@code <fileName>-<crc32>-<size>/<fileName>}
     * @param fileName the program's file name
     * @return the executable copy, or empty if the resource is not on the class path
     * @throws IOException if the resource is larger than {@link #MAX_BYTES}, its size is unknown or not what was
     *     read, or the copy cannot be written (the message names the file)
     */
    static Optional<Path> extract(ClassLoader loader, String resource, Path cacheRoot, String fileName)
            throws IOException {
        requireNonNull(loader, "loader");
        requireNonNull(cacheRoot, "cacheRoot");
        URL url = loader.getResource(requireNonNull(resource, "resource"));
        if (url == null) {
            return Optional.empty();
        }
        URLConnection connection = url.openConnection();
        long size;
        String key;
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            size = entry.getSize();
            key = Long.toHexString(entry.getCrc());
        } else {
            size = connection.getContentLengthLong();
            key = Long.toHexString(connection.getLastModified());
        }
        if (size <= 0 || size > MAX_BYTES) {
            throw new IOException(url + ": size " + size + " bytes is not in 1.." + MAX_BYTES);
        }
        Path dir = cacheRoot.resolve(fileName + "-" + key + "-" + size);
        Path target = dir.resolve(fileName);
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == size
                && Files.isExecutable(target) && onlyWeCanWrite(dir) && onlyWeCanWrite(target)) {
            removeKilledCopies(dir, fileName);
            return Optional.of(target);
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_FOLDER));
        if (!onlyWeCanWrite(dir)) { // made by an older version, or under a umask that lets the group write
            if (!ours(dir)) {
                throw new IOException(dir + " belongs to another user, who could replace the " + fileName + " this"
                        + " runs: remove it, or set XDG_CACHE_HOME to a folder of your own");
            }
            Files.setPosixFilePermissions(dir, PRIVATE_FOLDER);
        }
        removeKilledCopies(dir, fileName);
        // named after its owner: a copy a killed process left is removed by the next (removeKilledCopies)
        Path tmp = dir.resolve("." + fileName + "." + ProcessTag.current() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (InputStream in = connection.getInputStream();
                    FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long copied = copy(in, Channels.newOutputStream(out), size);
                if (copied != size) {
                    throw new IOException(url + ": read " + copied + " bytes, the jar says " + size);
                }
                out.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot copy the bundled " + fileName + " to " + target + ": " + e.getMessage(), e);
        }
        return Optional.of(target);
    }

    /**
     * Deletes the partial copies ({@code .<fileName>.<owner>.<uuid>.tmp}, up to the program's size each) that
     * processes of this host killed while copying left in {@code dir}; a live process's copy is kept.
     */
    private static void removeKilledCopies(Path dir, String fileName) {
        ProcessTag.removeGone(dir, "." + fileName + ".", ".tmp");
    }

    /**
     * @return whether {@code path} (not followed if a link) is this process's user's and neither its group nor
     *     others may write it: only then is a cached program trusted, since whoever can write it or its folder
     *     can make us run anything
     */
    private static boolean onlyWeCanWrite(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        return ours(path) && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** @return whether {@code path} (not followed) belongs to this process's user ({@code /proc/self}'s owner) */
    private static boolean ours(Path path) throws IOException {
        return Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** Copies at most {@code limit + 1} bytes, so a resource longer than announced is noticed. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        while (total <= limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - total))) > 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }
}
