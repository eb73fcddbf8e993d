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
        assertThat(ProcessTag.ownedByThisUser(mine)).isTrue();
        assertThat(ProcessTag.ownedByThisUser(theirs)).isFalse();
        assertThat(ProcessTag.removeGone(dir, ".out.json.", ".tmp")).isEqualTo(1);
        assertThat(mine).doesNotExist();
        assertThat(theirs).exists();
    }

    private static int uidOf(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid");
    }
}
