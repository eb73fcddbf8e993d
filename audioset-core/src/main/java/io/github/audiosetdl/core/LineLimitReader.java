package io.github.audiosetdl.core;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes text through while no line is longer than a limit, so that a parser that keeps a whole field
 * in memory never holds more than that: a longer line ends the reading with a
 * {@link LineTooLongException} naming the line.
 */
final class LineLimitReader extends FilterReader {
    private final int maxChars;
    private long line = 1;
    private int column;

    /**
     * @param in the text
     * @param maxChars the most characters a line may hold, its line break not counted
     */
    LineLimitReader(Reader in, int maxChars) {
        super(in);
        this.maxChars = maxChars;
    }

    /** A line longer than the limit; reading stopped at it. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        LineTooLongException(long line, int maxChars) {
            super("line " + line + " is longer than " + maxChars + " characters");
            this.line = line;
        }

        /** @return the 1-based line number */
        long line() {
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
        } else if (++column > maxChars) {
            throw new LineTooLongException(line, maxChars);
        }
    }
}
