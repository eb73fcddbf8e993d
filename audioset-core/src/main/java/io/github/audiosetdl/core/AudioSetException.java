package io.github.audiosetdl.core;

/**
 * Base class of this library's unchecked domain errors: malformed input files, unknown labels,
 * inconsistent configuration found while running. I/O failures stay {@link java.io.IOException}s.
 */
public class AudioSetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file and value where there is one
     */
    public AudioSetException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file and value where there is one
     * @param cause the underlying failure
     */
    public AudioSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
