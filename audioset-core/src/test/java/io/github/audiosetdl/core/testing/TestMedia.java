package io.github.audiosetdl.core.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Media files made by ffmpeg for download tests: a stereo tone whose two channels carry the same
 * sine at a known amplitude (so a channel average keeps the amplitude, while ffmpeg's {@code -ac 1}
 * would raise it by 1.41), encoded as AAC ({@code .m4a}), Opus ({@code .webm}) or MP3.
 */
public final class TestMedia {
    /** The amplitude of the tone in each channel, full scale = 1. */
    public static final double AMPLITUDE = 0.5;

    private TestMedia() {
    }

    /** The codecs tests use, with the file extension of each. */
    public enum Codec {
        /** AAC in MP4, as YouTube's format 140. */
        AAC("m4a", "aac"),
        /** Opus in WebM, as YouTube's format 251. */
        OPUS("webm", "libopus"),
        /** MP3. */
        MP3("mp3", "libmp3lame");

        private final String extension;
        private final String encoder;

        Codec(String extension, String encoder) {
            this.extension = extension;
            this.encoder = encoder;
        }

        /** @return the file extension, without the dot */
        public String extension() {
            return extension;
        }
    }

    /**
     * Encodes a stereo 440 Hz tone.
     *
     * @param dir the folder
     * @param codec the codec
     * @param sampleRate the source rate in Hz (Opus is always 48 kHz inside)
     * @param seconds the length
     * @return the file, named {@code tone_<rate>_<seconds>.<ext>}
     * @throws IOException if ffmpeg cannot run
     * @throws InterruptedException if interrupted
     */
    public static Path tone(Path dir, Codec codec, int sampleRate, double seconds)
            throws IOException, InterruptedException {
        return encode(dir, "tone", String.format(Locale.ROOT, "%.3f*sin(2*PI*440*t)", AMPLITUDE), codec, sampleRate,
                seconds);
    }

    /**
     * Encodes a stereo 440 Hz tone with white noise 12 dB below it: the encoders spend their whole bitrate on it,
     * so its size is the same whichever ffmpeg encodes it (a pure 10-minute tone in AAC is 6.5 MB from the
     * bundled static build and 9.7 MB from Debian's; this is 9.7 MB from both, and 7.6 MB in Opus).
     *
     * @param dir the folder
     * @param codec the codec
     * @param sampleRate the source rate in Hz (Opus is always 48 kHz inside)
     * @param seconds the length
     * @return the file, named {@code busy_<rate>_<seconds>.<ext>}
     * @throws IOException if ffmpeg cannot run
     * @throws InterruptedException if interrupted
     */
    public static Path busy(Path dir, Codec codec, int sampleRate, double seconds)
            throws IOException, InterruptedException {
        return encode(dir, "busy", String.format(Locale.ROOT, "%.3f*sin(2*PI*440*t)+%.3f*(2*random(0)-1)",
                AMPLITUDE * 0.8, AMPLITUDE * 0.2), codec, sampleRate, seconds);
    }

    /** Encodes {@code expr} (an aevalsrc expression of t) on both channels at 128 kbit/s. */
    private static Path encode(Path dir, String kind, String expr, Codec codec, int sampleRate, double seconds)
            throws IOException, InterruptedException {
        Path out = dir.resolve(String.format(Locale.ROOT, "%s_%d_%s.%s", kind, sampleRate,
                Double.toString(seconds).replace('.', '_'), codec.extension()));
        List<String> cmd = new ArrayList<>(List.of(ExternalTools.requireFfmpeg().toString(), "-v", "error", "-y",
                "-f", "lavfi", "-i", String.format(Locale.ROOT, "aevalsrc=%s|%s:s=%d:d=%s", expr, expr, sampleRate,
                        seconds), "-c:a", codec.encoder, "-b:a", "128k"));
        if (codec == Codec.AAC) {
            cmd.addAll(List.of("-movflags", "+faststart"));
        }
        cmd.add(out.toString());
        ExternalTools.check(cmd);
        return out;
    }
}
