package io.github.audiosetdl.core.webdataset;

import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.LABELS;
import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.LEN;
import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.row;
import static io.github.audiosetdl.core.webdataset.WebDatasetWriterTest.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.audio.PreparedAudio;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pack per name at a time: {@link WebDatasetWriter}'s lock, against this JVM and another process. */
class WebDatasetLockTest {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path dir;

    private WebDatasetWriter create() throws IOException {
        return WebDatasetWriter.create(dir, "t", LABELS, 16_000, LEN, 2);
    }

    private static void write(WebDatasetWriter w, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            w.write(row(i), new PreparedAudio(samples(i), 0.5, false));
        }
    }

    private String busy() {
        return "another pack is writing WebDataset 't' in " + dir;
    }

    private List<String> keys(String shard) throws IOException {
        return WebDatasetWriterTest.keys(dir.resolve(shard));
    }

    private List<String> files() throws IOException {
        return WebDatasetWriterTest.files(dir);
    }

    /**
     * A lock file another user planted as a link in a shared output folder is refused: the writer never creates
     * or opens the file it names.
     */
    @Test
    void aLockFilePlantedAsALinkIsRefusedAndItsTargetNeverCreated(@TempDir Path elsewhere) throws Exception {
        Path target = elsewhere.resolve("created-by-the-lock");
        Path link = Files.createSymbolicLink(dir.resolve(".t.lock"), target);
        assertThatThrownBy(this::create).isInstanceOf(IOException.class).hasMessageContaining(link.toString())
                .hasMessageContaining("symbolic link");
        assertThat(target).doesNotExist();
        Path existing = Files.writeString(elsewhere.resolve("victim"), "mine");
        Files.delete(link);
        Files.createSymbolicLink(link, existing);
        assertThatThrownBy(this::create).hasMessageContaining("symbolic link");
        Files.delete(link);
        try (WebDatasetWriter w = create()) { // the name is not left held by the failed attempts
            write(w, 0, 1);
            assertThat(w.commit()).hasSize(1);
        }
    }

    /** The lock a pipeline takes while it judges the shards: writers wait their turn, and it waits theirs. */
    @Test
    void theNameLockOfAReaderExcludesWritersAndTheyExcludeIt() throws Exception {
        try (Closeable judging = WebDatasetWriter.lockName(dir, "t")) {
            assertThatThrownBy(this::create).isInstanceOf(IOException.class).hasMessageContaining(busy())
                    .hasMessageContaining(".t.lock");
            assertThatThrownBy(() -> WebDatasetWriter.lockName(dir, "t")).hasMessageContaining(busy());
            assertThat(judging).isNotNull();
        }
        try (WebDatasetWriter w = create()) {
            assertThatThrownBy(() -> WebDatasetWriter.lockName(dir, "t")).hasMessageContaining(busy());
            write(w, 0, 1);
            w.commit();
            // still held after the commit, until close: the caller records what it committed before another
            // pack of the name may rewrite the shards
            assertThatThrownBy(() -> WebDatasetWriter.lockName(dir, "t")).hasMessageContaining(busy());
            assertThatThrownBy(this::create).isInstanceOf(IOException.class).hasMessageContaining(busy());
            assertThat(child("try")).isEqualTo("held");
        }
        WebDatasetWriter.lockName(dir, "t").close(); // released by the close
        assertThatThrownBy(() -> WebDatasetWriter.lockName(dir, "t/..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondWriterOfTheNameInThisJvmFailsAndTheFirstCommitsAsIfAlone() throws Exception {
        WebDatasetWriter first = create();
        try {
            write(first, 0, 3); // shard 0 published, shard 1 a live temporary file
            assertThatThrownBy(this::create).isInstanceOf(IOException.class).hasMessageContaining(busy());
            assertThat(files()).anyMatch(f -> f.startsWith(".t-000001.tar.") && f.endsWith(".tmp"));
            // the failed attempt did not drop this process's lock at the operating-system level either
            assertThat(child("try")).isEqualTo("held");
            WebDatasetWriter.create(dir, "u", LABELS, 16_000, LEN, 2).close(); // another name is free
            write(first, 3, 5);
            assertThat(first.commit()).containsExactly(dir.resolve("t-000000.tar"), dir.resolve("t-000001.tar"),
                    dir.resolve("t-000002.tar"));
        } finally {
            first.close();
        }
        assertThat(keys("t-000001.tar")).containsExactly("-wds0000002", "-wds0000003");
        assertThat(keys("t-000002.tar")).containsExactly("-wds0000004");
        assertThat(files()).containsExactly(".t.lock", ".u.lock", "t-000000.tar", "t-000001.tar", "t-000002.tar");
        assertThat(child("try")).isEqualTo("free");
        try (WebDatasetWriter third = create()) { // after close, the name is free again
            write(third, 0, 5);
            assertThat(third.commit()).hasSize(3);
            assertThat(third.kept()).isEqualTo(5);
        }
    }

    @Test
    void theLockIsReleasedByCloseWithoutCommitAndWhenCommitOrCreateFails() throws Exception {
        try (WebDatasetWriter w = create()) {
            write(w, 0, 1);
        }
        assertThat(files()).containsExactly(".t.lock");
        // commit fails: the shard's final name is a folder that cannot be replaced
        Path blocker = Files.createDirectories(dir.resolve("t-000000.tar/x"));
        try (WebDatasetWriter w = create()) {
            write(w, 0, 1);
            assertThatThrownBy(w::commit).isInstanceOf(IOException.class).hasMessageContaining("t-000000.tar");
            assertThatThrownBy(() -> WebDatasetWriter.lockName(dir, "t")).as("held until close")
                    .hasMessageContaining(busy());
        }
        Files.delete(blocker);
        Files.delete(blocker.getParent());
        // create fails midway: a "temporary shard" it must delete is a folder that is not empty
        Path stale = Files.createDirectories(dir.resolve(".t-000000.tar.0b5e0c8e-4c31-4f43-9c1e-6a0f7a3b2d10.tmp/x"));
        assertThatThrownBy(this::create).isInstanceOf(IOException.class);
        Files.delete(stale);
        try (WebDatasetWriter w = create()) { // every failure released the lock
            write(w, 0, 3);
            w.commit();
        }
        assertThat(files()).containsExactly(".t.lock", "t-000000.tar", "t-000001.tar");
    }

    @Test
    void anotherProcessHoldingTheLockStopsTheWriterUntilItIsKilled() throws Exception {
        Process holder = start("hold");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo("locked");
            Files.createFile(dir.resolve(".t-000000.tar.0b5e0c8e-4c31-4f43-9c1e-6a0f7a3b2d10.tmp")); // the holder's
            assertThatThrownBy(this::create).isInstanceOf(IOException.class).hasMessageContaining(busy());
            assertThat(files()).as("the other pack's temporary shard is not touched")
                    .contains(".t-000000.tar.0b5e0c8e-4c31-4f43-9c1e-6a0f7a3b2d10.tmp");
            holder.destroyForcibly(); // as kill -9: the operating system releases the lock
            assertThat(holder.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
        try (WebDatasetWriter w = create()) {
            write(w, 0, 2);
            w.commit();
        }
        assertThat(files()).containsExactly(".t.lock", "t-000000.tar"); // the killed pack's temporary shard went
        assertThat(keys("t-000000.tar")).containsExactly("-wds0000000", "-wds0000001");
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts {@link LockChild} on the lock file of {@code t} in {@link #dir}. */
    private Process start(String mode) throws Exception {
        Path classes = Path.of(LockChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes.toString(),
                LockChild.class.getName(), mode, dir.resolve(".t.lock").toString())).redirectErrorStream(true)
                .start();
    }

    /** @return what {@link LockChild} in {@code mode} printed (it ends by itself in mode {@code try}) */
    private String child(String mode) throws Exception {
        Process p = start(mode);
        try {
            assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("the child ends").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
