package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IdStatesTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static String id(Random r) {
        char[] c = new char[11];
        for (int i = 0; i < 10; i++) {
            c[i] = ALPHABET.charAt(r.nextInt(64));
        }
        c[10] = "AEIMQUYcgkosw048".charAt(r.nextInt(16));
        return new String(c);
    }

    @Test
    void keepsOneStatePerIdThroughGrowthAndForOtherIds() {
        IdStates states = new IdStates();
        Random r = new Random(7);
        String[] ids = new String[50_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(r);
            states.put(ids[i], (byte) (1 + i % 100));
        }
        states.put("not-a-youtube-id", (byte) 9);
        states.put(ids[0], (byte) 42);
        assertThat(states.get(ids[0])).isEqualTo((byte) 42);
        for (int i = 1; i < ids.length; i++) {
            assertThat(states.get(ids[i])).isEqualTo((byte) (1 + i % 100));
        }
        assertThat(states.get("not-a-youtube-id")).isEqualTo((byte) 9);
        assertThat(states.get(id(new Random(99)))).isZero();
        assertThat(states.size()).isEqualTo(ids.length + 1);
        assertThatThrownBy(() -> states.put(ids[1], (byte) 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
