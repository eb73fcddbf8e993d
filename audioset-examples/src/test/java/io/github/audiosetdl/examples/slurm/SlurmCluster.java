package io.github.audiosetdl.examples.slurm;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A private single-node SLURM cluster for tests: munged, slurmctld and slurmd from Debian's {@code slurm-wlm} and
 * {@code munge}, each started in the foreground as a child of this JVM, with every socket, key, pid, state, spool and
 * log file in one folder, and free TCP ports. Clients ({@code sbatch}, {@code squeue}, {@code scancel}) find it
 * through {@link #env()} ({@code SLURM_CONF}). {@link #close()} cancels the cluster's jobs and stops the three
 * daemons by their process ids (a JVM shutdown hook does the same if a test run dies first). Needs root (the
 * daemons run as {@code SlurmUser=root}); without the tools or root the test is skipped, and fails under
 * {@code CI=true} ({@link ExternalTools}).
 */
public final class SlurmCluster implements AutoCloseable {
    /** How long the node may take to become idle. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Map<String, String> env;
    private final List<Process> daemons = new ArrayList<>();
    private Process controller;
    private final Thread hook;

    private SlurmCluster(Path dir) {
        this.dir = dir;
        this.env = Map.of("SLURM_CONF", dir.resolve("slurm.conf").toString());
        this.hook = new Thread(this::stopDaemons, "slurm-cluster-stop");
    }

    /**
     * Starts a cluster and waits (bounded) until its node is idle.
     *
     * @param dir an empty folder for the cluster's files, kept after {@link #close()} for the logs
     * @param cpus the CPUs the node offers (may exceed the machine's: the configuration overrides what slurmd
     *     detects), the number of one-CPU tasks that run at once
     * @return the running cluster
     * @throws IOException if a daemon cannot start or the node is not idle in time
     * @throws InterruptedException if interrupted
     */
    public static SlurmCluster start(Path dir, int cpus) throws IOException, InterruptedException {
        return start(dir, cpus, Map.of());
    }

    /**
     * Starts a cluster with settings of its own and waits (bounded) until its node is idle.
     *
     * @param dir an empty folder for the cluster's files, kept after {@link #close()} for the logs
     * @param cpus the CPUs the node offers, as in {@link #start(Path, int)}
     * @param settings {@code slurm.conf} settings that replace or add to the test cluster's (e.g.
     *     {@code MessageTimeout}, in seconds)
     * @return the running cluster
     * @throws IOException if a daemon cannot start or the node is not idle in time
     * @throws InterruptedException if interrupted
     */
    public static SlurmCluster start(Path dir, int cpus, Map<String, String> settings)
            throws IOException, InterruptedException {
        for (String tool : List.of("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel",
                "sinfo")) {
            requireTool(tool);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            missing("the test SLURM cluster runs its daemons as root (SlurmUser=root), and this is "
                    + System.getProperty("user.name"));
        }
        Files.createDirectories(dir);
        for (String sub : List.of("state", "spool", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        SlurmCluster c = new SlurmCluster(dir);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.boot(cpus, settings);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static void requireTool(String tool) {
        if (ExternalTools.onPath(tool).isEmpty() && !Files.isExecutable(Path.of("/usr/sbin", tool))) {
            missing(tool + " is not installed (apt-get install slurm-wlm munge)");
        }
    }

    private static void missing(String what) {
        if (ExternalTools.inCi()) {
            throw new AssertionError("CI=true and " + what);
        }
        org.junit.jupiter.api.Assumptions.abort(what + " (skipped outside CI)");
    }

    private static String tool(String name) {
        return ExternalTools.onPath(name).map(Path::toString).orElse("/usr/sbin/" + name);
    }

    private void boot(int cpus, Map<String, String> settings) throws IOException, InterruptedException {
        Path key = dir.resolve("munge.key");
        run(List.of(tool("mungekey"), "--create", "--keyfile=" + key), Duration.ofSeconds(30));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path socket = dir.resolve("munge.socket");
        daemons.add(daemon("munged", List.of(tool("munged"), "--foreground", "--force", "--socket=" + socket,
                "--key-file=" + key, "--pid-file=" + dir.resolve("munged.pid"),
                "--log-file=" + dir.resolve("log/munged.log"), "--seed-file=" + dir.resolve("munged.seed"))));
        waitFor("the munge socket", () -> Files.exists(socket), Duration.ofSeconds(20));
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().split("\\.")[0];
        Files.writeString(dir.resolve("slurm.conf"), config(host, socket, cpus, settings), StandardCharsets.UTF_8);
        String conf = dir.resolve("slurm.conf").toString();
        controller = daemon("slurmctld", List.of(tool("slurmctld"), "-D", "-i", "-f", conf));
        daemons.add(controller);
        daemons.add(daemon("slurmd", List.of(tool("slurmd"), "-D", "-f", conf)));
        waitFor("the node to be idle (logs in " + dir.resolve("log") + ")", () -> {
            try {
                return capture(List.of("sinfo", "-h", "-o", "%t")).trim().equals("idle");
            } catch (IOException e) {
                return false; // the controller is not answering yet
            }
        }, START_TIMEOUT);
    }

    private String config(String host, Path socket, int cpus, Map<String, String> settings) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("ClusterName", "audiosettest");
        c.put("SlurmctldHost", host + "(127.0.0.1)");
        c.put("SlurmctldPort", Integer.toString(freePort()));
        c.put("SlurmdPort", Integer.toString(freePort()));
        c.put("SrunPortRange", "");
        c.put("AuthType", "auth/munge");
        c.put("CredType", "cred/munge");
        c.put("AuthInfo", "socket=" + socket);
        c.put("SlurmUser", "root");
        c.put("SlurmdUser", "root");
        c.put("StateSaveLocation", dir.resolve("state").toString());
        c.put("SlurmdSpoolDir", dir.resolve("spool").toString());
        c.put("SlurmctldPidFile", dir.resolve("slurmctld.pid").toString());
        c.put("SlurmdPidFile", dir.resolve("slurmd.pid").toString());
        c.put("SlurmctldLogFile", dir.resolve("log/slurmctld.log").toString());
        c.put("SlurmdLogFile", dir.resolve("log/slurmd.log").toString());
        c.put("ProctrackType", "proctrack/linuxproc");
        c.put("TaskPlugin", "task/none");
        c.put("SchedulerType", "sched/builtin");
        c.put("SelectType", "select/cons_tres");
        c.put("SelectTypeParameters", "CR_CPU");
        c.put("SlurmdParameters", "config_overrides");
        c.put("ReturnToService", "2");
        c.put("MpiDefault", "none");
        c.put("JobAcctGatherType", "jobacct_gather/none");
        c.put("AccountingStorageType", "accounting_storage/none");
        c.put("MinJobAge", "600");
        c.put("NodeName", host + " NodeAddr=127.0.0.1 CPUs=" + cpus + " State=UNKNOWN");
        c.put("PartitionName", "test Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP");
        c.putAll(settings);
        StringBuilder sb = new StringBuilder("# A private single-node test cluster.\n");
        c.forEach((k, v) -> {
            if (!v.isEmpty()) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process daemon(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** @return the environment variables clients need to reach this cluster ({@code SLURM_CONF}) */
    public Map<String, String> env() {
        return env;
    }

    /** @return the cluster's folder (configuration, logs under {@code log/}) */
    public Path dir() {
        return dir;
    }

    /**
     * Runs a SLURM client command against this cluster.
     *
     * @param command the command (e.g. {@code sbatch}) and its arguments, never a shell string
     * @return its standard output and error
     * @throws IOException if it fails to start or exits non-zero
     */
    public String capture(List<String> command) throws IOException {
        return run(command, Duration.ofSeconds(60));
    }

    private String run(List<String> command, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + " from " + command + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }

    /**
     * Freezes the controller ({@code SIGSTOP} to slurmctld, by its process id), as a hung controller: the kernel
     * still accepts connections on its port, but nothing answers, until the returned handle is closed
     * ({@code SIGCONT}). Close it in a {@code finally} (or try-with-resources): a frozen controller stops
     * {@link #close()} from cancelling the jobs.
     *
     * @return the handle that resumes it
     * @throws IOException if the signal cannot be sent
     */
    public Frozen freezeController() throws IOException {
        String pid = Long.toString(controller.pid());
        run(List.of("kill", "-STOP", pid), Duration.ofSeconds(10));
        return () -> run(List.of("kill", "-CONT", pid), Duration.ofSeconds(10));
    }

    /** A frozen controller: {@link #close()} resumes it. */
    @FunctionalInterface
    public interface Frozen extends AutoCloseable {
        /**
         * Resumes the controller.
         *
         * @throws IOException if the signal cannot be sent
         */
        @Override
        void close() throws IOException;
    }

    /**
     * Submits a batch script.
     *
     * @param args sbatch's options and the script, without {@code --parsable}
     * @return the job id
     * @throws IOException if sbatch fails
     */
    public String sbatch(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(args);
        String out = capture(command).trim();
        String id = out.lines().reduce((a, b) -> b).orElse("").split(";")[0];
        if (!id.matches("[0-9]+")) {
            throw new IOException("sbatch printed no job id: " + out);
        }
        return id;
    }

    /**
     * @return the state of every job and array task the controller still knows (finished ones included), by id
     *     ({@code 12_3} for an array task)
     * @throws IOException if squeue fails
     */
    public Map<String, String> jobStates() throws IOException {
        Map<String, String> states = new HashMap<>();
        for (String line : capture(List.of("squeue", "-h", "-t", "all", "-r", "-o", "%i %T")).split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                states.put(f[0], f[1]);
            }
        }
        return states;
    }

    /**
     * Waits (bounded) until no job of this cluster is pending, running or completing.
     *
     * @param timeout the longest wait
     * @return the final states, by id
     * @throws IOException if squeue fails or the jobs are not done in time
     * @throws InterruptedException if interrupted
     */
    public Map<String, String> awaitIdle(Duration timeout) throws IOException, InterruptedException {
        Predicate<String> active = s -> s.equals("PENDING") || s.equals("RUNNING") || s.equals("COMPLETING")
                || s.equals("CONFIGURING") || s.equals("SUSPENDED") || s.equals("REQUEUED");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> states = jobStates();
            if (states.values().stream().noneMatch(active)) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("jobs still active after " + timeout + ": " + states);
            }
            Thread.sleep(200);
        }
    }

    private static void waitFor(String what, IoCondition condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    private interface IoCondition {
        boolean holds() throws IOException;
    }

    /** Cancels the cluster's jobs (bounded wait), then stops slurmd, slurmctld and munged by their process ids. */
    @Override
    public void close() {
        if (daemons.size() == 3 && daemons.stream().allMatch(Process::isAlive)) {
            try {
                capture(List.of("scancel", "--user=" + System.getProperty("user.name")));
                awaitIdle(Duration.ofSeconds(30));
            } catch (IOException e) {
                System.err.println("test SLURM cluster: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopDaemons();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) stopDaemons
        }
    }

    private synchronized void stopDaemons() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        daemons.clear();
    }
}
