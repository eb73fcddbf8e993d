package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One AudioSet segment: a section of a YouTube video and its positive labels.
 *
 * <p>Times are whole milliseconds so that they stay exact ({@code 30.000} in a CSV is
 * {@code 30000}). The id is validated by {@link #isValidId(String)}; ids that start with {@code -}
 * are normal (about 2% of AudioSet) and must never be passed to a tool as a bare argument.
 *
 * @param ytid the 11-character YouTube video id, {@code [A-Za-z0-9_-]{11}}
 * @param startMs start of the section in the video, in milliseconds, {@code >= 0}
 * @param endMs end of the section, in milliseconds, {@code > startMs}
 * @param labelIds the positive label MIDs (e.g. {@code /m/09x0r}), in file order; may be empty
 */
public record Segment(String ytid, long startMs, long endMs, List<String> labelIds) {

    /** Length of a YouTube video id, in characters. */
    public static final int ID_LENGTH = 11;

    /** The nominal AudioSet clip length, in milliseconds. */
    public static final long CLIP_MS = 10_000;

    /**
     * The longest segment the readers and the download accept, in milliseconds: AudioSet's clips are at
     * most {@link #CLIP_MS} long, and a little more (100 ms) is let through for rounding in re-serialised
     * files. Longer rows are refused, naming the line, before any request is made or memory is spent.
     */
    public static final long MAX_DURATION_MS = CLIP_MS + 100;

    /**
     * Validates and copies.
     *
     * @param ytid the YouTube id, 11 characters of {@code [A-Za-z0-9_-]} ({@link #isValidId(String)})
     * @param startMs the start, in milliseconds, {@code >= 0}
     * @param endMs the end, in milliseconds, {@code > startMs}
     * @param labelIds the label MIDs, copied; no null element
     * @throws IllegalArgumentException naming the bad id or times
     */
    public Segment {
        requireNonNull(ytid, "ytid");
        requireNonNull(labelIds, "labelIds");
        if (!isValidId(ytid)) {
            throw new IllegalArgumentException("invalid YouTube id '" + ytid
                    + "': expected 11 characters of [A-Za-z0-9_-]");
        }
        if (startMs < 0) {
            throw new IllegalArgumentException("startMs " + startMs + " < 0 for " + ytid);
        }
        if (endMs <= startMs) {
            throw new IllegalArgumentException("endMs " + endMs + " <= startMs " + startMs + " for " + ytid);
        }
        labelIds = List.copyOf(labelIds);
    }

    /**
     * Whether {@code id} is a syntactically valid YouTube video id: exactly 11 characters, each a
     * letter, a digit, {@code -} or {@code _}. Only such ids become file names or URLs.
     *
     * @param id a candidate id, may be null
     * @return true if valid
     */
    public static boolean isValidId(String id) {
        if (id == null || id.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ID_LENGTH; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return {@code endMs - startMs}, in milliseconds */
    public long durationMs() {
        return endMs - startMs;
    }

    /** @return the start in seconds (exact for millisecond times) */
    public double startSeconds() {
        return startMs / 1000.0;
    }

    /** @return the end in seconds */
    public double endSeconds() {
        return endMs / 1000.0;
    }

    /** @return the file name the seed used for this clip: {@code YT_<ytid>.wav} */
    public String wavFileName() {
        return "YT_" + ytid + ".wav";
    }
}
