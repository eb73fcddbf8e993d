"""Times the seed's audio preparation (Wav_into_HDF5_python.py's load_audio_wav + Make_mono) per file.

Written for this project's PrepareBench (not the seed's code): the same steps and libraries as the seed
(scipy.io.wavfile.read, zero-pad to 10 s, keep 10 s, scipy.signal.resample to 160000 when the rate is not
16 kHz, float32, (L+R)/2, divide by max|x|). Three warm-up calls, then the best and the median of REPEATS.

usage: prepare_bench.py REPEATS FILE...
prints one line per file: "<file> best_ms=<b> median_ms=<m>"
"""
import statistics
import sys
import time

import numpy as np
import scipy.io.wavfile
import scipy.signal


def prepare(path):
    rate, audio = scipy.io.wavfile.read(path)
    want = rate * 10
    if audio.shape[0] < want:
        pad = [(0, want - audio.shape[0])] + [(0, 0)] * (audio.ndim - 1)
        audio = np.pad(audio, pad, "constant")
    audio = audio[:want]
    if rate != 16000:
        audio = scipy.signal.resample(audio, 160000)
    audio = audio.astype(np.float32)
    mono = audio.sum(axis=1) / 2.0 if audio.ndim == 2 else audio
    peak = abs(max(np.amax(mono), np.amin(mono), key=abs))
    if peak != 0:
        mono = mono / peak
    return mono


def main(repeats, files):
    for path in files:
        for _ in range(3):
            prepare(path)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            prepare(path)
            times.append(time.perf_counter() - t0)
        print("%s best_ms=%.3f median_ms=%.3f" % (path, min(times) * 1e3, statistics.median(times) * 1e3))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
