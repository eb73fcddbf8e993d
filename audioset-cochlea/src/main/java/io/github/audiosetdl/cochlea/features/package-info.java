/**
 * The cochleagram as a feature of the AudioSet pipeline: {@code CochleagramFeatures.of(config)} is the
 * {@code FeatureExtractor} that {@code AudioSetPipeline.Builder.features(...)} takes, and
 * {@code CochleagramFeatures.configFrom(attributes)} rebuilds a configuration from a cochleagram file.
 *
 * <p>This package is the only one of {@code audioset-cochlea} that uses {@code audioset-core}'s pipeline
 * types: {@link io.github.audiosetdl.cochlea} itself stays reusable DSP with no AudioSet model types.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.cochlea.features;

