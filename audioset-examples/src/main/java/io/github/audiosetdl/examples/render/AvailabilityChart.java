package io.github.audiosetdl.examples.render;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.download.AvailabilityReport;
import io.github.audiosetdl.core.download.FailureClass;
import io.github.audiosetdl.core.download.LabelAvailability;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws an {@link AvailabilityReport} as a 1400×800 PNG, readable at a glance: a title line with the totals,
 * the obtained fraction of each top-level ontology class and the failures per reason (left), and the 30 labels
 * with the lowest obtained fraction (right), each bar with its percentage and counts. Java2D, headless.
 */
public final class AvailabilityChart {
    /** The image's width, in pixels. */
    public static final int WIDTH = 1400;
    /** The image's height, in pixels. */
    public static final int HEIGHT = 800;
    /** The number of worst labels shown. */
    public static final int WORST = 30;

    private static final Color OBTAINED = new Color(0x2E7D32);
    private static final Color MISSING = new Color(0xE0E0E0);
    private static final Color FAILED = new Color(0xC62828);
    private static final Color TEXT = new Color(0x212121);
    private static final Color GRID = new Color(0x9E9E9E);

    private AvailabilityChart() {
    }

    /**
     * @param report the report
     * @return the image, {@link #WIDTH}×{@link #HEIGHT}
     */
    public static BufferedImage draw(AvailabilityReport report) {
        requireNonNull(report, "report");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            double pct = report.requested() == 0 ? 0 : 100.0 * report.obtained() / report.requested();
            g.drawString(String.format(Locale.ROOT, "%s: %,d of %,d segments obtained (%.1f%%)", report.name(),
                    report.obtained(), report.requested(), pct), 30, 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
            StringBuilder failed = new StringBuilder("failed: ");
            for (FailureClass c : FailureClass.values()) {
                failed.append(String.format(Locale.ROOT, "%s %,d   ", c.label(), report.failed().get(c)));
            }
            if (report.notAttempted() > 0) {
                failed.append(String.format(Locale.ROOT, "not attempted %,d   ", report.notAttempted()));
            }
            List<String> reasons = new ArrayList<>();
            report.reasons().entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(5)
                    .forEach(e -> reasons.add(e.getKey().label() + " " + String.format(Locale.ROOT, "%,d",
                            e.getValue())));
            if (!reasons.isEmpty()) {
                failed.append("| top reasons: ").append(String.join(", ", reasons));
            }
            g.drawString(failed.toString(), 30, 68);

            List<Map.Entry<String, LabelAvailability>> classes = new ArrayList<>(report.perTopLevelClass()
                    .entrySet());
            panel(g, "Obtained per top-level ontology class", classes, e -> e.getKey(), 30, 100, 560, 34, OBTAINED);
            long failedTotal = report.failedTotal();
            List<Map.Entry<String, LabelAvailability>> byReason = new ArrayList<>();
            report.reasons().entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> byReason.add(Map.entry(e.getKey().label(),
                            new LabelAvailability(failedTotal, e.getValue()))));
            if (!byReason.isEmpty()) {
                panel(g, "Why the " + String.format(Locale.ROOT, "%,d", failedTotal) + " failed segments failed"
                        + " (share of failures)", byReason, e -> e.getKey(), 30, 130 + 34 * classes.size() + 40, 560,
                        24, FAILED);
            }

            List<Map.Entry<String, LabelAvailability>> worst = report.perLabel().entrySet().stream()
                    .filter(e -> e.getValue().selected() > 0)
                    .sorted(Comparator.comparingDouble((Map.Entry<String, LabelAvailability> e) ->
                            e.getValue().fraction()).thenComparing(e -> -e.getValue().selected())
                            .thenComparing(Map.Entry::getKey))
                    .limit(WORST).toList();
            panel(g, "The " + worst.size() + " labels with the lowest obtained fraction", worst, e -> {
                String name = AvailabilityReport.displayName(e.getKey());
                return name.isEmpty() ? e.getKey() : name;
            }, 640, 100, 730, 21, OBTAINED);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void panel(Graphics2D g, String title, List<Map.Entry<String, LabelAvailability>> rows,
            java.util.function.Function<Map.Entry<String, LabelAvailability>, String> name, int x, int y, int width,
            int rowHeight, Color bar) {
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, x, y);
        int fontSize = rowHeight >= 30 ? 14 : 12;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
        FontMetrics fm = g.getFontMetrics();
        int nameWidth = width * 2 / 5;
        int countsWidth = fm.stringWidth("100.0%  ");
        for (Map.Entry<String, LabelAvailability> e : rows) {
            countsWidth = Math.max(countsWidth, fm.stringWidth(counts(e.getValue())));
        }
        int barX = x + nameWidth + 8;
        int barWidth = width - nameWidth - 8 - countsWidth - 8;
        int top = y + 14;
        for (int i = 0; i < rows.size(); i++) {
            Map.Entry<String, LabelAvailability> e = rows.get(i);
            int rowY = top + i * rowHeight;
            int barHeight = rowHeight - 6;
            String label = fit(name.apply(e), fm, nameWidth);
            g.setColor(TEXT);
            g.drawString(label, x + nameWidth - fm.stringWidth(label), rowY + (barHeight + fm.getAscent()) / 2 - 1);
            g.setColor(MISSING);
            g.fillRect(barX, rowY, barWidth, barHeight);
            g.setColor(bar);
            g.fillRect(barX, rowY, (int) Math.round(barWidth * e.getValue().fraction()), barHeight);
            g.setColor(TEXT);
            g.drawString(counts(e.getValue()), barX + barWidth + 8, rowY + (barHeight + fm.getAscent()) / 2 - 1);
        }
        int bottom = top + rows.size() * rowHeight;
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int p = 0; p <= 100; p += 25) {
            int gx = barX + barWidth * p / 100;
            g.drawLine(gx, top - 4, gx, bottom);
            String t = p + "%";
            g.drawString(t, gx - g.getFontMetrics().stringWidth(t) / 2, bottom + 14);
        }
        g.setStroke(new BasicStroke());
    }

    private static String counts(LabelAvailability a) {
        return String.format(Locale.ROOT, "%5.1f%%  %,d/%,d", 100 * a.fraction(), a.available(), a.selected());
    }

    private static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String t = text;
        while (!t.isEmpty() && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    /**
     * Draws the report and writes it as a PNG (temporary name, then a rename).
     *
     * @param report the report
     * @param png the target file
     * @throws IOException if writing fails
     */
    public static void write(AvailabilityReport report, Path png) throws IOException {
        CochleagramRenderer.writePng(draw(report), png);
    }
}
