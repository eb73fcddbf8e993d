#!/usr/bin/env python3
"""Writes the compact test copies of the reference arrays (testdata/README.md says which and why).

Usage: make_testdata.py SOURCE_DIR TESTDATA_DIR
SOURCE_DIR holds the original reference data: golden/cochleagram/ and golden/prepare/ (.npy, .wav,
manifest.json) and audioset/ (Google's metadata files); the test copies are written under TESTDATA_DIR.
Needs numpy only.

Each encoded array is an .npz (a zip of .npy files, deflate level 9) holding:
  shape           int64 (ndim,): the array's shape
  float32_planes  uint8 (4, n): the float32 values, bit for bit, as byte planes (lossless), or
  fixed_planes    uint8 (w, n): little-endian int32 (w = 4) or int64 (w = 8) integers q as byte planes,
  scale, order    float64 and int64 scalars: the values are scale * (q summed `order` times, in flat order).
Byte planes (plane p holds byte p of every element) let deflate find the redundancy in the high bytes.
"""
import gzip
import io
import os
import shutil
import sys
import zipfile

import numpy as np

# arrays stored losslessly: test inputs
LOSSLESS = ["input_sine1k", "input_noise", "input_chirp", "input_clicks"]
# float32 reference outputs stored as fixed point, scale = one float32 ulp of the array's maximum
FIXED = (["coch_%s_%s" % (p, i) for p in ("py", "tf") for i in ("sine1k", "noise", "chirp", "clicks")]
         + ["envfull_py_noise_first400", "envfull_tf_noise_first400",
            "variant_coch_py_chirp", "variant_coch_tf_chirp"])
# small arrays copied as they are
PLAIN = ["center_freqs_hz", "variant_center_freqs_hz", "filterbank_start_bin", "filterbank_offsets"]
FILTERBANK_BITS = 46  # filterbank values in units of 2^-46, third differences
PREPARE = ["s44100_stereo_int16_10s", "s48000_mono_int16_7p3s", "s16000_mono_int16_10s",
           "s22050_stereo_float32_12s", "s8000_mono_int16_10s", "s16000_mono_int16_silence"]
GZIPPED_WAVS = {"s22050_stereo_float32_12s", "s16000_mono_int16_silence"}  # deflate shrinks these 100x


def planes(a):
    a = np.ascontiguousarray(a)
    raw = np.frombuffer(a.astype(a.dtype.newbyteorder("<")).tobytes(), np.uint8)
    return np.ascontiguousarray(raw.reshape(-1, a.itemsize).T)


def write_npz(path, **arrays):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, value in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(value), allow_pickle=False)
            z.writestr(zipfile.ZipInfo(name + ".npy", (2000, 1, 1, 0, 0, 0)), buf.getvalue(),
                       compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def decode(path):
    """The inverse, as the Java tests do it (io.github.audiosetdl.core.testing.TestData.array)."""
    z = np.load(path)
    shape = tuple(int(d) for d in z["shape"])
    if "float32_planes" in z:
        return np.ascontiguousarray(z["float32_planes"].T).view("<f4").reshape(shape)
    p = z["fixed_planes"]
    q = np.ascontiguousarray(p.T).view("<i4" if p.shape[0] == 4 else "<i8").ravel().astype(np.int64)
    for _ in range(int(z["order"])):
        q = np.cumsum(q)
    return (q * float(z["scale"])).reshape(shape)


def fixed(path, values, scale, order):
    q = np.round(values.astype(np.float64).ravel() / scale).astype(np.int64)
    for _ in range(order):
        q = np.diff(q, prepend=0)
    small = np.all(np.abs(q) < 2 ** 31)
    write_npz(path, shape=np.array(values.shape, np.int64), fixed_planes=planes(q.astype("<i4" if small else "<i8")),
              scale=np.float64(scale), order=np.int64(order))
    err = float(np.max(np.abs(decode(path) - values.astype(np.float64)))) if values.size else 0.0
    assert err <= scale / 2, (path, err, scale)
    return err


def gzip_copy(source, target):
    with open(source, "rb") as f, gzip.GzipFile(target, "wb", 9, mtime=0) as g:
        shutil.copyfileobj(f, g)


def smallest_order(path, values, scale):
    """The number of differences (0, 1 or 2; along time for a cochleagram) that makes the smallest file."""
    sizes = []
    for order in range(3):
        fixed(path, values, scale, order)
        sizes.append(os.path.getsize(path))
    return int(np.argmin(sizes))


def main():
    root, dst = sys.argv[1], sys.argv[2]
    meta_in, meta_out = os.path.join(root, "audioset"), os.path.join(dst, "audioset")
    os.makedirs(meta_out, exist_ok=True)
    for name in ("class_labels_indices.csv", "strong_sample.tsv"):
        shutil.copyfile(os.path.join(meta_in, name), os.path.join(meta_out, name))
    for name in ("eval_segments.csv", "ontology.json"):
        gzip_copy(os.path.join(meta_in, name), os.path.join(meta_out, name + ".gz"))
    src = os.path.join(root, "golden")
    coch_in, coch_out = os.path.join(src, "cochleagram"), os.path.join(dst, "golden", "cochleagram")
    prep_in, prep_out = os.path.join(src, "prepare"), os.path.join(dst, "golden", "prepare")
    os.makedirs(coch_out, exist_ok=True)
    os.makedirs(prep_out, exist_ok=True)
    for name in LOSSLESS:
        a = np.load(os.path.join(coch_in, name + ".npy"))
        assert a.dtype == np.float32
        out = os.path.join(coch_out, name + ".npz")
        write_npz(out, shape=np.array(a.shape, np.int64), float32_planes=planes(a))
        assert np.array_equal(decode(out), a)
        print("%-34s lossless" % name)
    for name in FIXED:
        a = np.load(os.path.join(coch_in, name + ".npy"))
        scale = float(np.spacing(np.float32(np.max(np.abs(a)))))
        out = os.path.join(coch_out, name + ".npz")
        order = smallest_order(out, a, scale)
        err = fixed(out, a, scale, order)
        print("%-34s order %d, max |error| %.3g = %.3g of max|ref|" % (name, order, err, err / np.max(np.abs(a))))
    v = np.load(os.path.join(coch_in, "filterbank_values.npy"))
    err = fixed(os.path.join(coch_out, "filterbank_values.npz"), v, 2.0 ** -FILTERBANK_BITS, 3)
    print("%-34s max |error| %.3g" % ("filterbank_values", err))
    for name in PLAIN:
        shutil.copyfile(os.path.join(coch_in, name + ".npy"), os.path.join(coch_out, name + ".npy"))
    shutil.copyfile(os.path.join(prep_in, "manifest.json"), os.path.join(prep_out, "manifest.json"))
    for name in PREPARE:
        wav = os.path.join(prep_in, name + ".wav")
        if name in GZIPPED_WAVS:
            gzip_copy(wav, os.path.join(prep_out, name + ".wav.gz"))
        else:
            shutil.copyfile(wav, os.path.join(prep_out, name + ".wav"))
        a = np.load(os.path.join(prep_in, name + ".expected.npy"))
        scale = float(np.spacing(np.float32(max(float(np.max(np.abs(a))), 1.0))))
        out = os.path.join(prep_out, name + ".expected.npz")
        order = smallest_order(out, a, scale)
        err = fixed(out, a, scale, order)
        print("%-34s order %d, max |error| %.3g" % (name + ".expected", order, err))


if __name__ == "__main__":
    main()
