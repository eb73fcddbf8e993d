package io.github.audiosetdl.examples.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The test cluster itself: a 4-task array job runs every task once, with SLURM's array variables. */
class SlurmClusterTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final SlurmClusterExtension CLUSTER = new SlurmClusterExtension(4);

    @Test
    void anArrayJobRunsEachTaskOnce() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path script = work.resolve("task.sbatch");
        Files.writeString(script, "#!/bin/bash\n"
                + "echo \"$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT\" > \"$1/task-$SLURM_ARRAY_TASK_ID\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        String id = CLUSTER.cluster().sbatch(List.of("--array=0-3", "--output=" + work.resolve("out-%a.txt"),
                script.toString(), work.toString()));

        Map<String, String> states = CLUSTER.cluster().awaitIdle(Duration.ofSeconds(60));

        for (int i = 0; i < 4; i++) {
            assertThat(states).containsEntry(id + "_" + i, "COMPLETED");
            assertThat(Files.readString(work.resolve("task-" + i))).isEqualTo(i + " 4\n");
        }
    }
}
