package io.github.audiosetdl.core.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed pools of named daemon threads for the stages' workers. */
public final class DaemonPool {
    private DaemonPool() {
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
