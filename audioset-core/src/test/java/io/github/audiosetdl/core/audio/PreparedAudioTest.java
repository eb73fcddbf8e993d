package io.github.audiosetdl.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreparedAudioTest {
    @Test
    void int16ValuesAreAttachedToTheSameClipOnlyWhenTheyFitIt() {
        float[] samples = {0.5f, -1f, 0f};
        PreparedAudio clip = new PreparedAudio(samples, 0.25, true);
        assertThat(clip.int16()).isEmpty();
        short[] values = {16384, -32767, 0};
        PreparedAudio with = clip.withInt16(values);
        assertThat(with.int16()).containsSame(values);
        assertThat(with.samples()).isSameAs(samples);
        assertThat(with.norm()).isEqualTo(0.25);
        assertThat(with.padded()).isTrue();
        assertThat(clip.int16()).as("the original is unchanged").isEmpty();
        assertThatThrownBy(() -> clip.withInt16(new short[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 int16 values for a clip of 3 samples");
        assertThatThrownBy(() -> new PreparedAudio(samples, -1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void int16OrGivesTheAttachedValuesElseConvertsIntoTheScratch() {
        float[] samples = {0.5f, -1f, 0f};
        short[] scratch = new short[3];
        PreparedAudio clip = new PreparedAudio(samples, 0.25, false);
        assertThat(clip.int16Or(scratch)).isSameAs(scratch).containsExactly(16384, -32767, 0);
        short[] attached = {1, 2, 3};
        assertThat(clip.withInt16(attached).int16Or(scratch)).isSameAs(attached);
    }
}
