package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.OutputFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One limiter shared by every worker: a global budget of requests per minute (requests are spaced
 * evenly, {@code 60 / budget} seconds apart), and a global pause after any worker sees a rate limit
 * (the pause doubles with each rate limit in a row, up to a cap, and resets after a success), so
 * that every worker slows down, not only the one that was told to. A pause reported while a worker
 * already waits for its slot holds that worker too: it waits again until the pause ends. With a {@link HostBudget},
 * the slots are the host's: every process of the user on this host that shares the budget folder takes its
 * requests from the same spacing (the pauses stay per process). Thread-safe.
 */
final class RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    /** Sleeps for a number of nanoseconds; tests pass one that advances a fake clock. */
    @FunctionalInterface
    interface Sleeper {
        /**
         * @param nanos how long, {@code > 0}
         * @throws InterruptedException if interrupted
         */
        void sleep(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final long basePauseNanos;
    private final long maxPauseNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final HostBudget host;
    private boolean hostFailed;
    private long nextSlot;
    private long pausedUntil;
    private int level;
    private long pauses;

    /**
     * @param requestsPerMinute the budget, 0 for none
     * @param basePause the first pause after a rate limit
     * @param maxPause the longest pause
     * @param clock a nanosecond clock ({@code System::nanoTime})
     */
    public RateLimiter(double requestsPerMinute, Duration basePause, Duration maxPause, LongSupplier clock) {
        this(requestsPerMinute, basePause, maxPause, clock, nanos -> Thread.sleep(nanos / 1_000_000,
                (int) (nanos % 1_000_000)), null);
    }

    /**
     * @param requestsPerMinute the budget, 0 for none
     * @param basePause the first pause after a rate limit
     * @param maxPause the longest pause
     * @param clock a nanosecond clock
     * @param sleeper sleeps on that clock
     */
    RateLimiter(double requestsPerMinute, Duration basePause, Duration maxPause, LongSupplier clock,
            Sleeper sleeper) {
        this(requestsPerMinute, basePause, maxPause, clock, sleeper, null);
    }

    /**
     * The limiter of a download run: its budget, shared with the other processes of this host through the
     * configuration's budget folder. Where the default folder ({@link DownloadConfig#defaultBudgetFolder()}) cannot
     * be used, the budget is this process's own, with a warning; a folder chosen in the configuration that cannot
     * be used is an error (the user asked for a shared budget, and would exceed it silently).
     *
     * @param config the run's configuration
     * @return the limiter
     * @throws IOException if the configuration's own budget folder cannot be used (a file, a link, another user's,
     *     writable by others, or not creatable): the message names it
     */
    static RateLimiter of(DownloadConfig config) throws IOException {
        HostBudget host = null;
        if (config.maxRequestsPerMinute() > 0 && config.budgetFolder().isPresent()) {
            Path folder = config.budgetFolder().get();
            try {
                host = HostBudget.in(folder);
                LOG.info("request budget of {} per minute shared by this host's processes through {}",
                        config.maxRequestsPerMinute(), host.file());
            } catch (IOException e) {
                if (!folder.equals(DownloadConfig.defaultBudgetFolder())) {
                    throw new IOException("the request budget folder " + folder + " cannot be used ("
                            + OutputFolder.reason(e) + "): give another, or none for a budget of this process alone",
                            e);
                }
                LOG.warn("request budget per process only: {}", e.getMessage());
            }
        }
        return new RateLimiter(config.maxRequestsPerMinute(),
                config.retryDelay().isZero() ? Duration.ofMillis(100) : config.retryDelay(), config.maxRetryDelay(),
                System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)), host);
    }

    /**
     * @param requestsPerMinute the budget, 0 for none
     * @param basePause the first pause after a rate limit
     * @param maxPause the longest pause
     * @param clock a nanosecond clock
     * @param sleeper sleeps on that clock
     * @param host the host's shared slots, or null for this process's own
     */
    RateLimiter(double requestsPerMinute, Duration basePause, Duration maxPause, LongSupplier clock,
            Sleeper sleeper, HostBudget host) {
        this.intervalNanos = requestsPerMinute <= 0 ? 0 : (long) (60e9 / requestsPerMinute);
        this.basePauseNanos = Math.max(1, basePause.toNanos());
        this.maxPauseNanos = Math.max(basePauseNanos, maxPause.toNanos());
        this.clock = clock;
        this.sleeper = sleeper;
        this.host = host;
        long now = clock.getAsLong();
        this.nextSlot = now;
        this.pausedUntil = now;
    }

    /**
     * Reserves the next request slot.
     *
     * @return how long the caller must wait before its request, in nanoseconds ({@code >= 0})
     */
    public long reserve() {
        long wait = reserveHere();
        if (host == null || intervalNanos == 0 || hostFailed) {
            return wait;
        }
        try {
            return host.reserve(wait, intervalNanos);
        } catch (IOException e) {
            hostFailed = true;
            LOG.warn("the request budget file {} failed ({}): the budget is per process from now on", host.file(),
                    e.toString());
            return wait;
        }
    }

    private synchronized long reserveHere() {
        long now = clock.getAsLong();
        long start = Math.max(now, Math.max(nextSlot, pausedUntil));
        nextSlot = start + intervalNanos;
        return start - now;
    }

    /**
     * Waits for the next request slot. A pause that another worker reports while this one sleeps is
     * honoured: after each sleep the pause is checked again, and while it lasts a new slot is reserved
     * after it (so requests resume spaced by the budget, not all at once). Each sleep is at most the
     * longest pause plus the queue of reserved slots; the loop goes on only while new rate limits come.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        for (long wait = reserve(); wait > 0; wait = reserveIfPaused()) {
            sleeper.sleep(wait);
        }
    }

    /** @return 0 if no pause is in force now, else the wait for a new slot after it, in nanoseconds */
    private long reserveIfPaused() {
        boolean paused;
        synchronized (this) {
            paused = pausedUntil > clock.getAsLong();
        }
        return paused ? reserve() : 0;
    }

    /**
     * A worker was rate-limited: every worker pauses, longer for each rate limit in a row.
     *
     * @return the pause now in force, in nanoseconds from now
     */
    public synchronized long rateLimited() {
        long now = clock.getAsLong();
        long pause = basePauseNanos;
        for (int i = 0; i < level && pause < maxPauseNanos; i++) {
            pause *= 2;
        }
        pause = Math.min(pause, maxPauseNanos);
        level++;
        pauses++;
        pausedUntil = Math.max(pausedUntil, now + pause);
        return pausedUntil - now;
    }

    /** A request succeeded: the next rate limit pauses for the base time again. */
    public synchronized void succeeded() {
        level = 0;
    }

    /** @return how many rate limits were reported */
    public synchronized long pauses() {
        return pauses;
    }
}
