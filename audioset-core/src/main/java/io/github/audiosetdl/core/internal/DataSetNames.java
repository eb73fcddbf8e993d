package io.github.audiosetdl.core.internal;

import static java.util.Objects.requireNonNull;

/** The rule for data-set names, which become parts of file names; not API. */
public final class DataSetNames {
    private DataSetNames() {
    }

    /**
     * Not blank, no path separator, no control character, not {@code .} or {@code ..}. Spaces and other characters
     * a file name may hold are allowed (a CSV's own name is the default).
     *
     * @param name a data-set name
     * @return {@code name}
     * @throws IllegalArgumentException if it breaks the rule (the message shows it)
     */
    public static String check(String name) {
        requireNonNull(name, "name");
        boolean control = name.chars().anyMatch(c -> c < 0x20 || c == 0x7F);
        if (name.isBlank() || name.contains("/") || name.contains("\\") || control || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("data set name '" + name + "' must be a non-blank file name without"
                    + " '/', '\\' or control characters");
        }
        return name;
    }
}
