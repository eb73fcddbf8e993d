/**
 * The small interfaces through which the pipeline in {@code audioset-core} reaches the other
 * modules: {@code audioset-hdf5} implements the storage side, {@code audioset-cochlea} (through an
 * adapter) the features; a user can plug in their own.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.spi;
