package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's dependency rules, checked with the JDK's {@code jdeps} on the compiled classes of all four modules
 * (this module's test class path holds them all):
 * <ul>
 * <li>no cycle between packages, {@code internal} ones included (what jdeps {@code -verbose:package} shows);</li>
 * <li>no cycle between classes of different packages;</li>
 * <li>no {@code internal} package used from another module.</li>
 * </ul>
 */
class PackageStructureTest {
    private static final String ROOT = "io.github.audiosetdl.";
    /** Class to the classes it uses, both ours, nested classes folded into their top-level class. */
    private static final Map<String, Set<String>> USES = new TreeMap<>();

    @BeforeAll
    static void runJdeps() {
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none", "-e",
                "io\\.github\\.audiosetdl\\..*"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.toString();
            boolean ours = name.contains("audioset-core") || name.contains("audioset-cochlea")
                    || name.contains("audioset-hdf5") || name.contains("audioset-examples");
            boolean main = !name.contains("test-classes") && !name.endsWith("-tests.jar");
            if (ours && main && Files.exists(p)) {
                args.add(name);
            }
        }
        assertThat(args).as("the four modules' classes on the class path").hasSizeGreaterThanOrEqualTo(8);
        StringWriter out = new StringWriter();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertThat(code).as(out.toString()).isZero();
        for (String line : out.toString().split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith(ROOT) && f[2].startsWith(ROOT)) {
                String from = topLevel(f[0]);
                String to = topLevel(f[2]);
                if (!from.equals(to)) {
                    USES.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        assertThat(USES).as("jdeps found our classes' dependencies")
                .containsKey(ROOT + "core.pipeline.AudioSetPipeline");
    }

    @Test
    void packagesFormNoCycle() {
        Map<String, Set<String>> packages = new TreeMap<>();
        USES.forEach((from, tos) -> tos.forEach(to -> {
            String a = packageOf(from);
            String b = packageOf(to);
            if (!a.equals(b)) {
                packages.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
            }
        }));
        assertThat(cycles(packages)).as("package cycles").isEmpty();
    }

    @Test
    void classesOfDifferentPackagesFormNoCycle() {
        List<Set<String>> crossing = cycles(USES).stream()
                .filter(c -> c.stream().map(PackageStructureTest::packageOf).distinct().count() > 1).toList();
        assertThat(crossing).as("class cycles spanning packages").isEmpty();
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        List<String> bad = new ArrayList<>();
        USES.forEach((from, tos) -> tos.forEach(to -> {
            if (packageOf(to).contains(".internal") && !moduleOf(from).equals(moduleOf(to))) {
                bad.add(from + " -> " + to);
            }
        }));
        assertThat(bad).isEmpty();
    }

    @Test
    void theCochleagramPackageUsesNoAudioSetTypes() {
        List<String> bad = new ArrayList<>();
        USES.forEach((from, tos) -> tos.forEach(to -> {
            if (packageOf(from).startsWith(ROOT + "cochlea") && !packageOf(from).startsWith(ROOT + "cochlea.features")
                    && to.startsWith(ROOT + "core.") && !packageOf(to).equals(ROOT + "core.dsp")) {
                bad.add(from + " -> " + to);
            }
        }));
        assertThat(bad).isEmpty();
    }

    private static String topLevel(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String moduleOf(String className) {
        return className.substring(ROOT.length()).split("\\.")[0];
    }

    /** @return the strongly connected components of more than one node (Tarjan) */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, List<String> stack, Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.add(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
