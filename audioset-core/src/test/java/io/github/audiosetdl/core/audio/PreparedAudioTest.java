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
        assertThat(clip.int16Level()).isEmpty();
        short[] values = {16384, -32767, 0};
        PreparedAudio with = clip.withInt16(Int16Level.NORMALISED, values);
        assertThat(with.int16()).containsSame(values);
        assertThat(with.int16Level()).contains(Int16Level.NORMALISED);
        assertThat(with.samples()).isSameAs(samples);
        assertThat(with.norm()).isEqualTo(0.25);
        assertThat(with.padded()).isTrue();
        assertThat(clip.int16()).as("the original is unchanged").isEmpty();
        assertThatThrownBy(() -> clip.withInt16(Int16Level.NORMALISED, new short[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 int16 values for a clip of 3 samples");
        assertThatThrownBy(() -> new PreparedAudio(samples, -1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void int16OrGivesTheValuesAttachedAtTheLevelElseConvertsIntoTheScratch() {
        float[] samples = {0.5f, -1f, 0f};
        short[] scratch = new short[3];
        PreparedAudio clip = new PreparedAudio(samples, 0.25, false);
        assertThat(clip.int16Or(Int16Level.NORMALISED, scratch)).isSameAs(scratch).containsExactly(16384, -32767, 0);
        short[] attached = {1, 2, 3};
        assertThat(clip.withInt16(Int16Level.NORMALISED, attached).int16Or(Int16Level.NORMALISED, scratch))
                .isSameAs(attached);
        assertThat(clip.withInt16(Int16Level.NORMALISED, attached).int16Or(Int16Level.CLIP_LEVEL, scratch))
                .as("values at another level are not used").isSameAs(scratch)
                .containsExactly(4096, -8192, 0); // round(0.5 x 0.25 x 32767), round(-0.25 x 32767)
        assertThat(clip.withInt16(Int16Level.CLIP_LEVEL, attached).int16Or(Int16Level.CLIP_LEVEL, scratch))
                .isSameAs(attached);
    }

    @Test
    void theClipLevelMultipliesByTheNormAsAFloatThenRoundsAndClamps() {
        // 0.7 x 0.3 in float is not 0.21 in double: the product is rounded to float first
        float[] samples = {0.7f, -1f, 1f, 0f, 0.5f};
        PreparedAudio quiet = new PreparedAudio(samples, 0.3, false);
        short[] into = new short[5];
        Int16Level.CLIP_LEVEL.convert(quiet, into);
        assertThat(Int16Level.CLIP_LEVEL.gain(quiet)).isEqualTo(0.3f);
        assertThat(into).containsExactly(
                (short) Math.round((double) (0.7f * 0.3f) * 32767), (short) Math.round((double) (-0.3f) * 32767),
                (short) Math.round((double) 0.3f * 32767), (short) 0,
                (short) Math.round((double) (0.5f * 0.3f) * 32767));
        // a float WAV above full scale: norm 2, the clip's level clipped to +-1
        PreparedAudio loud = new PreparedAudio(samples, 2.0, false);
        Int16Level.CLIP_LEVEL.convert(loud, into);
        assertThat(into).containsExactly(32767, -32767, 32767, 0, 32767);
        Int16Level.NORMALISED.convert(loud, into);
        assertThat(Int16Level.NORMALISED.gain(loud)).isEqualTo(1f);
        assertThat(into).containsExactly(22937, -32767, 32767, 0, 16384);
    }
}
