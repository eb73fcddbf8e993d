package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.AudioSetException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code audioset} command: {@code audioset <command> [options]}; {@code audioset --help}
 * lists the commands, {@code audioset <command> --help} their options.
 */
@Command(name = "audioset", mixinStandardHelpOptions = true, versionProvider = AudioSetCli.Version.class,
        description = "Prepare Google AudioSet for audio research: download clips, pack them into HDF5,"
                + " compute cochleagrams.",
        subcommands = {SegmentsCommand.class, DownloadCommand.class, PackCommand.class, CochleagramCommand.class,
            RunCommand.class, InspectCommand.class, RenderCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the command failed (bad input, I/O error)", "2:bad usage",
            "3:download finished with transient failures left to retry"})
public final class AudioSetCli implements Runnable {
    /** Exit code: the command failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code: bad usage. */
    public static final int EXIT_USAGE = 2;
    /** Exit code: transient download failures remain; run again. */
    public static final int EXIT_RETRY = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
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
        CommandLine cli = new CommandLine(new AudioSetCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("audioset " + commandLine.getCommandName() + ": " + describe(e));
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    private static String describe(Exception e) {
        if (e instanceof AudioSetException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        if (cause instanceof NoSuchFileException) {
            return "no such file: " + cause.getMessage();
        }
        if (cause instanceof IOException) {
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return e.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AudioSetCli.class.getPackage().getImplementationVersion();
            return new String[] {"audioset " + (v == null ? "(development build)" : v)};
        }
    }
}
