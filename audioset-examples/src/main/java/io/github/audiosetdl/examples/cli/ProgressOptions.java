package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.progress.Stage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How long-running commands report progress: a bar redrawn in place on a terminal, plain log lines
 * (every 10 s) otherwise. Both go to standard error, never to standard output (which scripts read).
 */
final class ProgressOptions {
    /** The bar's redraws: at most 5 a second. */
    static final long BAR_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The log lines: one every 10 s, as {@link PipelineListener#logging()}'s. */
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * How long a {@link Counter}'s loop runs before its bar first shows (its log line first shows after
     * {@link #LOG_INTERVAL_NANOS}): a run shorter than this prints nothing on standard error. Tests lower it (and
     * {@link #counterIntervalNanos}) to see the progress of a small file; they put it back.
     */
    static volatile long counterQuietNanos = TimeUnit.SECONDS.toNanos(1);
    /** A {@link Counter}'s interval between reports, in nanoseconds; {@code -1} for the bar's or the log's own. */
    static volatile long counterIntervalNanos = -1;

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
        return bar() ? PipelineListener.all(new Bar(spec.commandLine().getErr()), quietLogging())
                : PipelineListener.logging();
    }

    /**
     * The progress of a command's own loop (not a pipeline stage's), shown as {@link #listener}'s is but only once
     * the loop has run longer than {@link #counterQuietNanos} (a bar) or {@link #LOG_INTERVAL_NANOS} (a log line).
     *
     * @param spec the command (its error stream receives the bar)
     * @param label what the progress line names, e.g. {@code "inspect"}
     * @param total the items the loop expects, or {@code -1} when unknown
     * @return the counter, to call from the loop's one thread
     * @throws IllegalArgumentException if {@code --progress} is none of its values
     */
    Counter counter(CommandSpec spec, String label, long total) {
        boolean bar = bar();
        long interval = counterIntervalNanos >= 0 ? counterIntervalNanos
                : bar ? BAR_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
        return new Counter(label, total, bar ? spec.commandLine().getErr() : null,
                bar ? counterQuietNanos : Math.max(counterQuietNanos, interval), interval);
    }

    /** @return whether {@code --progress} asks for the bar (or {@code auto} finds standard error a terminal) */
    boolean bar() {
        return switch (mode) {
            case "auto" -> onTerminal(StreamLinks.STANDARD_ERROR, System.console() != null);
            case "bar" -> true;
            case "log" -> false;
            default -> throw new IllegalArgumentException("--progress '" + mode + "' is not auto, bar or log");
        };
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

    /**
     * Counts the items of a command's own loop, on one thread, and shows its progress: nothing before the quiet
     * time has passed, then a report every interval, the bar's line ({@link Bar#line}) or a log line as
     * {@link PipelineListener#logging()} writes them; {@link #finish} ends a progress shown with its last line, and
     * {@link #close} a bar shown by a loop that failed with a line break (the error then has a line of its own).
     */
    static final class Counter implements AutoCloseable {
        private static final Logger LOG = LoggerFactory.getLogger(PipelineListener.class);
        private final String label;
        private final long total;
        private final PrintWriter bar;
        private final long interval;
        private final long start = System.nanoTime();
        private long next;
        private long done;
        private boolean shown;
        private boolean finished;

        /**
         * @param bar where the bar goes, or null for log lines
         * @param quiet nanoseconds before the first report
         * @param interval nanoseconds between reports
         */
        Counter(String label, long total, PrintWriter bar, long quiet, long interval) {
            this.label = label;
            this.total = total;
            this.bar = bar;
            this.interval = interval;
            this.next = start + quiet;
        }

        /** One more item done; reports when the next report is due. */
        void add() {
            done++;
            long now = System.nanoTime();
            if (now - next >= 0) {
                next = now + interval;
                shown = true;
                report(now, false);
            }
        }

        /** The loop is over: ends a progress that was shown (a short loop's was not: nothing is printed). */
        void finish() {
            if (shown && !finished) {
                report(System.nanoTime(), true);
            }
            finished = true;
        }

        /** Ends the bar's line if the loop stopped before {@link #finish} (it failed); the bar stays as it was. */
        @Override
        public void close() {
            if (shown && !finished && bar != null) {
                bar.println();
                bar.flush();
            }
            finished = true;
        }

        private void report(long now, boolean end) {
            // the stage is not shown (the label is): its Progress is for the arithmetic, rate, fraction, ETA
            Progress p = new Progress(Stage.FEATURES, done, 0, total, now - start);
            if (bar != null) {
                bar.print(Bar.line(label, p, end));
                bar.flush();
                return;
            }
            String text = label + p.toString().substring(p.stage().label().length()); // "inspect 10/20 (50%), ..."
            if (end) {
                LOG.info("{}: finished: {} in {}", label, text, Progress.format(p.elapsed()));
            } else {
                LOG.info("{}", text);
            }
        }
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
            if (now - prev >= BAR_INTERVAL_NANOS && last.compareAndSet(prev, now)) {
                draw(progress, false);
            }
        }

        @Override
        public void stageFinished(Progress progress) {
            draw(progress, true);
        }

        private synchronized void draw(Progress p, boolean end) {
            err.print(line(p.stage().label(), p, end));
            err.flush();
        }

        /**
         * @param label the stage's label, or a command's
         * @param p the progress
         * @param end whether it is the last line (then it ends with the time taken and a line break)
         * @return the bar's line, starting with a carriage return to redraw it in place
         */
        static String line(String label, Progress p, boolean end) {
            StringBuilder sb = new StringBuilder("\r").append(String.format("%-12s", label));
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
            return sb.toString();
        }
    }
}
