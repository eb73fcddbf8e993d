package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.ProcessTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging folders left beside an output file in a shared folder (issue 14, item 8): a writer removes only
 * those of a process of its own host that has ended; another host's (maybe a live pack on another node),
 * one whose owner cannot be read and a live process's are left alone.
 */
class HostileStagingTest {
    @TempDir
    Path dir;

    private Path staging(String suffix, String owner) throws IOException {
        Path d = Files.createDirectory(dir.resolve(".avg.npy." + suffix + ".tmp"));
        Files.writeString(d.resolve("owner.pid"), owner);
        Files.writeString(d.resolve("array.npy"), "partial");
        return d;
    }

    @Test
    void onlyFoldersOfEndedProcessesOfThisHostAreRemoved() throws IOException {
        String host = ProcessTag.current().host();
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        long parentStart = parent.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Path otherHost = staging("00000001", "node-b-" + host + "~4000000~1");
        Path oldFormat = staging("00000002", "4000000");
        Path ended = staging("00000003", host + "~4000000~1");
        Path reusedPid = staging("00000004", ProcessTag.current().host() + "~" + ProcessTag.current().pid() + "~"
                + (ProcessTag.current().startMillis() - 86_400_000L));
        Path live = staging("00000005", host + "~" + parent.pid() + "~" + parentStart);

        Path target = dir.resolve("avg.npy");
        NpyFiles.writeFloat32(target, new float[] {1, 2, 3}, 3);

        assertThat(NpyFiles.readFloat32(target).values()).containsExactly(1, 2, 3);
        assertThat(otherHost).as("another host's: maybe a live run on another node").isDirectory();
        assertThat(oldFormat).as("an owner that cannot be told").isDirectory();
        assertThat(live).as("a live process's").isDirectory();
        assertThat(ended).as("a process of this host that ended").doesNotExist();
        assertThat(reusedPid).as("a process id now used by another process").doesNotExist();
    }

    /**
     * A run killed as it created its staging folder, before it wrote its owner (the tag, made in between, took
     * milliseconds on its first use), left the folder with an empty {@code owner.pid}, and no later run removed it, as
     * its owner cannot be read: such a folder, or an empty one, untouched for a minute is now removed. One newer (a
     * run creating it now) and one that holds more than its owner stay.
     */
    @Test
    void aFolderLeftEmptyByARunKilledAsItCreatedItIsRemoved() throws IOException {
        Path killed = Files.createDirectory(dir.resolve(".avg.npy.00000007.tmp"));
        Files.createFile(killed.resolve("owner.pid"));
        Path empty = Files.createDirectory(dir.resolve(".avg.npy.00000008.tmp"));
        Path creating = Files.createDirectory(dir.resolve(".avg.npy.00000009.tmp"));
        Files.createFile(creating.resolve("owner.pid"));
        Path holding = staging("0000000a", "");
        FileTime old = FileTime.from(Instant.now().minusSeconds(120));
        for (Path p : List.of(killed.resolve("owner.pid"), killed, empty, holding.resolve("owner.pid"),
                holding.resolve("array.npy"), holding)) {
            Files.setLastModifiedTime(p, old);
        }

        NpyFiles.writeFloat32(dir.resolve("avg.npy"), new float[] {1, 2, 3}, 3);

        assertThat(killed).as("an empty owner, untouched for two minutes").doesNotExist();
        assertThat(empty).as("no owner, nothing in it").doesNotExist();
        assertThat(creating).as("an empty owner just created: a run writing it now").isDirectory();
        assertThat(holding).as("more than its owner: not judged without one").isDirectory();
    }

    /**
     * Root's staging folder on NFS with root_squash belongs to {@code nobody}: where {@code /proc} hides no process
     * (no {@code hidepid}) its ended owner decides, as for this user's. Before, a killed pack's folder (its partial
     * file, gigabytes) was kept for ever.
     */
    @Test
    void anEndedRunsFolderOwnedByAnotherUidIsRemovedWhereProcHidesNoProcess() throws IOException {
        Assumptions.assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "needs root to give a folder to another user");
        Path squashed = staging("00000006", ProcessTag.current().host() + "~4000000~1");
        Files.setAttribute(squashed, "unix:uid", 65534);
        Assumptions.assumeTrue(ProcessTag.judgedByItsTag(squashed), "/proc is mounted with hidepid here");
        NpyFiles.writeFloat32(dir.resolve("avg.npy"), new float[] {1, 2, 3}, 3);
        assertThat(squashed).as("an ended process's, whatever its uid").doesNotExist();
    }

    @Test
    void aStagingFolderIsPrivateAndNamesItsHostProcessAndStart() throws IOException {
        Path target = dir.resolve("w.hdf5");
        WaveformFileWriter writer = WaveformFileWriter.create(target, LabelIndex.audioSet(), 100, 1000);
        try {
            Path staging;
            try (Stream<Path> list = Files.list(dir)) {
                staging = list.filter(p -> p.getFileName().toString().startsWith(".w.hdf5.")).findFirst()
                        .orElseThrow();
            }
            assertThat(Files.getPosixFilePermissions(staging)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.readString(staging.resolve("owner.pid")).strip())
                    .isEqualTo(ProcessTag.current().toString());
        } finally {
            writer.close();
        }
    }
}
