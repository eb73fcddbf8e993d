package io.github.audiosetdl.core;

/** An ontology file that cannot be read, or a lookup of a class the ontology does not have. */
public final class OntologyException extends AudioSetException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the file or the value */
    public OntologyException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or the value
     * @param cause the underlying failure
     */
    public OntologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
