package io.github.audiosetdl.core.testing;

import io.github.audiosetdl.core.ProcessTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Temporary files as a run killed between creating and renaming them leaves them, beside those of a live run, for
 * the tests that the next write of the same file removes the first and keeps the others.
 */
public final class KilledRuns {
    private KilledRuns() {
    }

    /**
     * @return the tag of a process of this host that has ended ({@code true}, run and waited for; its start time
     *     cannot be read once it has ended, and any will do for a process that is gone)
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting for it (at most 10 s)
     */
    public static ProcessTag endedTag() throws IOException, InterruptedException {
        Process ended = new ProcessBuilder("true").start();
        if (!ended.waitFor(10, TimeUnit.SECONDS)) {
            ended.destroyForcibly();
            throw new IOException("'true' did not end within 10 s");
        }
        return new ProcessTag(ProcessTag.current().host(), ended.pid(), System.currentTimeMillis() - 1);
    }

    /**
     * Plants the temporary files of {@code target}, named {@code <prefix><tag>.<uuid>.tmp}: one of an ended process
     * of this host (a killed run's), one of this process (a live run's), one of another host's process.
     *
     * @param target the final file
     * @return the killed run's file, then the two that must stay
     * @throws IOException if one cannot be written
     * @throws InterruptedException if interrupted while making the ended process
     */
    public static List<Path> plantTemporaries(Path target) throws IOException, InterruptedException {
        String prefix = "." + target.getFileName() + ".";
        List<ProcessTag> owners = List.of(endedTag(), ProcessTag.current(),
                new ProcessTag("some-other-node", 4242, 1_700_000_000_000L));
        List<Path> planted = new java.util.ArrayList<>();
        for (ProcessTag owner : owners) {
            planted.add(Files.writeString(target.resolveSibling(prefix + owner + "." + UUID.randomUUID() + ".tmp"),
                    "partial"));
        }
        return planted;
    }
}
