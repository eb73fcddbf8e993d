package io.github.audiosetdl.cochlea;

import java.util.Arrays;

/**
 * pycochleagram's cosine ERB filterbank ({@code erbfilter.make_erb_cos_filters_nx}, {@code erbfilter.py}
 * L300–448, with {@code strict=True}, no padding, low-pass and high-pass filters included), over the
 * non-negative frequency bins {@code k = 0 .. signalLength / 2} of a length-{@code signalLength} DFT
 * (bin {@code k} is {@code k * sampleRate / signalLength} Hz).
 *
 * <p>Rows are in ascending frequency: {@code sampleFactor} low-pass filters, {@code sampleFactor * (n + 1) -
 * 1} band-pass filters with cosine responses on the ERB scale, {@code sampleFactor} high-pass filters;
 * the squared responses sum to 1 at every bin. Each row is stored sparsely: its non-zero bins are
 * contiguous, from {@link #startBin(int)} for {@link #width(int)} bins. Negative-frequency bins (which
 * mirror these) are not stored.
 *
 * <p>Immutable and thread-safe.
 */
public final class ErbFilterbank {
    private static final double ERB_A = 9.265;
    private static final double ERB_B = 24.7;

    private final int signalLength;
    private final int sampleRate;
    private final int[] start;
    private final double[][] rows;
    private final double[] centerFrequencies;

    private ErbFilterbank(int signalLength, int sampleRate, int[] start, double[][] rows, double[] centers) {
        this.signalLength = signalLength;
        this.sampleRate = sampleRate;
        this.start = start;
        this.rows = rows;
        this.centerFrequencies = centers;
    }

    /**
     * The filterbank of a cochleagram configuration.
     *
     * @param config the parameters (signal length, sample rate, n, sample factor, limits)
     * @return the filterbank
     */
    public static ErbFilterbank of(CochleagramConfig config) {
        return build(config.signalLength(), config.sampleRate(), config.n(), config.sampleFactor(),
                config.lowLimit(), config.highLimit());
    }

    /**
     * A filterbank from its parameters, checked as pycochleagram does with {@code strict=True}.
     *
     * @param signalLength the DFT length, in samples ({@code > 0}, even)
     * @param sampleRate in Hz ({@code > 0})
     * @param n the number of filters before oversampling ({@code >= 1}; see
     *     {@link CochleagramConfig#MAX_CHANNELS})
     * @param sampleFactor 1 or an even number, at most {@link CochleagramConfig#MAX_SAMPLE_FACTOR}
     * @param lowLimit low edge, in Hz ({@code >= 0}, below {@code highLimit})
     * @param highLimit high edge, in Hz (at most {@code sampleRate / 2})
     * @return the filterbank
     * @throws IllegalArgumentException naming the bad value
     */
    public static ErbFilterbank of(int signalLength, int sampleRate, int n, int sampleFactor, double lowLimit,
            double highLimit) {
        CochleagramConfig.Builder.checkSignalLength(signalLength);
        CochleagramConfig.Builder.checkSampleRate(sampleRate);
        CochleagramConfig.Builder.checkN(n);
        CochleagramConfig.Builder.checkSampleFactor(sampleFactor);
        CochleagramConfig.Builder.checkChannels(n, sampleFactor);
        CochleagramConfig.Builder.checkLimit(lowLimit, "lowLimit");
        CochleagramConfig.Builder.checkLimit(highLimit, "highLimit");
        if (highLimit > sampleRate / 2.0) {
            throw new IllegalArgumentException("highLimit " + highLimit + " Hz exceeds the Nyquist frequency "
                    + sampleRate / 2.0 + " Hz");
        }
        if (lowLimit >= highLimit) {
            throw new IllegalArgumentException("lowLimit " + lowLimit + " Hz must be below highLimit " + highLimit
                    + " Hz");
        }
        return build(signalLength, sampleRate, n, sampleFactor, lowLimit, highLimit);
    }

    /** Hz to ERB number, {@code erbfilter.freq2erb} (L33). */
    static double freqToErb(double hz) {
        return ERB_A * Math.log(1 + hz / (ERB_B * ERB_A));
    }

    /** ERB number to Hz, {@code erbfilter.erb2freq} (L47). */
    static double erbToFreq(double erb) {
        return ERB_B * ERB_A * (Math.exp(erb / ERB_A) - 1);
    }

    private static ErbFilterbank build(int signalLength, int sampleRate, int n, int s, double lo, double hi) {
        int nFreqs = signalLength / 2;
        double maxFreq = sampleRate / 2.0;
        // utils.matlab_arange(0, max_freq, n_freqs) is np.linspace(0, max_freq, n_freqs + 1): k * step + 0,
        // the last element exactly max_freq.
        double freqStep = maxFreq / nFreqs;
        double[] freqs = new double[nFreqs + 1];
        double[] freqsErb = new double[nFreqs + 1];
        for (int k = 0; k <= nFreqs; k++) {
            freqs[k] = k == nFreqs ? maxFreq : k * freqStep;
            freqsErb[k] = freqToErb(freqs[k]);
        }
        int bandPass = s * (n + 1) - 1;
        int channels = bandPass + 2 * s;
        // np.linspace(freq2erb(lo), freq2erb(hi), bandPass + 2, retstep=True), endpoints then dropped
        double a = freqToErb(lo);
        double b = freqToErb(hi);
        double spacing = (b - a) / (bandPass + 1);
        double[] centers = new double[bandPass + 2];
        for (int j = 0; j < centers.length; j++) {
            centers[j] = j == bandPass + 1 ? b : j * spacing + a;
        }
        double[][] dense = new double[channels][];
        int[] lowBin = new int[channels];
        for (int i = 0; i < bandPass; i++) {
            double l = centers[i + 1] - s * spacing;
            double h = centers[i + 1] + s * spacing;
            double avg = (l + h) / 2;
            double range = h - l;
            int first = 0;
            while (first <= nFreqs && !(freqsErb[first] > l)) {
                first++;
            }
            int last = first;
            while (last <= nFreqs && freqsErb[last] < h) {
                last++;
            }
            double[] row = new double[last - first];
            for (int k = first; k < last; k++) {
                row[k - first] = Math.cos((freqsErb[k] - avg) / range * Math.PI);
            }
            dense[s + i] = row;
            lowBin[s + i] = first;
        }
        for (int i = 0; i < s; i++) {
            // low-pass i goes up to the peak of band-pass i (L415-425)
            double lpEdge = erbToFreq(centers[i + 1]);
            int lpLast = -1;
            for (int k = 0; k <= nFreqs && freqs[k] < lpEdge; k++) {
                lpLast = k;
            }
            double[] lp = new double[lpLast + 1];
            for (int k = 0; k <= lpLast; k++) {
                double v = valueAt(dense[s + i], lowBin[s + i], k);
                lp[k] = Math.sqrt(1 - v * v);
            }
            dense[i] = lp;
            lowBin[i] = 0;
            // high-pass i comes down to the peak of band-pass bandPass - 1 - i
            double hpEdge = erbToFreq(centers[bandPass - i]);
            int hpFirst = 0;
            while (hpFirst <= nFreqs && !(freqs[hpFirst] > hpEdge)) {
                hpFirst++;
            }
            int source = s + bandPass - 1 - i;
            double[] hp = new double[nFreqs + 1 - hpFirst];
            for (int k = hpFirst; k <= nFreqs; k++) {
                double v = valueAt(dense[source], lowBin[source], k);
                hp[k - hpFirst] = Math.sqrt(1 - v * v);
            }
            dense[channels - 1 - i] = hp;
            lowBin[channels - 1 - i] = hpFirst;
        }
        double norm = Math.sqrt(s);
        int[] start = new int[channels];
        double[][] rows = new double[channels][];
        for (int c = 0; c < channels; c++) {
            double[] row = dense[c];
            int from = 0;
            int to = row.length;
            while (from < to && row[from] == 0) {
                from++;
            }
            while (to > from && row[to - 1] == 0) {
                to--;
            }
            double[] trimmed = new double[to - from];
            for (int k = from; k < to; k++) {
                trimmed[k - from] = row[k] / norm;
            }
            rows[c] = trimmed;
            start[c] = lowBin[c] + from;
        }
        double[] cf = new double[channels];
        for (int i = 0; i < s; i++) {
            cf[i] = centers[i + 1] - s * spacing;
            cf[channels - s + i] = centers[bandPass - s + 1 + i] + s * spacing;
        }
        for (int i = 0; i < bandPass; i++) {
            cf[s + i] = centers[i + 1];
        }
        for (int c = 0; c < channels; c++) {
            cf[c] = erbToFreq(cf[c]);
            if (cf[c] < 0) {
                cf[c] = 1;
            }
        }
        return new ErbFilterbank(signalLength, sampleRate, start, rows, cf);
    }

    private static double valueAt(double[] row, int first, int k) {
        int i = k - first;
        return i >= 0 && i < row.length ? row[i] : 0;
    }

    /** @return the number of filters (rows), e.g. 171 */
    public int channels() {
        return rows.length;
    }

    /** @return the DFT length the filters are sampled for, in samples */
    public int signalLength() {
        return signalLength;
    }

    /** @return the sample rate, in Hz */
    public int sampleRate() {
        return sampleRate;
    }

    /** @return the number of non-negative frequency bins, {@code signalLength / 2 + 1} */
    public int bins() {
        return signalLength / 2 + 1;
    }

    /** @return the width of one bin, {@code sampleRate / signalLength}, in Hz */
    public double binWidth() {
        return (double) sampleRate / signalLength;
    }

    /**
     * @return the nominal centre frequency of each filter, in Hz (a copy; pycochleagram's
     *     {@code center_freqs}, low-pass and high-pass included, negatives set to 1 Hz)
     */
    public double[] centerFrequencies() {
        return centerFrequencies.clone();
    }

    /**
     * @param channel a row, {@code 0 <= channel < channels()}
     * @return the first non-zero bin of that row
     */
    public int startBin(int channel) {
        return start[channel];
    }

    /**
     * @param channel a row, {@code 0 <= channel < channels()}
     * @return the number of contiguous non-zero bins of that row (0 if the row is empty)
     */
    public int width(int channel) {
        return rows[channel].length;
    }

    /**
     * @param channel a row, {@code 0 <= channel < channels()}
     * @return the row's values for bins {@code startBin(channel) .. startBin(channel) + width(channel) - 1}
     *     (a copy)
     */
    public double[] values(int channel) {
        return rows[channel].clone();
    }

    /**
     * @param channel a row, {@code 0 <= channel < channels()}
     * @param bin a bin, {@code 0 <= bin < bins()}
     * @return the filter's response at that bin (0 outside its support)
     */
    public double value(int channel, int bin) {
        if (bin < 0 || bin >= bins()) {
            throw new IndexOutOfBoundsException("bin " + bin + " outside 0.." + (bins() - 1));
        }
        return valueAt(rows[channel], start[channel], bin);
    }

    /** @return the total number of stored non-zero values over all rows */
    public long nonZeros() {
        return Arrays.stream(rows).mapToLong(r -> r.length).sum();
    }

    /** The row's values without copying, for this package. */
    double[] row(int channel) {
        return rows[channel];
    }

    @Override
    public String toString() {
        return "ErbFilterbank(" + channels() + " filters over " + bins() + " bins of " + binWidth() + " Hz)";
    }
}
