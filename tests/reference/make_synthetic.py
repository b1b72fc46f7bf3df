#!/usr/bin/env python3
"""Write radx's synthetic test images and masks (tests/data/synthetic/) and tests/reference/cases.csv.

Deterministic: every case draws from its own numpy legacy RandomState (a frozen stream) seeded with
BASE_SEED + the case's index, smoothing is a plain separable convolution, and the writers (SimpleITK
NIfTI / NRRD / PNG) store no timestamps, so two runs give byte-identical files.

Run with the reference venv (numpy + SimpleITK), from anywhere:
    tests/reference/.venv/bin/python tests/reference/make_synthetic.py
"""

import csv
import os
import sys

import numpy as np
import SimpleITK as sitk

BASE_SEED = 20240611
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
OUT_DIR = os.path.join(ROOT, 'tests', 'data', 'synthetic')
CASES_CSV = os.path.join(ROOT, 'tests', 'reference', 'cases.csv')

CONFIGS_3D = 'bw25 bw5 bc32 resample force2d bw25_nowt'
CONFIGS_2D = 'bw25 bw5 bc32 resample2d'

# Real images shipped in tests/data (not generated here): case, image, mask, label, dims.
FIXED_CASES = [
    ('brain1', 'tests/data/examples/brain1_image.nrrd', 'tests/data/examples/brain1_label.nrrd', 1, 3),
    ('breast1', 'tests/data/examples/breast1_image.nrrd', 'tests/data/examples/breast1_label.nrrd', 1, 3),
    ('prostate_l8', 'tests/data/examples/prostate_phantom_subvolume.nrrd',
     'tests/data/examples/prostate_phantom_subvolume-label.nrrd', 8, 3),
    ('prostate_l9', 'tests/data/examples/prostate_phantom_subvolume.nrrd',
     'tests/data/examples/prostate_phantom_subvolume-label.nrrd', 9, 3),
    ('ibsi_phantom', 'tests/data/ibsi/nifti/phantom.nii.gz', 'tests/data/ibsi/nifti/mask.nii.gz', 1, 3),
]


# ---------------------------------------------------------------------------------------------
# Building blocks: textures and mask shapes (numpy arrays in SimpleITK order: [z,] y, x)
# ---------------------------------------------------------------------------------------------

def gaussian_kernel(sigma):
    radius = max(1, int(np.ceil(3.0 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def smooth(a, sigma):
    """Separable Gaussian smoothing with reflective borders (deterministic, no FFT)."""
    k = gaussian_kernel(sigma)
    r = (len(k) - 1) // 2
    out = a.astype(np.float64)
    for axis in range(out.ndim):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (r, r)
        padded = np.pad(out, pad, mode='reflect' if out.shape[axis] > r else 'edge')
        out = np.apply_along_axis(lambda v: np.convolve(v, k, mode='valid'), axis, padded)
    return out


def unit(a):
    """Rescale to [0, 1]."""
    a = a - a.min()
    m = a.max()
    return a / m if m > 0 else a


def grid(shape):
    """Coordinates (one array per axis, same order as shape) in pixel units."""
    return np.meshgrid(*[np.arange(n, dtype=np.float64) for n in shape], indexing='ij')


def texture(rng, shape, lo, hi, sigma=2.0, gradient=0.5, n_blobs=3, fine=0.15):
    """Smoothed noise + a linear gradient + Gaussian bumps + a little fine noise, scaled to [lo, hi]."""
    coords = grid(shape)
    t = unit(smooth(rng.standard_normal(shape), sigma))
    direction = rng.uniform(-1.0, 1.0, size=len(shape))
    ramp = sum(d * c / max(n - 1, 1) for d, c, n in zip(direction, coords, shape))
    t = t + gradient * unit(ramp)
    for _ in range(n_blobs):
        centre = [rng.uniform(0, n - 1) for n in shape]
        width = rng.uniform(0.08, 0.25) * min(shape[-2:])
        amp = rng.uniform(-0.8, 0.8)
        t = t + amp * np.exp(-0.5 * sum((c - m) ** 2 for c, m in zip(coords, centre)) / width ** 2)
    t = t + fine * rng.standard_normal(shape)
    return lo + (hi - lo) * unit(t)


def as_int16(a):
    return np.round(a).astype(np.int16)


def quantised(a, step):
    """float64 values on a grid of `step` (compresses well and puts some values exactly on bin edges)."""
    return np.round(a / step) * step


def blob(rng, shape, centre, radii, roughness=0.35, sigma=3.0):
    """Irregular blob: an ellipse(oid) whose boundary is perturbed by smoothed noise."""
    coords = grid(shape)
    r2 = sum(((c - m) / r) ** 2 for c, m, r in zip(coords, centre, radii))
    noise = smooth(rng.standard_normal(shape), sigma)
    noise = noise / (np.abs(noise).max() + 1e-12)
    return r2 + roughness * noise < 1.0


def ellipse(shape, centre, radii):
    coords = grid(shape)
    return sum(((c - m) / r) ** 2 for c, m, r in zip(coords, centre, radii)) <= 1.0


def ring(shape, centre, r_out, r_in):
    coords = grid(shape)
    d = np.sqrt(sum((c - m) ** 2 for c, m in zip(coords, centre)))
    return (d <= r_out) & (d > r_in)


def to_mask(b, label=1, dtype=np.uint8):
    return np.where(b, label, 0).astype(dtype)


# ---------------------------------------------------------------------------------------------
# The cases.  Each returns (image array, mask array, label, extra info); geometry is in SPECS.
# ---------------------------------------------------------------------------------------------

def c_blob_int16(rng):
    shape = (80, 96)
    img = as_int16(texture(rng, shape, 40, 900))
    return img, to_mask(blob(rng, shape, (40, 48), (24, 30))), 1


def c_blob_float(rng):
    shape = (100, 120)
    img = texture(rng, shape, 100.0, 700.0, sigma=3.0)
    return img, to_mask(blob(rng, shape, (52, 58), (38, 44), roughness=0.5)), 1


def c_ring_int16(rng):
    shape = (80, 80)
    img = as_int16(texture(rng, shape, 0, 600, sigma=1.5))
    return img, to_mask(ring(shape, (40, 38), 30, 14)), 1


def c_ring_float(rng):
    shape = (64, 64)
    img = quantised(texture(rng, shape, 200.0, 520.0), 0.125)
    return img, to_mask(ring(shape, (26, 36), 20, 6) | ellipse(shape, (26, 36), (2, 2))), 1


def c_border_corner(rng):
    shape = (56, 72)
    img = as_int16(texture(rng, shape, 300, 1100, sigma=2.5))
    return img, to_mask(blob(rng, shape, (0, 0), (30, 40))), 1


def c_border_all(rng):
    shape = (40, 40)
    img = texture(rng, shape, 0.0, 400.0, sigma=1.0)
    b = np.ones(shape, dtype=bool)
    b[12:20, 15:27] = False      # a hole; the ROI touches all four borders
    return img, to_mask(b), 1


def c_line_h(rng):
    shape = (30, 50)
    img = as_int16(texture(rng, shape, 0, 500))
    b = np.zeros(shape, dtype=bool)
    b[14, 8:42] = True           # straight 1-pixel line: a 1-D ROI
    return img, to_mask(b), 1


def c_line_diag(rng):
    shape = (48, 48)
    img = texture(rng, shape, 50.0, 450.0, sigma=1.5)
    b = np.zeros(shape, dtype=bool)
    for i in range(4, 44):
        b[i, i] = True           # 1-pixel diagonal, 8-connected
    return img, to_mask(b), 1


def c_line_curve(rng):
    shape = (64, 16)
    img = as_int16(texture(rng, shape, -100, 400, sigma=1.0))
    b = np.zeros(shape, dtype=bool)
    for y in range(2, 62):       # 1-pixel-wide wavy vertical curve
        x = int(round(7.5 + 5.0 * np.sin(y / 6.0)))
        b[y, x] = True
    return img, to_mask(b), 1


def c_const(rng):
    shape = (48, 48)
    img = as_int16(texture(rng, shape, 0, 800))
    b = blob(rng, shape, (24, 24), (14, 16))
    img[b] = 437                 # one grey level inside the ROI
    return img, to_mask(b), 1


def c_one_bin(rng):
    shape = (40, 48)
    img = texture(rng, shape, 0.0, 800.0)
    b = blob(rng, shape, (20, 22), (12, 14))
    img[b] = 101.0 + 23.0 * unit(texture(rng, shape, 0, 1))[b]   # 101..124: one bin at width 25
    return img, to_mask(b), 1


def c_three_px(rng):
    shape = (16, 16)
    img = as_int16(texture(rng, shape, 0, 300, sigma=1.0))
    b = np.zeros(shape, dtype=bool)
    b[7, 7] = b[7, 8] = b[8, 7] = True   # L-shape, not collinear
    return img, to_mask(b), 1


def c_one_px(rng):
    shape = (20, 20)
    img = as_int16(texture(rng, shape, 0, 300, sigma=1.0))
    b = np.zeros(shape, dtype=bool)
    b[9, 11] = True              # a single pixel: PyRadiomics refuses it
    return img, to_mask(b), 1


def c_multilabel(rng):
    shape = (100, 100)
    img = as_int16(texture(rng, shape, 0, 1000, sigma=2.0))
    m = np.zeros(shape, dtype=np.uint8)
    m[blob(rng, shape, (30, 30), (20, 22))] = 1
    m[blob(rng, shape, (68, 62), (22, 26))] = 2
    m[ellipse(shape, (30, 75), (10, 14))] = 3
    return img, m, 2


def c_label255(rng):
    shape = (60, 70)
    img = texture(rng, shape, 500.0, 1500.0, sigma=2.0)
    return img, to_mask(blob(rng, shape, (30, 35), (20, 24)), label=255), 255


def c_small(rng):
    shape = (16, 20)
    img = texture(rng, shape, 10.0, 260.0, sigma=1.0)
    return img, to_mask(ellipse(shape, (8, 10), (2.6, 3.2))), 1


def c_two_blobs(rng):
    shape = (160, 160)
    img = as_int16(texture(rng, shape, 0, 1200, sigma=4.0, n_blobs=6))
    b = blob(rng, shape, (50, 50), (30, 36)) | blob(rng, shape, (112, 110), (28, 24))
    return img, to_mask(b), 1


def c_negative(rng):
    shape = (72, 88)
    img = as_int16(texture(rng, shape, -320, 480, sigma=2.0))
    return img, to_mask(blob(rng, shape, (36, 44), (26, 32))), 1


def c_stripes(rng):
    shape = (64, 64)
    y, x = grid(shape)
    img = 100 + 200 * ((x // 3 + y // 5) % 2) + 30 * ((x // 7) % 3)
    img = as_int16(img + 6 * rng.standard_normal(shape))
    return img, to_mask(blob(rng, shape, (32, 32), (24, 26))), 1


def c_wide_range(rng):
    shape = (70, 60)
    img = texture(rng, shape, -200.0, 1500.0, sigma=1.5)
    return img, to_mask(blob(rng, shape, (35, 30), (26, 22))), 1


def c_narrow_range(rng):
    shape = (50, 50)
    img = texture(rng, shape, 0.0, 60.0, sigma=2.0)
    return img, to_mask(blob(rng, shape, (25, 25), (18, 18))), 1


def c_aniso(rng):
    shape = (120, 24)
    img = as_int16(texture(rng, shape, 0, 700, sigma=2.0))
    return img, to_mask(blob(rng, shape, (60, 12), (45, 9))), 1


def c_pinholes(rng):
    shape = (56, 56)
    img = texture(rng, shape, 0.0, 900.0, sigma=2.0)
    b = ellipse(shape, (28, 28), (22, 20))
    for y, x in [(20, 20), (28, 30), (33, 22), (24, 36), (36, 36)]:
        b[y, x] = False          # 1-pixel holes
    return img, to_mask(b), 1


def c_png_blob255(rng):
    shape = (96, 128)
    img = np.round(texture(rng, shape, 0, 255, sigma=2.0)).astype(np.uint8)
    return img, to_mask(blob(rng, shape, (48, 64), (32, 40)), label=255), 255


def c_png_ring(rng):
    shape = (64, 80)
    img = np.round(texture(rng, shape, 20, 250, sigma=1.5)).astype(np.uint8)
    return img, to_mask(ring(shape, (32, 40), 26, 10)), 1


# 3D

def c3_blob_int16(rng):
    shape = (24, 40, 48)
    img = as_int16(texture(rng, shape, -150, 850, sigma=2.0))
    return img, to_mask(blob(rng, shape, (12, 20, 24), (8, 14, 17))), 1


def c3_shell_float(rng):
    shape = (16, 32, 32)
    img = quantised(texture(rng, shape, 100.0, 600.0, sigma=1.5), 0.25)
    return img, to_mask(ring(shape, (8, 16, 15), 9, 4.5)), 1


def c3_border_nrrd(rng):
    shape = (20, 40, 40)
    img = as_int16(texture(rng, shape, 0, 1200, sigma=2.0))
    return img, to_mask(blob(rng, shape, (20, 39, 10), (12, 18, 16))), 1


def c3_const(rng):
    shape = (24, 24, 24)
    img = as_int16(texture(rng, shape, 0, 500, sigma=1.5))
    b = blob(rng, shape, (12, 12, 12), (8, 9, 7))
    img[b] = 250
    return img, to_mask(b), 1


def c3_multilabel_nrrd(rng):
    shape = (18, 36, 36)
    img = as_int16(texture(rng, shape, 0, 700, sigma=1.5))
    m = np.zeros(shape, dtype=np.uint8)
    m[blob(rng, shape, (9, 12, 12), (7, 9, 9))] = 1
    m[blob(rng, shape, (9, 24, 24), (7, 10, 10))] = 2
    return img, m, 2


def c3_plate(rng):
    shape = (12, 40, 40)
    img = texture(rng, shape, 0.0, 500.0, sigma=1.5)
    b = np.zeros(shape, dtype=bool)
    b[6] = blob(rng, shape[1:], (20, 20), (14, 15))   # one voxel thick
    return img, to_mask(b), 1


def c3_negative_float(rng):
    shape = (20, 28, 32)
    img = texture(rng, shape, -400.0, 300.0, sigma=2.0)
    return img, to_mask(blob(rng, shape, (10, 14, 16), (7, 10, 12))), 1


# name, builder, extension (image, mask), spacing (x, y[, z]), origin (x, y[, z])
SPECS = [
    ('syn2d_blob_int16', c_blob_int16, 'nii.gz', (0.7, 0.9), (-30.5, 12.25)),
    ('syn2d_blob_float', c_blob_float, 'nii.gz', (0.5, 0.5), (100.0, -50.0)),
    ('syn2d_ring_int16', c_ring_int16, 'nii.gz', (1.2, 0.8), (3.0, 4.0)),
    ('syn2d_ring_float', c_ring_float, 'nii.gz', (0.9, 0.9), (-7.25, -9.5)),
    ('syn2d_border_corner', c_border_corner, 'nii.gz', (0.75, 0.625), (10.0, 20.0)),
    ('syn2d_border_all', c_border_all, 'nii.gz', (1.0, 1.0), (-1.0, 1.0)),
    ('syn2d_line_h', c_line_h, 'nii.gz', (0.8, 0.8), (0.5, 0.5)),
    ('syn2d_line_diag', c_line_diag, 'nii.gz', (0.6, 0.6), (5.0, 5.0)),
    ('syn2d_line_curve', c_line_curve, 'nii.gz', (0.6, 1.4), (-2.0, 3.5)),
    ('syn2d_const', c_const, 'nii.gz', (1.1, 0.7), (12.5, -3.75)),
    ('syn2d_one_bin', c_one_bin, 'nii.gz', (0.85, 0.85), (0.0, 40.0)),
    ('syn2d_three_px', c_three_px, 'nii.gz', (0.7, 0.9), (1.0, 2.0)),
    ('syn2d_one_px', c_one_px, 'nii.gz', (1.0, 1.0), (0.0, 0.0)),
    ('syn2d_multilabel', c_multilabel, 'nii.gz', (0.8, 0.8), (-40.0, -40.0)),
    ('syn2d_label255', c_label255, 'nii.gz', (0.65, 0.95), (7.0, 11.0)),
    ('syn2d_small', c_small, 'nii.gz', (1.5, 1.25), (-3.0, 6.0)),
    ('syn2d_two_blobs', c_two_blobs, 'nii.gz', (0.4, 0.4), (-32.0, -32.0)),
    ('syn2d_negative', c_negative, 'nii.gz', (0.976, 0.976), (-250.0, 180.0)),
    ('syn2d_stripes', c_stripes, 'nii.gz', (1.0, 2.0), (0.0, -10.0)),
    ('syn2d_wide_range', c_wide_range, 'nii.gz', (0.55, 0.7), (2.5, 2.5)),
    ('syn2d_narrow_range', c_narrow_range, 'nii.gz', (1.0, 1.0), (8.0, 9.0)),
    ('syn2d_aniso', c_aniso, 'nii.gz', (2.0, 0.3), (-5.0, 5.0)),
    ('syn2d_pinholes', c_pinholes, 'nii.gz', (0.9, 1.1), (30.0, 31.0)),
    ('syn2d_png_blob255', c_png_blob255, 'png', (1.0, 1.0), (0.0, 0.0)),
    ('syn2d_png_ring', c_png_ring, 'png', (1.0, 1.0), (0.0, 0.0)),
    ('syn3d_blob_int16', c3_blob_int16, 'nii.gz', (0.8, 0.8, 2.5), (-20.0, -16.0, 30.0)),
    ('syn3d_shell_float', c3_shell_float, 'nii.gz', (1.0, 1.0, 1.5), (4.5, -4.5, 0.75)),
    ('syn3d_border', c3_border_nrrd, 'nrrd', (0.7, 0.9, 1.8), (100.0, 50.0, -25.0)),
    ('syn3d_const', c3_const, 'nii.gz', (1.2, 1.2, 1.2), (0.0, 0.0, 10.0)),
    ('syn3d_multilabel', c3_multilabel_nrrd, 'nrrd', (0.6, 0.6, 2.0), (-10.0, 10.0, -5.0)),
    ('syn3d_plate', c3_plate, 'nii.gz', (0.75, 0.75, 3.0), (1.0, 2.0, 3.0)),
    ('syn3d_negative_float', c3_negative_float, 'nii.gz', (0.9, 0.7, 1.6), (-60.0, 25.0, 12.0)),
]


def write(array, spacing, origin, path):
    img = sitk.GetImageFromArray(array)
    if not path.endswith('.png'):          # PNG has no geometry (SimpleITK reads spacing 1, origin 0)
        img.SetSpacing(spacing)
        img.SetOrigin(origin)
    sitk.WriteImage(img, path, True)       # useCompression: gzip for NRRD (.nii.gz is always gzipped)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    rows = [(c, i, m, lab, d, CONFIGS_3D) for c, i, m, lab, d in FIXED_CASES]
    total = 0
    for index, (name, build, ext, spacing, origin) in enumerate(SPECS):
        rng = np.random.RandomState(BASE_SEED + index)
        img, mask, label = build(rng)
        dims = img.ndim
        assert dims == len(spacing) == len(origin), name
        assert np.count_nonzero(mask == label) > 0, name
        rel_img = 'tests/data/synthetic/%s_image.%s' % (name, ext)
        rel_mask = 'tests/data/synthetic/%s_mask.%s' % (name, ext)
        write(img, spacing, origin, os.path.join(ROOT, rel_img))
        write(mask, spacing, origin, os.path.join(ROOT, rel_mask))
        total += os.path.getsize(os.path.join(ROOT, rel_img)) + os.path.getsize(os.path.join(ROOT, rel_mask))
        rows.append((name, rel_img, rel_mask, label, dims, CONFIGS_3D if dims == 3 else CONFIGS_2D))
        print('%-22s %-8s %-18s %-8s roi %6d px  range %9.3f..%9.3f' % (
            name, img.dtype, 'x'.join(str(n) for n in img.shape[::-1]), ext,
            np.count_nonzero(mask == label), float(img[mask == label].min()), float(img[mask == label].max())))
    with open(CASES_CSV, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['case', 'image', 'mask', 'label', 'dims', 'configs'])
        w.writerows(rows)
    print('%d synthetic cases, %.1f kB; %d cases in %s' % (
        len(SPECS), total / 1024.0, len(rows), os.path.relpath(CASES_CSV, ROOT)), file=sys.stderr)


if __name__ == '__main__':
    main()
