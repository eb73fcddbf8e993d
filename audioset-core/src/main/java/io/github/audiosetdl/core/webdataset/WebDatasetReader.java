package io.github.audiosetdl.core.webdataset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.audio.AudioClip;
import io.github.audiosetdl.core.audio.WavFormatException;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.spi.WaveformLayout;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads WebDataset shards as {@link WebDatasetWriter} writes them ({@code <name>-000000.tar}, ...), clip by clip in
 * archive order: each clip is a {@code <key>.wav} member (decoded by {@link WavReader}) and a {@code <key>.json}
 * member ({@link ClipInfo}), next to each other, in either order. Memory: one clip (its members' bytes and its
 * decoded samples); never the shard.
 *
 * <p>A shard is untrusted input. Every header is checked before anything it declares is used: its checksum, the
 * ustar magic, the type (regular files only), the name ({@code <key>.wav} or {@code <key>.json}, the key of
 * {@code [A-Za-z0-9_-]}, 1 to 64 characters: no folder, no {@code ..}, no absolute path, no path prefix), the size
 * (octal; at most {@link #MAX_WAV_BYTES} for a {@code .wav}, {@link #MAX_JSON_BYTES} for a {@code .json}, and within
 * the file). A member without its partner, a second member of the same name, a shard that ends inside a member or
 * without the two zero blocks that end an archive (a truncated shard), anything but zeros after them, a WAV that
 * {@link WavReader} cannot decode, and a JSON that is not the writer's object (the fields {@code ytid} equal to the
 * key, {@code start}, {@code end}, {@code labels}, {@code names}, {@code norm}, {@code padded}, optionally
 * {@code strong}; other fields are ignored) are each an {@link IOException} naming the shard, the entry (its name
 * and the byte its header starts at) and the value. After an error the reader returns no more clips.
 *
 * <p>Used by one thread at a time.
 */
public final class WebDatasetReader implements Closeable {
    /** The largest {@code .wav} member read, in bytes: 64 MB (a 10-s clip at 16 kHz mono is 320,044 bytes). */
    public static final long MAX_WAV_BYTES = 64L << 20;
    /** The largest {@code .json} member read, in bytes: 1 MB (a clip's is well under 1 kB plus its strong events). */
    public static final int MAX_JSON_BYTES = ShardClips.MAX_JSON;
    private static final int BLOCK = UstarWriter.BLOCK;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path shard;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer header = ByteBuffer.allocate(BLOCK);
    /** Where the next member's header starts. */
    private long position;
    private boolean ended;

    /** A member's header, checked: its name split at the first {@code .}, its size and where it starts. */
    private record Member(String name, String key, boolean wav, long length, long at) {
        long data() {
            return at + BLOCK;
        }

        long next() {
            return data() + (length + BLOCK - 1) / BLOCK * BLOCK;
        }

        String where() {
            return "entry '" + name + "' at byte " + at;
        }
    }

    private WebDatasetReader(Path shard, FileChannel channel) throws IOException {
        this.shard = shard;
        this.channel = channel;
        this.size = channel.size();
    }

    /**
     * @param shard a shard, {@code <name>-NNNNNN.tar}
     * @return a reader at its first clip
     * @throws IOException if it cannot be opened
     */
    public static WebDatasetReader open(Path shard) throws IOException {
        FileChannel ch = FileChannel.open(requireNonNull(shard, "shard"), StandardOpenOption.READ);
        try {
            return new WebDatasetReader(shard, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The shards of a data set, in order: {@code <name>-000000.tar}, {@code <name>-000001.tar}, ... up to the first
     * number missing (a shard beyond a gap is not part of it). Hidden temporary files of a pack in progress
     * ({@code .<name>-NNNNNN.tar.<random>.tmp}) are never listed.
     *
     * @param dir the folder
     * @param name the data set's name ({@link WebDatasetWriter#checkName})
     * @return the shards, empty when there is no {@code <name>-000000.tar}
     * @throws IOException if a shard's name exists but is not a regular file (a folder, say)
     */
    public static List<Path> shards(Path dir, String name) throws IOException {
        requireNonNull(dir, "dir");
        WebDatasetWriter.checkName(name);
        List<Path> out = new ArrayList<>();
        for (long n = 0;; n++) {
            Path p = dir.resolve(WaveformLayout.shardName(name, n));
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return out;
            }
            if (!Files.isRegularFile(p)) {
                throw new IOException(p + ": not a regular file, so not a shard");
            }
            out.add(p);
        }
    }

    /**
     * Every clip of a data set's {@link #shards}, in order, read lazily: one shard is open at a time, and closing
     * the stream closes it. I/O errors and damaged shards surface as {@link UncheckedIOException}s (the message names
     * the shard and the entry).
     *
     * @param dir the folder
     * @param name the data set's name
     * @return the clips; close it (try-with-resources)
     * @throws IOException if there is no {@code <name>-000000.tar} in {@code dir} ({@link NoSuchFileException}), or
     *     {@link #shards} fails
     */
    public static Stream<WebDatasetClip> stream(Path dir, String name) throws IOException {
        List<Path> shards = shards(dir, name);
        if (shards.isEmpty()) {
            throw new NoSuchFileException(dir.resolve(WaveformLayout.shardName(name, 0)).toString(), null,
                    "no shard of '" + name + "' in this folder");
        }
        Iterator<Path> files = shards.iterator();
        WebDatasetReader[] current = new WebDatasetReader[1];
        Iterator<WebDatasetClip> clips = new Lookahead() {
            @Override
            WebDatasetClip advance() throws IOException {
                while (true) {
                    if (current[0] == null) {
                        if (!files.hasNext()) {
                            return null;
                        }
                        current[0] = open(files.next());
                    }
                    Optional<WebDatasetClip> clip = current[0].next();
                    if (clip.isPresent()) {
                        return clip.get();
                    }
                    current[0].close();
                    current[0] = null;
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(clips, Spliterator.ORDERED
                | Spliterator.NONNULL), false).onClose(() -> {
                    if (current[0] != null) {
                        closeUnchecked(current[0]);
                    }
                });
    }

    /** @return the shard */
    public Path path() {
        return shard;
    }

    /**
     * This shard's remaining clips, lazily; closing the stream closes this reader. Errors surface as
     * {@link UncheckedIOException}s.
     *
     * @return the clips
     */
    public Stream<WebDatasetClip> stream() {
        Iterator<WebDatasetClip> clips = new Lookahead() {
            @Override
            WebDatasetClip advance() throws IOException {
                return WebDatasetReader.this.next().orElse(null);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(clips, Spliterator.ORDERED
                | Spliterator.NONNULL), false).onClose(() -> closeUnchecked(this));
    }

    /**
     * @return the next clip, or empty at the archive's end
     * @throws IOException if reading fails, or the shard is damaged, truncated or not this layout (the message
     *     names the shard, the entry and the value); no clip is returned after that
     */
    public Optional<WebDatasetClip> next() throws IOException {
        if (ended) {
            return Optional.empty();
        }
        try {
            Optional<WebDatasetClip> clip = readClip();
            if (clip.isEmpty()) {
                ended = true;
            }
            return clip;
        } catch (IOException | RuntimeException e) {
            ended = true;
            throw e;
        }
    }

    private Optional<WebDatasetClip> readClip() throws IOException {
        Member wav = null;
        Member json = null;
        while (wav == null || json == null) {
            Member m = member(position);
            Member first = wav != null ? wav : json;
            if (m == null || first != null && !m.key().equals(first.key())) {
                if (first == null) {
                    return Optional.empty();
                }
                throw new IOException(shard + ": " + first.where() + " has no '" + first.key()
                        + (first.wav() ? ".json" : ".wav") + "' beside it ("
                        + (m == null ? "the archive ends there" : "the next is " + m.where()) + ")");
            }
            if (m.wav() ? wav != null : json != null) {
                throw new IOException(shard + ": " + m.where() + ": a second member of that name");
            }
            if (m.wav()) {
                wav = m;
            } else {
                json = m;
            }
            position = m.next();
        }
        AudioClip audio;
        try {
            audio = WavReader.read(Path.of(wav.name()), read(wav));
        } catch (WavFormatException e) {
            throw new IOException(shard + ": " + wav.where() + ": " + e.getMessage(), e);
        }
        String text = new String(read(json).array(), StandardCharsets.UTF_8);
        return Optional.of(new WebDatasetClip(shard, wav.key(), audio, parse(json, text), text));
    }

    private ByteBuffer read(Member m) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) m.length()); // checked against MAX_WAV_BYTES
        readFully(b, m.data());
        return b.flip();
    }

    /**
     * @return the checked header at {@code at}, or null at the archive's end (two zero blocks, then only zeros)
     * @throws IOException if there is no such header, or it is damaged or not one of this layout's
     */
    private Member member(long at) throws IOException {
        if (at >= size) {
            throw new IOException(shard + ": ends at byte " + size + " without the two zero blocks that end an"
                    + " archive (a truncated shard)");
        }
        if (at + BLOCK > size) {
            throw new IOException(shard + ": ends at byte " + size + ", inside the header that starts at byte " + at
                    + " (a truncated shard)");
        }
        byte[] h = block(at);
        if (zeros(h)) {
            checkEnd(at);
            return null;
        }
        int n = 0;
        while (n < 100 && h[n] != 0) {
            n++;
        }
        String raw = new String(h, 0, n, StandardCharsets.ISO_8859_1);
        String where = "entry '" + shown(raw) + "' at byte " + at;
        long stored = octal(h, 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException(shard + ": " + where + ": header checksum " + (stored < 0 ? "field '"
                    + field(h, 148, 8) + "' is not octal" : stored
                    + " stored, " + unsigned + " computed") + " (a damaged header)");
        }
        String magic = new String(h, 257, 6, StandardCharsets.ISO_8859_1);
        if (!magic.equals("ustar\0") && !magic.equals("ustar ")) {
            throw new IOException(shard + ": " + where + ": magic '" + shown(magic) + "' is not ustar's");
        }
        if (h[156] != '0' && h[156] != 0) {
            throw new IOException(shard + ": " + where + " is of type '" + shown(String.valueOf((char) (h[156] & 0xff)))
                    + "', not a regular file (a shard holds only <key>.wav and <key>.json files)");
        }
        for (int i = 345; i < 500; i++) {
            if (h[i] != 0) {
                throw new IOException(shard + ": " + where + " has a path prefix '" + field(h, 345, 155)
                        + "': a shard's members are in no folder");
            }
        }
        checkName(raw, where);
        int dot = raw.indexOf('.');
        String key = raw.substring(0, dot);
        boolean wav = raw.substring(dot + 1).equals("wav");
        long length = octal(h, 124, 12);
        if (length < 0) {
            throw new IOException(shard + ": " + where + ": size field '" + field(h, 124, 12)
                    + "' is not an octal number");
        }
        long max = wav ? MAX_WAV_BYTES : MAX_JSON_BYTES;
        if (length > max) {
            throw new IOException(shard + ": " + where + " declares " + length + " bytes, more than the " + max
                    + " read of a ." + (wav ? "wav" : "json") + " member");
        }
        Member m = new Member(raw, key, wav, length, at);
        if (m.next() > size) {
            throw new IOException(shard + ": " + where + " declares " + length + " bytes (" + (m.next() - m.data())
                    + " with its padding) but the shard ends " + (size - m.data()) + " bytes after its header, at byte "
                    + size + " (a truncated shard)");
        }
        return m;
    }

    /** Refuses a member name that is not {@code <key>.wav} or {@code <key>.json}. */
    private void checkName(String name, String where) throws IOException {
        if (name.isEmpty()) {
            throw new IOException(shard + ": " + where + " has no name");
        }
        if (name.startsWith("/") || name.contains("..") || name.contains("/") || name.contains("\\")) {
            throw new IOException(shard + ": " + where + ": the name is a path (absolute, with a folder or ..);"
                    + " a shard's members are <key>.wav and <key>.json");
        }
        int dot = name.indexOf('.');
        String key = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (!ext.equals("wav") && !ext.equals("json")) {
            throw new IOException(shard + ": " + where + " is not <key>.wav or <key>.json (extension '" + shown(ext)
                    + "')");
        }
        if (!KEY.matcher(key).matches()) {
            throw new IOException(shard + ": " + where + ": key '" + shown(key) + "' is not 1 to 64 characters of"
                    + " A-Z a-z 0-9 _ -");
        }
    }

    /** Checks that the archive ends at {@code at}: a second zero block, then zeros (tar pads to a record) only. */
    private void checkEnd(long at) throws IOException {
        if (at + 2L * BLOCK > size) {
            throw new IOException(shard + ": ends at byte " + size + " after one of the two zero blocks that end an"
                    + " archive (a truncated shard)");
        }
        if (!zeros(block(at + BLOCK))) {
            throw new IOException(shard + ": a zero block at byte " + at + " is followed by a non-zero one (a damaged"
                    + " header?)");
        }
        ByteBuffer rest = ByteBuffer.allocate(64 << 10);
        for (long p = at + 2L * BLOCK; p < size; p += rest.capacity()) {
            rest.clear().limit((int) Math.min(rest.capacity(), size - p));
            readFully(rest, p);
            for (int i = 0; i < rest.limit(); i++) {
                if (rest.get(i) != 0) {
                    throw new IOException(shard + ": byte " + (p + i) + " is not zero, after the end of the archive"
                            + " at byte " + (at + 2L * BLOCK));
                }
            }
        }
    }

    private ClipInfo parse(Member m, String text) throws IOException {
        String where = shard + ": " + m.where();
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException(where + " is not JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(where + " is not a JSON object");
        }
        String ytid = text(root, "ytid", where);
        if (!ytid.equals(m.key())) {
            throw new IOException(where + ": ytid '" + shown(ytid) + "' is not the key '" + m.key() + "'");
        }
        double start = number(root, "start", where);
        double end = number(root, "end", where);
        List<String> labels = texts(root, "labels", where);
        List<String> names = texts(root, "names", where);
        double norm = number(root, "norm", where);
        JsonNode padded = root.get("padded");
        if (padded == null || !padded.isBoolean()) {
            throw new IOException(where + ": padded is " + shown(padded) + ", not true or false");
        }
        JsonNode strong = root.get("strong");
        List<StrongEvent> events = new ArrayList<>();
        if (strong != null) {
            if (!strong.isArray()) {
                throw new IOException(where + ": strong is " + shown(strong) + ", not a list");
            }
            for (JsonNode e : strong) {
                if (!e.isObject()) {
                    throw new IOException(where + ": a strong event is " + shown(e) + ", not an object");
                }
                try {
                    events.add(new StrongEvent(text(e, "mid", where + ": strong"), number(e, "start", where
                            + ": strong"), number(e, "end", where + ": strong")));
                } catch (IllegalArgumentException x) {
                    throw new IOException(where + ": strong: " + x.getMessage(), x);
                }
            }
        }
        try {
            Segment s = new Segment(ytid, milliseconds(start, "start", where), milliseconds(end, "end", where),
                    labels);
            return new ClipInfo(s, names, norm, padded.booleanValue(), strong != null, events);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static long milliseconds(double seconds, String field, String where) throws IOException {
        if (seconds < 0 || seconds > 1e9) {
            throw new IOException(where + ": " + field + " " + seconds + " s is not in 0..1e9 s");
        }
        return Math.round(seconds * 1000);
    }

    private static String text(JsonNode node, String field, String where) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException(where + ": " + field + " is " + shown(v) + ", not a string");
        }
        return v.textValue();
    }

    private static double number(JsonNode node, String field, String where) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new IOException(where + ": " + field + " is " + shown(v) + ", not a finite number");
        }
        return v.doubleValue();
    }

    private static List<String> texts(JsonNode node, String field, String where) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new IOException(where + ": " + field + " is " + shown(v) + ", not a list of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IOException(where + ": " + field + " holds " + shown(e) + ", not a string");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** @return the header field {@code h[at, at + width)} as a message shows it, without its NULs */
    private static String field(byte[] h, int at, int width) {
        return shown(new String(h, at, width, StandardCharsets.ISO_8859_1).replace("\0", ""));
    }

    /** @return a JSON value as a message shows it: at most 40 characters, or "missing" */
    private static String shown(JsonNode v) {
        return v == null ? "missing" : "'" + shown(v.toString()) + "'";
    }

    /** @return {@code text} for a message: at most 40 characters, control and non-ASCII characters escaped */
    private static String shown(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 40; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                b.append(c);
            }
        }
        return b.length() < 40 || text.length() <= 40 ? b.toString() : b + "...";
    }

    private byte[] block(long at) throws IOException {
        header.clear();
        readFully(header, at);
        return header.array();
    }

    private static boolean zeros(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        if (!channel.isOpen()) {
            throw new IOException(shard + ": read after the reader was closed");
        }
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new IOException(shard + ": ended at byte " + (at + b.position()) + " (it shrank while read?)");
            }
        }
    }

    /** @return the octal number in {@code h[at, at + width)} (leading spaces, trailing NUL or space), or -1 */
    private static long octal(byte[] h, int at, int width) {
        long v = 0;
        boolean any = false;
        boolean done = false;
        for (int i = at; i < at + width; i++) {
            int c = h[i];
            if (c == 0 || c == ' ') {
                done = any;
                continue;
            }
            if (done || c < '0' || c > '7' || v > Long.MAX_VALUE / 8) {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return any ? v : -1;
    }

    private static void closeUnchecked(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "WebDatasetReader(" + shard + ")";
    }

    /** An iterator that caches one look-ahead element, {@link #advance()}'s; I/O errors become unchecked. */
    private abstract static class Lookahead implements Iterator<WebDatasetClip> {
        private WebDatasetClip next;
        private boolean done;

        /** @return the next element, or null at the end */
        abstract WebDatasetClip advance() throws IOException;

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = advance();
                } catch (IOException e) {
                    done = true;
                    throw new UncheckedIOException(e);
                }
                done = next == null;
            }
            return next != null;
        }

        @Override
        public WebDatasetClip next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            WebDatasetClip out = next;
            next = null;
            return out;
        }
    }
}
