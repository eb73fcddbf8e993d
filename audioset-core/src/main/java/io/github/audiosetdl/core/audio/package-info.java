/**
 * Audio files and the seed's preparation: {@link io.github.audiosetdl.core.audio.WavReader} reads
 * 8/16/24/32-bit integer and 32/64-bit float WAV with any channel count and rate;
 * {@link io.github.audiosetdl.core.audio.SeedPreparation} turns a clip into the 16 kHz mono,
 * peak-normalised, 10-s row of a waveform file exactly as the 2017 scripts did.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.audio;
