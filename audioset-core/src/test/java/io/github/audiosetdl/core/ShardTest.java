package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShardTest {
    @ParameterizedTest(name = "{0} rows in {1} jobs")
    @CsvSource({"0,1", "0,3", "1,1", "1,4", "7,3", "10,10", "11,10", "20371,7", "2041789,1000", "5,8",
        "9223372036854775,3"})
    void jobsAreDisjointCoverEveryRowAndDifferByAtMostOne(long rows, int jobs) {
        long expectedStart = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < jobs; i++) {
            Shard shard = Shard.of(i, jobs);
            assertThat(shard.start(rows)).as("job %d starts where %d ended", i, i - 1).isEqualTo(expectedStart);
            expectedStart = shard.end(rows);
            min = Math.min(min, shard.size(rows));
            max = Math.max(max, shard.size(rows));
        }
        assertThat(expectedStart).isEqualTo(rows);
        assertThat(max - min).isBetween(0L, 1L);
    }

    @Test
    void rowMembershipIsExclusive() {
        long rows = 103;
        for (long r = 0; r < rows; r++) {
            int owners = 0;
            for (int i = 0; i < 4; i++) {
                owners += Shard.of(i, 4).contains(r, rows) ? 1 : 0;
            }
            assertThat(owners).as("row %d", r).isEqualTo(1);
        }
    }

    @Test
    void readsSlurmArrayVariables() {
        assertThat(Shard.fromEnvironment(Map.of())).isEmpty();
        assertThat(Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "10")))
                .contains(Shard.of(3, 10));
        assertThat(Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "10", "SLURM_ARRAY_TASK_COUNT", "10",
                "SLURM_ARRAY_TASK_MIN", "1"))).contains(Shard.of(9, 10));
        assertThat(Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "3",
                "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_STEP", "2"))).contains(Shard.of(2, 3));
        assertThatThrownBy(() -> Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "x",
                "SLURM_ARRAY_TASK_COUNT", "3"))).hasMessageContaining("SLURM_ARRAY_TASK_ID='x'");
        assertThatThrownBy(() -> Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "3",
                "SLURM_ARRAY_TASK_COUNT", "3"))).hasMessageContaining("SLURM_ARRAY_TASK_COUNT=3");
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> Shard.of(2, 2)).hasMessageContaining("job index 2 is not in 0..1");
        assertThatThrownBy(() -> Shard.of(0, 0)).hasMessageContaining("job count 0");
    }
}
