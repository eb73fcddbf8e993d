package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * Job {@code index} of {@code count}: a contiguous block of rows in file order. Over all jobs the
 * blocks are disjoint, cover every row, and their sizes differ by at most one.
 *
 * <p>Job {@code i} of {@code n} over {@code total} rows covers {@code [floor(i*total/n),
 * floor((i+1)*total/n))}.
 *
 * @param index this job, {@code 0 <= index < count}
 * @param count the number of jobs, {@code >= 1}
 */
public record Shard(int index, int count) {
    /** The whole file as one job. */
    public static final Shard ALL = new Shard(0, 1);

    /**
     * Validates.
     *
     * @param index this job, {@code 0 <= index < count}
     * @param count the number of jobs, {@code >= 1}
     * @throws IllegalArgumentException naming the bad count or index
     */
    public Shard {
        if (count < 1) {
            throw new IllegalArgumentException("job count " + count + " < 1");
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("job index " + index + " is not in 0.." + (count - 1));
        }
    }

    /**
     * @param index this job, {@code 0 <= index < count}
     * @param count the number of jobs
     * @return the shard
     */
    public static Shard of(int index, int count) {
        return new Shard(index, count);
    }

    /**
     * The shard of a SLURM job-array task: index {@code (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN)
     * / SLURM_ARRAY_TASK_STEP} of {@code SLURM_ARRAY_TASK_COUNT} (MIN defaults to 0, STEP to 1).
     *
     * @param env the environment, e.g. {@link System#getenv()}
     * @return the shard, or empty when {@code SLURM_ARRAY_TASK_ID} or {@code SLURM_ARRAY_TASK_COUNT} is unset
     * @throws IllegalArgumentException if a variable is not an integer or the values are inconsistent
     *     (the message names the variable and value)
     */
    public static Optional<Shard> fromEnvironment(Map<String, String> env) {
        requireNonNull(env, "env");
        String id = env.get("SLURM_ARRAY_TASK_ID");
        String count = env.get("SLURM_ARRAY_TASK_COUNT");
        if (id == null || id.isBlank() || count == null || count.isBlank()) {
            return Optional.empty();
        }
        long taskId = parse(env, "SLURM_ARRAY_TASK_ID", null);
        long taskCount = parse(env, "SLURM_ARRAY_TASK_COUNT", null);
        long min = parse(env, "SLURM_ARRAY_TASK_MIN", 0L);
        long step = parse(env, "SLURM_ARRAY_TASK_STEP", 1L);
        if (step < 1) {
            throw new IllegalArgumentException("SLURM_ARRAY_TASK_STEP=" + step + " must be >= 1");
        }
        long offset = taskId - min;
        if (offset < 0 || offset % step != 0) {
            throw new IllegalArgumentException("SLURM_ARRAY_TASK_ID=" + taskId + " is not MIN " + min
                    + " plus a multiple of STEP " + step);
        }
        long index = offset / step;
        if (taskCount < 1 || taskCount > Integer.MAX_VALUE || index >= taskCount) {
            throw new IllegalArgumentException("SLURM_ARRAY_TASK_ID=" + taskId + " gives job index " + index
                    + ", not below SLURM_ARRAY_TASK_COUNT=" + taskCount);
        }
        return Optional.of(new Shard((int) index, (int) taskCount));
    }

    private static long parse(Map<String, String> env, String name, Long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " is not set");
            }
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not an integer", e);
        }
    }

    /**
     * @param total the number of rows being split, {@code >= 0}
     * @return the first row of this job (inclusive)
     */
    public long start(long total) {
        return boundary(index, total);
    }

    /**
     * @param total the number of rows being split, {@code >= 0}
     * @return the row after this job's last (exclusive)
     */
    public long end(long total) {
        return boundary(index + 1, total);
    }

    /**
     * @param total the number of rows being split
     * @return the number of rows in this job
     */
    public long size(long total) {
        return end(total) - start(total);
    }

    /**
     * @param row a 0-based row among {@code total}
     * @param total the number of rows being split
     * @return whether this job covers it
     */
    public boolean contains(long row, long total) {
        return row >= start(total) && row < end(total);
    }

    /** @return whether this is the only job */
    public boolean isAll() {
        return count == 1;
    }

    private long boundary(int i, long total) {
        if (total < 0) {
            throw new IllegalArgumentException("total " + total + " < 0");
        }
        try {
            return Math.multiplyExact(total, (long) i) / count;
        } catch (ArithmeticException overflow) {
            return BigInteger.valueOf(total).multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(count))
                    .longValueExact();
        }
    }

    @Override
    public String toString() {
        return "job " + index + " of " + count;
    }
}
