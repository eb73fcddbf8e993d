package io.github.audiosetdl.core.download;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One limiter shared by every worker: a global budget of requests per minute (requests are spaced
 * evenly, {@code 60 / budget} seconds apart), and a global pause after any worker sees a rate limit
 * (the pause doubles with each rate limit in a row, up to a cap, and resets after a success), so
 * that every worker slows down, not only the one that was told to. A pause reported while a worker
 * already waits for its slot holds that worker too: it waits again until the pause ends. Thread-safe.
 */
final class RateLimiter {
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
                (int) (nanos % 1_000_000)));
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
        this.intervalNanos = requestsPerMinute <= 0 ? 0 : (long) (60e9 / requestsPerMinute);
        this.basePauseNanos = Math.max(1, basePause.toNanos());
        this.maxPauseNanos = Math.max(basePauseNanos, maxPause.toNanos());
        this.clock = clock;
        this.sleeper = sleeper;
        long now = clock.getAsLong();
        this.nextSlot = now;
        this.pausedUntil = now;
    }

    /**
     * Reserves the next request slot.
     *
     * @return how long the caller must wait before its request, in nanoseconds ({@code >= 0})
     */
    public synchronized long reserve() {
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
    private synchronized long reserveIfPaused() {
        return pausedUntil > clock.getAsLong() ? reserve() : 0;
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
