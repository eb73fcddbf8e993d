/**
 * Seed-compatible HDF5 files on jhdf: waveform and cochleagram files, written in bounded memory and
 * read row by row, PANNs' layout ({@link io.github.audiosetdl.hdf5.PannsFileWriter},
 * {@link io.github.audiosetdl.hdf5.PannsFileReader}), and a generic {@link io.github.audiosetdl.hdf5.Hdf5Inspector}.
 * No jhdf type appears in this package's API.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.hdf5;
