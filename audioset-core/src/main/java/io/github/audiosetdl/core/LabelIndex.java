package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.internal.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The classes of a {@code class_labels_indices.csv} file ({@code index,mid,display_name}), in
 * index order, with multi-hot encoding both ways.
 *
 * <p>{@link #audioSet()} is the AudioSet index shipped with this library (527 classes; Google,
 * CC BY 4.0). Instances are immutable and thread-safe.
 */
public final class LabelIndex {
    /** The most classes an index may hold (AudioSet has 527). */
    public static final int MAX_SIZE = Short.MAX_VALUE;
    private static final int MAX_LINE_CHARS = 4096;
    private static final String RESOURCE = "class_labels_indices.csv";
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreSurroundingSpaces(true)
            .get();

    private static volatile LabelIndex audioSet;

    private final String source;
    private final List<Label> labels;
    private final Map<String, Label> byMid;
    private final Map<String, Label> byName;

    private LabelIndex(String source, List<Label> labels) {
        this.source = source;
        this.labels = List.copyOf(labels);
        Map<String, Label> mids = new HashMap<>();
        Map<String, Label> names = new HashMap<>();
        for (Label label : labels) {
            mids.put(label.mid(), label);
            names.putIfAbsent(label.displayName().toLowerCase(Locale.ROOT), label);
        }
        this.byMid = Map.copyOf(mids);
        this.byName = Map.copyOf(names);
    }

    /**
     * The AudioSet label index shipped as a resource of this library (527 classes).
     *
     * @return the shared instance
     */
    public static LabelIndex audioSet() {
        LabelIndex result = audioSet;
        if (result == null) {
            synchronized (LabelIndex.class) {
                result = audioSet;
                if (result == null) {
                    try (InputStream in = LabelIndex.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("resource " + RESOURCE + " missing from audioset-core");
                        }
                        result = read(new InputStreamReader(in, StandardCharsets.UTF_8), "classpath:" + RESOURCE);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
                    }
                    audioSet = result;
                }
            }
        }
        return result;
    }

    /**
     * Reads a {@code class_labels_indices.csv} file.
     *
     * @param file the CSV: a header row {@code index,mid,display_name}, then one row per class with
     *     indices {@code 0, 1, 2, ...} in order
     * @return the index
     * @throws IOException if the file cannot be read
     * @throws AudioSetException if a row is malformed or holds bytes that are not UTF-8 (the message names the
     *     file, line and value)
     */
    public static LabelIndex read(Path file) throws IOException {
        requireNonNull(file, "file");
        try (Reader reader = SegmentCsv.replacingReader(file)) { // a bad byte is then named with its line
            return read(reader, file.toString());
        } catch (IOException e) {
            throw FileErrors.naming(file, e);
        }
    }

    /**
     * Reads a label index from a reader, which the caller closes.
     *
     * @param reader the CSV text
     * @param source the name used in error messages
     * @return the index
     * @throws IOException if reading fails
     * @throws AudioSetException if a row is malformed, a line is longer than 4096 characters or there are more
     *     than {@value #MAX_SIZE} classes
     */
    public static LabelIndex read(Reader reader, String source) throws IOException {
        requireNonNull(reader, "reader");
        requireNonNull(source, "source");
        try {
            return readLimited(new LineLimitReader(SegmentCsv.skipByteOrderMark(reader), MAX_LINE_CHARS), source);
        } catch (UncheckedIOException e) { // commons-csv's iterator wraps what the reader throws
            if (e.getCause() instanceof LineLimitReader.LineTooLongException tooLong) {
                throw tooLong(source, tooLong);
            }
            throw e.getCause();
        } catch (LineLimitReader.LineTooLongException tooLong) {
            throw tooLong(source, tooLong);
        }
    }

    private static AudioSetException tooLong(String source, LineLimitReader.LineTooLongException e) {
        return new AudioSetException(source + ":" + e.line() + ": line longer than " + MAX_LINE_CHARS
                + " characters", e);
    }

    private static LabelIndex readLimited(Reader reader, String source) throws IOException {
        List<Label> labels = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        boolean first = true;
        for (CSVRecord record : parser) {
            long line = parser.getCurrentLineNumber();
            if (first) {
                first = false;
                if (record.size() > 0 && "index".equalsIgnoreCase(record.get(0))) {
                    continue;
                }
            }
            if (record.size() != 3) {
                throw new AudioSetException(source + ":" + line + ": expected 3 fields (index,mid,display_name), got "
                        + record.size() + " '" + String.join(",", record.toList()) + "'");
            }
            int index;
            try {
                index = Integer.parseInt(record.get(0));
            } catch (NumberFormatException e) {
                throw new AudioSetException(source + ":" + line + ": index is not an integer '" + record.get(0) + "'",
                        e);
            }
            if (index != labels.size()) {
                throw new AudioSetException(source + ":" + line + ": expected index " + labels.size() + ", got '"
                        + record.get(0) + "'");
            }
            String mid = record.get(1);
            if (mid.isEmpty()) {
                throw new AudioSetException(source + ":" + line + ": empty mid ''");
            }
            Long previous = seen.putIfAbsent(mid, line);
            if (previous != null) {
                throw new AudioSetException(source + ":" + line + ": mid '" + mid + "' already listed at line "
                        + previous);
            }
            if (labels.size() >= MAX_SIZE) {
                throw new AudioSetException(source + ":" + line + ": more than " + MAX_SIZE + " classes '" + mid
                        + "'");
            }
            String text = String.join(",", record.toList());
            if (text.indexOf('\uFFFD') >= 0) {
                throw new AudioSetException(source + ":" + line + ": bytes that are not UTF-8 '" + text + "'");
            }
            labels.add(new Label(index, mid, record.get(2)));
        }
        if (labels.isEmpty()) {
            throw new AudioSetException(source + ": no labels");
        }
        return new LabelIndex(source, labels);
    }

    /** @return where this index was read from */
    public String source() {
        return source;
    }

    /** @return the number of classes (527 for AudioSet) */
    public int size() {
        return labels.size();
    }

    /** @return every class, in index order (immutable) */
    public List<Label> labels() {
        return labels;
    }

    /**
     * @param index a class index, {@code 0 <= index < size()}
     * @return the class at that index
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public Label get(int index) {
        return labels.get(index);
    }

    /**
     * @param mid a label MID such as {@code /m/09x0r}
     * @return the class with that MID, if listed
     */
    public Optional<Label> byMid(String mid) {
        return Optional.ofNullable(byMid.get(requireNonNull(mid, "mid")));
    }

    /**
     * @param displayName a display name, compared ignoring case (e.g. {@code "speech"})
     * @return the first class with that name, if any
     */
    public Optional<Label> byName(String displayName) {
        return Optional.ofNullable(byName.get(requireNonNull(displayName, "displayName").toLowerCase(Locale.ROOT)));
    }

    /**
     * @param mid a label MID
     * @return whether this index lists it
     */
    public boolean contains(String mid) {
        return byMid.containsKey(mid);
    }

    /**
     * @param mid a label MID
     * @return its index
     * @throws AudioSetException if the MID is not in this index (the message names it)
     */
    public int indexOf(String mid) {
        Label label = byMid.get(requireNonNull(mid, "mid"));
        if (label == null) {
            throw new AudioSetException("label MID '" + mid + "' is not in the label index " + source);
        }
        return label.index();
    }

    /**
     * Multi-hot encoding: {@code 1} at the index of each MID, {@code 0} elsewhere.
     *
     * @param mids label MIDs; each must be in this index
     * @return a new array of length {@link #size()}
     * @throws AudioSetException if a MID is unknown
     */
    public byte[] encode(Collection<String> mids) {
        byte[] multiHot = new byte[size()];
        encode(mids, multiHot);
        return multiHot;
    }

    /**
     * Multi-hot encoding into a caller's array, which is cleared first.
     *
     * @param mids label MIDs; each must be in this index
     * @param multiHot an array of length {@link #size()}
     * @throws AudioSetException if a MID is unknown
     * @throws IllegalArgumentException if the array has the wrong length
     */
    public void encode(Collection<String> mids, byte[] multiHot) {
        requireNonNull(mids, "mids");
        checkLength(multiHot.length);
        Arrays.fill(multiHot, (byte) 0);
        for (String mid : mids) {
            multiHot[indexOf(mid)] = 1;
        }
    }

    /**
     * The inverse of {@link #encode(Collection)}.
     *
     * @param multiHot an array of length {@link #size()}; nonzero entries are positive
     * @return the MIDs of the positive classes, in index order
     */
    public List<String> decode(byte[] multiHot) {
        checkLength(multiHot.length);
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < multiHot.length; i++) {
            if (multiHot[i] != 0) {
                mids.add(labels.get(i).mid());
            }
        }
        return List.copyOf(mids);
    }

    /**
     * The inverse of {@link #encode(Collection)} for boolean arrays (as h5py's bool labels read).
     *
     * @param multiHot an array of length {@link #size()}
     * @return the MIDs of the positive classes, in index order
     */
    public List<String> decode(boolean[] multiHot) {
        checkLength(multiHot.length);
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < multiHot.length; i++) {
            if (multiHot[i]) {
                mids.add(labels.get(i).mid());
            }
        }
        return List.copyOf(mids);
    }

    private void checkLength(int length) {
        if (length != size()) {
            throw new IllegalArgumentException("multi-hot array has length " + length + ", expected " + size());
        }
    }

    @Override
    public String toString() {
        return "LabelIndex[" + size() + " classes from " + source + "]";
    }
}
