/**
 * The FFT engine of the project: {@link io.github.audiosetdl.core.dsp.RealFft} (real signals of one length,
 * forward and inverse, the bins wanted only) and {@link io.github.audiosetdl.core.dsp.BatchFft} (complex DFTs
 * of many interleaved signals at once), with their scratch in a {@link io.github.audiosetdl.core.dsp.FftWorkspace}
 * kept per thread, and {@link io.github.audiosetdl.core.dsp.ComplexArrays} (element-wise kernels over interleaved
 * complex arrays: a product with a twiddle table, the moduli of a batch) and
 * {@link io.github.audiosetdl.core.dsp.RealArrays} (a small matrix product over rows, the cochleagram's FIR; the
 * Gram matrix of observations, the covariance of normalisation statistics; a polyphase filter, the sinc
 * resampler's), and {@link io.github.audiosetdl.core.dsp.WindowFunctions} (the Bessel I0 and sinc that windowed-sinc
 * filters are built from).
 * Lengths whose prime factors are at most 13; double precision; plans are immutable and thread-safe and allocate
 * nothing per call.
 *
 * <p>SIMD: when the JVM runs with {@code --add-modules jdk.incubator.vector} on a machine with 256-bit double
 * vectors (AVX2 or AVX-512), the radix-2, 3, 4, 5, 7 and 8 passes and those kernels run on the incubating
 * Vector API, with the same doubles as the scalar code. The system property {@code audioset.simd=false} turns
 * that off. Nothing here changes JVM-wide state.
 */
package io.github.audiosetdl.core.dsp;
