package io.github.audiosetdl.core;

/**
 * A row of a segments CSV that cannot be read: wrong field count, a time that is not a number,
 * an end not after the start, an invalid YouTube id or an unknown label MID.
 *
 * <p>The message has the form {@code <source>:<line>: <problem> '<value>'}, so that an editor or a
 * terminal can jump to the row.
 */
public final class SegmentFormatException extends AudioSetException {
    private static final long serialVersionUID = 1L;

    /** The file name or other description of the input, as given. */
    private final String source;
    /** The 1-based physical line number. */
    private final long line;
    /** The offending value as it appears in the file; empty when there is none. */
    private final String value;

    /**
     * @param source the file name (or another description of the input)
     * @param line the 1-based physical line number of the row in the input
     * @param problem what is wrong, e.g. {@code "end_seconds is not a number"}
     * @param value the offending value as it appears in the file
     */
    public SegmentFormatException(String source, long line, String problem, String value) {
        super(source + ":" + line + ": " + problem + " '" + value + "'");
        this.source = source;
        this.line = line;
        this.value = value;
    }

    /**
     * For a problem with no single value to show, such as a quote that is never closed.
     *
     * @param source the file name (or another description of the input)
     * @param line the 1-based physical line number where reading stopped
     * @param problem what is wrong
     * @param cause the parser's exception
     */
    public SegmentFormatException(String source, long line, String problem, Throwable cause) {
        super(source + ":" + line + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.value = "";
    }

    /** @return the file name or description of the input */
    public String source() {
        return source;
    }

    /** @return the 1-based physical line number of the bad row */
    public long line() {
        return line;
    }

    /** @return the offending value as it appears in the file; empty for a problem with no single value */
    public String value() {
        return value;
    }
}
