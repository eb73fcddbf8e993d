package io.github.audiosetdl.examples.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.examples.ExampleData;
import io.github.audiosetdl.examples.hostile.ChildCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One task of the download array run again by hand ({@code sbatch --array=1 download.sbatch}, as one reruns a
 * failed task) under a real SLURM, in a folder whose path holds a space, a quote and non-ASCII letters: the task
 * does its own share of the CSV, the one it had in the whole array, and nothing else.
 */
class SlurmTaskRerunTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final SlurmClusterExtension CLUSTER = new SlurmClusterExtension(2);

    @Test
    void aTaskSubmittedAloneDoesItsShareOfTheArray() throws Exception {
        ExampleData.Subset subset = ExampleData.subset(tmp, "music", "Music", 4);
        List<String> ids = subset.ids();
        Path out = tmp.resolve("it's ünïcode out");
        try (LoopbackMediaServer server = ExampleData.serve(Files.createDirectories(tmp.resolve("media")), subset)) {
            ChildCli.Result r = ChildCli.run(tmp.resolve("child"), Duration.ofSeconds(120), Map.of(), "slurm",
                    "--csv", subset.csv().toString(), "--out", out.toString(), "--jobs", "2", "--threads", "1",
                    "--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--budget-dir",
                    tmp.resolve("budget").toString(), "--ffmpeg", ExternalTools.requireFfmpeg().toString());
            assertThat(r.exit()).as(r.err()).isZero();

            String job = CLUSTER.cluster().sbatch(List.of("--array=1", "--output=" + tmp.resolve("task-%a.out"),
                    out.resolve("slurm/download.sbatch").toString()));
            Map<String, String> states = CLUSTER.cluster().awaitIdle(Duration.ofMinutes(2));

            String log = Files.readString(tmp.resolve("task-1.out"));
            assertThat(states).as(log).containsEntry(job + "_1", "COMPLETED");
            assertThat(log).contains("job 1 of 2");
            Path downloads = out.resolve("music_downloads");
            for (int i = 0; i < 4; i++) {
                String id = ids.get(i);
                if (i < 2) {
                    assertThat(server.requests(id + ".m4a")).as("%s is task 0's", id).isZero();
                } else {
                    assertThat(downloads.resolve("music_downloads_0/YT_" + id + ".wav")).as(log).isRegularFile();
                }
            }
        }
    }
}
