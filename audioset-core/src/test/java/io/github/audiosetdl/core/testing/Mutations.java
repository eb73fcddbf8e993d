package io.github.audiosetdl.core.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Deterministic mutations of a valid file, for hostile-input tests of its reader: the file truncated at every offset
 * of its header region and at some offsets of its body; header bytes overwritten with {@code 0x00}, {@code 0xFF},
 * {@code 0x7F} and {@code 0x80}; and 4- and 8-byte little- and big-endian length fields set to huge or negative
 * values. Each damaged file is handed to the reader on a thread of its own, and the outcome is checked: a success, or
 * an exception of the reader's documented type whose message names the file, within a time bound and allocating
 * no more than a bound (measured per thread, so no small-heap JVM is needed to see an allocation that a check should
 * have refused).
 */
public final class Mutations {
    /** The most one read of a damaged file may allocate, in bytes: 64 MB. */
    public static final long MAX_ALLOCATED = 64L << 20;
    /** The longest one read of a damaged file may take, in milliseconds. */
    public static final long MAX_MILLIS = 5_000;
    private static final byte[] BYTES = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80};
    private static final long[] WORDS = {0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0x40000000L};

    /** A damaged copy: what was done to it, and how to make its bytes (made when read: a list holds no copies). */
    public record Mutant(String name, Supplier<byte[]> make) {
        /** @return the damaged bytes */
        public byte[] bytes() {
            return make.get();
        }
    }

    /** A reader under test. */
    public interface Reader {
        /**
         * Reads the whole file as a user would.
         *
         * @param file the damaged file
         * @throws Exception what the reader throws
         */
        void read(Path file) throws Exception;
    }

    private Mutations() {
    }

    /**
     * @param valid a valid file's bytes
     * @param header how many leading bytes are header: truncated at each, and each overwritten with each special byte
     * @param seed the seed of the body's truncations and overwrites
     * @param body how many offsets past the header to truncate at, and how many to overwrite
     * @return the mutants, the same for the same arguments
     */
    public static List<Mutant> of(byte[] valid, int header, long seed, int body) {
        return of(valid, 0, header, seed, body);
    }

    /**
     * {@link #of(byte[], int, long, int)} of a header region that starts at {@code from} (a member's header inside
     * an archive): truncated at each of its offsets and each of its bytes overwritten.
     *
     * @param valid a valid file's bytes
     * @param from where the header region starts
     * @param to where it ends (exclusive)
     * @param seed the seed of the body's truncations and overwrites
     * @param body how many offsets past {@code to} to truncate at, and how many to overwrite
     * @return the mutants, the same for the same arguments
     */
    public static List<Mutant> of(byte[] valid, int from, int to, long seed, int body) {
        int head = Math.min(to, valid.length);
        List<Mutant> out = new ArrayList<>();
        for (int n = from; n < head; n++) {
            int length = n;
            out.add(new Mutant("truncated to " + n + " bytes", () -> Arrays.copyOf(valid, length)));
        }
        Random random = new Random(seed);
        for (int i = 0; i < body && valid.length > head + 1; i++) {
            int n = head + 1 + random.nextInt(valid.length - head - 1);
            out.add(new Mutant("truncated to " + n + " bytes", () -> Arrays.copyOf(valid, n)));
        }
        for (int at = from; at < head; at++) {
            for (byte b : BYTES) {
                if (valid[at] != b) {
                    out.add(set(valid, at, b));
                }
            }
        }
        for (int at = from; at + 4 <= head; at++) {
            for (long w : WORDS) {
                for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                    int i = at;
                    out.add(new Mutant(String.format("int at %d set to 0x%08X %s", at, w, order), () -> {
                        byte[] m = valid.clone();
                        ByteBuffer.wrap(m).order(order).putInt(i, (int) w);
                        return m;
                    }));
                }
            }
            if (at + 8 <= head && at % 4 == 0) {
                for (long v : new long[] {Long.MAX_VALUE, -8}) {
                    int i = at;
                    out.add(new Mutant("long at " + at + " set to " + v, () -> {
                        byte[] m = valid.clone();
                        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(i, v);
                        return m;
                    }));
                }
            }
        }
        for (int i = 0; i < body && valid.length > head; i++) {
            out.add(set(valid, head + random.nextInt(valid.length - head), BYTES[random.nextInt(BYTES.length)]));
        }
        return out;
    }

    /**
     * @param mutants mutants
     * @param max the most kept
     * @param seed the seed of the choice
     * @return {@code max} of them chosen at random (all when there are no more), in their order; the same for the
     *     same arguments
     */
    public static List<Mutant> sample(List<Mutant> mutants, int max, long seed) {
        if (mutants.size() <= max) {
            return mutants;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < mutants.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        List<Integer> kept = new ArrayList<>(order.subList(0, max));
        java.util.Collections.sort(kept);
        List<Mutant> out = new ArrayList<>();
        for (int i : kept) {
            out.add(mutants.get(i));
        }
        return out;
    }

    private static Mutant set(byte[] valid, int at, byte value) {
        return new Mutant(String.format("byte %d set to 0x%02X", at, value & 0xFF), () -> {
            byte[] m = valid.clone();
            m[at] = value;
            return m;
        });
    }

    /**
     * Writes each mutant to {@code file} and reads it; collects every outcome that is not a success or an exception
     * of one of {@code allowed} naming the file.
     *
     * @param file where each mutant is written (replaced each time)
     * @param mutants the mutants
     * @param reader the reader
     * @param allowed the exception types the reader documents
     * @return one line per bad outcome (empty when all are good)
     * @throws IOException if a mutant cannot be written
     * @throws InterruptedException if interrupted
     */
    public static List<String> check(Path file, List<Mutant> mutants, Reader reader,
            Class<?>... allowed) throws IOException, InterruptedException {
        List<Class<?>> kinds = List.of(allowed);
        List<String> bad = new ArrayList<>();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mutant-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Mutant m : mutants) {
                Files.write(file, m.bytes());
                AtomicReference<Thread> reading = new AtomicReference<>();
                Future<Object[]> run = pool.submit(() -> {
                    reading.set(Thread.currentThread());
                    long id = Thread.currentThread().getId();
                    long before = threads.getThreadAllocatedBytes(id);
                    Throwable thrown = null;
                    try {
                        reader.read(file);
                    } catch (Throwable t) {
                        thrown = t;
                    }
                    return new Object[] {thrown, threads.getThreadAllocatedBytes(id) - before};
                });
                Object[] result;
                try {
                    result = run.get(MAX_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    StackTraceElement[] where = reading.get() == null ? new StackTraceElement[0]
                            : reading.get().getStackTrace();
                    run.cancel(true);
                    bad.add(m.name() + ": still reading after " + MAX_MILLIS + " ms, at "
                            + Arrays.toString(Arrays.copyOf(where, Math.min(where.length, 6))));
                    pool.shutdownNow();
                    pool = Executors.newSingleThreadExecutor();
                    continue;
                } catch (ExecutionException e) {
                    bad.add(m.name() + ": " + e.getCause());
                    continue;
                }
                Throwable t = (Throwable) result[0];
                long allocated = (Long) result[1];
                if (allocated > MAX_ALLOCATED) {
                    bad.add(m.name() + ": allocated " + allocated + " bytes" + (t == null ? "" : ", then " + t));
                } else if (t != null && (kinds.stream().noneMatch(c -> c.isInstance(t))
                        || t.getMessage() == null || !t.getMessage().contains(file.getFileName().toString()))) {
                    bad.add(m.name() + ": " + t + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0]
                            : ""));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return bad;
    }
}
