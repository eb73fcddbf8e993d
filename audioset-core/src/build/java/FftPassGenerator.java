import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the FFT engine's unrolled radix passes, the scalar ones ({@code StockhamPasses}) and the 256-bit Vector API
 * ones ({@code VectorPasses}), from one description of each butterfly, as FFTW makes its codelets. The build runs
 * it (audioset-core's pom, phase generate-sources) as a single-file program:
 * {@code java FftPassGenerator.java SCALAR_DIR VECTOR_DIR}; each class goes under its package's folder there, and a
 * file is rewritten only when its text changes. The generated code is not committed.
 *
 * <p>A butterfly is written once against {@link Ops}: complex additions, subtractions, products with a real
 * constant and fused multiply-adds with one, each rounded once per real lane, plus the exact {@code -v} and
 * {@code -i·v}. Both emitters turn each rounded operation into the same IEEE operation per lane, so the scalar and
 * SIMD passes give the same doubles; the exact ones the scalar emitter folds into signs and operand order, the
 * vector one writes as a negation or a lane swap. Everything the vector code computes stays inside one method (on
 * JDK 17, C2 boxes vectors that cross a call), which is why the passes are unrolled text and not shared helpers.
 */
public final class FftPassGenerator {
    private static final String PACKAGE = "io.github.audiosetdl.core.dsp";
    /** The radices with an unrolled pass; the plan's generic odd pass does the other primes. */
    private static final int[] RADICES = {2, 3, 4, 5, 7, 8};

    private FftPassGenerator() {
    }

    /**
     * @param args the source folder of the scalar class, then that of the vector class
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java FftPassGenerator.java SCALAR_DIR VECTOR_DIR");
        }
        write(Path.of(args[0]), "StockhamPasses", new ScalarEmitter().file());
        write(Path.of(args[1]), "VectorPasses", new VectorEmitter().file());
    }

    /** Writes {@code text} to a new temporary file next to the target, then renames it over the target. */
    private static void write(Path root, String className, String text) throws IOException {
        Path dir = root.resolve(PACKAGE.replace('.', '/'));
        Path file = dir.resolve(className + ".java");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(className + ".java." + ProcessHandle.current().pid() + ".tmp");
        Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The operations butterflies are written in; {@code name} is the value's variable (null: one is made up). */
    interface Ops<V> {
        V add(String name, V a, V b);

        V sub(String name, V a, V b);

        /** {@code a·c} for the real constant {@code c} (declared with {@link #constant}). */
        V scale(String name, V a, String c);

        /** {@code a·c + acc}, one rounding per lane. */
        V fma(String name, V a, String c, V acc);

        /** {@code -a}, exact. */
        V neg(V a);

        /** {@code -i·a}, exact. */
        V negI(V a);

        /** Declares the real constant {@code name = expr} (a Java expression) once per pass. */
        void constant(String name, String expr);

        /** Stores output {@code u} (times its twiddle unless {@code u = 0}). */
        void output(int u, V v);
    }

    /** A butterfly: the outputs of one radix from its inputs {@code x}. */
    interface Butterfly {
        <V> void build(Ops<V> o, List<V> x);
    }

    private static Butterfly butterfly(int radix) {
        switch (radix) {
            case 2:
                return FftPassGenerator::radix2;
            case 4:
                return FftPassGenerator::radix4;
            case 8:
                return FftPassGenerator::radix8;
            default:
                return FftPassGenerator::odd;
        }
    }

    private static <V> void radix2(Ops<V> o, List<V> x) {
        o.output(0, o.add(null, x.get(0), x.get(1)));
        o.output(1, o.sub(null, x.get(0), x.get(1)));
    }

    private static <V> void radix4(Ops<V> o, List<V> x) {
        four(o, "t", x.get(0), x.get(1), x.get(2), x.get(3), new int[] {0, 1, 2, 3});
    }

    /** The radix-4 butterfly of {@code x0..x3}, its outputs stored as {@code outs[0..3]}. */
    private static <V> void four(Ops<V> o, String p, V x0, V x1, V x2, V x3, int[] outs) {
        V t0 = o.add(p + "0", x0, x2);
        V t1 = o.sub(p + "1", x0, x2);
        V t2 = o.add(p + "2", x1, x3);
        V t3 = o.negI(o.sub(p + "3", x1, x3));
        o.output(outs[0], o.add(null, t0, t2));
        o.output(outs[1], o.add(null, t1, t3));
        o.output(outs[2], o.sub(null, t0, t2));
        o.output(outs[3], o.sub(null, t1, t3));
    }

    /**
     * Radix 8 as a radix-2 step ({@code a_t = x_t + x_{t+4}}, {@code b_t = (x_t - x_{t+4})·exp(-2πi·t/8)})
     * followed by radix-4 butterflies on {@code a} (the even outputs) and on {@code b} (the odd ones).
     */
    private static <V> void radix8(Ops<V> o, List<V> x) {
        o.constant("h", "Math.sqrt(0.5)");
        List<V> a = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            a.add(o.add("a" + t, x.get(t), x.get(t + 4)));
        }
        // b1 = d1·(1 - i)/√2, b2 = (x2 - x6)·(-i), b3 = d3·(-1 - i)/√2.
        V b0 = o.sub("b0", x.get(0), x.get(4));
        V d1 = o.sub("d1", x.get(1), x.get(5));
        V b1 = o.scale("b1", o.add(null, d1, o.negI(d1)), "h");
        V b2 = o.negI(o.sub("b2", x.get(2), x.get(6)));
        V d3 = o.sub("d3", x.get(3), x.get(7));
        V b3 = o.scale("b3", o.sub(null, o.negI(d3), d3), "h");
        four(o, "t", a.get(0), a.get(1), a.get(2), a.get(3), new int[] {0, 2, 4, 6});
        four(o, "u", b0, b1, b2, b3, new int[] {1, 3, 5, 7});
    }

    /**
     * An odd radix {@code r}: {@code y_u = a_u - i·e_u}, {@code y_{r-u} = a_u + i·e_u} with
     * {@code a_u = x_0 + sum_t cos(2πtu/r)·(x_t + x_{r-t})}, {@code e_u = sum_t sin(2πtu/r)·(x_t - x_{r-t})},
     * {@code 1 <= t, u <= r/2}, each sum one chain of fused multiply-adds from its last term.
     */
    private static <V> void odd(Ops<V> o, List<V> x) {
        int r = x.size();
        int h = r / 2;
        List<V> t = new ArrayList<>();
        List<V> d = new ArrayList<>();
        V y0 = x.get(0);
        for (int k = 1; k <= h; k++) {
            t.add(o.add("t" + k, x.get(k), x.get(r - k)));
            d.add(o.sub("d" + k, x.get(k), x.get(r - k)));
            y0 = o.add(null, y0, t.get(k - 1));
        }
        List<V> a = new ArrayList<>();
        List<V> e = new ArrayList<>();
        for (int u = 1; u <= h; u++) {
            V sum = x.get(0);
            V im = null;
            for (int k = h; k >= 1; k--) {
                int j = k * u % r;
                sum = o.fma(k == 1 ? "a" + u : null, t.get(k - 1), cosine(o, r, Math.min(j, r - j)), sum);
                String sn = sine(o, r, j);
                String name = k == 1 ? "e" + u : null;
                im = im == null ? o.scale(name, d.get(k - 1), sn) : o.fma(name, d.get(k - 1), sn, im);
            }
            a.add(sum);
            e.add(o.negI(im));
        }
        o.output(0, y0);
        for (int u = 1; u <= h; u++) {
            o.output(u, o.add(null, a.get(u - 1), e.get(u - 1)));
        }
        for (int u = h; u >= 1; u--) {
            o.output(r - u, o.sub(null, a.get(u - 1), e.get(u - 1)));
        }
    }

    /** @return the constant {@code cos(2π·j/r)}, {@code j <= r/2} (radix 3: exactly {@code -1/2}) */
    private static <V> String cosine(Ops<V> o, int r, int j) {
        String name = "c" + j;
        o.constant(name, r == 3 ? "-0.5" : "Math.cos(" + 2 * j + " * Math.PI / " + r + ")");
        return name;
    }

    /** @return the constant {@code sin(2π·j/r)}, {@code 0 < j < r}, as {@code s_j} or {@code ns_{r-j}} */
    private static <V> String sine(Ops<V> o, int r, int j) {
        int k = Math.min(j, r - j);
        String sign = j == k ? "" : "-";
        String name = (j == k ? "s" : "ns") + k;
        o.constant(name, sign + (r == 3 ? "Math.sqrt(0.75)" : "Math.sin(" + 2 * k + " * Math.PI / " + r + ")"));
        return name;
    }

    /** Writes one class: the pass skeleton around each butterfly, in one flavour. */
    abstract static class Emitter<V> implements Ops<V> {
        private final Skeleton sk;
        private final StringBuilder body = new StringBuilder();
        private final Map<String, String> constants = new LinkedHashMap<>();
        private int temps;

        Emitter(Skeleton sk) {
            this.sk = sk;
        }

        /** @return the whole generated file */
        final String file() {
            StringBuilder out = new StringBuilder();
            out.append("// Generated by audioset-core/src/build/java/FftPassGenerator.java: do not edit.\n");
            out.append("package ").append(PACKAGE).append(";\n\n");
            out.append(prologue());
            for (int r : RADICES) {
                out.append('\n').append(pass(r));
            }
            return out.append("}\n").toString();
        }

        private String pass(int r) {
            body.setLength(0);
            constants.clear();
            temps = 0;
            List<V> x = new ArrayList<>();
            for (int t = 0; t < r; t++) {
                x.add(load(t));
            }
            line(4, "int o0 = o + g;");
            butterfly(r).build(this, x);
            StringBuilder out = new StringBuilder();
            out.append("    ").append(String.format(sk.signature(), r)).append('\n');
            for (Map.Entry<String, String> c : constants.entrySet()) {
                out.append("        ").append(String.format(sk.constant(), c.getKey(), c.getValue())).append('\n');
            }
            out.append("        int step = 2 * sx * q;\n        int os = 2 * s;\n");
            out.append(sk.head());
            out.append("        for (int p = 0; p < q; p++) {\n");
            out.append(sk.perP());
            out.append("            int w = ").append(2 * (r - 1)).append(" * p;\n");
            for (int u = 1; u < r; u++) {
                out.append(String.format(sk.twiddle(), u, 2 * (u - 1), 2 * u - 1));
            }
            out.append("            int in = base + 2 * sx * p;\n");
            out.append("            int o = ").append(2 * r).append(" * s * p;\n");
            out.append("            ").append(sk.loop()).append('\n');
            out.append("                int i0 = in + g;\n");
            out.append(body);
            out.append("            }\n        }\n").append(sk.tail()).append("    }\n");
            return out.toString();
        }

        /** Appends one line of the loop body at {@code depth} levels of four spaces. */
        final void line(int depth, String text) {
            body.append(" ".repeat(4 * depth)).append(text).append('\n');
        }

        /** @return a fresh variable name for {@code name == null} */
        final String name(String name) {
            return name != null ? name : "v" + temps++;
        }

        /** @return the offset in {@code x} of input {@code t} */
        static String at(int t) {
            return t == 0 ? "i0" : t == 1 ? "i0 + step" : "i0 + " + t + " * step";
        }

        /** @return the offset in {@code y} of output {@code u} */
        static String out(int u) {
            return u == 0 ? "o0" : u == 1 ? "o0 + os" : "o0 + " + u + " * os";
        }

        @Override
        public final void constant(String name, String expr) {
            constants.put(name, expr);
        }

        /** {@code a - b}: by default {@code a + (-b)}, which the scalar emitter writes without a negation. */
        @Override
        public V sub(String name, V a, V b) {
            return add(name, a, neg(b));
        }

        abstract String prologue();

        abstract V load(int t);
    }

    /**
     * What a pass's code looks like around its butterfly in one flavour: formats of its signature (the radix),
     * a constant (name, expression) and a twiddle's two loads (index {@code u}, offsets of its parts); lines
     * before the loop over {@code p}, at the top of its body, the inner loop's head, and the return.
     */
    record Skeleton(String signature, String constant, String head, String perP, String twiddle, String loop,
            String tail) {
    }

    /** A scalar value: its real and imaginary parts, each a variable and whether it is negated. */
    record Pair(String re, boolean reNeg, String im, boolean imNeg) {
        String reTerm() {
            return (reNeg ? "-" : "") + re;
        }

        String imTerm() {
            return (imNeg ? "-" : "") + im;
        }
    }

    /** The scalar passes: the exact operations become signs and operand order, the rest one line per lane. */
    static final class ScalarEmitter extends Emitter<Pair> {
        ScalarEmitter() {
            super(new Skeleton("private static void pass%d(double[] x, int base, int sx, double[] y, int q, int s,"
                    + " double[] tw,\n            int first) {", "final double %s = %s;", "",
                    "            boolean plain = p == 0;\n",
                    "            double w%1$dr = tw[w + %2$d];\n            double w%1$di = tw[w + %3$d];\n",
                    "for (int g = first; g < os; g += 2) {", ""));
        }

        @Override
        String prologue() {
            return """
                    /**
                     * {@link StockhamPlan}'s scalar radix-2, 3, 4, 5, 7 and 8 passes, generated from the same
                     * butterflies as {@code VectorPasses}, so both give the same doubles. A pass of radix {@code r}
                     * writes, for each {@code p < q} and batch element {@code g}, the butterfly of the inputs
                     * {@code x[base + g + 2·sx·(p + t·q)]} times the twiddles {@code tw[2·(r-1)·p + 2·(u-1)]} to
                     * {@code y[2·s·(r·p + u) + g]}.
                     */
                    final class StockhamPasses {
                        private StockhamPasses() {
                        }

                        /**
                         * Runs the radix-{@code radix} pass for the batch elements from {@code first} (doubles per
                         * point) on.
                         *
                         * @return false if there is no unrolled pass for {@code radix}
                         */
                        static boolean run(int radix, double[] x, int base, int sx, double[] y, int q, int s,
                                double[] tw, int first) {
                            switch (radix) {
                    %s            default:
                                    return false;
                            }
                        }

                        /**
                         * Stores {@code v·w} at {@code y[at]}, or {@code v} itself when {@code plain} (the twiddle
                         * is 1: {@code p = 0}, loop-invariant, so the JIT unswitches the loop on it).
                         */
                        private static void put(double[] y, int at, double vr, double vi, double wr, double wi,
                                boolean plain) {
                            if (plain) {
                                y[at] = vr;
                                y[at + 1] = vi;
                            } else {
                                y[at] = Math.fma(vr, wr, -(vi * wi));
                                y[at + 1] = Math.fma(vi, wr, vr * wi);
                            }
                        }
                    """.formatted(cases("                pass%d(x, base, sx, y, q, s, tw, first);\n"
                    + "                return true;\n"));
        }

        @Override
        Pair load(int t) {
            line(4, "double x" + t + "r = x[" + at(t) + "];");
            line(4, "double x" + t + "i = x[" + at(t) + " + 1];");
            return new Pair("x" + t + "r", false, "x" + t + "i", false);
        }

        private Pair declare(String name, String re, boolean reNeg, String im, boolean imNeg) {
            String n = name(name);
            line(4, "double " + n + "r = " + re + ";");
            line(4, "double " + n + "i = " + im + ";");
            return new Pair(n + "r", reNeg, n + "i", imNeg);
        }

        /** @return {@code ±a ± b} as an expression and whether it stands for its negation */
        private static String sum(String a, boolean aNeg, String b, boolean bNeg) {
            return aNeg == bNeg ? a + " + " + b : aNeg ? b + " - " + a : a + " - " + b;
        }

        @Override
        public Pair add(String name, Pair a, Pair b) {
            return declare(name, sum(a.re(), a.reNeg(), b.re(), b.reNeg()), a.reNeg() && b.reNeg(),
                    sum(a.im(), a.imNeg(), b.im(), b.imNeg()), a.imNeg() && b.imNeg());
        }

        @Override
        public Pair scale(String name, Pair a, String c) {
            return declare(name, c + " * " + a.re(), a.reNeg(), c + " * " + a.im(), a.imNeg());
        }

        @Override
        public Pair fma(String name, Pair a, String c, Pair acc) {
            return declare(name, fma(c, a.re(), a.reNeg(), acc.re(), acc.reNeg()), a.reNeg() && acc.reNeg(),
                    fma(c, a.im(), a.imNeg(), acc.im(), acc.imNeg()), a.imNeg() && acc.imNeg());
        }

        /** @return {@code fma(c, ±a, ±acc)}, negated as a whole when both are (so that no sign is written) */
        private static String fma(String c, String a, boolean aNeg, String acc, boolean accNeg) {
            boolean both = aNeg && accNeg;
            return "Math.fma(" + c + ", " + (aNeg && !both ? "-" : "") + a + ", " + (accNeg && !both ? "-" : "")
                    + acc + ")";
        }

        @Override
        public Pair neg(Pair a) {
            return new Pair(a.re(), !a.reNeg(), a.im(), !a.imNeg());
        }

        @Override
        public Pair negI(Pair a) {
            return new Pair(a.im(), a.imNeg(), a.re(), !a.reNeg());
        }

        @Override
        public void output(int u, Pair v) {
            if (u == 0) {
                line(4, "y[o0] = " + v.reTerm() + ";");
                line(4, "y[o0 + 1] = " + v.imTerm() + ";");
            } else {
                line(4, "put(y, " + out(u) + ", " + v.reTerm() + ", " + v.imTerm() + ", w" + u + "r, w" + u
                        + "i, plain);");
            }
        }
    }

    /** The SIMD passes: two complex values ({@code re, im, re, im}) per 256-bit vector, one line per operation. */
    static final class VectorEmitter extends Emitter<String> {
        VectorEmitter() {
            super(new Skeleton("private static int pass%d(double[] x, int base, int sx, double[] y, int q, int s,"
                    + " double[] tw) {", "final DoubleVector %s = DoubleVector.broadcast(SPECIES, %s);",
                    "        int end = 2 * s - (2 * s) % LANES;\n", "",
                    "            DoubleVector w%1$dr = DoubleVector.broadcast(SPECIES, tw[w + %2$d]);\n"
                    + "            DoubleVector w%1$di = IM_SIGNS.mul(tw[w + %3$d]);\n",
                    "for (int g = 0; g < end; g += LANES) {", "        return end;\n"));
        }

        @Override
        String prologue() {
            return """
                    import jdk.incubator.vector.DoubleVector;
                    import jdk.incubator.vector.VectorShuffle;
                    import jdk.incubator.vector.VectorSpecies;

                    /**
                     * The SIMD twins of {@code StockhamPasses} (the same butterflies, generated from one
                     * description), for {@link VectorButterflies#pass}: a vector holds two neighbouring batch
                     * elements, which share every constant. {@code -i·v = swap(v)·(1, -1)} and
                     * {@code v·w = fma(v, wr, swap(v)·(-wi, wi))}, which rounds as the scalar
                     * {@code (fma(vr, wr, -(vi·wi)), fma(vi, wr, vr·wi))}. Compiled with the Vector API.
                     */
                    final class VectorPasses {
                        private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_256;
                        private static final int LANES = SPECIES.length();
                        private static final VectorShuffle<Double> SWAP =
                                VectorShuffle.fromOp(SPECIES, lane -> lane ^ 1);
                        /** {@code (-1, 1, -1, 1)}: times {@code wi}, the factor of {@code swap(v)} in a product. */
                        private static final DoubleVector IM_SIGNS =
                                DoubleVector.fromArray(SPECIES, new double[] {-1, 1, -1, 1}, 0);
                        /** {@code (1, -1, 1, -1)}: {@code -i·v = swap(v)·NEG_I}. */
                        private static final DoubleVector NEG_I =
                                DoubleVector.fromArray(SPECIES, new double[] {1, -1, 1, -1}, 0);

                        private VectorPasses() {
                        }

                        /**
                         * @return how many of the {@code 2·s} doubles per point were done ({@code 0}: no pass for
                         *     {@code radix})
                         */
                        static int run(int radix, double[] x, int base, int sx, double[] y, int q, int s,
                                double[] tw) {
                            switch (radix) {
                    %s            default:
                                    return 0;
                            }
                        }
                    """.formatted(cases("                return pass%d(x, base, sx, y, q, s, tw);\n"));
        }

        @Override
        String load(int t) {
            line(4, "DoubleVector x" + t + " = DoubleVector.fromArray(SPECIES, x, " + at(t) + ");");
            return "x" + t;
        }

        /** Declares {@code expr} as a variable unless it is one already. */
        private String declare(String name, String expr) {
            if (name == null && expr.matches("\\w+")) {
                return expr;
            }
            String n = name(name);
            line(4, "DoubleVector " + n + " = " + expr + ";");
            return n;
        }

        @Override
        public String add(String name, String a, String b) {
            return declare(name, a + ".add(" + b + ")");
        }

        @Override
        public String sub(String name, String a, String b) {
            return declare(name, a + ".sub(" + b + ")");
        }

        @Override
        public String scale(String name, String a, String c) {
            return declare(name, a + ".mul(" + c + ")");
        }

        @Override
        public String fma(String name, String a, String c, String acc) {
            return declare(name, a + ".fma(" + c + ", " + acc + ")");
        }

        @Override
        public String neg(String a) {
            return declare(null, a + ".neg()");
        }

        @Override
        public String negI(String a) {
            return declare(null, a + ".rearrange(SWAP).mul(NEG_I)");
        }

        @Override
        public void output(int u, String v) {
            if (u == 0) {
                line(4, v + ".intoArray(y, o0);");
            } else {
                line(4, v + ".fma(w" + u + "r, " + v + ".rearrange(SWAP).mul(w" + u + "i)).intoArray(y, " + out(u)
                        + ");");
            }
        }
    }

    /** @return a {@code case} per radix with {@code format}'s statement(s) */
    private static String cases(String format) {
        StringBuilder out = new StringBuilder();
        for (int r : RADICES) {
            out.append("            case ").append(r).append(":\n").append(String.format(format, r));
        }
        return out.toString();
    }
}
