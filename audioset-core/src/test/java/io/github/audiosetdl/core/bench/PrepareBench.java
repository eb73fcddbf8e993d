package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One worker's cost of the seed's preparation of one clip, file to prepared row, against the seed's own
 * steps in scipy ({@code src/test/python/prepare_bench.py}) on the same files in the same run: 10-s clips in
 * the formats downloads come in (16-bit stereo at 44.1 and 48 kHz, 16-bit mono at 16 kHz) and a 12-s
 * 22.05 kHz float32 one. Single thread on both sides; warm-up, then the best and the median.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am test-compile -Pquick
 * mvn -B -ntp -q -pl audioset-core exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-Xmx256m -cp %classpath io.github.audiosetdl.core.bench.PrepareBench"
 * </pre>
 *
 * Arguments: {@code [repeats]} (default 40); {@code AUDIOSET_PYTHON} overrides {@code /usr/bin/python3}.
 */
public final class PrepareBench {
    private PrepareBench() {
    }

    /**
     * @param args {@code [repeats]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path dir = Files.createTempDirectory("prepare-bench");
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("44.1 kHz stereo int16, 10 s", clip(dir, "a44k.wav", 44_100, 2, 10.0, WavEncoding.PCM_16));
        inputs.put("48 kHz stereo int16, 10 s", clip(dir, "b48k.wav", 48_000, 2, 10.0, WavEncoding.PCM_16));
        inputs.put("16 kHz mono int16, 10 s", clip(dir, "c16k.wav", 16_000, 1, 10.0, WavEncoding.PCM_16));
        inputs.put("22.05 kHz stereo float32, 12 s", clip(dir, "d22k.wav", 22_050, 2, 12.0,
                WavEncoding.FLOAT_32));

        Map<Path, double[]> java = new LinkedHashMap<>();
        float[] into = new float[SeedPreparation.DEFAULT.clipSamples()];
        for (Path wav : inputs.values()) {
            for (int i = 0; i < 3 * repeats; i++) { // warm-up: JIT and page cache
                SeedPreparation.DEFAULT.prepare(wav, into);
            }
            double[] t = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                SeedPreparation.DEFAULT.prepare(wav, into);
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(t);
            java.put(wav, new double[] {t[0], t[repeats / 2]});
        }
        Map<Path, double[]> python = python(repeats, inputs.values());

        System.out.printf("| input | Java best / median (ms) | scipy best / median (ms) | Java / scipy speed |%n");
        System.out.printf("|---|---|---|---|%n");
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            double[] j = java.get(e.getValue());
            double[] p = python.get(e.getValue());
            System.out.printf("| %s | %.2f / %.2f | %.2f / %.2f | %.2fx |%n", e.getKey(), j[0], j[1], p[0], p[1],
                    p[1] / j[1]);
        }
        for (Path wav : inputs.values()) {
            Files.delete(wav);
        }
        Files.delete(dir);
    }

    private static Path clip(Path dir, String name, int rate, int channels, double seconds, WavEncoding encoding)
            throws IOException {
        Random random = new Random(2017 + rate);
        int frames = (int) Math.round(rate * seconds);
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            double w = 2 * Math.PI * (220 + 110 * c) / rate;
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (0.5 * Math.sin(w * i) + 0.1 * (random.nextFloat() - 0.5));
            }
        }
        Path file = dir.resolve(name);
        WavWriter.write(file, rate, x, encoding);
        return file;
    }

    private static Map<Path, double[]> python(int repeats, Iterable<Path> files) throws Exception {
        String python = System.getenv().getOrDefault("AUDIOSET_PYTHON", "/usr/bin/python3");
        Path script = Path.of("src/test/python/prepare_bench.py");
        if (!Files.isRegularFile(script)) {
            script = Path.of("audioset-core").resolve(script);
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), Integer.toString(repeats)));
        files.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("prepare_bench.py failed: " + text);
        }
        Map<Path, double[]> result = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\S+) best_ms=([0-9.]+) median_ms=([0-9.]+)").matcher(text);
        while (m.find()) {
            result.put(Path.of(m.group(1)), new double[] {Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3))});
        }
        for (Path f : files) {
            if (!result.containsKey(f)) {
                throw new IOException("prepare_bench.py printed nothing for " + f + ": " + text);
            }
        }
        return result;
    }
}
