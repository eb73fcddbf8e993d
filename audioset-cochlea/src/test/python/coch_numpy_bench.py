#!/usr/bin/env python3
"""The seed cochleagram (pipeline B of docs/cochleagram.md) in plain numpy, as the speed reference
for the Java benchmark (io.github.audiosetdl.cochlea.bench.CochleagramBench).

The same algorithm as the Java code: pycochleagram's ERB filterbank (n=40, sample_factor=4, 20-8000 Hz),
full complex inverse FFT of each weighted band (analytic signal, weight 0 at DC and Nyquist), modulus,
the 1001-tap Kaiser(5)-windowed sinc with stride 80 and TensorFlow 'SAME' padding, ReLU, sqrt.
Channels are processed in chunks (bounded memory: about 50 MB), numpy single-threaded (pocketfft).

Usage: coch_numpy_bench.py [--clips K] [--check testdata/golden/cochleagram]
Prints one line per measurement, "key value", read by the Java benchmark.
"""
import argparse
import math
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
import numpy as np  # noqa: E402

SR, N, NF, SF, LO, HI, ENV_SR = 16000, 160000, 40, 4, 20.0, 8000.0, 200


def freq2erb(f):
    return 9.265 * np.log(1 + f / (24.7 * 9.265))


def erb2freq(e):
    return 24.7 * 9.265 * (np.exp(e / 9.265) - 1)


def filterbank():
    """Dense (C, K+1) ERB cosine filterbank for the positive bins."""
    k = N // 2
    freqs = np.linspace(0, SR / 2, k + 1)
    ferb = freq2erb(freqs)
    nbp = SF * (NF + 1) - 1
    c = nbp + 2 * SF
    centers, step = np.linspace(freq2erb(LO), freq2erb(HI), nbp + 2, retstep=True)
    filts = np.zeros((c, k + 1))
    for i in range(nbp):
        lo, hi = centers[i + 1] - SF * step, centers[i + 1] + SF * step
        sel = (ferb > lo) & (ferb < hi)
        filts[SF + i, sel] = np.cos((ferb[sel] - (lo + hi) / 2) / (hi - lo) * np.pi)
    for i in range(SF):
        lp = np.max(np.where(freqs < erb2freq(centers[i + 1]))[0])
        filts[i, :lp + 1] = np.sqrt(1 - filts[SF + i, :lp + 1] ** 2)
        hp = np.min(np.where(freqs > erb2freq(centers[nbp - i]))[0])
        filts[c - 1 - i, hp:] = np.sqrt(1 - filts[SF + nbp - 1 - i, hp:] ** 2)
    return filts / np.sqrt(SF)


def kaiser_sinc(d):
    taps = 1001
    m = np.arange(taps)
    alpha = (taps - 1) / 2
    win = np.i0(5.0 * np.sqrt(1 - ((m - alpha) / alpha) ** 2)) / np.i0(5.0)
    t = np.arange(-taps / 2, taps / 2)
    return win * np.sinc(t / d) / d


class Coch:
    def __init__(self):
        self.filts = filterbank()
        self.c = self.filts.shape[0]
        self.d = SR // ENV_SR
        self.m = -(-N // self.d)
        g = kaiser_sinc(self.d)
        pad = max((self.m - 1) * self.d + g.size - N, 0)
        self.before = pad // 2
        # polyphase: y[j] = sum_q rows[j + q] . kq, rows = env padded and cut into rows of d samples
        self.q = -(-(g.size) // self.d)
        gp = np.zeros(self.q * self.d)
        gp[:g.size] = g
        self.kq = gp.reshape(self.q, self.d)
        self.weights = np.full(N // 2 + 1, 2.0)
        self.weights[0] = 0
        self.weights[-1] = 0
        self.chunk = 16
        # reused buffers: the negative-frequency half of `full` and the pads of `padded` stay zero
        self.full = np.zeros((self.chunk, N), dtype=np.complex128)
        self.padded = np.zeros((self.chunk, (self.m + self.q) * self.d))

    def __call__(self, x):
        spec = np.fft.rfft(x.astype(np.float64))
        wspec = self.weights * spec
        out = np.empty((self.c, self.m))
        rows = self.m + self.q
        for c0 in range(0, self.c, self.chunk):
            c1 = min(c0 + self.chunk, self.c)
            nc = c1 - c0
            full = self.full[:nc]
            np.multiply(self.filts[c0:c1], wspec, out=full[:, :N // 2 + 1])
            padded = self.padded[:nc]
            np.abs(np.fft.ifft(full, axis=1), out=padded[:, self.before:self.before + N])
            # one BLAS product of every envelope row of d samples with every polyphase tap row, then the
            # shifted sum over tap rows: y[:, j] = sum_q z[:, j + q, q]
            z = (padded.reshape(nc * rows, self.d) @ self.kq.T).reshape(nc, rows, self.q)
            y = np.zeros((nc, self.m))
            for q in range(self.q):
                y += z[:, q:q + self.m, q]
            out[c0:c1] = np.sqrt(np.maximum(y, 0))
        return out.astype(np.float32)


def load_npz(path):
    """An array of testdata/ in its compact .npz encoding (testdata/README.md), as float64."""
    z = np.load(path)
    shape = tuple(int(d) for d in z["shape"])
    if "float32_planes" in z:
        return np.ascontiguousarray(z["float32_planes"].T).view("<f4").reshape(shape).astype(np.float64)
    p = z["fixed_planes"]
    q = np.ascontiguousarray(p.T).view("<i4" if p.shape[0] == 4 else "<i8").ravel().astype(np.int64)
    for _ in range(int(z["order"])):
        q = np.cumsum(q)
    return (q * float(z["scale"])).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clips", type=int, default=8)
    ap.add_argument("--check", default=None,
                    help="testdata/golden/cochleagram folder: compare with coch_tf_noise (testdata/README.md)")
    args = ap.parse_args()
    coch = Coch()
    rng = np.random.default_rng(2017)
    if args.check:
        x = load_npz(os.path.join(args.check, "input_noise.npz")).astype(np.float32)
        ref = load_npz(os.path.join(args.check, "coch_tf_noise.npz"))
        got = coch(x).astype(np.float64)
        print("check_max_abs_diff_over_max", float(np.max(np.abs(got - ref)) / np.max(ref)))
    clip = rng.standard_normal(N).astype(np.float32)
    clip /= np.max(np.abs(clip))
    coch(clip)  # warm-up: first call page-faults its buffers
    times = []
    cpu = []
    for _ in range(args.clips):
        t0 = time.perf_counter()
        c0 = time.process_time()
        coch(clip)
        cpu.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
    print("numpy", np.__version__)
    print("clips", args.clips)
    print("best_s", min(times))
    print("median_s", float(np.median(times)))
    print("clips_per_s", args.clips / sum(times))
    # CPU time of the process: less sensitive than wall time to other jobs on a shared machine
    print("cpu_s_per_clip", sum(cpu) / args.clips)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
