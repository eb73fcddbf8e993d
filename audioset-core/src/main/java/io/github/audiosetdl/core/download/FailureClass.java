package io.github.audiosetdl.core.download;

/** Why a clip could not be downloaded, as far as retrying is concerned. */
public enum FailureClass {
    /** Retrying will not help: unavailable, private, removed, 403/404/410, not media, starts past the end. */
    PERMANENT,
    /** Worth retrying: timeouts, resets, refused connections, 5xx, a short transfer. */
    TRANSIENT,
    /** The server asked us to slow down (429, "confirm you're not a bot"): every worker pauses, then retries. */
    RATE_LIMITED;

    /** @return the lower-case name written to the logs, e.g. {@code rate-limited} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** @return whether a later run may still succeed (transient or rate-limited) */
    public boolean retryable() {
        return this != PERMANENT;
    }
}
