package io.github.audiosetdl.core.download;

/** What happened to one segment. */
public enum ClipStatus {
    /** The full section was written. */
    DOWNLOADED,
    /** The video ends inside the section: the part that exists was written and the clip marked short. */
    SHORT,
    /** {@code YT_<id>.wav} was already in one of the job folders; nothing was fetched. */
    SKIPPED_EXISTING,
    /** A dry run: the clip would have been fetched. */
    PENDING,
    /** No clip was written; see the failure class. */
    FAILED;

    /** @return the lower-case name written to the logs, e.g. {@code skipped-existing} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
