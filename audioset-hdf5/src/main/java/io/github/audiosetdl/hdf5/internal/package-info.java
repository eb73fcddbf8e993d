/**
 * Internals of {@code audioset-hdf5}: the project-owned contiguous dataset node on jhdf's
 * {@code AbstractWritableNode}, the row file layout and column spools. Not API; may change.
 */
package io.github.audiosetdl.hdf5.internal;
