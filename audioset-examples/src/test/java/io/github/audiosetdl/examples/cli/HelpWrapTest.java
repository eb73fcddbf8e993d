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
import picocli.CommandLine.Help.Column;

/**
 * The help breaks its lines between words only. picocli's own wrapping also broke after a full stop before a
 * letter, which cut file names and properties in two: download's "(default: {@code <java.io.}" and
 * "{@code tmpdir>/audioset-<user>)}", run's "{@code _average.}" and "{@code npy}", render's synopsis
 * "{@code [--strong=FILE.}" and "{@code hdf5]}"; neither part could be copied whole.
 */
class HelpWrapTest {
    /** A width at which nothing wraps: each value on one line, as a reader copying a word would want it. */
    private static final int UNWRAPPED = 10_000;

    /** picocli's narrowest help ({@code -Dpicocli.usage.width=40} gives 55; {@code setUsageHelpWidth(40)} fails). */
    private static final int MIN_WIDTH = 55;

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
        for (int width : new int[] {80, 60, MIN_WIDTH}) {
            for (String name : names) {
                all.add(Arguments.of(name, width));
            }
        }
        return all.stream();
    }

    /**
     * Every word of the help (a whitespace-separated run of characters, as the help shows it unwrapped) is on
     * one line, whole, even one longer than its column's whole line: that line runs past the width by its last word
     * alone (picocli, and this help before, cut such a word where the line ended). Nothing is added either: the
     * words, put together, are the unwrapped help's.
     */
    @ParameterizedTest(name = "audioset {0} --help at {1} columns")
    @MethodSource("commandsAndWidths")
    void helpBreaksLinesBetweenWordsOnly(String name, int width) {
        String wrapped = help(name, width);
        String unwrapped = help(name, UNWRAPPED);
        List<String> lines = wrapped.lines().toList();
        List<String> pieces = new ArrayList<>();
        for (String line : lines) {
            assertThat(line.substring(0, line.stripTrailing().lastIndexOf(' ') + 1).stripTrailing().length())
                    .as("audioset %s --help at %d columns: more than its last word past the width: %s", name, width,
                            line).isLessThanOrEqualTo(width);
            for (String w : line.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    pieces.add(w);
                }
            }
        }
        assertThat(pieces).as("audioset %s --help at %d columns: a word split across lines:%n%s", name, width,
                wrapped).containsExactly(unwrapped.strip().split("\\s+"));
    }

    /**
     * At picocli's narrowest width the description column of download is 25 columns: the default of --temp-dir was
     * cut in two; it now runs past the width, whole, on a line of its own.
     */
    @Test
    void aWordLongerThanItsColumnRunsPastTheWidthWhole() {
        String help = help("download", MIN_WIDTH);
        assertThat(help).containsPattern("\n {20,}<java.io.tmpdir>/audioset-<user>\\)(;|\n)");
        assertThat(help.lines().filter(l -> l.length() > MIN_WIDTH).toList()).allMatch(l -> l.strip().indexOf(' ') < 0,
                "a word alone on its line");
    }

    /**
     * picocli lays help out at 55 columns at least; the table itself, at 40 columns: words whole, the one longer
     * than a line on a line of its own past the width, nothing lost. A column that is not the last still cuts such a
     * word (overflowing it would push the columns after it out of line).
     */
    @Test
    void aTableOf40ColumnsKeepsEveryWordWhole() {
        CommandLine.Help.ColorScheme scheme = CommandLine.Help.defaultColorScheme(Ansi.OFF);
        String path = "/data/audioset/unbalanced_train_segments_downloads/YT_-0p7hKXZ1ww.wav";
        WordWrapHelp.SpaceWrappingTable t = new WordWrapHelp.SpaceWrappingTable(scheme, new Column[] {
            new Column(12, 2, Column.Overflow.SPAN), new Column(28, 2, Column.Overflow.WRAP)});
        t.indentWrappedLines = 2;
        t.addRowValues("--in FILE", "the clip, e.g. " + path + " (a WAV file)");
        assertThat(t.toString()).isEqualTo(String.join(System.lineSeparator(),
                "  --in FILE   the clip, e.g.",
                "                " + path,
                "                (a WAV file)", ""));

        WordWrapHelp.SpaceWrappingTable one = new WordWrapHelp.SpaceWrappingTable(scheme, new Column[] {
            new Column(40, 0, Column.Overflow.WRAP)});
        one.addRowValues(path);
        assertThat(one.toString()).isEqualTo(path + System.lineSeparator());

        WordWrapHelp.SpaceWrappingTable first = new WordWrapHelp.SpaceWrappingTable(scheme, new Column[] {
            new Column(20, 0, Column.Overflow.WRAP), new Column(20, 0, Column.Overflow.WRAP)});
        first.addRowValues("a " + path.substring(0, 30), "b");
        assertThat(first.toString().lines().toList()).allMatch(l -> l.length() <= 40);
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
