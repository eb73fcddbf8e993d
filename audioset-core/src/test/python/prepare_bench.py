"""Times the seed's audio preparation (Wav_into_HDF5_python.py's load_audio_wav + Make_mono) per file.

Written for this project's PrepareBench (not the seed's code): `prepare` from the pack benchmark's
seed-like packer (audioset-hdf5/src/test/python/seed_like_packer.py), the seed's steps and libraries
(scipy.io.wavfile.read, zero-pad to 10 s, keep 10 s, scipy.signal.resample to 160000 when the rate is
not 16 kHz, float32, (L+R)/2, divide by max|x|). Three warm-up calls, then the best and the median of
REPEATS.

usage: prepare_bench.py REPEATS FILE...
prints one line per file: "<file> best_ms=<b> median_ms=<m>"
"""
import os
import statistics
import sys
import time

# the seed's steps, as the pack benchmark's seed-like packer implements them
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                                "audioset-hdf5", "src", "test", "python"))
from seed_like_packer import prepare  # noqa: E402


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
