/**
 * Adapters between the reusable DSP of {@code audioset-cochlea} and the pipeline's feature SPI.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.examples.features;
