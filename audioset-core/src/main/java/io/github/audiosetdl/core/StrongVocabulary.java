package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The vocabulary of AudioSet's temporally-strong labels: {@code mid_to_display_name.tsv} (a MID and its
 * display name per line, tab-separated, no header), in file order. Google's has 456 MIDs, 382 of them among
 * the 527 weak classes of {@link LabelIndex#audioSet()}; the rest are strong-only. {@link #audioSet()} is that
 * file, shipped with this library. Immutable and thread-safe.
 */
public final class StrongVocabulary {
    /** The number of MIDs of Google's strong vocabulary. */
    public static final int AUDIOSET_SIZE = 456;
    /** The most MIDs a vocabulary file may list (indices are stored as {@code short}). */
    public static final int MAX_SIZE = Short.MAX_VALUE;
    /** A MID as the AudioSet files write them, e.g. {@code /m/09x0r}, {@code /g/11b630rrvh}, {@code /t/dd00001}. */
    static final Pattern MID = Pattern.compile("/[a-z]/[0-9a-z_]{1,32}");
    private static final int MAX_LINE_CHARS = 4096;
    private static final String RESOURCE = "mid_to_display_name.tsv";
    private static volatile StrongVocabulary audioSet;

    private final String source;
    private final List<String> mids;
    private final List<String> names;
    private final Map<String, Integer> index;

    private StrongVocabulary(String source, List<String> mids, List<String> names) {
        this.source = source;
        this.mids = Collections.unmodifiableList(mids);
        this.names = Collections.unmodifiableList(names);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < mids.size(); i++) {
            map.put(mids.get(i), i);
        }
        this.index = map;
    }

    /** @return Google's 456-MID vocabulary, shipped with this library (read once) */
    public static StrongVocabulary audioSet() {
        StrongVocabulary v = audioSet;
        if (v == null) {
            synchronized (StrongVocabulary.class) {
                v = audioSet;
                if (v == null) {
                    try (InputStream in = StrongVocabulary.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
                        }
                        v = read(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
                    }
                    if (v.size() != AUDIOSET_SIZE) {
                        throw new IllegalStateException("the bundled " + RESOURCE + " has " + v.size() + " MIDs, not "
                                + AUDIOSET_SIZE);
                    }
                    audioSet = v;
                }
            }
        }
        return v;
    }

    /**
     * Reads a vocabulary file.
     *
     * @param file a {@code mid_to_display_name.tsv} (UTF-8, with or without a byte order mark; bytes that are not
     *     UTF-8 make their line a {@link SegmentFormatException})
     * @return its vocabulary
     * @throws IOException if it cannot be read
     * @throws SegmentFormatException for a bad or repeated line, naming the file and line
     */
    public static StrongVocabulary read(Path file) throws IOException {
        requireNonNull(file, "file");
        try (Reader in = SegmentCsv.replacingReader(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a vocabulary; the reader is not closed.
     *
     * @param reader the text
     * @param source its name, for messages
     * @return the vocabulary
     * @throws IOException if it cannot be read
     * @throws SegmentFormatException for a bad or repeated line, naming the source and line
     */
    public static StrongVocabulary read(Reader reader, String source) throws IOException {
        requireNonNull(reader, "reader");
        requireNonNull(source, "source");
        BufferedReader in = new BufferedReader(new LineLimitReader(SegmentCsv.skipByteOrderMark(reader),
                MAX_LINE_CHARS));
        List<String> mids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        long line = 0;
        try {
            for (String text; (text = in.readLine()) != null;) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                if (text.indexOf('\uFFFD') >= 0) {
                    throw new SegmentFormatException(source, line, "bytes that are not UTF-8 text (shown as \uFFFD)",
                            text);
                }
                String[] fields = text.split("\t", -1);
                if (fields.length != 2) {
                    throw new SegmentFormatException(source, line, "expected MID<TAB>display name, found "
                            + fields.length + " field(s)", text);
                }
                String mid = fields[0].strip();
                if (!MID.matcher(mid).matches()) {
                    throw new SegmentFormatException(source, line, "not a MID (like /m/09x0r)", mid);
                }
                Long before = seen.putIfAbsent(mid, line);
                if (before != null) {
                    throw new SegmentFormatException(source, line, "MID repeated (first on line " + before + ")", mid);
                }
                if (mids.size() >= MAX_SIZE) {
                    throw new SegmentFormatException(source, line, "more than " + MAX_SIZE + " MIDs", mid);
                }
                mids.add(mid);
                names.add(fields[1].strip());
            }
        } catch (LineLimitReader.LineTooLongException e) {
            throw new SegmentFormatException(source, e.line(), "line longer than " + MAX_LINE_CHARS + " characters", e);
        }
        if (mids.isEmpty()) {
            throw new SegmentFormatException(source, line, "no MIDs", "");
        }
        return new StrongVocabulary(source, mids, names);
    }

    /** @return where it was read from */
    public String source() {
        return source;
    }

    /** @return the number of MIDs */
    public int size() {
        return mids.size();
    }

    /** @return the MIDs in file order (the order of {@code /strong}'s last axis) */
    public List<String> mids() {
        return mids;
    }

    /**
     * @param mid a MID
     * @return its position in {@link #mids()}, or -1 when it is not in the vocabulary
     */
    public int indexOf(String mid) {
        Integer i = index.get(mid);
        return i == null ? -1 : i;
    }

    /**
     * @param mid a MID
     * @return its display name, when it is in the vocabulary
     */
    public Optional<String> displayName(String mid) {
        int i = indexOf(mid);
        return i < 0 ? Optional.empty() : Optional.of(names.get(i));
    }

    /**
     * @param weak a weak label index
     * @return how many of these MIDs are not in it (74 for Google's two files)
     */
    public int countOutside(LabelIndex weak) {
        requireNonNull(weak, "weak");
        int n = 0;
        for (String mid : mids) {
            if (!weak.contains(mid)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "StrongVocabulary[" + source + ", " + mids.size() + " MIDs]";
    }
}
