/**
 * Example programs showing the library API; each has a {@code main} and a static {@code run} method that
 * its test calls. The {@code audioset} command line lives in {@code examples.cli}.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.examples;
