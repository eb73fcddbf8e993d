package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

/** One attempt at a clip failed, with its class; a checked exception the retry loop handles. */
final class ClipFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final FailureClass failureClass;

    /**
     * @param failureClass the class
     * @param message the tool's message, or what went wrong
     */
    public ClipFailure(FailureClass failureClass, String message) {
        super(message);
        this.failureClass = requireNonNull(failureClass, "failureClass");
    }

    /**
     * @param failureClass the class
     * @param message what went wrong
     * @param cause the cause
     */
    public ClipFailure(FailureClass failureClass, String message, Throwable cause) {
        super(message, cause);
        this.failureClass = requireNonNull(failureClass, "failureClass");
    }

    /** @return the class */
    public FailureClass failureClass() {
        return failureClass;
    }
}
