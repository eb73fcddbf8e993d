/**
 * ERB cochleagrams: a port of pycochleagram's cosine ERB filterbank
 * ({@code make_erb_cos_filters_nx}) with subband Hilbert envelopes, downsampled and compressed.
 *
 * <p>Start with {@link io.github.audiosetdl.cochlea.Cochleagram#of(CochleagramConfig)} and one of
 * the presets {@link io.github.audiosetdl.cochlea.CochleagramConfig#seed()} (the 2017 graph that made
 * the seed's (171, 2000) cochleagrams) or
 * {@link io.github.audiosetdl.cochlea.CochleagramConfig#pycochleagram()}. This package uses no
 * AudioSet model types; {@link io.github.audiosetdl.cochlea.features} adapts it to the pipeline.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.cochlea;

