"""A packer that does what the 2017 seed (Wav_into_HDF5_python.py) did, for the benchmark.

Same steps and libraries as the seed: glob every .wav under the downloads folder, scipy.io.wavfile,
zero-pad to 10 s, scipy.signal.resample to 160000 when the rate is not 16 kHz, float32, (L+R)/2,
divide by max|x|, one h5py row per clip into a preallocated /wav float32 (N, 160000) and /labels bool
(N, 527), size attribute, and the seed's structured metadata .npy. Written for this project (not the
seed's code); the only addition is an fsync of both outputs at the end, so that the timing compares
with the Java packer, which syncs before renaming.

usage: seed_like_packer.py DOWNLOADS CSV LABELS_CSV OUT_DIR
"""
import csv
import glob
import os
import sys
import time

import h5py
import numpy as np
import scipy.io.wavfile
import scipy.signal


def read_segments(path):
    rows = {}
    with open(path) as f:
        for rec in csv.reader((line for line in f if not line.startswith("#")), skipinitialspace=True):
            if len(rec) >= 4:
                rows[rec[0]] = rec
    return rows


def read_label_indices(path):
    with open(path) as f:
        reader = csv.reader(f)
        next(reader)
        return {rec[1]: int(rec[0]) for rec in reader}


def prepare(path):
    rate, audio = scipy.io.wavfile.read(path)
    want = rate * 10
    padded = audio.shape[0] < want
    if padded:
        pad = [(0, want - audio.shape[0])] + [(0, 0)] * (audio.ndim - 1)
        audio = np.pad(audio, pad, "constant")
    audio = audio[:want]
    if rate != 16000:
        audio = scipy.signal.resample(audio, 160000)
    audio = audio.astype(np.float32)
    mono = audio.sum(axis=1) / 2.0 if audio.ndim == 2 else audio
    peak = float(np.max(np.abs(mono)))
    if peak != 0:
        mono = mono / peak
    return mono, peak, padded


def main(downloads, segments_csv, labels_csv, out_dir):
    start_time = time.time()
    segments = read_segments(segments_csv)
    label_index = read_label_indices(labels_csv)
    files = glob.glob(os.path.join(downloads, "**", "*.wav"), recursive=True)
    np.random.shuffle(files)
    base = os.path.splitext(os.path.basename(segments_csv))[0]
    out = os.path.join(out_dir, base + ".hdf5")
    store = h5py.File(out, "w")
    wav = store.create_dataset("wav", (len(files), 160000), dtype=np.float32)
    labels = store.create_dataset("labels", (len(files), 527), dtype=bool)
    meta = []
    index = 0
    for path in files:
        try:
            mono, peak, padded = prepare(path)
            ytid = os.path.splitext(os.path.basename(path))[0][3:]
            rec = segments[ytid]
            hot = [False] * 527
            for mid in rec[3].split(","):
                hot[label_index[mid]] = True
            wav[index] = mono
            labels[index] = hot
            meta.append((ytid, int(float(rec[1])), int(float(rec[2])), rec[3], peak, padded))
            index += 1
        except Exception as e:  # the seed printed and went on
            print("ERROR READING:", path, e)
    store.attrs.create("size", index)
    store.close()
    dtype = dict(names=["YTID", "start", "end", "labels", "norm", "padded"],
                 formats=["|S20", "i4", "i4", "|S1000", "f8", "b"])
    npy = os.path.join(out_dir, base + "_metadata.npy")
    np.save(npy, np.array(meta, dtype=dtype))
    for p in (out, npy):
        fd = os.open(p, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    elapsed = time.time() - start_time
    print("python_rows=%d python_seconds=%.3f" % (index, elapsed))


if __name__ == "__main__":
    main(*sys.argv[1:5])
