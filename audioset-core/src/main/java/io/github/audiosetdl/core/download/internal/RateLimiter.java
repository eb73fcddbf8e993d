package io.github.audiosetdl.core.download.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One limiter shared by every worker: a global budget of requests per minute (requests are spaced
 * evenly, {@code 60 / budget} seconds apart), and a global pause after any worker sees a rate limit
 * (the pause doubles with each rate limit in a row, up to a cap, and resets after a success), so
 * that every worker slows down, not only the one that was told to. Thread-safe.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final long basePauseNanos;
    private final long maxPauseNanos;
    private final LongSupplier clock;
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
        this.intervalNanos = requestsPerMinute <= 0 ? 0 : (long) (60e9 / requestsPerMinute);
        this.basePauseNanos = Math.max(1, basePause.toNanos());
        this.maxPauseNanos = Math.max(basePauseNanos, maxPause.toNanos());
        this.clock = clock;
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
     * Waits for the next request slot.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
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
