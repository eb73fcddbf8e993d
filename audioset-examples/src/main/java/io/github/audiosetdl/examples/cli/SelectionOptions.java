package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.ErrorPolicy;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Ontology;
import io.github.audiosetdl.core.SegmentCsvOptions;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.Shard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that select rows of a segments CSV, shared by several commands. */
final class SelectionOptions {
    @Option(names = {"--csv", "-a"}, required = true, paramLabel = "FILE",
            description = "Segments CSV (Google's format or a mirror's).")
    Path csv;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "class_labels_indices.csv to check MIDs against (default: the bundled AudioSet one).")
    Path labelsFile;

    @Option(names = "--ontology", paramLabel = "FILE",
            description = "ontology.json for --label (default: the bundled AudioSet ontology).")
    Path ontologyFile;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Split the selected rows into N contiguous jobs (default: SLURM_ARRAY_TASK_COUNT, else 1).")
    Integer jobs;

    @Option(names = "--job-index", paramLabel = "I",
            description = "This job, 0..N-1 (default: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, else 0). Either flag "
                    + "alone inside a SLURM job array takes the other from the array.")
    Integer jobIndex;

    @Option(names = "--label", paramLabel = "NAME_OR_MID",
            description = "Keep rows with this class or any ontology descendant (repeatable).")
    List<String> labelFilters = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "Keep at most N rows (before sharding).")
    Long limit;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A bad CSV row: fail at once, or skip it and report each (default: ${DEFAULT-VALUE}).")
    String onError;

    /** @return the CSV reading options these flags describe */
    SegmentCsvOptions csvOptions() throws IOException {
        ErrorPolicy policy = switch (onError) {
            case "fail" -> ErrorPolicy.FAIL;
            case "skip" -> ErrorPolicy.SKIP;
            default -> throw new IllegalArgumentException("--on-error must be fail or skip, not '" + onError + "'");
        };
        SegmentCsvOptions.Builder b = SegmentCsvOptions.builder().errorPolicy(policy);
        if (labelsFile != null) {
            b.labelIndex(LabelIndex.read(labelsFile));
        }
        return b.build();
    }

    /**
     * The shard from the flags, else from SLURM's variables, else the whole file. A flag given alone
     * inside a SLURM job array is completed from the array ({@link Shard#fromEnvironment}): {@code --jobs N}
     * takes the task's index (and must equal {@code SLURM_ARRAY_TASK_COUNT}), {@code --job-index I} takes
     * {@code SLURM_ARRAY_TASK_COUNT} as the count. Both flags together are used as given, in an array
     * or not.
     *
     * @param env the environment (for SLURM's variables)
     * @return the shard
     * @throws IllegalArgumentException if {@code --job-index} is given alone outside an array, or
     *     {@code --jobs} alone disagrees with the array's size (the message names both values)
     */
    Shard shard(Map<String, String> env) {
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

    /**
     * @param env the environment (for SLURM's variables)
     * @return the selection these flags describe
     */
    SegmentSelection selection(Map<String, String> env) throws IOException {
        SegmentSelection.Builder b = SegmentSelection.builder(csv).options(csvOptions()).shard(shard(env))
                .labels(labelFilters);
        if (ontologyFile != null) {
            b.ontology(Ontology.read(ontologyFile));
        }
        if (limit != null) {
            if (limit < 0) {
                throw new IllegalArgumentException("--limit " + limit + " must be 0 or more");
            }
            b.limit(limit);
        }
        return b.build();
    }
}
