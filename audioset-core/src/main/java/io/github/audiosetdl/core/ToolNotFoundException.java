package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

/**
 * An external program the library needs (ffmpeg, yt-dlp) was neither given, nor on {@code PATH}, nor
 * provided by a bundled copy. The message says where it was looked for and ends with "install it or give
 * its path"; {@link #tool()} lets a caller add how its users give the path (a command line names its option).
 */
public class ToolNotFoundException extends AudioSetException {
    private static final long serialVersionUID = 1L;

    /** The program's name. */
    private final String tool;

    /**
     * @param tool the program's name, e.g. {@code ffmpeg}
     * @param message where it was looked for
     */
    public ToolNotFoundException(String tool, String message) {
        super(message);
        this.tool = requireNonNull(tool, "tool");
    }

    /** @return the program's name, e.g. {@code ffmpeg} */
    public String tool() {
        return tool;
    }
}
