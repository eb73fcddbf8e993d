package io.github.audiosetdl.cochlea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The filterbank against pycochleagram's (testdata/golden/cochleagram/filterbank_*, center_freqs_hz). */
class ErbFilterbankTest {
    private static final ErbFilterbank BANK = ErbFilterbank.of(CochleagramConfig.seed());

    @Test
    void hasTheSeedShape() {
        assertThat(BANK.channels()).isEqualTo(171);
        assertThat(BANK.bins()).isEqualTo(80_001);
        assertThat(BANK.binWidth()).isEqualTo(0.1);
        assertThat(BANK.nonZeros()).isBetween(639_513L, 639_517L);
    }

    @Test
    void valuesEqualPycochleagramToOneInTenToTheTwelve() {
        double[] start = Golden.load("filterbank_start_bin").values();
        double[] offsets = Golden.load("filterbank_offsets").values();
        double[] values = Golden.load("filterbank_values").values();
        assertThat(start).hasSize(171);
        assertThat(offsets).hasSize(172);
        double worst = 0;
        for (int r = 0; r < 171; r++) {
            int refStart = (int) start[r];
            int refWidth = (int) (offsets[r + 1] - offsets[r]);
            // the two bins exactly on a strict edge (k = 200 for row 7, k = 80000 for row 163) may be included
            // by a port one ulp off, with a value below 1e-15
            assertThat(BANK.startBin(r)).as("start of row %d", r).isBetween(refStart - 1, refStart);
            assertThat(BANK.startBin(r) + BANK.width(r)).as("end of row %d", r)
                    .isBetween(refStart + refWidth, refStart + refWidth + 1);
            for (int k = Math.min(refStart, BANK.startBin(r)); k < BANK.startBin(r) + BANK.width(r); k++) {
                int i = k - refStart;
                double ref = i >= 0 && i < refWidth ? values[(int) offsets[r] + i] : 0;
                double diff = Math.abs(BANK.value(r, k) - ref);
                worst = Math.max(worst, diff);
                assertThat(diff).as("row %d bin %d", r, k).isLessThanOrEqualTo(1e-12);
            }
        }
        assertThat(worst).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void squaredResponsesSumToOne() {
        double[] sum = new double[BANK.bins()];
        for (int r = 0; r < BANK.channels(); r++) {
            double[] v = BANK.values(r);
            for (int i = 0; i < v.length; i++) {
                sum[BANK.startBin(r) + i] += v[i] * v[i];
            }
        }
        for (int k = 0; k < sum.length; k++) {
            assertThat(sum[k]).as("bin %d", k).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void centreFrequenciesEqualPycochleagram() {
        double[] ref = Golden.load("center_freqs_hz").values();
        double[] got = BANK.centerFrequencies();
        assertThat(got).hasSize(171);
        for (int i = 0; i < ref.length; i++) {
            assertThat(got[i]).as("centre %d", i).isCloseTo(ref[i],
                    org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, ref[i])));
        }
        assertThat(got[0]).isCloseTo(4.573, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(got[170]).isCloseTo(8543.848, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void valuesIsACopy() {
        double[] v = BANK.values(50);
        v[0] = 42;
        assertThat(BANK.values(50)[0]).isNotEqualTo(42);
        assertThat(BANK.value(50, BANK.startBin(50) - 1)).isZero();
        assertThatThrownBy(() -> BANK.value(0, 80_001)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("80001");
    }

    @Test
    void rejectsWhatPycochleagramRejects() {
        assertThatThrownBy(() -> ErbFilterbank.of(160_000, 16_000, 40, 3, 20, 8000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleFactor 3 is odd");
        assertThatThrownBy(() -> ErbFilterbank.of(160_000, 16_000, 40, 4, 20, 8001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("highLimit 8001.0")
                .hasMessageContaining("Nyquist");
        assertThatThrownBy(() -> ErbFilterbank.of(160_000, 16_000, 40, 4, 8000, 8000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lowLimit 8000.0");
        assertThatThrownBy(() -> ErbFilterbank.of(160_000, 16_000, 40, 0, 20, 8000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampleFactor must be positive, not 0");
        assertThatThrownBy(() -> ErbFilterbank.of(159_999, 16_000, 40, 4, 20, 8000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("159999");
        assertThat(ErbFilterbank.of(16_000, 16_000, 10, 1, 50, 4000).channels()).isEqualTo(12);
    }
}
