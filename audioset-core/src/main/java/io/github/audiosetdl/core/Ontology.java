package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.internal.FileErrors;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The AudioSet ontology: a directed acyclic graph of sound classes (a node may have several
 * parents), read from {@code ontology.json}.
 *
 * <p>{@link #audioSet()} is the ontology shipped with this library (632 nodes, 7 roots; Google,
 * CC BY-SA 4.0). Instances are immutable and thread-safe.
 */
public final class Ontology {
    private static final String RESOURCE = "ontology.json";
    /**
     * A location inside one of Jackson's messages ("start marker at [Source: REDACTED (`StreamReadFeature
     * .INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]"): shown as "line 1, column 1".
     */
    private static final Pattern JSON_LOCATION = Pattern.compile(
            "\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The largest {@code ontology.json} read, in bytes: AudioSet's is 0.34 MB, so this leaves room for any real
     * ontology while a wrong or hostile file cannot fill the heap with its tree.
     */
    public static final long MAX_BYTES = 64L << 20;

    /** The most names {@link #closeNames(String)} gives. */
    private static final int MAX_SUGGESTIONS = 5;

    private static volatile Ontology audioSet;

    private final String source;
    private final Map<String, OntologyNode> nodes;
    private final Map<String, List<String>> parents;
    private final Map<String, OntologyNode> byName;
    /** Lower-cased names that several nodes share, with their MIDs in file order. */
    private final Map<String, List<String>> sharedNames;
    private final List<OntologyNode> roots;

    private Ontology(String source, List<OntologyNode> nodeList) {
        this.source = source;
        Map<String, OntologyNode> byId = new LinkedHashMap<>();
        for (OntologyNode node : nodeList) {
            if (byId.putIfAbsent(node.id(), node) != null) {
                throw new OntologyException(source + ": node id '" + node.id() + "' appears twice");
            }
        }
        Map<String, List<String>> parentLists = new HashMap<>();
        for (OntologyNode node : nodeList) {
            for (String child : node.childIds()) {
                if (!byId.containsKey(child)) {
                    throw new OntologyException(source + ": node '" + node.id() + "' lists unknown child '"
                            + child + "'");
                }
                if (node.childIds().indexOf(child) != node.childIds().lastIndexOf(child)) {
                    throw new OntologyException(source + ": node '" + node.id() + "' lists child '" + child
                            + "' twice");
                }
                parentLists.computeIfAbsent(child, k -> new ArrayList<>()).add(node.id());
            }
        }
        Map<String, List<String>> frozenParents = new HashMap<>();
        parentLists.forEach((k, v) -> frozenParents.put(k, List.copyOf(v)));
        Map<String, OntologyNode> names = new HashMap<>();
        Map<String, List<String>> shared = new HashMap<>();
        List<OntologyNode> rootList = new ArrayList<>();
        for (OntologyNode node : nodeList) {
            String key = node.name().toLowerCase(Locale.ROOT);
            OntologyNode first = names.putIfAbsent(key, node);
            if (first != null) {
                shared.computeIfAbsent(key, k -> new ArrayList<>(List.of(first.id()))).add(node.id());
            }
            if (!frozenParents.containsKey(node.id())) {
                rootList.add(node);
            }
        }
        this.nodes = Collections.unmodifiableMap(byId);
        this.parents = Map.copyOf(frozenParents);
        this.byName = Map.copyOf(names);
        this.sharedNames = Map.copyOf(shared);
        this.roots = List.copyOf(rootList);
        checkAcyclic();
    }

    /**
     * The AudioSet ontology shipped as a resource of this library.
     *
     * @return the shared instance
     */
    public static Ontology audioSet() {
        Ontology result = audioSet;
        if (result == null) {
            synchronized (Ontology.class) {
                result = audioSet;
                if (result == null) {
                    try (InputStream in = Ontology.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("resource " + RESOURCE + " missing from audioset-core");
                        }
                        result = read(in, "classpath:" + RESOURCE);
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
     * Reads an {@code ontology.json} file: a JSON array of objects with {@code id}, {@code name},
     * {@code child_ids} and optionally {@code description}, {@code citation_uri},
     * {@code positive_examples}, {@code restrictions}.
     *
     * @param file the JSON file
     * @return the ontology
     * @throws IOException if the file cannot be read
     * @throws OntologyException if the JSON is malformed or inconsistent (unknown child, cycle), or the file is
     *     gzip-compressed
     */
    public static Ontology read(Path file) throws IOException {
        requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            if (SegmentCsv.isGzip(file)) { // ontology.json.gz: Jackson's words would be "Illegal character (code 31)"
                throw new OntologyException(file + ": " + SegmentCsv.gzipProblem(file));
            }
            return read(in, file.toString());
        } catch (IOException e) {
            throw FileErrors.naming(file, e);
        }
    }

    /**
     * Reads an ontology from a stream, which the caller closes.
     *
     * @param in the JSON bytes (UTF-8)
     * @param source the name used in error messages
     * @return the ontology
     * @throws IOException if reading fails
     * @throws OntologyException if the JSON is malformed or inconsistent
     */
    public static Ontology read(InputStream in, String source) throws IOException {
        requireNonNull(in, "in");
        requireNonNull(source, "source");
        JsonNode root;
        try {
            root = JSON.readTree(bounded(in, source));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new OntologyException(source + (at == null || at.getLineNr() < 1 ? ""
                    : ":" + at.getLineNr() + ": column " + at.getColumnNr()) + ": not valid JSON: "
                    + JSON_LOCATION.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2"), e);
        }
        if (root == null || !root.isArray()) {
            throw new OntologyException(source + ": expected a JSON array of nodes");
        }
        List<OntologyNode> list = new ArrayList<>(root.size());
        int position = 0;
        for (JsonNode json : root) {
            list.add(toNode(json, source, position++));
        }
        return new Ontology(source, list);
    }

    /** @return {@code in}, failing with an {@link OntologyException} past {@link #MAX_BYTES} bytes */
    private static InputStream bounded(InputStream in, String source) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > MAX_BYTES) {
                    throw new OntologyException(source + ": larger than " + MAX_BYTES + " bytes: not an ontology"
                            + " (AudioSet's ontology.json is 0.34 MB)");
                }
            }
        };
    }

    private static OntologyNode toNode(JsonNode json, String source, int position) {
        String where = source + ": node #" + position;
        if (!json.isObject()) {
            throw new OntologyException(where + " is not an object");
        }
        String id = requiredText(json, "id", where);
        where = where + " ('" + id + "')";
        String name = requiredText(json, "name", where);
        Set<OntologyNode.Restriction> restrictions = EnumSet.noneOf(OntologyNode.Restriction.class);
        for (String r : textList(json, "restrictions", where)) {
            switch (r) {
                case "abstract" -> restrictions.add(OntologyNode.Restriction.ABSTRACT);
                case "blacklist" -> restrictions.add(OntologyNode.Restriction.BLACKLIST);
                default -> throw new OntologyException(where + ": unknown restriction '" + r + "'");
            }
        }
        return new OntologyNode(id, name, optionalText(json, "description"), optionalText(json, "citation_uri"),
                textList(json, "positive_examples", where), textList(json, "child_ids", where), restrictions);
    }

    private static String requiredText(JsonNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new OntologyException(where + ": missing or empty '" + field + "'");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static List<String> textList(JsonNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new OntologyException(where + ": '" + field + "' is not an array");
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new OntologyException(where + ": '" + field + "' holds a non-string " + item);
            }
            out.add(item.asText());
        }
        return out;
    }

    private void checkAcyclic() {
        // Iterative three-colour depth-first search over child edges.
        Map<String, Integer> state = new HashMap<>();
        for (String start : nodes.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[] {start, 0});
            state.put(start, 1);
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                String id = (String) frame[0];
                int next = (Integer) frame[1];
                List<String> children = nodes.get(id).childIds();
                if (next < children.size()) {
                    frame[1] = next + 1;
                    String child = children.get(next);
                    Integer s = state.get(child);
                    if (s == null) {
                        state.put(child, 1);
                        stack.push(new Object[] {child, 0});
                    } else if (s == 1) {
                        throw new OntologyException(source + ": cycle through '" + child + "' and '" + id + "'");
                    }
                } else {
                    state.put(id, 2);
                    stack.pop();
                }
            }
        }
    }

    /** @return where this ontology was read from */
    public String source() {
        return source;
    }

    /** @return the number of nodes (632 for AudioSet) */
    public int size() {
        return nodes.size();
    }

    /** @return every node, in file order (immutable) */
    public List<OntologyNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** @return the nodes without a parent, in file order (7 for AudioSet) */
    public List<OntologyNode> roots() {
        return roots;
    }

    /**
     * @param mid a MID
     * @return the node, if present
     */
    public Optional<OntologyNode> node(String mid) {
        return Optional.ofNullable(nodes.get(requireNonNull(mid, "mid")));
    }

    /**
     * @param name a display name, compared ignoring case
     * @return the first node with that name in file order, if any
     */
    public Optional<OntologyNode> byName(String name) {
        return Optional.ofNullable(byName.get(requireNonNull(name, "name").toLowerCase(Locale.ROOT)));
    }

    /**
     * Looks a class up by MID, or else by display name (ignoring case).
     *
     * @param midOrName e.g. {@code /m/04rlf} or {@code Music}
     * @return the node
     * @throws OntologyException if neither matches, or the name is that of several classes (the message names
     *     the value, and their MIDs)
     */
    public OntologyNode resolve(String midOrName) {
        requireNonNull(midOrName, "midOrName");
        OntologyNode node = nodes.get(midOrName);
        if (node == null) {
            String key = midOrName.toLowerCase(Locale.ROOT);
            List<String> mids = sharedNames.get(key);
            if (mids != null) {
                throw new OntologyException("the name '" + midOrName + "' is that of " + mids.size()
                        + " ontology classes, " + String.join(", ", mids) + " (in " + source + "): give the MID");
            }
            node = byName.get(key);
        }
        if (node == null) {
            List<String> close = closeNames(midOrName);
            throw new OntologyException("no ontology class has the MID or name '" + midOrName + "' (in " + source
                    + ")" + (close.isEmpty() ? "" : "; did you mean " + close.stream().map(n -> "'" + n + "'")
                            .collect(Collectors.joining(", ")) + "?"));
        }
        return node;
    }

    /**
     * @param text a name that no class has
     * @return up to {@value #MAX_SUGGESTIONS} class names, in file order: those that contain {@code text} (AudioSet's
     *     names list aliases: "Gunshot, gunfire"), else those within a few typing mistakes of it ("Dgo": "Dog")
     */
    private List<String> closeNames(String text) {
        String key = text.strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty()) {
            return List.of();
        }
        List<String> containing = new ArrayList<>();
        List<String> near = new ArrayList<>();
        int allowed = Math.max(1, Math.min(3, key.length() / 3));
        for (OntologyNode n : nodes.values()) {
            String name = n.name().toLowerCase(Locale.ROOT);
            if (name.contains(key)) {
                containing.add(n.name());
            } else if (Math.abs(name.length() - key.length()) <= allowed && typingDistance(key, name) <= allowed) {
                near.add(n.name());
            }
        }
        List<String> names = containing.isEmpty() ? near : containing;
        return names.subList(0, Math.min(MAX_SUGGESTIONS, names.size()));
    }

    /**
     * @return the edits (insert, delete, replace a character, or swap two adjacent ones) that turn {@code a} into
     *     {@code b}: the optimal string alignment distance
     */
    static int typingDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * @param mid a MID in this ontology
     * @return the direct parents' MIDs (empty for a root)
     * @throws OntologyException if the MID is unknown
     */
    public List<String> parents(String mid) {
        require(mid);
        return parents.getOrDefault(mid, List.of());
    }

    /**
     * @param mid a MID in this ontology
     * @return the direct children's MIDs
     * @throws OntologyException if the MID is unknown
     */
    public List<String> children(String mid) {
        return require(mid).childIds();
    }

    /**
     * Every node reachable upwards through parents, each once, nearest first (breadth-first).
     *
     * @param mid a MID in this ontology
     * @return the ancestors' MIDs, excluding {@code mid} itself
     * @throws OntologyException if the MID is unknown
     */
    public Set<String> ancestors(String mid) {
        require(mid);
        return reach(mid, m -> parents.getOrDefault(m, List.of()));
    }

    /**
     * Every node reachable downwards through children, each once, nearest first (breadth-first).
     *
     * @param mid a MID in this ontology
     * @return the descendants' MIDs, excluding {@code mid} itself
     * @throws OntologyException if the MID is unknown
     */
    public Set<String> descendants(String mid) {
        require(mid);
        return reach(mid, m -> nodes.get(m).childIds());
    }

    private OntologyNode require(String mid) {
        OntologyNode node = nodes.get(requireNonNull(mid, "mid"));
        if (node == null) {
            throw new OntologyException("MID '" + mid + "' is not in the ontology " + source);
        }
        return node;
    }

    private static Set<String> reach(String start, Function<String, List<String>> edges) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(edges.apply(start));
        while (!queue.isEmpty()) {
            String next = queue.removeFirst();
            if (seen.add(next)) {
                queue.addAll(edges.apply(next));
            }
        }
        seen.remove(start);
        return Collections.unmodifiableSet(seen);
    }

    @Override
    public String toString() {
        return "Ontology[" + size() + " nodes from " + source + "]";
    }
}
