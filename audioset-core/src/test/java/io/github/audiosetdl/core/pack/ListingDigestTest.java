package io.github.audiosetdl.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ListingDigestTest {
    private static String digest(List<Integer> order, long sizeOf7, long timeOf3) {
        ListingDigest d = new ListingDigest();
        for (int i : order) {
            d.add("job_0/YT_" + i + ".wav", i == 7 ? sizeOf7 : 1000 + i, FileTime.fromMillis(i == 3 ? timeOf3 : i));
        }
        return d.hex();
    }

    @Test
    void theDigestIsTheSameInAnyOrderAndChangesWithANameASizeOrATime() {
        List<Integer> files = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            files.add(i);
        }
        String inOrder = digest(files, 1007, 3);
        assertThat(inOrder).hasSize(64);
        Collections.shuffle(files, new Random(1));
        assertThat(digest(files, 1007, 3)).isEqualTo(inOrder);
        assertThat(digest(files, 1008, 3)).isNotEqualTo(inOrder);
        assertThat(digest(files, 1007, 4)).isNotEqualTo(inOrder);
        assertThat(digest(files.subList(1, files.size()), 1007, 3)).isNotEqualTo(inOrder);
        assertThat(new ListingDigest().hex()).isEqualTo("0".repeat(64));
    }
}
