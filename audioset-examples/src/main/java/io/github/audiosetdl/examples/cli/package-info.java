/**
 * The {@code audioset} command line ({@link io.github.audiosetdl.examples.cli.AudioSetCli}), run
 * through the {@code ./audioset} launcher at the repository root.
 *
 * <p>Exit codes: {@code 0} success; {@code 1} the command failed (bad input file, I/O error);
 * {@code 2} bad usage (unknown option, missing argument); {@code 3} the download stage finished
 * with transient failures left to retry (run it again).
 *
 * <p>Every parameter and return value is non-null unless documented otherwise.
 */
package io.github.audiosetdl.examples.cli;
