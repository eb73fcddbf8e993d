package io.github.audiosetdl.core.progress;

import java.util.Locale;

/** The stages of the pipeline, in order. */
public enum Stage {
    /** Segments CSV to {@code YT_<id>.wav} files. */
    DOWNLOAD,
    /** A downloads folder to one waveform file. */
    PACK,
    /** A waveform file to a feature (cochleagram) file. */
    FEATURES;

    /** @return the lower-case name used in logs and on the command line */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
