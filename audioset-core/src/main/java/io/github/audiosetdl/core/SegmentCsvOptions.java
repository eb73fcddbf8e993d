package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link SegmentCsv} reads a segments file.
 *
 * @param labelIndex the index label MIDs are checked against (default: {@link LabelIndex#audioSet()})
 * @param checkLabels whether a MID missing from {@code labelIndex} is an error (default true)
 * @param errorPolicy fail on the first bad row, or skip and report each (default {@link ErrorPolicy#FAIL})
 * @param errorListener receives every skipped row's error under {@link ErrorPolicy#SKIP}; it runs on
 *     the reading thread and must not throw (default: log a warning)
 */
public record SegmentCsvOptions(LabelIndex labelIndex, boolean checkLabels, ErrorPolicy errorPolicy,
        Consumer<SegmentFormatException> errorListener) {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCsv.class);

    /** Logs each skipped row at WARN. */
    public static final Consumer<SegmentFormatException> LOG_WARNING = e -> LOG.warn("skipped row: {}", e.getMessage());

    /**
     * Validates; {@link #builder()} holds the defaults.
     *
     * @param labelIndex the index MIDs are checked against; not null
     * @param checkLabels whether a MID missing from {@code labelIndex} is an error
     * @param errorPolicy fail or skip bad rows; not null
     * @param errorListener receives each skipped row's error; not null
     */
    public SegmentCsvOptions {
        requireNonNull(labelIndex, "labelIndex");
        requireNonNull(errorPolicy, "errorPolicy");
        requireNonNull(errorListener, "errorListener");
    }

    /** @return the defaults: AudioSet labels checked, fail on the first bad row */
    public static SegmentCsvOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * These options with an error listener that passes each bad line to {@link #errorListener()} once, however many
     * times the file is read with them: a run that reads its file more than once (to fail early, to count, to
     * download, to pack) reports each skipped line once, naming its file, line and value. A line is known by its
     * file ({@link SegmentFormatException#source()}) and number; every reading goes through a file from its start in
     * line order, so a line at or before the last one reported for its file was reported already (one number is
     * held per file).
     *
     * @return the options; the new listener is thread-safe (it calls {@link #errorListener()} outside its lock)
     */
    public SegmentCsvOptions reportingEachLineOnce() {
        return toBuilder().errorListener(new OnceEachLine(errorListener)).build();
    }

    /** Passes on each bad line once: those after the last line it passed on for their file. */
    private static final class OnceEachLine implements Consumer<SegmentFormatException> {
        private final Consumer<SegmentFormatException> listener;
        private final Map<String, Long> lastReported = new HashMap<>();

        OnceEachLine(Consumer<SegmentFormatException> listener) {
            this.listener = listener;
        }

        @Override
        public void accept(SegmentFormatException e) {
            synchronized (this) {
                Long last = lastReported.get(e.source());
                if (last != null && e.line() <= last) {
                    return;
                }
                lastReported.put(e.source(), e.line());
            }
            listener.accept(e);
        }
    }

    /** @return a builder pre-filled with these options */
    public Builder toBuilder() {
        return new Builder().labelIndex(labelIndex).checkLabels(checkLabels).errorPolicy(errorPolicy)
                .errorListener(errorListener);
    }

    /** Builder for {@link SegmentCsvOptions}; not thread-safe. */
    public static final class Builder {
        private LabelIndex labelIndex;
        private boolean checkLabels = true;
        private ErrorPolicy errorPolicy = ErrorPolicy.FAIL;
        private Consumer<SegmentFormatException> errorListener = LOG_WARNING;

        private Builder() {
        }

        /**
         * @param index the label index MIDs are checked against
         * @return this
         */
        public Builder labelIndex(LabelIndex index) {
            this.labelIndex = requireNonNull(index, "labelIndex");
            return this;
        }

        /**
         * @param check whether an unknown MID is an error
         * @return this
         */
        public Builder checkLabels(boolean check) {
            this.checkLabels = check;
            return this;
        }

        /**
         * @param policy what to do with a bad row
         * @return this
         */
        public Builder errorPolicy(ErrorPolicy policy) {
            this.errorPolicy = requireNonNull(policy, "errorPolicy");
            return this;
        }

        /**
         * @param listener receives each skipped row's error (fast, non-throwing)
         * @return this
         */
        public Builder errorListener(Consumer<SegmentFormatException> listener) {
            this.errorListener = requireNonNull(listener, "errorListener");
            return this;
        }

        /** @return the options */
        public SegmentCsvOptions build() {
            return new SegmentCsvOptions(labelIndex == null ? LabelIndex.audioSet() : labelIndex, checkLabels,
                    errorPolicy, errorListener);
        }
    }
}
