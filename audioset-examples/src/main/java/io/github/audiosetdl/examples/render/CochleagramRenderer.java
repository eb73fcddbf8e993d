package io.github.audiosetdl.examples.render;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.hdf5.ClipMetadata;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import javax.imageio.ImageIO;

/**
 * Draws a cochleagram as an image: time in seconds across, frequency on a logarithmic axis with Hz
 * ticks upwards, values through the viridis colour scale with a colour bar.
 *
 * <p>Each pixel row shows the channel whose centre frequency is nearest (on the log axis) to the
 * row's frequency; each pixel column averages the frames it covers. Immutable and thread-safe.
 */
public final class CochleagramRenderer {
    /** Samples of matplotlib's viridis colour map at 0, 0.1, ..., 1 (the map is CC0). */
    private static final int[] VIRIDIS = {0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884,
        0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725};
    private static final double[] FREQUENCY_TICKS = {20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000};
    private static final int LEFT = 78;
    private static final int RIGHT = 96;
    private static final int TOP = 38;
    private static final int BOTTOM = 52;

    private final int plotWidth;
    private final int plotHeight;
    private final double lowestHz;

    private CochleagramRenderer(int plotWidth, int plotHeight, double lowestHz) {
        this.plotWidth = plotWidth;
        this.plotHeight = plotHeight;
        this.lowestHz = lowestHz;
    }

    /** @return a renderer with a 1000 × 360 pixel plot whose frequency axis starts at 20 Hz */
    public static CochleagramRenderer standard() {
        return new CochleagramRenderer(1000, 360, 20);
    }

    /**
     * @param plotWidth width of the plot area in pixels, {@code >= 50}
     * @param plotHeight height of the plot area in pixels, {@code >= 50}
     * @param lowestHz the bottom of the frequency axis, in Hz, {@code > 0}
     * @return a renderer
     */
    public static CochleagramRenderer of(int plotWidth, int plotHeight, double lowestHz) {
        if (plotWidth < 50 || plotHeight < 50) {
            throw new IllegalArgumentException("plot size " + plotWidth + " x " + plotHeight + " is below 50 x 50");
        }
        if (!(lowestHz > 0)) {
            throw new IllegalArgumentException("lowestHz " + lowestHz + " must be > 0");
        }
        return new CochleagramRenderer(plotWidth, plotHeight, lowestHz);
    }

    /**
     * Renders one cochleagram.
     *
     * @param values the {@code (channels, frames)} matrix flattened row-major, channel 0 lowest
     * @param channels the number of channels
     * @param frames the number of frames
     * @param centerFrequenciesHz each channel's centre frequency in Hz, ascending ({@code channels} values)
     * @param frameRateHz envelope frames per second (e.g. 200)
     * @param title a line drawn above the plot (may be empty)
     * @return the image (RGB)
     */
    public BufferedImage render(float[] values, int channels, int frames, double[] centerFrequenciesHz,
            double frameRateHz, String title) {
        requireNonNull(values, "values");
        requireNonNull(centerFrequenciesHz, "centerFrequenciesHz");
        requireNonNull(title, "title");
        if (channels < 1 || frames < 1 || values.length != (long) channels * frames) {
            throw new IllegalArgumentException("values has " + values.length + " entries, expected channels "
                    + channels + " x frames " + frames);
        }
        if (centerFrequenciesHz.length != channels) {
            throw new IllegalArgumentException(centerFrequenciesHz.length + " centre frequencies for " + channels
                    + " channels");
        }
        if (!(frameRateHz > 0)) {
            throw new IllegalArgumentException("frameRateHz " + frameRateHz + " must be > 0");
        }
        double[] logCf = new double[channels];
        for (int c = 0; c < channels; c++) {
            logCf[c] = Math.log(Math.max(centerFrequenciesHz[c], 1e-3));
            if (c > 0 && logCf[c] < logCf[c - 1]) {
                throw new IllegalArgumentException("centre frequencies must ascend: channel " + c + " has "
                        + centerFrequenciesHz[c] + " Hz after " + centerFrequenciesHz[c - 1] + " Hz");
            }
        }
        double logLo = Math.log(Math.max(lowestHz, centerFrequenciesHz[0]));
        double logHi = Math.max(logCf[channels - 1], logLo + 1e-6);

        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (!(min <= max)) {
            min = 0;
            max = 1;
        }
        float span = max > min ? max - min : 1;

        int width = LEFT + plotWidth + RIGHT;
        int height = TOP + plotHeight + BOTTOM;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            // Plot: one channel per pixel row, averaged frames per pixel column.
            int[] channelOfRow = new int[plotHeight];
            for (int y = 0; y < plotHeight; y++) {
                double logF = logLo + (1 - (y + 0.5) / plotHeight) * (logHi - logLo);
                channelOfRow[y] = nearest(logCf, logF);
            }
            double[] column = new double[channels];
            for (int x = 0; x < plotWidth; x++) {
                int f0 = (int) ((long) x * frames / plotWidth);
                int f1 = Math.max(f0 + 1, (int) ((long) (x + 1) * frames / plotWidth));
                Arrays.fill(column, 0);
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int f = f0; f < f1; f++) {
                        sum += values[c * frames + f];
                    }
                    column[c] = sum / (f1 - f0);
                }
                for (int y = 0; y < plotHeight; y++) {
                    image.setRGB(LEFT + x, TOP + y, viridis((column[channelOfRow[y]] - min) / span));
                }
            }
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(LEFT - 1, TOP - 1, plotWidth + 1, plotHeight + 1);
            // Frequency ticks.
            for (double hz : FREQUENCY_TICKS) {
                double logF = Math.log(hz);
                if (logF < logLo - 1e-9 || logF > logHi + 1e-9) {
                    continue;
                }
                int y = TOP + (int) Math.round((1 - (logF - logLo) / (logHi - logLo)) * plotHeight);
                g.drawLine(LEFT - 5, y, LEFT - 1, y);
                String label = hz >= 1000 ? String.format(Locale.ROOT, "%.0f kHz", hz / 1000)
                        : String.format(Locale.ROOT, "%.0f Hz", hz);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
            }
            // Time ticks: whole seconds, thinned to at most ~12 labels.
            double seconds = frames / frameRateHz;
            int step = Math.max(1, (int) Math.ceil(seconds / 12));
            for (int s = 0; s <= (int) Math.floor(seconds); s += step) {
                int x = LEFT + (int) Math.round(s / seconds * plotWidth);
                g.drawLine(x, TOP + plotHeight, x, TOP + plotHeight + 5);
                String label = s + " s";
                g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotHeight + 7 + fm.getAscent());
            }
            String xLabel = "time (s)";
            g.drawString(xLabel, LEFT + (plotWidth - fm.stringWidth(xLabel)) / 2, height - 10);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            String yLabel = "frequency (Hz, log scale)";
            rotated.drawString(yLabel, -(TOP + (plotHeight + fm.stringWidth(yLabel)) / 2), 14);
            rotated.dispose();
            // Colour bar.
            int barX = LEFT + plotWidth + 18;
            int barW = 14;
            for (int y = 0; y < plotHeight; y++) {
                g.setColor(new Color(viridis(1 - (y + 0.5) / plotHeight)));
                g.drawLine(barX, TOP + y, barX + barW, TOP + y);
            }
            g.setColor(Color.BLACK);
            g.drawRect(barX, TOP, barW, plotHeight - 1);
            for (int i = 0; i <= 4; i++) {
                int y = TOP + (int) Math.round((1 - i / 4.0) * (plotHeight - 1));
                g.drawLine(barX + barW, y, barX + barW + 4, y);
                g.drawString(String.format(Locale.ROOT, "%.3g", min + span * i / 4.0), barX + barW + 7,
                        y + fm.getAscent() / 2 - 1);
            }
            g.setFont(g.getFont().deriveFont(Font.BOLD, 13f));
            g.drawString(title, LEFT, TOP - 14);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Draws a clip's temporally-strong events over an image this renderer made: one lane per MID from the top of
     * the plot (as many as fit, 16 px each), each event a translucent box over its time span, labelled with the
     * MID's display name.
     *
     * @param image an image from {@link #render} of this renderer (drawn on in place)
     * @param events the events, times from the clip start in seconds
     * @param clipSeconds the time the plot's width spans, in seconds
     * @return {@code image}
     */
    public BufferedImage overlay(BufferedImage image, List<StrongEvent> events, double clipSeconds) {
        requireNonNull(image, "image");
        requireNonNull(events, "events");
        if (!(clipSeconds > 0)) {
            throw new IllegalArgumentException("clipSeconds " + clipSeconds + " must be > 0");
        }
        int lane = 16;
        List<String> lanes = new ArrayList<>();
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            FontMetrics fm = g.getFontMetrics();
            for (StrongEvent e : events) {
                int i = lanes.indexOf(e.mid());
                if (i < 0) {
                    if (lanes.size() >= plotHeight / lane) {
                        continue;
                    }
                    lanes.add(e.mid());
                    i = lanes.size() - 1;
                }
                int x0 = LEFT + (int) Math.round(Math.min(e.startSeconds(), clipSeconds) / clipSeconds * plotWidth);
                int x1 = LEFT + (int) Math.round(Math.min(e.endSeconds(), clipSeconds) / clipSeconds * plotWidth);
                int y = TOP + 2 + i * lane;
                g.setColor(new Color(255, 255, 255, 150));
                g.fillRect(x0, y, Math.max(2, x1 - x0), lane - 3);
                g.setColor(Color.WHITE);
                g.drawRect(x0, y, Math.max(2, x1 - x0), lane - 3);
                String name = AvailabilityReport.displayName(e.mid());
                g.setColor(Color.BLACK);
                g.drawString(name.isEmpty() ? e.mid() : name, x0 + 3, y + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Draws one row of a cochleagram file, or its average, on the standard renderer, with the centre
     * frequencies and envelope rate of the configuration its attributes record; the title names the
     * clip (id, times, labels) when the file has metadata.
     *
     * @param coch an open cochleagram file
     * @param row the row, {@code 0 <= row < coch.size()}, or empty for the file's average
     * @param png the target file (written under a temporary name, then renamed)
     * @throws IOException if reading or writing fails
     * @throws IllegalArgumentException if the attributes do not describe one of our cochleagrams
     */
    public static void writePng(CochleagramFileReader coch, OptionalLong row, Path png) throws IOException {
        writePng(coch, row, List.of(), png);
    }

    /**
     * As {@link #writePng(CochleagramFileReader, OptionalLong, Path)}, with the row's temporally-strong events
     * drawn over it ({@link #overlay}).
     *
     * @param coch an open cochleagram file
     * @param row the row, or empty for the file's average
     * @param events the row's events (times from the clip start, s); empty for none
     * @param png the target file
     * @throws IOException if reading or writing fails
     */
    public static void writePng(CochleagramFileReader coch, OptionalLong row, List<StrongEvent> events, Path png)
            throws IOException {
        requireNonNull(coch, "coch");
        requireNonNull(events, "events");
        requireNonNull(row, "row");
        CochleagramConfig config;
        try {
            config = CochleagramFeatures.configFrom(coch.attributes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(coch.path() + ": /coch attributes: " + e.getMessage(), e);
        }
        // checked before the filterbank is built: its size comes from the attributes
        if (config.channels() != coch.channels() || config.frames() != coch.frames()) {
            throw new IllegalArgumentException(coch.path() + ": /coch rows are " + coch.channels() + " x "
                    + coch.frames() + " but its attributes describe " + config.channels() + " x " + config.frames()
                    + " (" + config + ")");
        }
        double[] cfs = Cochleagram.of(config).centerFrequencies();
        String name = coch.path().getFileName().toString();
        float[] values;
        String title;
        if (row.isEmpty()) {
            values = coch.average();
            title = "average of " + coch.size() + " rows, " + name;
        } else {
            long r = row.getAsLong();
            values = new float[coch.channels() * coch.frames()];
            coch.read(r, values);
            title = "row " + r + " of " + name;
            if (coch.hasMetadata()) {
                ClipMetadata m = coch.metadata(r);
                title = String.format(Locale.ROOT, "%s  %.1f-%.1f s  %s  (row %d)", m.ytid(), m.startSeconds(),
                        m.endSeconds(), m.labels(), r);
            }
        }
        CochleagramRenderer renderer = standard();
        BufferedImage image = renderer.render(values, coch.channels(), coch.frames(), cfs, config.envSampleRate(),
                title);
        if (!events.isEmpty()) {
            renderer.overlay(image, events, (double) coch.frames() / config.envSampleRate());
        }
        writePng(image, png);
    }

    /**
     * Writes an image as PNG under a temporary name ({@code .<name>.<owner>.<random>.tmp}, the owner a
     * {@link ProcessTag}), then renames it. The temporary files of {@code png} that processes killed before their
     * rename left are removed first (never a live process's).
     *
     * @param image the image
     * @param png the target file
     * @throws IOException if writing fails
     */
    public static void writePng(BufferedImage image, Path png) throws IOException {
        requireNonNull(image, "image");
        Path target = requireNonNull(png, "png").toAbsolutePath();
        OutputFolder.createDirectories(target.getParent());
        String prefix = "." + target.getFileName() + ".";
        ProcessTag.removeGone(target.getParent(), prefix, ".tmp");
        // a fresh name created here (CREATE_NEW: never through a planted link), written through its own stream
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), prefix + ProcessTag.current() + ".", ".tmp");
        } catch (IOException e) { // the folder given, not the hidden name, is what the reader can act on
            throw OutputFolder.cannotWriteIn(png, prefix + ProcessTag.current() + ".<random>.tmp", e);
        }
        try {
            boolean written;
            try (var out = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                written = ImageIO.write(image, "png", out);
            }
            if (!written) {
                throw new IOException("no PNG writer available");
            }
            try { // owner-only while written, then readable as every other output (rw-r--r--)
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString(
                        "rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions on this file system
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int nearest(double[] sorted, double key) {
        int i = Arrays.binarySearch(sorted, key);
        if (i >= 0) {
            return i;
        }
        int hi = -i - 1;
        if (hi == 0) {
            return 0;
        }
        if (hi == sorted.length) {
            return sorted.length - 1;
        }
        return key - sorted[hi - 1] <= sorted[hi] - key ? hi - 1 : hi;
    }

    /**
     * @param t a value in {@code [0, 1]} (clamped)
     * @return its viridis colour as {@code 0xRRGGBB}
     */
    static int viridis(double t) {
        double x = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double w = x - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - w) + ((b >> 16) & 0xFF) * w);
        int gr = (int) Math.round(((a >> 8) & 0xFF) * (1 - w) + ((b >> 8) & 0xFF) * w);
        int bl = (int) Math.round((a & 0xFF) * (1 - w) + (b & 0xFF) * w);
        return (r << 16) | (gr << 8) | bl;
    }
}
