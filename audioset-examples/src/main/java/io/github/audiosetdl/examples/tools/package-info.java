/**
 * Tool providers for the command line: the ffmpeg binary of Maven Central's {@code org.bytedeco:ffmpeg}
 * for machines where none is installed. Everything here is non-null unless documented otherwise.
 */
package io.github.audiosetdl.examples.tools;
