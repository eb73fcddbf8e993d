package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The help breaks its lines between words only. picocli's own wrapping also broke after a full stop before a
 * letter, which cut file names and properties in two: download's "(default: {@code <java.io.}" and
 * "{@code tmpdir>/audioset-<user>)}", run's "{@code _average.}" and "{@code npy}", render's synopsis
 * "{@code [--strong=FILE.}" and "{@code hdf5]}"; neither part could be copied whole.
 */
class HelpWrapTest {
    /** A width at which nothing wraps: each value on one line, as a reader copying a word would want it. */
    private static final int UNWRAPPED = 10_000;

    /** The width the CLI renders at (picocli's default, 80 columns: no fixed or automatic width is set). */
    @Test
    void theCliRendersAt80Columns() {
        CommandLine cli = AudioSetCli.commandLine();
        assertThat(cli.getCommandSpec().usageMessage().autoWidth()).isFalse();
        assertThat(cli.getUsageHelpWidth()).isEqualTo(80);
    }

    static Stream<Arguments> commandsAndWidths() {
        List<Arguments> all = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(""));
        names.addAll(AudioSetCli.commandLine().getSubcommands().keySet());
        for (int width : new int[] {80, 60}) {
            for (String name : names) {
                all.add(Arguments.of(name, width));
            }
        }
        return all.stream();
    }

    /**
     * Every word of the help (a whitespace-separated run of characters, as the help shows it unwrapped) is on
     * one line, whole; a word is cut only where it is longer than a whole line (it then fills its line to the
     * width, alone), as before. Nothing is added either: the words, put together, are the unwrapped help's.
     */
    @ParameterizedTest(name = "audioset {0} --help at {1} columns")
    @MethodSource("commandsAndWidths")
    void helpBreaksLinesBetweenWordsOnly(String name, int width) {
        String wrapped = help(name, width);
        String unwrapped = help(name, UNWRAPPED);
        List<String> lines = wrapped.lines().toList();
        for (String line : lines) {
            assertThat(line.length()).as("audioset %s --help at %d columns: %s", name, width, line)
                    .isLessThanOrEqualTo(width);
        }
        List<String> pieces = new ArrayList<>();
        List<Boolean> cut = new ArrayList<>(); // whether a piece may be the start of a word cut at the line's end
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            for (String w : words) {
                if (!w.isEmpty()) {
                    pieces.add(w);
                    cut.add(words.length == 1 && line.length() == width);
                }
            }
        }
        int at = 0;
        for (String word : unwrapped.strip().split("\\s+")) {
            assertThat(at).as("audioset %s --help at %d columns ends before '%s'", name, width, word)
                    .isLessThan(pieces.size());
            StringBuilder joined = new StringBuilder(pieces.get(at));
            while (cut.get(at) && word.length() > joined.length() && word.startsWith(joined.toString())
                    && at + 1 < pieces.size()) {
                joined.append(pieces.get(++at));
            }
            at++;
            assertThat(joined.toString()).as("audioset %s --help at %d columns: a word split across lines:%n%s",
                    name, width, wrapped).isEqualTo(word);
        }
        assertThat(at).as("audioset %s --help at %d columns has more words", name, width).isEqualTo(pieces.size());
    }

    /** Paths and dotted names that the help cut before, now whole on one line. */
    @Test
    void theNamesThatWereCutAreWhole() {
        assertThat(help("download", 80)).contains("<java.io.tmpdir>/audioset-<user>);");
        assertThat(help("run", 80)).contains("_average.npy,");
        assertThat(help("render", 80)).contains("[--strong=FILE.hdf5]");
        assertThat(help("", 80)).contains("OUT/<name>_average.npy");
    }

    /** @return {@code audioset <name> --help} (the top-level help for "") at {@code width} columns, no colours */
    private static String help(String name, int width) {
        CommandLine cli = AudioSetCli.commandLine();
        cli.setUsageHelpWidth(width);
        return (name.isEmpty() ? cli : cli.getSubcommands().get(name)).getUsageMessage(Ansi.OFF);
    }
}
