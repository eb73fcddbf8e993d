package io.github.audiosetdl.examples.cli;

/**
 * The main class of the jar {@link LauncherScriptTest} puts where the launcher looks for the command line: prints
 * the JVM it runs on, a system property and its arguments, then exits with the code its first argument gives.
 */
final class LauncherProbe {
    private LauncherProbe() {
    }

    /**
     * @param args the exit code, then any arguments
     */
    public static void main(String[] args) {
        System.out.println("java.home=" + System.getProperty("java.home"));
        System.out.println("probe=" + System.getProperty("probe"));
        for (String a : args) {
            System.out.println("arg=" + a);
        }
        System.exit(Integer.parseInt(args[0]));
    }
}
