package io.github.audiosetdl.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleTypeTest {
    /** The definition: {@code Math.round} (half up), clamped. */
    private static short reference(float x) {
        long v = Math.round((double) x * SampleType.INT16_SCALE);
        return (short) Math.max(-SampleType.INT16_SCALE, Math.min(SampleType.INT16_SCALE, v));
    }

    @Test
    void int16IsMathRoundClampedForEveryKindOfFloat() {
        float[] special = {0f, -0f, 0.5f, -0.5f, 1f, -1f, 1.0000001f, -1.0000001f, 2f, -3e9f, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, 0.5f / 32767, -0.5f / 32767, 1.5f / 32767, -1.5f / 32767, 16383.5f / 32767,
            -16383.5f / 32767};
        for (float x : special) {
            assertThat(SampleType.toInt16(x)).as("x = %s", x).isEqualTo(reference(x));
        }
        assertThat(SampleType.toInt16(0.5f)).isEqualTo((short) 16384); // a tie: half up
        assertThat(SampleType.toInt16(-0.5f)).isEqualTo((short) -16383);
        // Every 251st bit pattern (17 million floats of every sign and exponent), and every float in a band around
        // each half step near zero, where v + 0.5 is least exact.
        long checked = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 251) {
            float x = Float.intBitsToFloat((int) bits);
            assertThat(SampleType.toInt16(x)).as("bits %x", bits).isEqualTo(reference(x));
            checked++;
        }
        for (int k = -3; k <= 3; k++) {
            int mid = Float.floatToRawIntBits((k + 0.5f) / 32767);
            for (int b = mid - 5000; b <= mid + 5000; b++) {
                float x = Float.intBitsToFloat(b);
                assertThat(SampleType.toInt16(x)).as("x = %s", x).isEqualTo(reference(x));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(17_000_000);
    }

    @Test
    void theArrayFormConvertsEachSample() {
        float[] x = {0.25f, -1f, 1f, 0.5f, -0.5f, 7f};
        short[] into = new short[x.length];
        SampleType.toInt16(x, into);
        assertThat(into).containsExactly((short) 8192, (short) -32767, (short) 32767, (short) 16384, (short) -16383,
                (short) 32767);
    }
}
