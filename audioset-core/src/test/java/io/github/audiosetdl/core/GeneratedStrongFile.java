package io.github.audiosetdl.core;

import java.io.Reader;

/**
 * A strong label file of any number of events, generated as it is read (nothing held): 10 events a segment,
 * segment ids made from the segment number, MIDs cycling through the strong vocabulary.
 */
final class GeneratedStrongFile extends Reader {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private final long events;
    private final StringBuilder line = new StringBuilder(HEADER);
    private int at;
    private long next;

    private static final String HEADER = "segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n";

    /** @param events how many event lines follow the header */
    GeneratedStrongFile(long events) {
        this.events = events;
    }

    /**
     * @param segment a segment number
     * @return its 11-character id
     */
    static String ytid(long segment) {
        char[] id = new char[11];
        long v = segment;
        for (int i = 10; i >= 0; i--) {
            id[i] = ALPHABET.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new String(id);
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
        int n = 0;
        while (n < length) {
            if (at == line.length()) {
                if (next == events) {
                    break;
                }
                line.setLength(0);
                long segment = next / 10;
                int k = (int) (next % 10);
                String mid = StrongVocabulary.audioSet().mids().get((int) (next % StrongVocabulary.AUDIOSET_SIZE));
                line.append(ytid(segment)).append('_').append(segment % 7 * 10_000).append('\t').append(k)
                        .append(".000\t").append(k).append(".500\t").append(mid).append('\n');
                at = 0;
                next++;
            }
            int c = Math.min(length - n, line.length() - at);
            line.getChars(at, at + c, buffer, offset + n);
            at += c;
            n += c;
        }
        return n == 0 && length > 0 ? -1 : n;
    }

    @Override
    public void close() {
        // nothing held
    }
}
