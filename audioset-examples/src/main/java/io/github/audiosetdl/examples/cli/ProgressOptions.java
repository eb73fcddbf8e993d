package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.progress.Stage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How long-running commands report progress: a bar redrawn in place on a terminal, plain log lines
 * (every 10 s) otherwise.
 */
final class ProgressOptions {
    @Option(names = "--progress", paramLabel = "auto|bar|log", defaultValue = "auto",
            description = "Progress display: a bar when standard error is a terminal, log lines otherwise"
                    + " (default: ${DEFAULT-VALUE}).")
    private String mode;

    /**
     * @param spec the command (its error stream receives the bar)
     * @return the listener to give the pipeline
     * @throws IllegalArgumentException if {@code --progress} is none of its values
     */
    PipelineListener listener(CommandSpec spec) {
        boolean bar = switch (mode) {
            case "auto" -> onTerminal(StreamLinks.STANDARD_ERROR, System.console() != null);
            case "bar" -> true;
            case "log" -> false;
            default -> throw new IllegalArgumentException("--progress '" + mode + "' is not auto, bar or log");
        };
        return bar ? PipelineListener.all(new Bar(spec.commandLine().getErr()), quietLogging())
                : PipelineListener.logging();
    }

    /**
     * Whether the bar's stream is a terminal. {@link System#console()} tells whether standard input and output
     * are; the bar goes to standard error, which {@code 2> log} sends to a file while the others stay on the
     * terminal (and {@code | tee} the other way round).
     *
     * @param stream the stream's file descriptor link ({@code /proc/self/fd/2})
     * @param console what to answer where the link cannot be read (no {@code /proc}, as on macOS)
     * @return whether the link names a terminal device
     */
    static boolean onTerminal(Path stream, boolean console) {
        return StreamLinks.target(stream).map(t -> t.startsWith("/dev/pts/") || t.startsWith("/dev/tty")
                || t.equals("/dev/console")).orElse(console);
    }

    private static PipelineListener quietLogging() {
        PipelineListener log = PipelineListener.logging();
        return new PipelineListener() {
            @Override
            public void itemFailed(Stage stage, String item, String reason) {
                log.itemFailed(stage, item, reason);
            }
        };
    }

    /** A one-line bar on the terminal, redrawn at most 5 times a second. */
    static final class Bar implements PipelineListener {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final AtomicLong last = new AtomicLong();

        Bar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void stageStarted(Stage stage, long total) {
            draw(new Progress(stage, 0, 0, total, 0), false);
        }

        @Override
        public void progress(Progress progress) {
            long now = System.nanoTime();
            long prev = last.get();
            if (now - prev >= 200_000_000L && last.compareAndSet(prev, now)) {
                draw(progress, false);
            }
        }

        @Override
        public void stageFinished(Progress progress) {
            draw(progress, true);
        }

        private synchronized void draw(Progress p, boolean end) {
            StringBuilder sb = new StringBuilder("\r").append(String.format("%-12s", p.stage().label()));
            p.fraction().ifPresent(f -> {
                int full = (int) Math.round(f * WIDTH);
                sb.append('[').append("#".repeat(full)).append(" ".repeat(WIDTH - full)).append("] ");
            });
            sb.append(p.done());
            if (p.total() >= 0) {
                sb.append('/').append(p.total());
            }
            sb.append(String.format("  %.1f/s", p.rate()));
            if (p.failed() > 0) {
                sb.append("  ").append(p.failed()).append(' ').append(p.failedLabel());
            }
            if (end) {
                sb.append("  in ").append(Progress.format(p.elapsed())).append('\n');
            } else {
                p.eta().ifPresent(d -> sb.append("  ETA ").append(Progress.format(d)));
                sb.append("   ");
            }
            err.print(sb);
            err.flush();
        }
    }
}
