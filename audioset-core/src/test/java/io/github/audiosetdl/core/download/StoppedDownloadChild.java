package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.SegmentSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A download run in a JVM of its own, for the shutdown tests ({@code StoppedDownloadChild OUT TEMPLATE CSV}): one
 * worker; once the JVM is stopped (SIGTERM, Ctrl-C), prints what {@code run()} ended with, {@code "ended: "} and the
 * exception's class and message, before the JVM halts.
 */
final class StoppedDownloadChild {
    private StoppedDownloadChild() {
    }

    public static void main(String[] args) throws Exception {
        DownloadConfig config = DownloadFixtures.fastConfig(Path.of(args[0]), args[1]).threads(1)
                .socketTimeout(Duration.ofMinutes(1)).build();
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // as a command line waits for its run to end
            try {
                reported.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            DownloadStage.builder().config(config).build().run(SegmentSelection.builder(Path.of(args[2])).build());
            System.out.println("ended: normally");
        } catch (Throwable t) {
            System.out.println("ended: " + t.getClass().getName() + ": " + t.getMessage());
        } finally {
            System.out.flush();
            reported.countDown();
        }
    }
}
