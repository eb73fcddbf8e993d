package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.SegmentSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A download run in a JVM of its own, for the shutdown tests ({@code StoppedDownloadChild OUT TEMPLATE CSV [late]}):
 * one worker; once the JVM is stopped (SIGTERM, Ctrl-C), prints what {@code run()} ended with, {@code "ended: "} and
 * the exception's class and message, before the JVM halts. With {@code late}, the JVM is already shutting down when
 * the run starts (a Ctrl-C while the command starts up).
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
        if (args.length > 3 && args[3].equals("late")) {
            new Thread(() -> System.exit(143)).start();
            Thread probe = new Thread(() -> { });
            for (int i = 0; i < 3000; i++) { // until the JVM is shutting down
                try {
                    Runtime.getRuntime().addShutdownHook(probe);
                    Runtime.getRuntime().removeShutdownHook(probe);
                    Thread.sleep(10);
                } catch (IllegalStateException e) {
                    break;
                }
            }
        }
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
