package io.github.audiosetdl.core.progress;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs stage starts and ends at INFO, progress at most every {@code intervalNanos}, failures at DEBUG. */
final class LoggingListener implements PipelineListener {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineListener.class);
    private final long intervalNanos;
    private final AtomicLong lastLog = new AtomicLong();

    LoggingListener(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    @Override
    public void stageStarted(Stage stage, long total) {
        lastLog.set(System.nanoTime());
        LOG.info("{}: started{}", stage.label(), total >= 0 ? " (" + total + " items)" : "");
    }

    @Override
    public void progress(Progress progress) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= intervalNanos && lastLog.compareAndSet(last, now)) {
            LOG.info("{}", progress);
        }
    }

    @Override
    public void itemFailed(Stage stage, String item, String reason) {
        LOG.debug("{}: {} failed: {}", stage.label(), item, reason);
    }

    @Override
    public void stageFinished(Progress progress) {
        LOG.info("{}: finished: {} in {}", progress.stage().label(), progress, Progress.format(progress.elapsed()));
    }
}
