package io.github.audiosetdl.core.audio;

import io.github.audiosetdl.core.AudioSetException;
import java.nio.file.Path;

/** A WAV file that cannot be decoded: not RIFF/WAVE, an unsupported encoding, or truncated data. */
public final class WavFormatException extends AudioSetException {
    private static final long serialVersionUID = 1L;

    /** The file, as text (a {@link Path} is not serializable). */
    private final String file;

    /**
     * @param file the file
     * @param problem what is wrong with it
     */
    public WavFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = String.valueOf(file);
    }

    /** @return the file, as a string */
    public String file() {
        return file;
    }
}
