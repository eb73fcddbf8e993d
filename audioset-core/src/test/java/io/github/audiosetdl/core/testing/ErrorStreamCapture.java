package io.github.audiosetdl.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures what is written to {@link System#err} while an action runs: the log lines of slf4j-simple, which the
 * tests use and which looks up {@code System.err} at each line. Not for tests that run in parallel.
 */
public final class ErrorStreamCapture {
    private ErrorStreamCapture() {
    }

    /** An action that may throw. */
    @FunctionalInterface
    public interface Action {
        /** @throws Exception anything */
        void run() throws Exception;
    }

    /**
     * @param action run with {@code System.err} captured (it is restored after, also when the action throws)
     * @return what was written to it
     * @throws Exception what the action threw
     */
    public static String capture(Action action) throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(stderr);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        stderr.print(text); // still in the test's output
        return text;
    }

    /**
     * @param text captured text
     * @param part a literal
     * @return how many times {@code part} occurs in it
     */
    public static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
