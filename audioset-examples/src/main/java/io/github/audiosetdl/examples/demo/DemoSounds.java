package io.github.audiosetdl.examples.demo;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.examples.tools.BoundedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Synthesised stand-ins for the demo's YouTube videos: one recipe per sound class, rendered by
 * ffmpeg's {@code aevalsrc}/{@code anoisesrc} sources into AAC ({@code .m4a}) or Opus
 * ({@code .webm}) files as YouTube serves them. Each file runs from 0 s to a little after the
 * segment's end, so the downloader has to seek into it.
 */
final class DemoSounds {
    /** The sound classes the demo synthesises, by the MID that selects them. */
    enum Kind {
        SPEECH("/m/09x0r", "m4a"), MUSIC("/m/04rlf", "m4a"), DOG("/m/0bt9lr", "m4a"), BIRD("/m/015p6", "webm"),
        CAR("/m/0k4j", "m4a"), RAIN("/m/06mb1", "webm"), SIREN("/m/03kmc9", "webm"), BELL("/m/0395lw", "m4a");

        final String mid;
        final String extension;

        Kind(String mid, String extension) {
            this.mid = mid;
            this.extension = extension;
        }

        /** The kind for a segment: the first of its labels with a recipe (Bell before Music). */
        static Kind of(Segment segment) {
            for (Kind k : new Kind[] {BELL, SIREN, DOG, BIRD, CAR, RAIN, MUSIC, SPEECH}) {
                if (segment.labelIds().contains(k.mid)) {
                    return k;
                }
            }
            return MUSIC;
        }
    }

    /** The end of a file's temporary name while ffmpeg writes it. */
    static final String PART = ".part";

    private DemoSounds() {
    }

    /**
     * Renders a media file of {@code seconds} for a segment into {@code file} (written under a temporary
     * name holding this process's tag, then renamed; the temporary files of {@code file} that killed demos left
     * are removed first).
     *
     * @param ffmpeg the ffmpeg executable
     * @param segment the segment (its kind and a per-id variation)
     * @param seconds the media's duration
     * @param file the target ({@code .m4a} or {@code .webm})
     * @throws IOException if ffmpeg fails
     */
    static void render(Path ffmpeg, Segment segment, double seconds, Path file) throws IOException {
        requireNonNull(ffmpeg, "ffmpeg");
        Kind kind = Kind.of(segment);
        double v = 0.8 + (Math.floorMod(segment.ytid().hashCode(), 40)) / 100.0; // 0.8 .. 1.2 per id
        String d = String.format(Locale.ROOT, "%.3f", seconds);
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i"));
        String filter = null;
        switch (kind) {
            case SPEECH -> {
                StringBuilder e = new StringBuilder("(0.4+0.6*abs(sin(2*PI*" + f(2.1 * v) + "*t)))*(");
                double f0 = 110 * v;
                for (int k = 1; k <= 10; k++) {
                    double formant = Math.exp(-Math.pow((k * f0 - 700) / 500, 2)) + 0.5 * Math.exp(
                            -Math.pow((k * f0 - 1200) / 400, 2));
                    // 3% vibrato at 0.7 Hz: phase 2*PI*k*f0*t + beta*sin(2*PI*0.7*t), beta = 0.03*k*f0/0.7
                    e.append(k > 1 ? "+" : "").append(f(0.08 + 0.5 * formant)).append("*sin(2*PI*").append(f(k * f0))
                            .append("*t+").append(f(0.03 * k * f0 / 0.7)).append("*sin(2*PI*0.7*t))");
                }
                cmd.add(aeval(e.append(")*0.25").toString(), 44_100, d));
            }
            case MUSIC -> {
                String chord = "sin(2*PI*" + f(261.6 * v) + "*t)+0.8*sin(2*PI*" + f(329.6 * v) + "*t)+0.7*sin(2*PI*"
                        + f(392.0 * v) + "*t)+0.6*sin(2*PI*" + f(130.8 * v) + "*t)";
                cmd.add(aeval("0.18*(" + chord + ")*(0.55+0.45*exp(-6*mod(t,0.5)))", 44_100, d));
            }
            case DOG -> {
                cmd.add(aeval("lt(mod(t," + f(0.6 * v) + "),0.16)*(2*random(0)-1)*0.9", 44_100, d));
                filter = "bandpass=f=" + f(900 * v) + ":width_type=h:w=700,volume=2";
            }
            case BIRD -> cmd.add(aeval("lt(mod(t,0.45),0.18)*0.5*sin(2*PI*(" + f(2600 * v) + "+6000*mod(t,0.45))"
                    + "*mod(t,0.45))", 48_000, d));
            case CAR -> {
                cmd.add(aeval("0.35*sin(2*PI*" + f(42 * v) + "*t*(1+0.05*sin(2*PI*0.3*t)))+0.2*sin(2*PI*"
                        + f(84 * v) + "*t)+0.25*(2*random(0)-1)", 44_100, d));
                filter = "lowpass=f=600";
            }
            case RAIN -> cmd.add("anoisesrc=color=pink:amplitude=" + f(0.25 * v) + ":sample_rate=48000:duration=" + d
                    + ":seed=" + Math.floorMod(segment.ytid().hashCode(), 100_000));
            case SIREN -> cmd.add(aeval("0.5*sin(2*PI*(" + f(900 * v) + "*t-" + f(300 * v / (2 * Math.PI * 0.5))
                    + "*cos(2*PI*0.5*t)))", 48_000, d));
            case BELL -> cmd.add(aeval("0.3*exp(-3*mod(t,1.5))*(sin(2*PI*" + f(523 * v) + "*t)+0.6*sin(2*PI*"
                    + f(1317 * v) + "*t)+0.4*sin(2*PI*" + f(2200 * v) + "*t))", 44_100, d));
            default -> throw new IllegalStateException("no recipe for " + kind);
        }
        if (filter != null) {
            cmd.addAll(List.of("-af", filter));
        }
        if (kind.extension.equals("webm")) {
            cmd.addAll(List.of("-ac", "2", "-c:a", "libopus", "-b:a", "96k", "-f", "webm"));
        } else {
            cmd.addAll(List.of("-ac", "2", "-c:a", "aac", "-b:a", "128k", "-f", "mp4"));
        }
        // a fresh temporary name (CREATE_NEW, never through a planted link) that ffmpeg overwrites (-y), tagged with
        // this process so that the next demo removes what a killed one left (SIGKILL runs no shutdown hook)
        Path folder = file.toAbsolutePath().getParent();
        String prefix = "." + file.getFileName() + ".";
        ProcessTag.removeGone(folder, prefix, PART);
        Path tmp = Files.createTempFile(folder, prefix + ProcessTag.current() + ".", PART);
        try {
            cmd.add("file:" + tmp.toAbsolutePath());
            run(cmd, file);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String aeval(String expr, int rate, String seconds) {
        return "aevalsrc=exprs='" + expr + "':s=" + rate + ":d=" + seconds + ":c=stereo";
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /** Runs ffmpeg with a 120 s limit ({@link BoundedProcess}: its output cannot hold the limit up). */
    private static void run(List<String> cmd, Path file) throws IOException {
        BoundedProcess.Result r;
        try {
            r = BoundedProcess.run(cmd, Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while synthesising " + file, e);
        }
        if (r.exit().isEmpty()) {
            throw new IOException("ffmpeg took over 120 s to synthesise " + file);
        }
        if (r.exit().getAsInt() != 0) {
            throw new IOException("ffmpeg failed (exit " + r.exit().getAsInt() + ") synthesising " + file + ": "
                    + r.output().strip());
        }
    }
}
