/**
 * Implementation details of the cochleagram (FFT kernels, FIR kernels); not an API, may change
 * without notice.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.cochlea.internal;
