#!/usr/bin/env python3
"""Times pycochleagram itself, for CochleagramBench: cochleagram(x, 16000, 40, 20, 8000, 4,
downsample=200, nonlinearity='power', fft_mode='np') on peak-normalised noise clips.

pycochleagram is not part of this project: pass the folder of a checkout of
mcdermottLab/pycochleagram (the folder holding the `pycochleagram` package) with --checkout.
Two changes to run it here, none to its files (as for the references in testdata/golden/cochleagram):
stand-in matplotlib modules (it imports pyplot for plotting helpers; matplotlib is not installed),
and float64 input (numpy >= 2 runs float32 FFTs in single precision).
Prints key-value lines like coch_numpy_bench.py.
"""
import argparse
import os
import sys
import time
import types

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkout", required=True, help="folder holding the pycochleagram package")
    ap.add_argument("--clips", type=int, default=6)
    args = ap.parse_args()
    os.environ.setdefault("DISPLAY", ":0")  # its display probe would otherwise start a subprocess
    mpl = types.ModuleType("matplotlib")
    plt = types.ModuleType("matplotlib.pyplot")
    mpl.use = lambda *a, **k: None
    for name in ("imshow", "show", "plot", "figure", "subplot", "title", "xlabel", "ylabel", "colorbar"):
        setattr(plt, name, lambda *a, **k: None)
    mpl.pyplot = plt
    sys.modules.setdefault("matplotlib", mpl)
    sys.modules.setdefault("matplotlib.pyplot", plt)
    sys.path.insert(0, args.checkout)
    from pycochleagram import cochleagram as cgram

    rng = np.random.default_rng(2017)
    clip = rng.standard_normal(160000)
    clip /= np.max(np.abs(clip))

    def run():
        return cgram.cochleagram(clip, 16000, 40, 20, 8000, 4, downsample=200, nonlinearity="power",
                                 fft_mode="np", strict=True)

    out = run()  # warm-up: the first call page-faults ~1.3 GB of temporaries
    assert out.shape == (171, 2000), out.shape
    times = []
    cpu = []
    for _ in range(args.clips):
        t0 = time.perf_counter()
        c0 = time.process_time()
        run()
        cpu.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
    print("numpy", np.__version__)
    print("clips", args.clips)
    print("best_s", min(times))
    print("median_s", float(np.median(times)))
    print("clips_per_s", args.clips / sum(times))
    print("cpu_s_per_clip", sum(cpu) / args.clips)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
