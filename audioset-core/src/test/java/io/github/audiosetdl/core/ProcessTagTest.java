package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.KilledRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tag's parts are checked when it is made, so that its text reads back as the same tag. */
class ProcessTagTest {
    @Test
    void aTagReadsBackFromItsText() {
        ProcessTag tag = new ProcessTag("node-7", 4242, 1_700_000_000_000L);
        assertThat(ProcessTag.find("claim." + tag + ".tmp")).contains(tag);
        assertThat(ProcessTag.find(ProcessTag.current().toString())).contains(ProcessTag.current());
    }

    /** Before, such a tag was made, and its text read back as another tag (or none), or isGone() threw NPE. */
    @Test
    void partsThatCannotReadBackAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new ProcessTag("node~7", 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'node~7'");
        assertThatThrownBy(() -> new ProcessTag("", 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessTag("a".repeat(41), 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessTag("node", -1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pid -1");
        assertThatThrownBy(() -> new ProcessTag("node", 1, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startMillis -2");
        assertThatThrownBy(() -> new ProcessTag(null, 1, 2)).isInstanceOf(NullPointerException.class)
                .hasMessage("host");
    }

    /**
     * A process of another user can be hidden from this one ({@code /proc} mounted with {@code hidepid}), so its
     * live run would look ended: only this user's files are judged by their tag. Before, both were removed.
     */
    @Test
    void anotherUsersTemporaryFileIsKeptEvenWhenItsOwnerLooksEnded(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(uidOf(Path.of("/proc/self")) == 0, "needs root to give a file to another user");
        ProcessTag ended = KilledRuns.endedTag();
        Path mine = Files.writeString(dir.resolve(".out.json." + ended + ".1.tmp"), "partial");
        Path theirs = Files.writeString(dir.resolve(".out.json." + ended + ".2.tmp"), "partial");
        Files.setAttribute(theirs, "unix:uid", 65534);
        assertThat(ProcessTag.judgedByItsTag(mine, true)).isTrue();
        assertThat(ProcessTag.judgedByItsTag(theirs, true)).as("hidepid").isFalse();
        assertThat(ProcessTag.judgedByItsTag(theirs, false)).as("no hidepid").isTrue();
        assertThat(ProcessTag.removeGone(dir, ".out.json.", ".tmp", true)).isEqualTo(1);
        assertThat(mine).doesNotExist();
        assertThat(theirs).exists();
    }

    /**
     * Where {@code /proc} hides no process (no {@code hidepid}), a tag is judged whatever the file's owner: a file
     * root made on NFS with root_squash belongs to {@code nobody}, one made with a failing NFSv4 id mapping too.
     * Before, such a killed run's temporary files (and staging folders, holding a partial HDF5 file) were kept for
     * ever, as no age ends them.
     */
    @Test
    void aKilledRunsFileOwnedByAnotherUidIsRemovedWhereProcHidesNoProcess(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(uidOf(Path.of("/proc/self")) == 0, "needs root to give a file to another user");
        Assumptions.assumeFalse(ProcessTag.hidesProcesses(Path.of("/proc/self/mountinfo")),
                "/proc is mounted with hidepid here");
        ProcessTag ended = KilledRuns.endedTag();
        Path squashed = Files.writeString(dir.resolve(".out.json." + ended + ".1.tmp"), "partial");
        Files.setAttribute(squashed, "unix:uid", 65534); // what root_squash makes of root's file
        assertThat(ProcessTag.judgedByItsTag(squashed)).isTrue();
        assertThat(ProcessTag.removeGone(dir, ".out.json.", ".tmp")).isEqualTo(1);
        assertThat(squashed).doesNotExist();
    }

    /** The {@code /proc} mount of {@code /proc/self/mountinfo} decides whether other users' processes may hide. */
    @Test
    void hidepidIsReadFromTheProcMount(@TempDir Path dir) throws Exception {
        String plain = "21 26 0:20 / /proc rw,relatime shared:12 - proc proc rw\n";
        String other = "30 26 0:21 / /mnt/proc rw,relatime - proc proc rw,hidepid=2\n";
        assertThat(ProcessTag.hidesProcesses(Files.writeString(dir.resolve("a"), plain + other))).isFalse();
        for (String v : new String[] {"2", "1", "invisible", "noaccess", "ptraceable"}) {
            Path f = Files.writeString(dir.resolve("h" + v), other
                    + "21 26 0:20 / /proc rw,nosuid - proc proc rw,gid=10,hidepid=" + v + "\n");
            assertThat(ProcessTag.hidesProcesses(f)).as(v).isTrue();
        }
        for (String v : new String[] {"0", "off"}) {
            Path f = Files.writeString(dir.resolve("n" + v), "21 26 0:20 / /proc rw - proc proc rw,hidepid=" + v
                    + "\n");
            assertThat(ProcessTag.hidesProcesses(f)).as(v).isFalse();
        }
        // the last mount on /proc is the one seen; one that cannot be read may hide
        assertThat(ProcessTag.hidesProcesses(Files.writeString(dir.resolve("b"),
                "21 26 0:20 / /proc rw - proc proc rw\n40 21 0:22 / /proc rw - proc proc rw,hidepid=2\n")))
                .isTrue();
        assertThat(ProcessTag.hidesProcesses(dir.resolve("missing"))).isTrue();
    }

    private static int uidOf(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid");
    }
}
