/**
 * The small interfaces through which the pipeline in {@code audioset-core} reaches the other
 * modules: {@code audioset-hdf5} implements the storage side, {@code audioset-cochlea} (through an
 * adapter) the features; a user can plug in their own. {@link io.github.audiosetdl.core.spi.NameLock} is the lock of
 * an output's name that writers hold while a pipeline records what they put in place.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.spi;
