package io.github.audiosetdl.core.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Fixed pools of named daemon threads for the stages' workers. */
public final class DaemonPool {
    /**
     * How long a stage that fails or is interrupted waits for its workers to stop: they are interrupted, and one
     * that does not check interrupts finishes the item it is on (a clip, a row).
     */
    public static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private DaemonPool() {
    }

    /**
     * Interrupts the pool's workers and waits, at most {@code bound}, until they have ended.
     *
     * @param pool a pool the caller owns
     * @param bound the longest wait
     * @return whether every worker has ended
     */
    public static boolean stop(ExecutorService pool, Duration bound) {
        pool.shutdownNow();
        return await(pool::isTerminated, bound);
    }

    /**
     * Waits, at most {@code bound}, until {@code done} holds, looking every millisecond. The calling thread may be
     * interrupted (a cancelled run): the flag is cleared for the wait and set again after it.
     *
     * @param done what to wait for
     * @param bound the longest wait
     * @return whether {@code done} holds
     */
    public static boolean await(BooleanSupplier done, Duration bound) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (!done.getAsBoolean()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * @param prefix thread names are {@code prefix-1}, {@code prefix-2}, ...
     * @param threads the pool size, {@code >= 1}
     * @return a fixed pool of daemon threads (the caller shuts it down)
     */
    public static ExecutorService fixed(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(threads, factory);
    }
}
