package io.github.audiosetdl.core.webdataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A second process for {@link WebDatasetLockTest}, using only the JDK. {@code hold FILE}: locks the file
 * (waiting for it), prints {@code locked} and keeps the lock until its standard input ends or it is killed.
 * {@code try FILE}: prints {@code held} if another process holds the lock, else {@code free}, and exits.
 */
final class LockChild {
    private LockChild() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        try (FileChannel ch = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            if (args[0].equals("hold")) {
                ch.lock();
                out.println("locked");
                out.flush();
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // wait for the parent to close our input or kill us
                }
            } else {
                FileLock lock = ch.tryLock();
                out.println(lock == null ? "held" : "free");
                out.flush();
            }
        }
    }
}
