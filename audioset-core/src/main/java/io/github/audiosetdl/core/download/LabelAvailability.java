package io.github.audiosetdl.core.download;

/**
 * How many of a label's selected segments are on disk after a run.
 *
 * @param selected segments of this job carrying the label
 * @param available of those, clips on disk (downloaded, short or already there)
 */
public record LabelAvailability(long selected, long available) {
    /**
     * Validates.
     *
     * @param selected segments carrying the label, {@code >= 0}
     * @param available of those, clips on disk, {@code 0..selected}
     */
    public LabelAvailability {
        if (selected < 0 || available < 0 || available > selected) {
            throw new IllegalArgumentException("inconsistent label counts: selected=" + selected + ", available="
                    + available);
        }
    }

    /** @return {@code available / selected}, 0 when nothing was selected */
    public double fraction() {
        return selected == 0 ? 0 : (double) available / selected;
    }
}
