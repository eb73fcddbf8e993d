package io.github.audiosetdl.core;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes text through while no line is longer than a limit and no run of consecutive {@code #} comment lines
 * is longer than 16 times that, so that a parser that keeps a whole field (or comment block) in memory never
 * holds more: a longer one ends the reading with a {@link LineTooLongException} naming the line. Used by
 * this library's readers of segment CSVs, strong-label files and download logs; not thread-safe.
 */
public final class LineLimitReader extends FilterReader {
    private final int maxChars;
    private final long maxComment;
    private long line = 1;
    private int column;
    private boolean inComment;
    private long commentChars;

    /**
     * @param in the text
     * @param maxChars the most characters a line may hold, its line break not counted
     */
    public LineLimitReader(Reader in, int maxChars) {
        super(in);
        this.maxChars = maxChars;
        this.maxComment = 16L * maxChars;
    }

    /** A line longer than the limit; reading stopped at it. */
    public static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        /** The 1-based number of the line that is too long. */
        private final long line;

        LineTooLongException(long line, String problem) {
            super("line " + line + ": " + problem);
            this.line = line;
        }

        /** @return the 1-based line number */
        public long line() {
            return line;
        }
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            count(buffer[offset + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(char c) throws LineTooLongException {
        if (c == '\n' || c == '\r') {
            if (c == '\n') {
                line++;
            }
            column = 0;
            return;
        }
        if (column == 0) {
            inComment = c == '#';
            if (!inComment) {
                commentChars = 0;
            }
        }
        if (++column > maxChars) {
            throw new LineTooLongException(line, "line longer than " + maxChars + " characters");
        }
        if (inComment && ++commentChars > maxComment) {
            throw new LineTooLongException(line, "comment lines longer than " + maxComment + " characters in all");
        }
    }
}
