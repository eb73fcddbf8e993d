package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.Shard;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code --jobs} and {@code --job-index} combine with a SLURM job array's variables. */
class SelectionOptionsTest {
    private static final Map<String, String> OUTSIDE = Map.of();

    private static SelectionOptions flags(Integer jobs, Integer jobIndex) {
        SelectionOptions o = new SelectionOptions();
        o.sharding.jobs = jobs;
        o.sharding.jobIndex = jobIndex;
        return o;
    }

    private static Map<String, String> array(int taskId, int count) {
        return Map.of("SLURM_ARRAY_TASK_ID", Integer.toString(taskId), "SLURM_ARRAY_TASK_COUNT",
                Integer.toString(count), "SLURM_ARRAY_TASK_MIN", "0");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void jobsAloneInsideAnArrayTakesTheTaskIndex(int task) {
        assertThat(flags(3, null).shard(array(task, 3))).isEqualTo(Shard.of(task, 3));
    }

    @Test
    void jobsAloneSubtractsTheArrayMinimum() {
        Map<String, String> env = Map.of("SLURM_ARRAY_TASK_ID", "12", "SLURM_ARRAY_TASK_COUNT", "3",
                "SLURM_ARRAY_TASK_MIN", "10");
        assertThat(flags(3, null).shard(env)).isEqualTo(Shard.of(2, 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void jobIndexAloneInsideAnArrayTakesTheArraySize(int index) {
        assertThat(flags(null, index).shard(array(0, 3))).isEqualTo(Shard.of(index, 3));
    }

    @Test
    void jobsThatDisagreeWithTheArraySizeFailNamingBoth() {
        assertThatThrownBy(() -> flags(4, null).shard(array(1, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--jobs 4").hasMessageContaining("SLURM_ARRAY_TASK_COUNT=3");
    }

    @Test
    void bothFlagsAreUsedAsGivenInsideAnArrayOrNot() {
        assertThat(flags(3, 2).shard(OUTSIDE)).isEqualTo(Shard.of(2, 3));
        assertThat(flags(20, 15).shard(array(5, 10))).isEqualTo(Shard.of(15, 20));
    }

    @Test
    void outsideAnArrayTheDefaultsAreOneJobAndIndexZero() {
        assertThat(flags(null, null).shard(OUTSIDE)).isEqualTo(Shard.ALL);
        assertThat(flags(3, null).shard(OUTSIDE)).isEqualTo(Shard.of(0, 3));
        assertThat(flags(null, null).shard(array(2, 3))).isEqualTo(Shard.of(2, 3));
        assertThatThrownBy(() -> flags(null, 1).shard(OUTSIDE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--job-index needs --jobs");
    }

    @Test
    void anIndexOutsideTheArraySizeFails() {
        assertThatThrownBy(() -> flags(null, 3).shard(array(0, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job index 3");
    }
}
