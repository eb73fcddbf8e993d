package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.examples.cli.CochleagramCommand.CochleagramOptions;
import io.github.audiosetdl.examples.tools.BoundedProcess;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audioset slurm}: writes the sbatch scripts of the whole pipeline (download array, pack, cochleagram array,
 * finish) and prints or submits them with their dependencies.
 */
@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Write the sbatch scripts of the whole pipeline into OUT/slurm/: download as an array of"
                + " --jobs N tasks, pack once after it (afterany: it packs every job folder), the cochleagram as an"
                + " array of --cochleagram-jobs M tasks over row ranges, and a last step that makes"
                + " OUT/<name>_Coch.hdf5, OUT/<name>_average.npy and OUT/<name>_stats.npz. With --submit, submit"
                + " them with their"
                + " dependencies and print the job ids (if one is refused or sbatch does not answer within"
                + " --submit-timeout, the jobs submitted before it are cancelled); without, print the sbatch lines"
                + " to run. The --csv is read once first: a bad line (or a file without a segment) fails the"
                + " command, naming the file, line and value, before any script is written (--on-error skip skips"
                + " it, as the tasks will); a temporally-strong --csv also gives the pack its /strong events."
                + " Submitting again"
                + " resumes: done clips are skipped, a pack or cochleagram whose files are up to date is not redone"
                + " (the pack step is 'run --downloads ... --stop-after pack': the record of its inputs decides)."
                + " The scripts run this Java with this class path; logs go to OUT/slurm/logs/.", "",
            "Example:", "  audioset slurm --csv balanced_train_segments.csv --out /scratch/as \\",
            "      --jobs 20 --threads 8 --max-requests-per-minute 30 \\",
            "      --partition cpu --time 12:00:00 --cpus-per-task 4 --submit"})
final class SlurmCommand implements Callable<Integer> {
    /** What a scheduler option value may hold (partitions, times such as 1-00:00:00, memory such as 4G). */
    private static final Pattern SCHEDULER_VALUE = Pattern.compile("[A-Za-z0-9_.:,+-]{1,64}");
    /** The options the scripts set themselves, never passed through. */
    private static final Set<String> OWN = Set.of("--csv", "--out", "--jobs", "--job-index", "--dry-run");
    /** sbatch's words when it gave up waiting for the controller ("Socket timed out on send/recv operation"). */
    private static final Pattern TIMED_OUT = Pattern.compile("(?i)timed out");
    /** The largest {@code --submit-timeout}, in seconds (an hour). */
    private static final int MAX_SUBMIT_TIMEOUT_SECONDS = 3600;
    /** How much of a program's output a message quotes, in characters (the end). */
    private static final int MAX_MESSAGE_OUTPUT = 400;
    /** The longest the scancel of a run stopped by a signal (Ctrl-C) may take. */
    private static final Duration MAX_CANCEL_ON_STOP = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private SelectionOptions selection;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The output folder (downloads, logs, the waveform and cochleagram files, slurm/).")
    private Path out;

    @Mixin
    private DownloadOptions download;

    @Mixin
    private CochleagramOptions cochleagram;

    @Option(names = "--cochleagram-jobs", paramLabel = "M",
            description = "Tasks of the cochleagram array (default: --jobs).")
    private Integer cochleagramJobs;

    @Option(names = "--compute-threads", paramLabel = "T",
            description = "Threads of pack and each cochleagram task (default: the task's processors).")
    private Integer computeThreads;

    @Option(names = "--partition", paramLabel = "P", description = "sbatch --partition of every step.")
    private String partition;

    @Option(names = "--time", paramLabel = "T", description = "sbatch --time of every step (e.g. 12:00:00).")
    private String time;

    @Option(names = "--cpus-per-task", paramLabel = "C", description = "sbatch --cpus-per-task of every step.")
    private String cpusPerTask;

    @Option(names = "--mem", paramLabel = "M", description = "sbatch --mem of every step (e.g. 8G).")
    private String mem;

    @Option(names = "--sbatch", paramLabel = "PATH", defaultValue = "sbatch",
            description = "The sbatch program for --submit (default: ${DEFAULT-VALUE}).")
    private String sbatch;

    @Option(names = "--submit", description = "Submit the scripts (else print the sbatch lines). If a step"
            + " cannot be submitted, or the command is stopped (Ctrl-C) while it submits, the jobs submitted before"
            + " it are cancelled (with the scancel beside --sbatch, or on PATH).")
    private boolean submit;

    @Option(names = "--submit-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --submit: the longest each sbatch, and the scancel of a failed submission, may"
                    + " take, in seconds, 1 to 3600 (default: ${DEFAULT-VALUE}).")
    private int submitTimeout;

    /** One step: its script, its array size (0: not an array) and the dependency on the step before. */
    private record Step(String name, Path script, int array, String dependency) {
    }

    /**
     * Fits the options shared with {@code download} to this command's help: {@code --dry-run} and {@code --job-index}
     * are hidden (still parsed, to refuse them with a hint), and {@code --jobs} says what it means here.
     *
     * @param slurm this command's spec
     */
    static void adaptSharedOptions(CommandSpec slurm) {
        for (String name : List.of("--dry-run", "--job-index")) {
            OptionSpec shared = slurm.findOption(name);
            slurm.remove(shared);
            slurm.addOption(OptionSpec.builder(shared).hidden(true).build());
        }
        OptionSpec jobs = slurm.findOption("--jobs");
        slurm.remove(jobs);
        slurm.addOption(OptionSpec.builder(jobs).description("Tasks of the download array (default: 1).").build());
    }

    @Override
    public Integer call() throws Exception {
        int jobs = AudioSetCli.fromOptions(spec, () -> {
            if (selection.sharding.jobIndex != null) {
                throw new IllegalArgumentException("--job-index is the array's: leave it out");
            }
            if (download.dryRunRequested()) { // a usage error (2), before the CSV is read
                throw new IllegalArgumentException("--dry-run: run 'audioset download --dry-run' instead");
            }
            return selection.sharding.jobs == null ? 1 : positive(selection.sharding.jobs, "--jobs");
        });
        int cochJobs = AudioSetCli.fromOptions(spec, () -> cochleagramJobs == null ? jobs
                : positive(cochleagramJobs, "--cochleagram-jobs"));
        AudioSetCli.fromOptions(spec, () -> {
            for (String[] v : new String[][] {{"--partition", partition}, {"--time", time},
                {"--cpus-per-task", cpusPerTask}, {"--mem", mem}}) {
                if (v[1] != null && !SCHEDULER_VALUE.matcher(v[1]).matches()) {
                    throw new IllegalArgumentException(v[0] + " '" + v[1] + "' must match " + SCHEDULER_VALUE);
                }
            }
            if (computeThreads != null) {
                CochleagramCommand.threads(computeThreads, "--compute-threads");
            }
            if (submitTimeout < 1 || submitTimeout > MAX_SUBMIT_TIMEOUT_SECONDS) {
                throw new IllegalArgumentException("--submit-timeout " + submitTimeout + " s is not in 1.."
                        + MAX_SUBMIT_TIMEOUT_SECONDS + " s");
            }
            cochleagram.builder();
            return null;
        });
        Path csv = FileChecks.inputFile(selection.csv).toAbsolutePath().normalize();
        if (checkSegments(csv) == 0) { // the pack step would fail on it, after the downloads' queue wait
            throw new IOException(csv + ": no segment to download (" + ("skip".equals(selection.onError)
                    ? "every line is bad, skipped under --on-error skip)" : "no line after the header)"));
        }
        FileChecks.outputDirectory(out); // a refused folder named as given, not made absolute
        Path dir = out.toAbsolutePath().normalize();
        String name = DownloadConfig.nameOf(csv);
        AudioSetCli.fromOptions(spec, () -> download.config(dir, name));
        Path slurm = dir.resolve("slurm");
        Path waveforms = dir.resolve(name + ".hdf5");
        Path downloads = dir.resolve(name + "_downloads");

        List<String> dl = new ArrayList<>(List.of("download", "--csv", csv.toString(), "--out", dir.toString()));
        dl.addAll(passedThrough(Set.of(DownloadOptions.class, SelectionOptions.class)));
        // run from the downloads: the pack's record of its inputs (the WAV files' paths, sizes and times, the CSV's
        // digest, labels, options, build) decides whether it is up to date; a strong --csv gives its own events
        List<String> pack = new ArrayList<>(List.of("run", "--downloads", downloads.toString(), "--csv",
                csv.toString(), "--out", dir.toString(), "--stop-after", "pack"));
        pack.addAll(passedThrough(Set.of(SelectionOptions.class))); // as the download selected the rows
        List<String> coch = new ArrayList<>(List.of("cochleagram", "--in", waveforms.toString(), "--out",
                dir.toString()));
        coch.addAll(passedThrough(Set.of(CochleagramOptions.class)));
        List<String> finish = new ArrayList<>(coch);
        finish.add("--finish");
        if (computeThreads != null) {
            pack.addAll(List.of("--compute-threads", computeThreads.toString()));
            coch.addAll(List.of("--threads", computeThreads.toString()));
        }
        // a value no script line can carry (a path or option value holding a line break): refused before any folder
        // is made
        AudioSetCli.fromOptions(spec, () -> {
            for (List<String> words : List.of(dl, pack, coch, finish)) {
                words.forEach(SlurmCommand::quote);
            }
            if (slurm.toString().indexOf('\\') >= 0) { // sbatch's --output pattern drops it: jobs fail, no log
                throw new IllegalArgumentException("'" + dir + "' holds a backslash, which sbatch's --output file"
                        + " name pattern cannot carry: choose an output folder without one");
            }
            return null;
        });
        OutputFolder.createDirectories(slurm.resolve("logs")); // a folder that takes none named, with the reason
        // the pack step's stamp of earlier versions, which judged the pack by times: its record judges it now
        Files.deleteIfExists(slurm.resolve(".pack-" + name + ".stamp"));
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("download", new Step("download", write(slurm, "download", dl, jobs), jobs, null));
        steps.put("pack", new Step("pack", write(slurm, "pack", pack, 0), 0, "afterany:download"));
        steps.put("cochleagram", new Step("cochleagram", write(slurm, "cochleagram", coch, cochJobs), cochJobs,
                "afterok:pack"));
        steps.put("finish", new Step("finish", write(slurm, "finish", finish, 0), 0, "afterok:cochleagram"));

        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + steps.values().stream().map(s -> s.script().getFileName().toString()).toList() + " in "
                + slurm);
        if (submit) {
            Duration limit = Duration.ofSeconds(submitTimeout);
            Duration onStop = limit.compareTo(MAX_CANCEL_ON_STOP) < 0 ? limit : MAX_CANCEL_ON_STOP;
            try (SubmittedJobs submitted = new SubmittedJobs(steps.size(), ids -> cancel(ids, onStop).outcome(),
                    spec.commandLine().getErr())) {
                for (Step s : steps.values()) {
                    Map<String, String> ids = submitted.ids();
                    String id;
                    submitted.starting(s.name());
                    try {
                        id = submit(sbatchArgs(s, slurm, ids::get), s.name(), limit);
                    } catch (IOException e) {
                        submitted.failed();
                        if (submitted.stopping()) { // the shutdown hook cancels and reports
                            throw new IOException("stopped by a signal while submitting the " + s.name() + " step",
                                    e);
                        }
                        throw rollBack(s.name(), e, ids, limit);
                    }
                    submitted.submitted(s.name(), id);
                    o.printf("%-12s job %s%n", s.name(), id);
                    o.flush();
                }
            }
        } else {
            o.println("submit them with:");
            for (Step s : steps.values()) {
                List<String> args = sbatchArgs(s, slurm, step -> "$" + step);
                StringBuilder line = new StringBuilder(s.name()).append("=$(");
                for (int i = 0; i < args.size(); i++) {
                    String a = args.get(i);
                    line.append(i == 0 ? "" : " ").append(a.startsWith("--dependency=") ? a : quote(a));
                }
                o.println(line.append(')'));
            }
            o.println("(or run the same command with --submit)");
        }
        o.flush();
        return 0;
    }

    /**
     * Reads the whole segments file once, streamed (bounded memory), under the {@code --labels} and
     * {@code --on-error} the tasks get: every download task reads it all (to find its share) and the pack step
     * reads it all too, so a bad line would fail each of them, after the queue wait. Here it fails the command,
     * naming the file, line and value, before any script is written (under {@code --on-error skip} it is logged
     * and skipped, as the tasks will). A file without a segment fails it too: the pack step would.
     *
     * @param csv the segments CSV or temporally-strong label file
     * @return its rows (a strong file's segments), bad ones skipped under {@code --on-error skip}
     * @throws IOException if it cannot be read
     * @throws io.github.audiosetdl.core.SegmentFormatException for a bad line under {@code --on-error fail}
     */
    private long checkSegments(Path csv) throws IOException {
        SegmentSelection all = AudioSetCli.fromOptions(spec, () -> SegmentSelection.builder(csv)
                .options(selection.csvOptions()).build());
        long n = 0;
        try (Stream<SegmentRow> rows = all.stream()) {
            for (var it = rows.iterator(); it.hasNext(); it.next()) {
                n++; // every line is parsed: a count the stream could take from its size would not
            }
        }
        return n;
    }

    private static int positive(int value, String flag) {
        if (value < 1) {
            throw new IllegalArgumentException(flag + " " + value + " must be at least 1");
        }
        return value;
    }

    /** The sbatch command of a step, its dependency's job id from {@code idOf}. */
    private List<String> sbatchArgs(Step s, Path slurm, java.util.function.Function<String, String> idOf) {
        List<String> args = new ArrayList<>(List.of(sbatch, "--parsable", "--job-name=audioset-" + s.name()));
        boolean array = s.array() > 0;
        // a file name pattern: the folder's own '%' is written "%%"
        args.add("--output=" + slurm.resolve("logs").toString().replace("%", "%%") + File.separator + s.name()
                + (array ? "-%A_%a.out" : "-%j.out"));
        if (array) {
            args.add("--array=0-" + (s.array() - 1));
        }
        if (s.dependency() != null) {
            String[] d = s.dependency().split(":");
            args.add("--dependency=" + d[0] + ":" + idOf.apply(d[1]));
            args.add("--kill-on-invalid-dep=yes");
        }
        if (partition != null) {
            args.add("--partition=" + partition);
        }
        if (time != null) {
            args.add("--time=" + time);
        }
        if (cpusPerTask != null) {
            args.add("--cpus-per-task=" + cpusPerTask);
        }
        if (mem != null) {
            args.add("--mem=" + mem);
        }
        args.add(s.script().toString());
        return args;
    }

    /**
     * Runs sbatch (no shell) with a time limit and returns the job id it printed.
     *
     * @param command the sbatch command
     * @param step the step it submits, named in a timeout's message
     * @param limit the longest sbatch may take
     * @return the job id
     * @throws IOException if sbatch cannot start, fails, prints no job id or does not end within {@code limit}
     * @throws InterruptedException if interrupted (sbatch is stopped)
     */
    private static String submit(List<String> command, String step, Duration limit)
            throws IOException, InterruptedException {
        BoundedProcess.Result r = BoundedProcess.run(command, limit);
        String mayBeQueued = " (it may have queued the job all the same: see squeue --name=audioset-" + step + ")";
        if (r.exit().isEmpty()) {
            throw new IOException("sbatch did not answer within " + limit.toSeconds() + " s and was stopped"
                    + mayBeQueued);
        }
        String output = r.output().strip();
        String id = output.lines().reduce((a, b) -> b).orElse("").split(";")[0].strip();
        if (r.exit().getAsInt() != 0) {
            // sbatch's own limit (MessageTimeout): the controller may have taken the job and not answered in time
            throw new IOException("sbatch failed (exit " + r.exit().getAsInt() + "): " + clip(output)
                    + (TIMED_OUT.matcher(output).find() ? mayBeQueued : ""));
        }
        if (!id.matches("[0-9]{1,19}")) {
            throw new IOException("sbatch printed no job id: " + clip(output));
        }
        return id;
    }

    /**
     * Cancels the jobs this run submitted before {@code step} failed ({@code scancel}, no shell, with the same
     * time limit) and says what happened.
     *
     * @param step the step that could not be submitted
     * @param failure why
     * @param ids the job ids submitted so far, by step, in order
     * @param limit the longest scancel may take
     * @return the exception to throw: the step, what was cancelled (or the scancel command left to the user),
     *     and the failure, in that order (the message may be cut at its end)
     * @throws InterruptedException if interrupted while scancel runs
     */
    private IOException rollBack(String step, IOException failure, Map<String, String> ids, Duration limit)
            throws InterruptedException {
        String what = "the " + step + " step could not be submitted";
        if (ids.isEmpty()) {
            return new IOException(what + ": " + failure.getMessage(), failure);
        }
        String jobs = ids.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        Cancelled c = cancel(ids, limit);
        String done = c.problem() == null ? ", so the jobs submitted before it were cancelled (" + jobs + "): "
                : ", and the jobs submitted before it (" + jobs + ") could not be cancelled (scancel: " + c.problem()
                        + "): cancel them yourself with: " + String.join(" ", c.command()) + "; ";
        return new IOException(what + done + failure.getMessage(), failure);
    }

    /**
     * What {@link #cancel} did.
     *
     * @param problem why scancel failed, or null if it cancelled the jobs
     * @param command the scancel command (the user's own {@code scancel} if ours could not start)
     */
    private record Cancelled(String problem, List<String> command) {
        /** @return how it went, after "the jobs submitted (...)" */
        String outcome() {
            return problem == null ? " were cancelled" : " could not be cancelled (scancel: " + problem
                    + "): cancel them yourself with: " + String.join(" ", command);
        }
    }

    /**
     * Cancels jobs with {@code scancel} (no shell).
     *
     * @param ids the job ids, by step
     * @param limit the longest scancel may take
     * @return what happened
     * @throws InterruptedException if interrupted while scancel runs
     */
    private Cancelled cancel(Map<String, String> ids, Duration limit) throws InterruptedException {
        List<String> scancel = new ArrayList<>(List.of(scancelProgram()));
        scancel.addAll(ids.values());
        try {
            BoundedProcess.Result r = BoundedProcess.run(scancel, limit);
            return new Cancelled(r.exit().isEmpty() ? "no answer within " + limit.toSeconds() + " s"
                    : r.exit().getAsInt() != 0 ? "exit " + r.exit().getAsInt() + ": " + clip(r.output().strip())
                    : null, scancel);
        } catch (IOException e) {
            scancel.set(0, "scancel"); // not there: the user's own
            return new Cancelled(e.getMessage(), scancel);
        }
    }

    /** @return the scancel beside {@code --sbatch} if that names a folder, else {@code scancel} (on PATH) */
    private String scancelProgram() {
        Path given = Path.of(sbatch);
        return given.getParent() == null ? "scancel" : given.resolveSibling("scancel").toString();
    }

    /** @return a program's output for a message: at most {@value #MAX_MESSAGE_OUTPUT} characters, its end kept */
    private static String clip(String output) {
        return output.length() <= MAX_MESSAGE_OUTPUT ? output
                : "..." + output.substring(output.length() - MAX_MESSAGE_OUTPUT);
    }

    /**
     * The options given on the command line that belong to the option classes {@code owners}, as they were given,
     * paths made absolute (the tasks may start elsewhere).
     */
    private List<String> passedThrough(Set<Class<?>> owners) {
        List<String> args = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!(option.userObject() instanceof Field field) || !owners.contains(field.getDeclaringClass())
                    || OWN.contains(option.longestName())) {
                continue;
            }
            if (option.arity().max() == 0) {
                args.add(option.longestName());
                continue;
            }
            for (String value : option.originalStringValues()) {
                args.add(option.longestName());
                boolean path = option.type() == Path.class || option.longestName().equals("--budget-dir")
                        && !value.equals("none");
                args.add(path ? Path.of(value).toAbsolutePath().normalize().toString() : value);
            }
        }
        return args;
    }

    /**
     * Writes {@code slurm/<step>.sbatch}: bash, strict mode, then the command, every word quoted (exec'd). An
     * array step's command ends with {@code --jobs <arrayJobs> --job-index $SLURM_ARRAY_TASK_ID}: a task submitted
     * again alone ({@code sbatch --array=1 ...}, where SLURM counts a one-task array) still does its share of the
     * whole array.
     *
     * @param arrayJobs the tasks of the array the script is written for; 0 for a step that is not an array
     */
    private static Path write(Path slurm, String step, List<String> cliArgs, int arrayJobs) throws IOException {
        List<String> command = new ArrayList<>(javaCommand(step.equals("pack") || step.startsWith("coch")
                || step.equals("finish")));
        command.addAll(cliArgs);
        StringBuilder script = new StringBuilder("#!/bin/bash\n")
                .append("# audioset slurm: the ").append(step).append(" step. Written by 'audioset slurm';"
                        + " submitted with its dependencies by 'audioset slurm --submit'.\n")
                .append("set -euo pipefail\n");
        StringBuilder line = new StringBuilder("exec");
        for (String word : command) {
            line.append(' ').append(quote(word));
        }
        if (arrayJobs > 0) {
            line.append(" '--jobs' '").append(arrayJobs).append("' '--job-index' \"${SLURM_ARRAY_TASK_ID:?this script"
                    + " runs as a job array: sbatch --array=0-").append(arrayJobs - 1).append("}\"");
        }
        script.append(line.toString().strip()).append('\n');
        Path target = slurm.resolve(step + ".sbatch");
        ProcessTag.removeGone(slurm, "." + step + ".sbatch.", ".tmp"); // of runs killed before their rename
        Path tmp = slurm.resolve("." + step + ".sbatch." + ProcessTag.current() + ".tmp");
        Files.deleteIfExists(tmp);
        java.nio.channels.FileChannel created;
        try {
            created = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) { // the folder, not the hidden name, is what the reader can act on
            throw OutputFolder.cannotWriteIn(target, tmp.getFileName().toString(), e);
        }
        try {
            try (java.nio.channels.FileChannel ch = created) {
                java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(script.toString());
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true); // a crash after the rename leaves the whole script, not an empty one
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-x---"));
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions here: sbatch reads the script anyway
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp); // written and renamed, or failed (a full disk): nothing left behind
        }
        return target;
    }

    /**
     * This JVM and class path (the jar, or the classes a test runs), with the vector module for the FFT's SIMD
     * passes where it helps and the runtime has it (as {@code ./audioset} does; {@code AUDIOSET_SIMD=false} leaves
     * it out).
     */
    private static List<String> javaCommand(boolean simd) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (simd && !"false".equals(System.getenv("AUDIOSET_SIMD"))
                && ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent()) {
            c.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator)); // the tasks may start in another folder
        c.addAll(List.of("-cp", classPath, AudioSetCli.class.getName()));
        return c;
    }

    /**
     * @param word any text without a line break
     * @return it single-quoted for bash (a quote inside becomes {@code '\''})
     * @throws IllegalArgumentException if it holds a line break or NUL, which no script line may carry
     */
    static String quote(Object word) {
        String s = word.toString();
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + s.replaceAll("[\\r\\n\\x00]", "?")
                    + "' holds a line break: refused in a script");
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
