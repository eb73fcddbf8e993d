/**
 * The offline demo: a loopback media server that serves audio synthesised with ffmpeg for a small
 * built-in list of real AudioSet segments, and the run of the real pipeline against it.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.examples.demo;
