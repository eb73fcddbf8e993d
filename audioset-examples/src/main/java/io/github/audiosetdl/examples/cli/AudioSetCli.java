package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.ToolNotFoundException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code audioset} command: {@code audioset <command> [options]}; {@code audioset --help}
 * lists the commands, {@code audioset <command> --help} their options.
 */
@Command(name = "audioset", mixinStandardHelpOptions = true, versionProvider = AudioSetCli.Version.class,
        description = "Prepare Google AudioSet for audio research: download clips, pack them into HDF5,"
                + " compute cochleagrams.",
        subcommands = {SegmentsCommand.class, DownloadCommand.class, PackCommand.class, CochleagramCommand.class,
            StatsCommand.class, RunCommand.class, InspectCommand.class, RenderCommand.class, ReportCommand.class,
            DemoCommand.class, SlurmCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the command failed (bad input, I/O error)", "2:bad usage",
            "3:download finished with transient failures left to retry",
            "130:stopped by Ctrl-C (143: by SIGTERM); files under final names are complete, and the same command"
                + " resumes"})
public final class AudioSetCli implements Runnable {
    /** Exit code: the command failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code: bad usage. */
    public static final int EXIT_USAGE = 2;
    /** Exit code: transient download failures remain; run again. */
    public static final int EXIT_RETRY = 3;
    /** Environment variable that, set to {@code 1}, adds the stack trace to a failure's one line. */
    public static final String DEBUG_VARIABLE = "AUDIOSET_DEBUG";

    private static final int MAX_LINE = 1000;
    /** A decimal option's value: bounded digits, an optional exponent of at most three digits. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]{1,18}(?:\\.[0-9]{0,18})?|\\.[0-9]{1,18})"
            + "(?:[eE][+-]?[0-9]{1,3})?");
    /** What a write to a pipe whose reader is gone fails with (Linux and macOS, {@code EPIPE}). */
    private static final String BROKEN_PIPE = "Broken pipe";

    /**
     * @param complete whether a run left nothing to retry ({@code DownloadSummary.complete()},
     *     {@code PipelineSummary.complete()})
     * @return the exit code: {@code 0}, or {@link #EXIT_RETRY} when transient failures are left
     */
    static int exitCode(boolean complete) {
        return complete ? 0 : EXIT_RETRY;
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        StandardOutput stdout = new StandardOutput(new FileOutputStream(FileDescriptor.out));
        StopOnShutdown stop = StopOnShutdown.STOPPED_COMMANDS.contains(commandName(args))
                ? StopOnShutdown.install(Thread.currentThread()) : null;
        int code;
        try {
            code = run(new PrintWriter(stdout, true), stdout::error, () -> isPipe(StreamLinks.STANDARD_OUTPUT),
                    new PrintWriter(System.err, true), args);
        } finally {
            if (stop != null) {
                stop.done();
            }
        }
        System.exit(code);
    }

    /** @return the command: the first argument that is not an option (as the launcher script finds it), or "" */
    static String commandName(String... args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }

    /**
     * What Ctrl-C or SIGTERM does while a command runs: the command's thread is interrupted and given a moment
     * ({@link #WAIT}) to unwind, so that the stages stop and their writers delete their unfinished files (the
     * hidden {@code .<file>.<random>.tmp} folders of pack, cochleagram and stats), rather than the JVM halting
     * with them left behind until the same command runs again. The exit code stays the signal's (130, 143).
     * {@code download} and {@code slurm} have hooks of their own (the download's tools, the submitted jobs).
     */
    static final class StopOnShutdown {
        /** The commands whose thread the hook interrupts: those that write through staging folders. */
        static final Set<String> STOPPED_COMMANDS = Set.of("pack", "cochleagram", "stats", "run", "demo");

        /** Whether a hook is stopping the command: its failure is then the stop, and says so. */
        static volatile boolean stopping;

        /** The longest the JVM's shutdown waits for the command to unwind. */
        static final Duration WAIT = Duration.ofSeconds(10);

        private final Thread command;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread hook;

        private StopOnShutdown(Thread command) {
            this.command = command;
            this.hook = new Thread(this::stop, "audioset-stop");
        }

        /**
         * @param command the thread running the command
         * @return the hook, registered with the JVM
         */
        static StopOnShutdown install(Thread command) {
            StopOnShutdown s = new StopOnShutdown(command);
            Runtime.getRuntime().addShutdownHook(s.hook);
            return s;
        }

        /** Interrupts the command and waits, at most {@link #WAIT}, until it has returned. */
        void stop() {
            if (finished.getCount() == 0) {
                return;
            }
            stopping = true;
            command.interrupt();
            try {
                finished.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The command has returned: a later shutdown has nothing to wait for. */
        void done() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs, and returns at once
            }
        }
    }

    /**
     * Runs a command with the given output streams (used by tests and example code).
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, () -> null, err, args);
    }

    /**
     * Runs a command, then checks that its output reached standard output: a write that failed (a full disk
     * under {@code > file}) fails the command, with exit code 1 and a line that says so, rather than leaving a
     * truncated file behind an exit code 0. A reader that closed the pipe early ({@code | head -1}) is not a
     * failure: it had what it wanted.
     *
     * @param out standard output
     * @param outError the first error writing {@code out}'s bytes, if known (else {@code null})
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    static int run(PrintWriter out, Supplier<IOException> outError, PrintWriter err, String... args) {
        return run(out, outError, () -> false, err, args);
    }

    /**
     * As {@link #run(PrintWriter, Supplier, PrintWriter, String...)}, where {@code outIsPipe} tells whether standard
     * output is a pipe or a socket: a write to one fails only when its reader is gone, whatever the error's text
     * (which the locale translates: "Datenübergabe unterbrochen (broken pipe)").
     */
    static int run(PrintWriter out, Supplier<IOException> outError, BooleanSupplier outIsPipe, PrintWriter err,
            String... args) {
        int code = execute(out, err, args);
        if (!out.checkError()) { // flushes
            return code;
        }
        IOException e = outError.get();
        String reason = e == null || e.getMessage() == null ? "" : ": " + oneLine(e.getMessage());
        if (reason.equals(": " + BROKEN_PIPE) || outIsPipe.getAsBoolean()) {
            return code;
        }
        err.println("audioset: cannot write to standard output" + reason);
        err.flush();
        return code == 0 ? EXIT_FAILURE : code;
    }

    /**
     * @param stream a file descriptor's link ({@code /proc/self/fd/1})
     * @return whether it names a pipe or a socket; {@code false} where the link cannot be read (no {@code /proc})
     */
    static boolean isPipe(Path stream) {
        return StreamLinks.target(stream).filter(t -> t.startsWith("pipe:") || t.startsWith("socket:")).isPresent();
    }

    private static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } catch (Throwable e) { // an Error (out of memory, stack overflow) also ends in one line
            fail(err, "audioset", e, describe(e));
            return EXIT_FAILURE;
        }
    }

    /**
     * @return the {@code audioset} command line as {@link #run} executes it (help, converters, error handlers),
     *     writing to the process's standard output and error until given others
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AudioSetCli());
        cli.setHelpFactory(WordWrapHelp::new); // lines break at spaces only, not inside "java.io.tmpdir"
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
        }
        SlurmCommand.adaptSharedOptions(cli.getSubcommands().get("slurm").getCommandSpec());
        cli.registerConverter(Path.class, AudioSetCli::path);
        cli.registerConverter(BigDecimal.class, AudioSetCli::decimal);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            ParameterException shown = e;
            if (e instanceof MissingParameterException && !command.getUnmatchedArguments().isEmpty()) {
                // a misspelt option (--cvs x.csv) is the cause: say so, with the suggestions, not only what is missing
                shown = new UnmatchedArgumentException(command, command.getUnmatchedArguments());
                command.getErr().println(name + ": " + shown.getMessage() + "; " + e.getMessage());
            } else {
                command.getErr().println(name + ": " + e.getMessage());
            }
            UnmatchedArgumentException.printSuggestions(shown, command.getErr());
            command.getErr().println("Try '" + name + " --help' for the options.");
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            fail(commandLine.getErr(), commandLine.getCommandSpec().qualifiedName(), e,
                    (StopOnShutdown.stopping ? "stopped by a signal; unfinished files removed; run the same command"
                            + " again to finish (" : "") + describe(e, commandLine.getCommandSpec())
                            + (StopOnShutdown.stopping ? ")" : ""));
            return EXIT_FAILURE;
        });
        return cli;
    }

    /**
     * The type of every path option and parameter: an empty one ({@code --csv "$CSV"} with the variable unset) is a
     * usage error, where {@code Path.of("")} would be the current folder ("is a directory, not a file", or output
     * written there).
     */
    private static Path path(String text) {
        if (text.isEmpty()) {
            throw new CommandLine.TypeConversionException("an empty path");
        }
        return Path.of(text);
    }

    /**
     * The type of every decimal option (seconds, requests per minute): a number as a person writes one. Picocli's
     * own conversion failed with Java's words ("cannot convert 'NaN' to BigDecimal (java.lang.NumberFormatException:
     * Character N is neither a decimal digit number, ...)"), and took any exponent: 1e2147483647 failed later with an
     * internal NegativeArraySizeException, 1e999999999 was echoed as a billion digits.
     */
    private static BigDecimal decimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new CommandLine.TypeConversionException("'" + oneLine(text) + "' is not a decimal number (at most 18"
                    + " digits on either side of the point and an exponent of at most 3 digits)");
        }
        return new BigDecimal(text);
    }

    /**
     * Prints one line for a failure, and its stack trace only when {@value #DEBUG_VARIABLE} is set to
     * {@code 1} or {@code true}.
     */
    private static void fail(PrintWriter err, String command, Throwable e, String line) {
        err.println(command + ": " + line);
        String debug = System.getenv(DEBUG_VARIABLE);
        if ("1".equals(debug) || "true".equalsIgnoreCase(debug)) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /** A step that turns a command's options into its configuration. */
    @FunctionalInterface
    interface OptionReader<T> {
        /**
         * @return the configuration
         * @throws IOException if a file the options name cannot be read
         */
        T read() throws IOException;
    }

    /**
     * Runs the part of a command that turns its options into configuration, where an
     * {@link IllegalArgumentException} (from our checks or a library builder) means a bad option value:
     * it becomes a usage error (exit 2, the message on one line). I/O errors pass through (exit 1).
     *
     * @param spec the command
     * @param reader the step
     * @param <T> what it gives
     * @return what it gives
     * @throws IOException from the step
     */
    static <T> T fromOptions(CommandSpec spec, OptionReader<T> reader) throws IOException {
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * @param e what a command threw
     * @return one plain sentence for the user, naming the file where there is one
     */
    static String describe(Throwable e) {
        Throwable cause = e;
        String context = null;
        while ((cause instanceof UncheckedIOException || cause instanceof ExecutionException
                || cause instanceof CompletionException) && cause.getCause() != null) {
            if (context == null && cause instanceof UncheckedIOException u && u.getMessage() != null
                    && !u.getMessage().equals(u.getCause().toString())) {
                context = u.getMessage(); // its own message, e.g. "cannot write to log <file>": keep the file
            }
            cause = cause.getCause();
        }
        String text = describeCause(cause);
        if (context == null || text.contains(context)
                || cause instanceof FileSystemException f && f.getFile() != null) { // the file is named already
            return text;
        }
        return oneLine(cause.getMessage() != null && context.contains(cause.getMessage()) ? context
                : context + ": " + text);
    }

    /** @return {@link #describe(Throwable)} of a cause already unwrapped */
    private static String describeCause(Throwable cause) {
        if (cause instanceof FileSystemException f && f.getFile() != null) {
            return describe(f);
        }
        if (cause instanceof AudioSetException || cause instanceof IllegalArgumentException
                || cause instanceof IOException && cause.getMessage() != null) {
            return oneLine(cause.getMessage());
        }
        if (cause instanceof OutOfMemoryError) {
            return "out of memory (" + oneLine(cause.getMessage()) + "); an input may declare sizes it does not"
                    + " hold, or the JVM needs more heap (AUDIOSET_JAVA_OPTS=-Xmx4g)";
        }
        if (cause instanceof StackOverflowError) {
            return "stack overflow: an input nests too deeply (a file whose structure loops back on itself?)";
        }
        return oneLine(cause.toString()) + " (" + DEBUG_VARIABLE + "=1 shows where)";
    }

    /** @return {@code text} on one line, control characters shown as {@code ?}, at most 1000 characters */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LINE));
        for (int i = 0; i < text.length() && b.length() < MAX_LINE; i++) {
            char c = text.charAt(i);
            b.append(c == '\n' || c == '\r' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > MAX_LINE ? b + "..." : b.toString();
    }

    /**
     * @param e what a command threw
     * @param command the command that threw it
     * @return {@link #describe(Throwable)}, and for a missing program the command's option that gives its path,
     *     if it has one (e.g. {@code (--ffmpeg PATH)})
     */
    static String describe(Throwable e, CommandSpec command) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof ToolNotFoundException)) {
            cause = cause.getCause();
        }
        String text = describe(e);
        if (cause instanceof ToolNotFoundException t && command.findOption("--" + t.tool()) != null) {
            return text + " (--" + t.tool() + " PATH)";
        }
        return text;
    }

    private static String describe(FileSystemException f) {
        String file = f.getFile();
        String reason = f.getReason();
        if (f instanceof NoSuchFileException) {
            return "no such file: " + file + (reason == null ? "" : " (" + reason + ")");
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied: " + file;
        }
        if (f instanceof NotDirectoryException) {
            return file + " exists and is not a directory";
        }
        if ("Not a directory".equals(reason)) {
            Path p = Path.of(file).getParent();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return (p != null && !Files.isDirectory(p) ? p : "a folder in " + file) + " exists and is not a directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return file + (Files.isDirectory(Path.of(file)) ? " already exists" : " exists and is not a directory");
        }
        if (f instanceof DirectoryNotEmptyException) {
            return file + " is a directory that is not empty";
        }
        if ("Is a directory".equals(reason)) {
            return (f.getOtherFile() != null ? f.getOtherFile() : file) + " is a directory, not a file";
        }
        return file + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": "
                + (reason == null ? f.getClass().getSimpleName() : reason);
    }

    /**
     * Standard output that remembers the first error writing it: {@link PrintWriter} (like
     * {@link java.io.PrintStream}) only records that there was one.
     */
    static final class StandardOutput extends FilterOutputStream {
        private volatile IOException error;

        /** @param out the stream written */
        StandardOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        private IOException remember(IOException e) {
            if (error == null) {
                error = e;
            }
            return e;
        }

        /** @return the first write error, or {@code null} */
        IOException error() {
            return error;
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Reports the version from the jar manifest ({@code Implementation-Version}, which the
     * command-line jar carries), or "development build" when run from classes; every subcommand's
     * {@code --version} prints the same.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AudioSetCli.class.getPackage().getImplementationVersion();
            return new String[] {"audioset " + (v == null ? "(development build)" : v)};
        }
    }
}
