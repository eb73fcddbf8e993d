package io.github.audiosetdl.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the process that owns a temporary file or folder: its host, process id and start time
 * ({@code <host>~<pid>~<start ms>}), so that a later run can tell a killed run's leftovers from a live run's.
 * A process id alone is not enough: on a shared file system the owner may live on another node, and a local
 * id may have been reused. Only a tag of this host whose process is gone (or is another process under a
 * reused id) is stale; a tag of another host is never judged.
 *
 * @param host the host name, reduced to {@code [A-Za-z0-9-]}, at most 40 characters
 * @param pid the process id
 * @param startMillis the process's start time in milliseconds since the epoch, 0 if unknown
 */
public record ProcessTag(String host, long pid, long startMillis) {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTag.class);
    /** A tag inside a longer name. */
    private static final Pattern TAG = Pattern.compile("([A-Za-z0-9-]{1,40})~([0-9]{1,19})~([0-9]{1,19})");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9-]{1,40}");
    /** How far a recorded start time may be from the process's, in milliseconds (clock granularity). */
    private static final long START_SLACK_MS = 1_000;
    private static final ProcessTag CURRENT = new ProcessTag(localHost(), ProcessHandle.current().pid(),
            ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    private static final int CURRENT_UID = currentUid();
    /** Whether {@code /proc} may hide other users' processes ({@code hidepid}); true where it cannot be told. */
    private static final boolean PROC_HIDES = CURRENT_UID >= 0 && hidesProcesses(Path.of("/proc/self/mountinfo"));

    /**
     * Checks the parts, so that {@link #toString()} is a tag that {@link #find} reads back as this one.
     *
     * @param host the host name, 1 to 40 of {@code [A-Za-z0-9-]}
     * @param pid the process id, {@code >= 0}
     * @param startMillis the process's start, in milliseconds since the epoch, {@code >= 0} (0: unknown)
     * @throws NullPointerException if {@code host} is null
     * @throws IllegalArgumentException if {@code host} is not 1 to 40 of {@code [A-Za-z0-9-]}, or {@code pid} or
     *     {@code startMillis} is negative
     */
    public ProcessTag {
        Objects.requireNonNull(host, "host");
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("host '" + host + "' of a process tag must be 1 to 40 of [A-Za-z0-9-]");
        }
        if (pid < 0 || startMillis < 0) {
            throw new IllegalArgumentException("pid " + pid + " and startMillis " + startMillis + " of a process tag"
                    + " on host '" + host + "' must be >= 0");
        }
    }

    /** @return this process's tag */
    public static ProcessTag current() {
        return CURRENT;
    }

    /**
     * @param text a file name or a file's content that holds a tag
     * @return the first tag in it, if any
     */
    public static Optional<ProcessTag> find(String text) {
        Matcher m = TAG.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcessTag(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * @return whether this tag names a process of this host that has ended: no process has its id, or the
     *     one that has it started at another time (the id was reused). False for another host's tag.
     */
    public boolean isGone() {
        if (!host.equals(CURRENT.host)) {
            return false;
        }
        if (pid == CURRENT.pid) {
            return startMillis != 0 && CURRENT.startMillis != 0
                    && Math.abs(startMillis - CURRENT.startMillis) > START_SLACK_MS;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return true;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        return startMillis != 0 && started.isPresent()
                && Math.abs(started.get().toEpochMilli() - startMillis) > START_SLACK_MS;
    }

    /**
     * Whether this process may judge a tag read from {@code file} by {@link #isGone()}: {@code /proc} shows it every
     * process (it is not mounted with {@code hidepid}), or the file belongs to this process's user. Where
     * {@code hidepid} is set (common on shared clusters) another user's live process is invisible here, so that
     * user's files are never taken for a killed run's; without it the tag decides whoever owns the file (a file
     * root makes on NFS with {@code root_squash} belongs to {@code nobody}).
     *
     * @param file a temporary file or folder, a claim (links are not followed)
     * @return whether its tag may be judged (true where user ids cannot be read: not Linux)
     * @throws IOException if the file's owner is needed and cannot be read (it is gone, say)
     */
    public static boolean judgedByItsTag(Path file) throws IOException {
        return judgedByItsTag(file, PROC_HIDES);
    }

    /** {@link #judgedByItsTag(Path)}, {@code procHides} telling whether {@code /proc} may hide processes. */
    static boolean judgedByItsTag(Path file, boolean procHides) throws IOException {
        if (!procHides || CURRENT_UID < 0) {
            return true;
        }
        Object uid = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return uid instanceof Integer i && i == CURRENT_UID;
    }

    /**
     * @param mountinfo {@code /proc/self/mountinfo}
     * @return whether the last mount on {@code /proc} has a {@code hidepid} option other than {@code 0} or
     *     {@code off}; true where the file cannot be read or has no such mount
     */
    static boolean hidesProcesses(Path mountinfo) {
        Boolean hides = null;
        try {
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                // id parent major:minor root mount-point options [optional fields] - type source super-options
                String[] f = line.split(" ");
                int dash = Arrays.asList(f).indexOf("-");
                if (f.length < 6 || dash < 6 || dash + 1 >= f.length || !f[4].equals("/proc")
                        || !f[dash + 1].equals("proc")) {
                    continue;
                }
                hides = false;
                String options = f[5] + (dash + 3 < f.length ? "," + f[dash + 3] : "");
                for (String o : options.split(",")) {
                    if (o.startsWith("hidepid=") && !o.equals("hidepid=0") && !o.equals("hidepid=off")) {
                        hides = true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
        return hides == null || hides;
    }

    /** @return this process's user id ({@code /proc/self} belongs to it), −1 where it cannot be read */
    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return -1;
        }
    }

    /**
     * Deletes the temporary files that processes killed between creating and renaming them left in {@code dir}:
     * the regular files (links are not followed) whose tag this process may judge ({@link #judgedByItsTag}) named
     * {@code prefix...suffix} that hold a tag of a process of this host that has ended ({@link #isGone()}). A live
     * process's file, another host's, another user's where {@code /proc} may hide its processes and one without a
     * tag are kept; one that cannot be removed or a folder that cannot be listed is left alone.
     *
     * @param dir the folder the temporary files are made in
     * @param prefix the start of their names, e.g. {@code .<target name>.}
     * @param suffix the end of their names, e.g. {@code .tmp}
     * @return how many were removed
     */
    public static int removeGone(Path dir, String prefix, String suffix) {
        return removeGone(dir, prefix, suffix, PROC_HIDES);
    }

    /** {@link #removeGone(Path, String, String)}, {@code procHides} telling whether {@code /proc} may hide any. */
    static int removeGone(Path dir, String prefix, String suffix, boolean procHides) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(suffix) && n.length() >= prefix.length() + suffix.length();
        })) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (find(n.substring(prefix.length(), n.length() - suffix.length())).map(ProcessTag::isGone)
                        .orElse(false) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        if (!judgedByItsTag(f, procHides)) {
                            continue;
                        }
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (IOException e) {
                        LOG.debug("{}: cannot remove a killed run's temporary file ({})", f, e.toString());
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("{}: cannot list it for killed runs' temporary files ({})", dir, e.toString());
        }
        if (removed > 0) {
            LOG.info("removed {} temporary file(s) of killed runs ({}*{}) from {}", removed, prefix, suffix, dir);
        }
        return removed;
    }

    /** @return whether this tag is of this host */
    public boolean isLocal() {
        return host.equals(CURRENT.host);
    }

    @Override
    public String toString() {
        return host + "~" + pid + "~" + startMillis;
    }

    /** The kernel's host name (no name lookup, which may be slow), else the resolver's. */
    private static String localHost() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException | RuntimeException e2) {
                name = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
            }
        }
        String clean = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        clean = clean.isEmpty() ? "unknown-host" : clean;
        return clean.length() > 40 ? clean.substring(0, 40) : clean;
    }
}
