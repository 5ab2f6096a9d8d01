package dev.lpl.runner;

import picocli.CommandLine;

/** The {@code lpl} executable. */
public final class Main {

    private Main() {}

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit status: 0 success, 1 unexpected failure, 2 user error
     */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command line with given output streams.
     *
     * @param out where results go
     * @param err where errors go
     * @param args the arguments
     * @return the exit status: 0 success, 1 unexpected failure, 2 user error
     */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        // Before anything touches DJL: never phone home, and keep DJL's own logging quiet.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (!debug) {
            // DJL probes for CUDA even with the CPU engine and warns when a driver is too old.
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
            // A plugin's warning (e.g. image-folder's skipped files) reads like lpl's own:
            // "warning: ...", without thread and logger names (--debug shows them).
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
            System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
            System.setProperty("org.slf4j.simpleLogger.warnLevelString", "warning:");
        }
        CommandLine cli = LplCommand.commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }
}
