package io.github.audiosetdl.examples;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.core.audio.AudioClip;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.examples.render.CochleagramRenderer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Example: the library's DSP without the pipeline: one WAV file (any rate, channels and sample format)
 * prepared as the seed did (10 s, 16 kHz mono, peak-normalised) and turned into a cochleagram PNG.
 *
 * <pre>
 * java -cp audioset-cli.jar io.github.audiosetdl.examples.CochleagramOfWav YT_abc.wav coch.png
 * </pre>
 */
public final class CochleagramOfWav {
    private CochleagramOfWav() {
    }

    /**
     * The cochleagram of one clip.
     *
     * @param values the {@code (channels, frames)} matrix flattened row-major
     * @param channels the number of channels (171 by default)
     * @param frames the number of frames (2000 by default)
     * @param norm the peak the clip was divided by (full-scale units)
     * @param padded whether the clip was shorter than 10 s
     */
    public record Result(float[] values, int channels, int frames, double norm, boolean padded) {
    }

    /**
     * Runs the example.
     *
     * @param wav a WAV file
     * @param png where to draw the cochleagram
     * @return the cochleagram
     * @throws IOException if the WAV cannot be read or prepared (e.g. NaN samples; the message names it) or the
     *     PNG written
     */
    public static Result run(Path wav, Path png) throws IOException {
        AudioClip clip = WavReader.read(wav);
        PreparedAudio audio;
        try {
            audio = SeedPreparation.DEFAULT.prepare(clip);
        } catch (IllegalArgumentException e) { // e.g. a float WAV with NaN samples
            throw new IOException(wav + ": " + e.getMessage(), e);
        }
        Cochleagram cochleagram = Cochleagram.of(CochleagramConfig.seed());
        float[] values = cochleagram.compute(audio.samples());
        CochleagramRenderer.writePng(CochleagramRenderer.standard().render(values, cochleagram.channels(),
                cochleagram.frames(), cochleagram.centerFrequencies(), cochleagram.config().envSampleRate(),
                wav.getFileName().toString()), png);
        return new Result(values, cochleagram.channels(), cochleagram.frames(), audio.norm(), audio.padded());
    }

    /**
     * @param args {@code <clip.wav> <out.png>}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CochleagramOfWav <clip.wav> <out.png>");
            System.exit(2);
        }
        Result r = run(Path.of(args[0]), Path.of(args[1]));
        System.out.printf("%d x %d cochleagram (norm %.4f%s) drawn in %s%n", r.channels(), r.frames(), r.norm(),
                r.padded() ? ", zero-padded to 10 s" : "", args[1]);
    }
}
