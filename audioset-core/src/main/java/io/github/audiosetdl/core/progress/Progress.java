package io.github.audiosetdl.core.progress;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a stage's progress.
 *
 * @param stage the stage
 * @param done items finished so far, successful or not
 * @param failed of those, items that failed or were skipped
 * @param total the number of items expected, or {@code -1} when unknown
 * @param elapsedNanos time since the stage started, in nanoseconds
 */
public record Progress(Stage stage, long done, long failed, long total, long elapsedNanos) {
    /**
     * Validates.
     *
     * @param stage the stage; not null
     * @param done items finished, {@code >= 0}
     * @param failed of those, failed or skipped, {@code 0..done}
     * @param total items expected, or {@code -1} when unknown
     * @param elapsedNanos time since the stage started, in nanoseconds, {@code >= 0}
     */
    public Progress {
        requireNonNull(stage, "stage");
        if (done < 0 || failed < 0 || failed > done || elapsedNanos < 0) {
            throw new IllegalArgumentException("inconsistent progress: done=" + done + ", failed=" + failed
                    + ", elapsedNanos=" + elapsedNanos);
        }
    }

    /** @return items per second so far (0 before the first item) */
    public double rate() {
        return elapsedNanos == 0 ? 0 : done * 1e9 / elapsedNanos;
    }

    /** @return the fraction done in {@code [0, 1]}, if the total is known */
    public Optional<Double> fraction() {
        return total <= 0 ? Optional.empty() : Optional.of(Math.min(1.0, (double) done / total));
    }

    /** @return the estimated time left at the current rate, if the total is known and some items are done */
    public Optional<Duration> eta() {
        if (total < 0 || done == 0) {
            return Optional.empty();
        }
        long left = Math.max(0, total - done);
        return Optional.of(Duration.ofNanos((long) (left * ((double) elapsedNanos / done))));
    }

    /** @return the time since the stage started */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    /**
     * @return what {@link #failed()} counts, as its summary names them: {@code "skipped"} for the pack stage (a
     *     clip not in the CSV, a duplicate, an unreadable file is left out and the stage goes on), {@code "failed"}
     *     otherwise
     */
    public String failedLabel() {
        return stage == Stage.PACK ? "skipped" : "failed";
    }

    /** @return e.g. {@code "features 120/400 (30%), 3.2/s, 5 failed, ETA 1m27s"} ({@link #failedLabel()}) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(stage.label()).append(' ').append(done);
        if (total >= 0) {
            sb.append('/').append(total).append(String.format(" (%.0f%%)", 100 * fraction().orElse(0.0)));
        }
        sb.append(String.format(", %.1f/s", rate()));
        if (failed > 0) {
            sb.append(", ").append(failed).append(' ').append(failedLabel());
        }
        eta().ifPresent(d -> sb.append(", ETA ").append(format(d)));
        return sb.toString();
    }

    /**
     * @param d a duration
     * @return it as {@code 1h02m03s}, {@code 2m03s} or {@code 3s}
     */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
