/**
 * Tools for the command line: a program run with a time limit ({@code BoundedProcess}), and a statically linked
 * ffmpeg (from Maven Central's {@code ws.schild:jave-nativebin-linux64}) for machines where none is installed.
 * Everything here is non-null unless documented otherwise.
 */
package io.github.audiosetdl.examples.tools;
