package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OntologyTest {
    private final Ontology ontology = Ontology.audioSet();

    @Test
    void hasEveryNodeAndTheSevenRoots() {
        assertThat(ontology.size()).isEqualTo(632);
        assertThat(ontology.roots()).extracting(OntologyNode::name).containsExactly("Human sounds", "Animal",
                "Music", "Natural sounds", "Sounds of things", "Source-ambiguous sounds",
                "Channel, environment and background");
        long multiParent = ontology.nodes().stream().filter(n -> ontology.parents(n.id()).size() > 1).count();
        assertThat(multiParent).isEqualTo(38);
        for (Label label : LabelIndex.audioSet().labels()) {
            assertThat(ontology.node(label.mid())).as(label.mid()).isPresent();
        }
    }

    @Test
    void restrictionsAreRead() {
        long abstractCount = ontology.nodes().stream().filter(OntologyNode::isAbstract).count();
        long blacklisted = ontology.nodes().stream().filter(OntologyNode::isBlacklisted).count();
        assertThat(abstractCount).isEqualTo(23);
        assertThat(blacklisted).isEqualTo(67);
        assertThat(ontology.resolve("Human sounds").isAbstract()).isTrue();
    }

    @Test
    void dogDescendantsAreItsSevenSounds() {
        OntologyNode dog = ontology.resolve("Dog");
        assertThat(dog.id()).isEqualTo("/m/0bt9lr");
        assertThat(ontology.descendants(dog.id())).containsExactlyInAnyOrder("/m/05tny_", "/m/07qf0zm",
                "/m/07r_k2n", "/m/07rc7d9", "/m/07srf8z", "/m/0ghcn6", "/t/dd00136");
        assertThat(ontology.descendants(dog.id()).stream().map(m -> ontology.node(m).orElseThrow().name()))
                .containsExactlyInAnyOrder("Bark", "Yip", "Howl", "Bow-wow", "Growling", "Whimper (dog)", "Bay");
        assertThat(ontology.ancestors(dog.id())).contains("/m/0jbk"); // Animal
    }

    @Test
    void descendantsMatchAnIndependentWalkOfTheJson() throws IOException {
        JsonNode json = new ObjectMapper().readTree(TestData.file("audioset/ontology.json").toFile());
        Map<String, List<String>> children = new HashMap<>();
        for (JsonNode node : json) {
            List<String> kids = new ArrayList<>();
            node.get("child_ids").forEach(c -> kids.add(c.asText()));
            children.put(node.get("id").asText(), kids);
        }
        for (String name : List.of("Music", "Dog", "Animal", "Vehicle", "Speech")) {
            String mid = ontology.resolve(name).id();
            Set<String> expected = new HashSet<>();
            collect(mid, children, expected);
            assertThat(ontology.descendants(mid)).as(name).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(ontology.descendants(ontology.resolve("Music").id())).hasSize(188);
    }

    private static void collect(String mid, Map<String, List<String>> children, Set<String> out) {
        for (String child : children.get(mid)) {
            out.add(child);
            collect(child, children, out);
        }
    }

    @Test
    void resolvesByMidOrNameIgnoringCase() {
        assertThat(ontology.resolve("/m/04rlf").name()).isEqualTo("Music");
        assertThat(ontology.resolve("music").id()).isEqualTo("/m/04rlf");
        assertThatThrownBy(() -> ontology.resolve("Musik")).isInstanceOf(OntologyException.class)
                .hasMessageContaining("'Musik'");
        assertThatThrownBy(() -> ontology.descendants("/m/none")).hasMessageContaining("'/m/none'");
    }

    /**
     * A name no class has suggests the names that contain it (AudioSet's list aliases: "Gunshot, gunfire", so
     * {@code --label Gunshot} failed with no hint), else those a typing mistake away.
     */
    @Test
    void anUnknownNameSuggestsCloseOnes() {
        Ontology audioSet = Ontology.audioSet();
        assertThatThrownBy(() -> audioSet.resolve("Gunshot")).hasMessage("no ontology class has the MID or name"
                + " 'Gunshot' (in classpath:ontology.json); did you mean 'Gunshot, gunfire'?");
        assertThatThrownBy(() -> audioSet.resolve("Dgo")).hasMessageEndingWith("; did you mean 'Dog'?");
        assertThatThrownBy(() -> audioSet.resolve("Speach")).hasMessageEndingWith("; did you mean 'Speech'?");
        assertThatThrownBy(() -> audioSet.resolve("xyz")).hasMessageEndingWith("(in classpath:ontology.json)");
        assertThat(Ontology.typingDistance("ab", "ba")).isEqualTo(1);
        assertThat(Ontology.typingDistance("", "abc")).isEqualTo(3);
    }

    @Test
    void rejectsUnknownChildrenAndCycles() {
        String unknown = "[{\"id\":\"/m/a\",\"name\":\"A\",\"child_ids\":[\"/m/b\"]}]";
        assertThatThrownBy(() -> read(unknown)).hasMessageContaining("unknown child '/m/b'");
        String cycle = "[{\"id\":\"/m/a\",\"name\":\"A\",\"child_ids\":[\"/m/b\"]},"
                + "{\"id\":\"/m/b\",\"name\":\"B\",\"child_ids\":[\"/m/a\"]}]";
        assertThatThrownBy(() -> read(cycle)).hasMessageContaining("cycle");
        assertThatThrownBy(() -> read("{")).isInstanceOf(OntologyException.class).hasMessageContaining("t.json");
        assertThatThrownBy(() -> read("[{\"id\":\"/m/a\"}]")).hasMessageContaining("missing or empty 'name'");
    }

    @Test
    void aNameOfSeveralClassesIsRefusedWithTheirMids() throws IOException {
        Ontology shared = read("[{\"id\":\"/m/a\",\"name\":\"Bark\"},\n"
                + "{\"id\":\"/m/b\",\"name\":\"bark\"},{\"id\":\"/m/c\",\"name\":\"Tree\"}]");
        assertThatThrownBy(() -> shared.resolve("bark")).isInstanceOf(OntologyException.class)
                .hasMessageContaining("'bark'").hasMessageContaining("/m/a, /m/b").hasMessageContaining("t.json")
                .hasMessageContaining("give the MID");
        assertThat(shared.resolve("/m/b").name()).isEqualTo("bark");
        assertThat(shared.resolve("tree").id()).isEqualTo("/m/c");
    }

    @Test
    void invalidJsonIsNamedWithItsLine() {
        assertThatThrownBy(() -> read("[{\"id\":\"/m/a\",\n \"name\" \"A\"}]"))
                .isInstanceOf(OntologyException.class).hasMessageStartingWith("t.json:2: column ")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void aFolderGivenAsTheOntologyIsNamed(@TempDir Path dir) {
        // the error was "Is a directory", naming no file (audioset report --ontology DIR)
        assertThatThrownBy(() -> Ontology.read(dir)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir + ": ");
    }

    @Test
    void aChildListedTwiceIsRefused() {
        assertThatThrownBy(() -> read("[{\"id\":\"/m/a\",\"name\":\"A\",\"child_ids\":[\"/m/b\",\"/m/b\"]},"
                + "{\"id\":\"/m/b\",\"name\":\"B\"}]")).isInstanceOf(OntologyException.class)
                .hasMessageContaining("'/m/a' lists child '/m/b' twice");
    }

    @Test
    void stopsReadingPastTheSizeBound() {
        // "[" and then spaces without end: valid JSON so far, so only the bound ends it
        java.io.InputStream endless = new java.io.InputStream() {
            private long n;

            @Override
            public int read() {
                return n++ == 0 ? '[' : ' ';
            }
        };
        assertThatThrownBy(() -> Ontology.read(endless, "huge.json")).isInstanceOf(OntologyException.class)
                .hasMessageContaining("huge.json").hasMessageContaining("larger than " + Ontology.MAX_BYTES);
    }

    private static Ontology read(String json) throws IOException {
        return Ontology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
    }
}
