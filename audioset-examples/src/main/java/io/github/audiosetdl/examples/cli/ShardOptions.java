package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.Shard;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --jobs N --job-index I} for commands that split rows other than a CSV's (the cochleagram's waveform rows),
 * with the same SLURM rules as {@link SelectionOptions}.
 */
final class ShardOptions {
    @Option(names = "--jobs", paramLabel = "N",
            description = "Split the rows into N contiguous jobs (default: SLURM_ARRAY_TASK_COUNT, else 1).")
    Integer jobs;

    @Option(names = "--job-index", paramLabel = "I",
            description = "This job, 0..N-1 (default: (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /"
                    + " SLURM_ARRAY_TASK_STEP, else 0). Either flag alone inside a SLURM job array takes the other"
                    + " from the array.")
    Integer jobIndex;

    /**
     * @param env the environment (for SLURM's variables)
     * @return the shard these flags and the environment describe
     */
    Shard shard(Map<String, String> env) {
        return shard(jobs, jobIndex, env);
    }

    /**
     * The shard from the flags, else from SLURM's variables, else the whole file. A flag given alone
     * inside a SLURM job array is completed from the array ({@link Shard#fromEnvironment}): {@code --jobs N}
     * takes the task's index (and must equal {@code SLURM_ARRAY_TASK_COUNT}), {@code --job-index I} takes
     * {@code SLURM_ARRAY_TASK_COUNT} as the count. Both flags together are used as given, in an array
     * or not.
     *
     * @param jobs {@code --jobs}, or null
     * @param jobIndex {@code --job-index}, or null
     * @param env the environment (for SLURM's variables)
     * @return the shard
     * @throws IllegalArgumentException if {@code --job-index} is given alone outside an array, or
     *     {@code --jobs} alone disagrees with the array's size (the message names both values)
     */
    static Shard shard(Integer jobs, Integer jobIndex, Map<String, String> env) {
        if (jobs != null && jobs < 1) {
            throw new IllegalArgumentException("--jobs " + jobs + " must be at least 1");
        }
        if (jobIndex != null && (jobIndex < 0 || jobs != null && jobIndex >= jobs)) {
            throw new IllegalArgumentException("--job-index " + jobIndex + " must be in 0.." + (jobs == null
                    ? "N-1" : String.valueOf(jobs - 1)) + (jobs == null ? "" : " for --jobs " + jobs));
        }
        if (jobs != null && jobIndex != null) {
            return Shard.of(jobIndex, jobs);
        }
        Optional<Shard> array = Shard.fromEnvironment(env);
        if (jobs == null && jobIndex == null) {
            return array.orElse(Shard.ALL);
        }
        if (jobs == null) {
            return Shard.of(jobIndex, array.orElseThrow(() -> new IllegalArgumentException(
                    "--job-index needs --jobs outside a SLURM job array (SLURM_ARRAY_TASK_COUNT is not set)"))
                    .count());
        }
        if (array.isEmpty()) {
            return Shard.of(0, jobs);
        }
        if (array.get().count() != jobs) {
            throw new IllegalArgumentException("--jobs " + jobs + " disagrees with SLURM_ARRAY_TASK_COUNT="
                    + array.get().count() + ": drop --jobs, or give --job-index too");
        }
        return array.get();
    }

}
