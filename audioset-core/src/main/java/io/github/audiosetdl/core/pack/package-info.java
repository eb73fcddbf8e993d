/**
 * The pack stage: a downloads folder of {@code YT_<id>.wav} files and its segments CSV become one
 * waveform file, through a {@link io.github.audiosetdl.core.spi.WaveformSink}, in CSV order (or
 * shuffled with a seed), prepared as the seed did ({@link io.github.audiosetdl.core.audio.SeedPreparation}).
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.pack;
