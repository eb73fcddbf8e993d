package io.github.audiosetdl.core.internal;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** Errors that name the file they are about, whatever the JDK or a parser said. */
public final class FileErrors {
    private FileErrors() {
    }

    /**
     * @param file the file being read
     * @param e what reading it threw: the JDK's and parsers' messages often do not name the file ("Is a
     *     directory", "Input length = 1")
     * @return {@code e} itself when it names {@code file} already, else an error that does, with {@code e} as its
     *     cause (a decoding error reads "not UTF-8 text (a binary file?)")
     */
    public static IOException naming(Path file, Throwable e) {
        String name = file.toString();
        if (e instanceof IOException io && (e instanceof FileSystemException f && f.getFile() != null
                || e.getMessage() != null && e.getMessage().startsWith(name))) {
            return io;
        }
        String why = e instanceof CharacterCodingException ? "not UTF-8 text (a binary file?)"
                : e.getMessage() == null ? e.toString() : e.getMessage();
        return new IOException(name + ": " + why, e);
    }
}
