package io.github.audiosetdl.examples.cli;

import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * picocli's help, with lines broken only at spaces. picocli wraps its text with a {@link java.text.BreakIterator}
 * line instance, which also breaks after a full stop before a letter: a file name or a property was cut in two
 * ({@code <java.io.} / {@code tmpdir>}, {@code --strong=FILE.} / {@code hdf5}) and could not be copied whole.
 * Every section (synopsis, description, option and parameter lists, exit codes, command list, footer, headings)
 * is laid out in a {@link SpaceWrappingTable} instead; the text is the same, character for character: no
 * character is inserted to prevent a break. A word longer than its column's whole line (a path in a description at
 * {@code -Dpicocli.usage.width=55}, picocli's narrowest) has a line of its own and runs past the width, whole:
 * picocli cut it where the line ended. Overflowing rather than breaking it at a {@code /} or {@code .}: a line
 * break inside a word is what made it impossible to copy, wherever it falls, while a terminal narrower than the
 * line wraps it softly and copies it whole; and such a word is rare (a long path or command in the last column).
 */
final class WordWrapHelp extends Help {
    /** picocli's cap on the synopsis indent, as a fraction of the width ({@code UsageMessageSpec}'s, private). */
    private static final double MAX_SYNOPSIS_INDENT = 0.9;

    /**
     * @param spec the command
     * @param colorScheme its colours
     */
    WordWrapHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    private int width() {
        return commandSpec().usageMessage().width();
    }

    private boolean adjustCjk() {
        return commandSpec().usageMessage().adjustLineBreaksForWideCJKCharacters();
    }

    /** @return an empty table of these columns and colours, breaking lines at white space */
    private SpaceWrappingTable table(ColorScheme scheme, Column... columns) {
        SpaceWrappingTable t = new SpaceWrappingTable(scheme, columns);
        t.setAdjustLineBreaksForWideCJKCharacters(adjustCjk());
        return t;
    }

    /** @return {@code text} formatted with {@code params}, or as it is where it is no format (as picocli) */
    private static String format(String text, Object... params) {
        try {
            return text == null ? "" : String.format(text, params);
        } catch (IllegalFormatException e) {
            return text;
        }
    }

    /** picocli's {@code Help.join}: each value one paragraph across the whole width, wrapped lines not indented. */
    private String join(String[] values, Object... params) {
        if (values == null) {
            return "";
        }
        SpaceWrappingTable t = table(colorScheme(), new Column(width(), 0, Column.Overflow.WRAP));
        t.indentWrappedLines = 0;
        for (String v : values) {
            t.addRowValues(format(v, params));
        }
        return t.toString();
    }

    @Override
    public String header(Object... params) {
        return join(commandSpec().usageMessage().header(), params);
    }

    @Override
    public String createHeading(String text, Object... params) {
        String s = join(new String[] {text}, params);
        String nl = System.lineSeparator();
        if (s.endsWith(nl)) {
            s = s.substring(0, s.length() - nl.length());
        }
        int trailing = 0;
        for (int i = text == null ? -1 : text.length() - 1; i >= 0 && text.charAt(i) == ' '; i--) {
            trailing++;
        }
        return s + " ".repeat(trailing);
    }

    @Override
    public String customSynopsis(Object... params) {
        return join(commandSpec().usageMessage().customSynopsis(), params);
    }

    /** As picocli's: the command name after the heading, the options and parameters wrapped under the first. */
    @Override
    protected String insertSynopsisCommandName(int synopsisHeadingLength, Ansi.Text details) {
        if (synopsisHeadingLength < 0) {
            throw new IllegalArgumentException("synopsisHeadingLength must be a positive number but was "
                    + synopsisHeadingLength);
        }
        UsageMessageSpec usage = commandSpec().usageMessage();
        String name = commandSpec().qualifiedName();
        int indent = synopsisHeadingLength + name.length() + 1;
        if (indent > usage.synopsisAutoIndentThreshold() * width()) {
            indent = usage.synopsisIndent() < 0 ? synopsisHeadingLength : usage.synopsisIndent();
            indent = Math.min(indent, (int) (MAX_SYNOPSIS_INDENT * width()));
        }
        SpaceWrappingTable t = table(colorScheme(), new Column(width(), 0, Column.Overflow.WRAP));
        t.indentWrappedLines = indent;
        Ansi.Text padding = Ansi.OFF.new Text("X".repeat(synopsisHeadingLength), colorScheme());
        t.addRowValues(padding.concat(colorScheme().commandText(name)).concat(details));
        return t.toString().substring(synopsisHeadingLength);
    }

    @Override
    public String description(Object... params) {
        return join(commandSpec().usageMessage().description(), params);
    }

    @Override
    public TextTable createTextTable(Map<?, ?> map) {
        if (map == null || map.isEmpty()) {
            return super.createTextTable(map);
        }
        int keyLength = Math.min(width() - 4, map.keySet().stream().mapToInt(k -> String.valueOf(k).length())
                .max().orElse(0));
        SpaceWrappingTable t = table(colorScheme(), new Column(keyLength + 3, 2, Column.Overflow.SPAN),
                new Column(width() - (keyLength + 3), 2, Column.Overflow.WRAP));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            t.addRowValues(format(String.valueOf(e.getKey())), format(String.valueOf(e.getValue())));
        }
        return t;
    }

    @Override
    public String commandList(Map<String, Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        int commandLength = Math.min(subcommands.keySet().stream().mapToInt(String::length).max().orElse(0),
                width() / 2);
        SpaceWrappingTable t = table(colorScheme(), new Column(commandLength + 2, 2, Column.Overflow.SPAN),
                new Column(width() - (commandLength + 2), 2, Column.Overflow.WRAP));
        for (Help help : subcommands.values()) {
            UsageMessageSpec usage = help.commandSpec().usageMessage();
            String first = usage.header().length > 0 ? usage.header()[0]
                    : usage.description().length > 0 ? usage.description()[0] : "";
            Ansi.Text[] lines = colorScheme().text(format(first)).splitLines();
            for (int i = 0; i < lines.length; i++) {
                t.addRowValues(i == 0 ? help.commandNamesText(", ") : Ansi.OFF.new Text(0), lines[i]);
            }
        }
        return t.toString();
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
            ColorScheme scheme) {
        TextTable columns = TextTable.forDefaultColumns(scheme,
                calcLongOptionColumnWidth(options, positionals, scheme), width());
        return new Layout(scheme, table(scheme, columns.columns()), createDefaultOptionRenderer(),
                createDefaultParameterRenderer());
    }

    @Override
    public String footer(Object... params) {
        return join(commandSpec().usageMessage().footer(), params);
    }

    /**
     * A {@link Help.TextTable} that breaks a value too long for its column only after a run of white space. A word
     * longer than a whole line of the last column has a line of its own, which runs past the table's width (in a
     * column that is not the last, it would push the next columns out of line: it is cut where the line ends, as
     * picocli does). Each line is handed to picocli's own layout whole, so that picocli never has to break it:
     * columns, indents and styles are picocli's.
     */
    static final class SpaceWrappingTable extends TextTable {
        private final ColorScheme scheme;

        /**
         * @param scheme the colours
         * @param columns the columns, as picocli's tables have them
         */
        SpaceWrappingTable(ColorScheme scheme, Column[] columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        @Override
        public Cell putValue(int row, int col, Ansi.Text value) {
            Column[] columns = columns();
            Column column = columns[col];
            if (value == null || column.overflow == Column.Overflow.TRUNCATE) {
                return super.putValue(row, col, value);
            }
            int room = column.width;
            if (column.overflow == Column.Overflow.SPAN) { // runs on into the columns to its right
                for (int c = col + 1; c < columns.length; c++) {
                    room += columns[c].width;
                }
            }
            int first = room - column.indent;
            int next = first - indentWrappedLines;
            String plain = value.plainString();
            if (width(value, 0, plain.length()) <= first || next <= 0) {
                return super.putValue(row, col, value); // fits (or no room for wrapped lines: picocli's way)
            }
            boolean last = col == columns.length - 1;
            Cell cell = null;
            int at = 0;
            for (int r = row; at < plain.length(); r++) {
                int end = lineEnd(value, plain, at, r == row ? first : next, last);
                Ansi.Text line = value.substring(at, end);
                if (r > row) {
                    addEmptyRow();
                    line = scheme.ansi().new Text(" ".repeat(indentWrappedLines), scheme).concat(line);
                }
                String shown = line.plainString();
                if (column.indent + width(line, 0, shown.length()) > room) { // a word alone, longer than the line
                    int kept = shown.stripTrailing().length(); // the white space after it is where the line breaks
                    line = line.substring(0, kept);
                    int length = column.indent + width(line, 0, kept);
                    if (last && length > column.width) { // its cell runs past the width
                        columnValues.set(r * columns.length + col, scheme.ansi().new Text(length, scheme));
                    }
                }
                cell = super.putValue(r, col, line);
                at = end;
            }
            return cell;
        }

        /** As picocli's, but a cell that runs past its column's width (a word longer than the line) is not padded. */
        @Override
        public StringBuilder toString(StringBuilder text) {
            Column[] columns = columns();
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < columnValues.size(); i++) {
                Ansi.Text cell = columnValues.get(i);
                row.append(cell).append(" ".repeat(Math.max(0, columns[i % columns.length].width
                        - cell.plainString().length())));
                if (i % columns.length == columns.length - 1) {
                    int end = row.length();
                    while (end > 0 && row.charAt(end - 1) == ' ') {
                        end--;
                    }
                    text.append(row, 0, end).append(System.lineSeparator());
                    row.setLength(0);
                }
            }
            return text;
        }

        /**
         * @param whole whether a word longer than {@code room} stays whole (the last column's) or is cut
         * @return where the line that starts at {@code from} ends: after the last run of white space that still
         *     fits in {@code room} columns with the word before it, or, when not even the first word fits, after
         *     it and its white space ({@code whole}) or after as many of its characters as fit (at least one)
         */
        private int lineEnd(Ansi.Text value, String plain, int from, int room, boolean whole) {
            int end = from;
            int i = from;
            while (i < plain.length()) {
                int next = i;
                while (next < plain.length() && !Character.isWhitespace(plain.charAt(next))) {
                    next++;
                }
                while (next < plain.length() && Character.isWhitespace(plain.charAt(next))) {
                    next++;
                }
                if (width(value, from, next) > room) { // the word with the spaces after it, as picocli measures
                    break;
                }
                end = next;
                i = next;
            }
            if (end == from && whole) {
                while (end < plain.length() && !Character.isWhitespace(plain.charAt(end))) {
                    end++;
                }
                while (end < plain.length() && Character.isWhitespace(plain.charAt(end))) {
                    end++;
                }
            } else if (end == from) {
                end = from + 1;
                while (end < plain.length() && width(value, from, end + 1) <= room) {
                    end++;
                }
            }
            return end;
        }

        /** @return the columns {@code value}'s characters {@code from} to {@code to} take (wide CJK ones 2) */
        private int width(Ansi.Text value, int from, int to) {
            return isAdjustLineBreaksForWideCJKCharacters() ? value.substring(from, to).getCJKAdjustedLength()
                    : to - from;
        }
    }
}
