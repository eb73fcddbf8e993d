package io.github.audiosetdl.core;

/** What a reader does with a row it cannot parse. */
public enum ErrorPolicy {
    /** Throw a {@link SegmentFormatException} for the first bad row (the default). */
    FAIL,
    /** Skip the row, report it to the error listener and go on. */
    SKIP
}
