package io.github.audiosetdl.examples.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.examples.hostile.ChildCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioset slurm --submit} when a step cannot be submitted, against the real test cluster: the controller
 * refuses the cochleagram array (more tasks than its MaxArraySize, 1001), or does not answer (slurmctld frozen
 * with SIGSTOP). The jobs submitted before the failure are cancelled, or, when scancel cannot run, the message
 * gives the command that cancels them; a controller that does not answer ends the run at {@code --submit-timeout},
 * or at sbatch's own limit if that comes first, and the message says the job may have been queued all the same
 * (the controller takes the request when it runs again). A run stopped by a signal while an sbatch hangs stops
 * that sbatch and cancels the jobs submitted before it.
 * A job that fills the node keeps the submitted steps pending, so that they are still there to cancel.
 */
class SlurmSubmitFailureTest {
    private static final Pattern CANCEL_YOURSELF = Pattern.compile("cancel them yourself with: ([a-z]+(?: \\d+)+)");

    private static final int MESSAGE_TIMEOUT_SECONDS = 4;

    @TempDir
    static Path tmp;
    @RegisterExtension
    /** sbatch's own limit is MessageTimeout per try: 4 s, not the default 10 s, so that it gives up sooner. */
    static final SlurmClusterExtension CLUSTER = new SlurmClusterExtension(2, Map.of("MessageTimeout",
            Integer.toString(MESSAGE_TIMEOUT_SECONDS)));

    @Test
    void aRefusedStepCancelsTheJobsSubmittedBeforeIt() throws Exception {
        String blocker = fillTheNode();
        try {
            Set<String> before = CLUSTER.cluster().jobStates().keySet();
            ChildCli.Result r = slurm("refused", "--cochleagram-jobs", "5000");

            Map<String, String> ids = SlurmPipelineTest.jobIds(r.out());
            assertThat(ids).containsOnlyKeys("download", "pack");
            r.failsWithOneLine("slurm: the cochleagram step could not be submitted, so the jobs submitted before it"
                    + " were cancelled (download " + ids.get("download") + ", pack " + ids.get("pack") + "): sbatch"
                    + " failed (exit 1): ", "Invalid job array specification");
            assertOnlyCancelled(before, ids);
        } finally {
            CLUSTER.cluster().capture(List.of("scancel", blocker));
        }
    }

    @Test
    void whenScancelCannotRunTheMessageGivesTheCommandThatCancels() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin")); // an sbatch with no scancel beside it
        Path sbatch = Files.createSymbolicLink(bin.resolve("sbatch"), ExternalTools.require("sbatch"));
        String blocker = fillTheNode();
        try {
            Set<String> before = CLUSTER.cluster().jobStates().keySet();
            ChildCli.Result r = slurm("noscancel", "--cochleagram-jobs", "5000", "--sbatch",
                    sbatch.toString());

            Map<String, String> ids = SlurmPipelineTest.jobIds(r.out());
            assertThat(ids).containsOnlyKeys("download", "pack");
            r.failsWithOneLine("slurm: the cochleagram step could not be submitted, and the jobs submitted before it"
                    + " (download " + ids.get("download") + ", pack " + ids.get("pack") + ") could not be cancelled"
                    + " (scancel: ", bin.resolve("scancel").toString(), "; sbatch failed (exit 1): ",
                    "Invalid job array specification");
            Matcher m = CANCEL_YOURSELF.matcher(r.errLines().get(0));
            assertThat(m.find()).as(r.err()).isTrue();
            assertThat(m.group(1)).isEqualTo("scancel " + ids.get("download") + " " + ids.get("pack"));
            for (String id : ids.values()) {
                assertThat(states(id)).as("job %s before the user cancels it", id).containsOnly("PENDING");
            }

            CLUSTER.cluster().capture(Arrays.asList(m.group(1).split(" ")));
            assertOnlyCancelled(before, ids);
        } finally {
            CLUSTER.cluster().capture(List.of("scancel", blocker));
            Files.delete(sbatch);
        }
    }

    @Test
    void stoppedWhileAStepIsSubmittedItCancelsTheJobsSubmittedBeforeIt() throws Exception {
        // the first sbatch is the real one; the second hangs as one waiting for a busy controller does
        Path bin = Files.createDirectories(tmp.resolve("hangbin"));
        Path first = bin.resolve("first-done");
        Path hungPid = bin.resolve("hung.pid");
        Path sbatch = bin.resolve("sbatch");
        Files.writeString(sbatch, "#!/bin/bash\nif [ -e '" + first + "' ]; then echo $$ > '" + hungPid
                + "'; exec sleep 120; fi\n: > '" + first + "'\nexec '" + ExternalTools.require("sbatch")
                + "' \"$@\"\n");
        Files.setPosixFilePermissions(sbatch, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(bin.resolve("scancel"), ExternalTools.require("scancel"));
        String blocker = fillTheNode();
        long hung = -1;
        try {
            Set<String> before = CLUSTER.cluster().jobStates().keySet();
            ChildCli.Running child = ChildCli.start(tmp.resolve("child"), CLUSTER.cluster().env(),
                    args("stopped", "--sbatch", sbatch.toString()).toArray(String[]::new));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(hungPid) || Files.size(hungPid) == 0) {
                assertThat(child.process().isAlive()).as("the child, before its second sbatch").isTrue();
                assertThat(System.nanoTime()).as("the second sbatch starts within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            hung = Long.parseLong(Files.readString(hungPid).strip());

            child.process().destroy(); // SIGTERM, as Ctrl-C's SIGINT, runs the shutdown hooks
            ChildCli.Result r = child.await(Duration.ofSeconds(60));

            Map<String, String> ids = SlurmPipelineTest.jobIds(r.out());
            assertThat(ids).containsOnlyKeys("download");
            assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(143);
            assertThat(r.err()).contains("slurm: stopped before every step was submitted (the pack step's sbatch"
                    + " was stopped: it may have queued the job all the same: see squeue --name=audioset-pack); the"
                    + " jobs submitted (download " + ids.get("download") + ") were cancelled");
            assertThat(ProcessHandle.of(hung).map(ProcessHandle::isAlive)).as("the hung sbatch")
                    .isNotEqualTo(java.util.Optional.of(true));
            assertOnlyCancelled(before, ids);
        } finally {
            CLUSTER.cluster().capture(List.of("scancel", blocker));
            if (hung > 0) {
                ProcessHandle.of(hung).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aControllerThatDoesNotAnswerEndsTheRunAtTheTimeout() throws Exception {
        ChildCli.Result r = whileTheControllerIsFrozen("hung", "2");

        r.failsWithOneLine("slurm: the download step could not be submitted: sbatch did not answer within 2 s and"
                + " was stopped (it may have queued the job all the same: see squeue --name=audioset-download)");
        assertThat(r.out()).doesNotContain(" job ");
        // sbatch's own limit (MessageTimeout per try) is not what ended it: 2 s, a 2 s grace, a JVM start
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void whenSbatchGivesUpItselfTheMessageSaysTheJobMayBeQueued() throws Exception {
        ChildCli.Result r = whileTheControllerIsFrozen("gaveup", "60"); // sbatch gives up first

        r.failsWithOneLine("slurm: the download step could not be submitted: sbatch failed (exit 1): ", "timed out",
                "(it may have queued the job all the same: see squeue --name=audioset-download)");
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(60));
    }

    /**
     * Runs {@code audioset slurm --submit --submit-timeout SECONDS} while slurmctld is frozen, then resumes it and
     * cancels what the unanswered request queued once the controller read it.
     */
    private static ChildCli.Result whileTheControllerIsFrozen(String name, String seconds) throws Exception {
        SlurmCluster.Frozen frozen = CLUSTER.cluster().freezeController();
        try {
            return slurm(name, "--submit-timeout", seconds);
        } finally {
            frozen.close();
            CLUSTER.cluster().capture(List.of("scancel", "--user=" + System.getProperty("user.name")));
            CLUSTER.cluster().awaitIdle(Duration.ofSeconds(60));
        }
    }

    /**
     * Submits a job that takes the whole node and waits (bounded) until it runs.
     *
     * @return its id
     */
    private static String fillTheNode() throws IOException, InterruptedException {
        Path script = tmp.resolve("blocker.sbatch");
        if (!Files.exists(script)) {
            Files.writeString(script, "#!/bin/bash\nexec sleep 600\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        String id = CLUSTER.cluster().sbatch(List.of("--exclusive", "--job-name=blocker",
                "--output=" + tmp.resolve("blocker-%j.out"), script.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"RUNNING".equals(CLUSTER.cluster().jobStates().get(id))) {
            assertThat(System.nanoTime()).as("the blocker %s runs within 30 s", id).isLessThan(deadline);
            Thread.sleep(100);
        }
        return id;
    }

    /** Asserts that the jobs {@code ids} are cancelled (each array task) and no other job was submitted. */
    private static void assertOnlyCancelled(Set<String> before, Map<String, String> ids) throws IOException {
        for (String id : ids.values()) {
            assertThat(states(id)).as("job %s", id).isNotEmpty().containsOnly("CANCELLED");
        }
        Set<String> added = CLUSTER.cluster().jobStates().keySet().stream().filter(k -> !before.contains(k))
                .map(k -> k.split("_")[0]).collect(Collectors.toSet());
        assertThat(added).as("the jobs this run submitted").containsExactlyInAnyOrderElementsOf(ids.values());
    }

    /** @return the states of a job, or of each task of an array job */
    private static List<String> states(String id) throws IOException {
        return CLUSTER.cluster().jobStates().entrySet().stream()
                .filter(e -> e.getKey().equals(id) || e.getKey().startsWith(id + "_")).map(Map.Entry::getValue)
                .toList();
    }

    /** Runs {@code audioset slurm ... --submit} in a child JVM that reaches the test cluster. */
    private static ChildCli.Result slurm(String name, String... extra) throws Exception {
        return ChildCli.run(tmp.resolve("child"), Duration.ofSeconds(90), CLUSTER.cluster().env(),
                args(name, extra).toArray(String[]::new));
    }

    private static List<String> args(String name, String... extra) throws IOException {
        Path csv = tmp.resolve("mini.csv");
        if (!Files.exists(csv)) {
            Files.writeString(csv, "# YTID, start_seconds, end_seconds, positive_labels\n"
                    + "slurmclip01, 0.000, 10.000, \"/m/09x0r\"\n" + "slurmclip02, 0.000, 10.000, \"/m/09x0r\"\n");
        }
        List<String> args = new ArrayList<>(List.of("slurm", "--csv", csv.toString(), "--out",
                tmp.resolve(name).toString(), "--jobs", "2", "--resolver", "direct", "--url-template",
                "http://127.0.0.1:9/{id}.m4a", "--submit"));
        args.addAll(List.of(extra));
        return args;
    }
}
