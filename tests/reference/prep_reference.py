#!/usr/bin/env python3
"""Reference data for tests/test_prep.c: PyRadiomics' own preprocessing functions
(radiomics.imageoperations and RadiomicsFeatureExtractor.loadImage) run on small seeded
synthetic images, written to tests/data/prep/.

Run from the project root with the reference virtual environment:
    tests/reference/.venv/bin/python tests/reference/prep_reference.py

Output (tests/data/prep/):
  reference.txt   one record per line (see README.md there):
                  image NAME TYPE sx sy sz  spx spy spz  ox oy oz  d00 .. d22  FILE
                  bbox NAME x0 x1 y0 y1 z0 z1          (inclusive, PyRadiomics' boundingBox)
                  edges NAME n e0 .. e(n-1)            (getBinEdges, %.17g)
                  levels NAME ng FILE                  (binImage result, int32, whole array)
                  error NAME message                   (PyRadiomics raised ValueError or RuntimeError)
                  value NAME v
  *.f64 / *.u8 / *.i32   raw little-endian arrays, x fastest (numpy C order of [z, y, x])
"""
import math
import os
import sys

import numpy as np
import SimpleITK as sitk

import radiomics
from radiomics import featureextractor, imageoperations

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "prep")

PIXEL_NAMES = {
    sitk.sitkFloat64: "float64",
    sitk.sitkFloat32: "float32",
    sitk.sitkInt16: "int16",
    sitk.sitkUInt8: "uint8",
    sitk.sitkUInt32: "uint32",
}

records = []


def save_array(name, array, dtype):
    fname = name.replace("/", "_") + {"<f8": ".f64", "u1": ".u8", "<i4": ".i32"}[dtype]
    np.ascontiguousarray(array, dtype=dtype).tofile(os.path.join(OUT, fname))
    return fname


def put_image(name, image, as_mask_label=None):
    """Store an image: values as float64, or (as_mask_label) the 0/1 mask of that label."""
    arr = sitk.GetArrayFromImage(image)
    if as_mask_label is not None:
        fname = save_array(name, (arr == as_mask_label).astype(np.uint8), "u1")
        ptype = "mask01"
    else:
        fname = save_array(name, arr.astype(np.float64), "<f8")
        ptype = PIXEL_NAMES[image.GetPixelID()]
    size = image.GetSize()
    spacing = image.GetSpacing()
    origin = image.GetOrigin()
    direction = image.GetDirection()
    if image.GetDimension() == 2:  # not used: 2D cases are single-slice volumes
        raise SystemExit("2D images are stored as single-slice volumes")
    fields = ["image", name, ptype] + [str(v) for v in size]
    fields += [repr(float(v)) for v in spacing + origin + direction]
    fields.append(fname)
    records.append(" ".join(fields))


def put_bbox(name, bb):
    records.append("bbox %s %s" % (name, " ".join(str(int(v)) for v in bb)))


def put_error(name, exc):
    records.append("error %s %s" % (name, str(exc).replace("\n", " ")[:200]))


def put_value(name, v):
    records.append("value %s %r" % (name, float(v)))


def make_image(arr_zyx, pixel_type, spacing, origin, direction):
    img = sitk.GetImageFromArray(arr_zyx)
    img = sitk.Cast(img, pixel_type)
    img.SetSpacing(spacing)
    img.SetOrigin(origin)
    img.SetDirection(direction)
    return img


def rotation(deg_z, deg_x):
    a, b = math.radians(deg_z), math.radians(deg_x)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    return tuple(float(v) for v in (rz @ rx).ravel())


def ellipsoid(shape_zyx, center_xyz, radii_xyz):
    z, y, x = np.indices(shape_zyx)
    d = ((x - center_xyz[0]) / radii_xyz[0]) ** 2 + ((y - center_xyz[1]) / radii_xyz[1]) ** 2
    d = d + ((z - center_xyz[2]) / radii_xyz[2]) ** 2
    return d <= 1.0


# ---------------------------------------------------------------------------------------------
# The synthetic cases
# ---------------------------------------------------------------------------------------------

def case_a():
    """3D int16, anisotropic spacing, oblique direction, non-zero origin, labels 1, 2, 7."""
    rng = np.random.default_rng(20241)
    nz, ny, nx = 9, 15, 17
    z, y, x = np.indices((nz, ny, nx))
    arr = 200 + 150 * np.sin(x / 3.0) * np.cos(y / 4.0) + 20 * z + rng.normal(0, 30, (nz, ny, nx))
    arr = np.round(arr).astype(np.int16)
    mask = np.zeros((nz, ny, nx), np.uint8)
    mask[ellipsoid((nz, ny, nx), (8, 7, 4), (5.2, 4.3, 2.6))] = 1
    mask[0:2, 0:3, 0:3] = 2
    mask[7:9, 12:15, 14:17] = 7
    geo = dict(spacing=(0.74, 0.81, 2.2), origin=(-12.3, 40.1, -7.5), direction=rotation(20, 5))
    return (make_image(arr, sitk.sitkInt16, **geo), make_image(mask, sitk.sitkUInt8, **geo))


def case_b():
    """3D float64, spacing 0.5 x 0.5 x 1.25 (2x downsampling ties), flipped axes."""
    rng = np.random.default_rng(20242)
    nz, ny, nx = 6, 16, 20
    z, y, x = np.indices((nz, ny, nx))
    arr = 0.8 * x - 0.5 * y + 3.0 * z + rng.normal(0, 1.5, (nz, ny, nx))
    mask = np.zeros((nz, ny, nx), np.uint8)
    mask[ellipsoid((nz, ny, nx), (9.5, 7.2, 2.4), (6.1, 5.0, 2.2))] = 1
    mask[rng.random((nz, ny, nx)) < 0.05] = 0  # a few holes
    geo = dict(spacing=(0.5, 0.5, 1.25), origin=(100.0, -50.5, 12.0),
               direction=(-1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 1.0))
    return (make_image(arr, sitk.sitkFloat64, **geo), make_image(mask, sitk.sitkUInt8, **geo))


def case_c():
    """Single-slice uint8 'ultrasound' with saturated edges (B-spline overshoot is clamped)."""
    rng = np.random.default_rng(20243)
    ny, nx = 20, 24
    y, x = np.indices((ny, nx))
    arr = np.where((x > 6) & (x < 17) & (y > 4) & (y < 15), 250, 8) + rng.integers(0, 6, (ny, nx))
    arr = arr.reshape(1, ny, nx).astype(np.uint8)
    mask = np.zeros((1, ny, nx), np.uint8)
    mask[0, 5:14, 7:18] = 1
    mask[0, 9, 18] = 1
    geo = dict(spacing=(0.3, 0.3, 1.0), origin=(5.0, -3.0, 0.0),
               direction=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
    return (make_image(arr, sitk.sitkUInt8, **geo), make_image(mask, sitk.sitkUInt8, **geo))


def case_f():
    """float32 with a dimension of 3 voxels (B-spline mirror boundary at its narrowest that
    ITK handles: with 2 voxels its single reflection reads outside the coefficient buffer)."""
    rng = np.random.default_rng(20246)
    nz, ny, nx = 6, 3, 9
    arr = rng.normal(10.0, 4.0, (nz, ny, nx)).astype(np.float32)
    mask = np.zeros((nz, ny, nx), np.uint8)
    mask[1:5, :, 2:7] = 1
    geo = dict(spacing=(0.9, 1.1, 1.7), origin=(1.0, 2.0, 3.0),
               direction=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
    return (make_image(arr, sitk.sitkFloat32, **geo), make_image(mask, sitk.sitkUInt8, **geo))


def case_d_mask(image_b, mask_b):
    """Mask of case B on a coarser, shifted grid (needs correctMask)."""
    ref = sitk.Image([10, 8, 3], sitk.sitkUInt8)
    ref.SetSpacing((1.0, 1.0, 2.5))
    ref.SetDirection(image_b.GetDirection())
    ref.SetOrigin(tuple(o + s for o, s in zip(image_b.GetOrigin(), (-0.25, -0.25, 0.625))))
    rif = sitk.ResampleImageFilter()
    rif.SetReferenceImage(ref)
    rif.SetInterpolator(sitk.sitkNearestNeighbor)
    return rif.Execute(mask_b)


# ---------------------------------------------------------------------------------------------
# PyRadiomics operations
# ---------------------------------------------------------------------------------------------

INTERPOLATORS = {"bspline": "sitkBSpline", "linear": "sitkLinear", "nearest": "sitkNearestNeighbor"}


def do_resample(tag, image, mask, spacing, interp, label=1, pad=5):
    m = imageoperations.getMask(mask, label=label)
    img_r, mask_r = imageoperations.resampleImage(
        image, m, resampledPixelSpacing=spacing, interpolator=INTERPOLATORS[interp],
        padDistance=pad, label=label)
    put_image(tag + ".image", img_r)
    put_image(tag + ".mask", mask_r, as_mask_label=label)


def do_bins(tag, image, mask, label, **settings):
    arr = sitk.GetArrayFromImage(image)
    roi = sitk.GetArrayFromImage(mask) == label
    levels, edges = imageoperations.binImage(arr, roi, **settings)
    records.append("edges %s %d %s" % (tag, len(edges), " ".join("%.17g" % e for e in edges)))
    fname = save_array(tag + ".levels", levels.astype(np.int32), "<i4")
    records.append("levels %s %d %s" % (tag, int(levels[roi].max()), fname))


def do_pipeline(tag, image, mask, **settings):
    """RadiomicsFeatureExtractor.execute() up to the feature classes."""
    kwargs = featureextractor.RadiomicsFeatureExtractor._getDefaultSettings()
    kwargs.update(settings)
    try:
        img, msk = featureextractor.RadiomicsFeatureExtractor.loadImage(image, mask, None, **kwargs)
        bb, corrected = imageoperations.checkMask(img, msk, **kwargs)
    except (ValueError, RuntimeError) as e:
        put_error(tag, e)
        return
    if corrected is not None:
        msk = corrected
    put_image(tag + ".image", img)
    put_image(tag + ".mask", msk, as_mask_label=kwargs["label"])
    put_bbox(tag, bb)


def do_checkmask(tag, image, mask, **settings):
    kwargs = {"label": 1, "minimumROIDimensions": 2}
    kwargs.update(settings)
    try:
        bb, corrected = imageoperations.checkMask(image, imageoperations.getMask(mask, **kwargs),
                                                  **kwargs)
    except (ValueError, RuntimeError) as e:
        put_error(tag, e)
        return
    put_bbox(tag, bb)
    if corrected is not None:
        put_image(tag + ".corrected", corrected, as_mask_label=kwargs["label"])


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith((".f64", ".u8", ".i32")):
            os.remove(os.path.join(OUT, f))
    records.append("# PyRadiomics %s, SimpleITK %s, numpy %s" % (
        radiomics.__version__, sitk.Version.VersionString(), np.__version__))

    a_img, a_mask = case_a()
    b_img, b_mask = case_b()
    c_img, c_mask = case_c()
    f_img, f_mask = case_f()
    for name, img, msk in (("A", a_img, a_mask), ("B", b_img, b_mask), ("C", c_img, c_mask),
                           ("F", f_img, f_mask)):
        put_image(name + ".input", img)
        put_image(name + ".labels", msk)

    # normalizeImage
    put_image("A.norm", imageoperations.normalizeImage(a_img))
    put_image("B.norm_s100_o2", imageoperations.normalizeImage(b_img, normalizeScale=100,
                                                               removeOutliers=2.0))

    # resampleImage, every interpolator
    for interp in INTERPOLATORS:
        do_resample("A.rs111_" + interp, a_img, a_mask, [1.0, 1.0, 1.0], interp)
        do_resample("B.rs110_" + interp, b_img, b_mask, [1.0, 1.0, 0.0], interp)
        do_resample("C.rs045_" + interp, c_img, c_mask, [0.45, 0.45, 0.0], interp)
    do_resample("F.rs05_bspline", f_img, f_mask, [0.5, 0.5, 0.5], "bspline", pad=1)
    do_resample("F.rs05_linear", f_img, f_mask, [0.5, 0.5, 0.5], "linear", pad=1)
    do_resample("A.rs0505_bspline_label7", a_img, a_mask, [0.5, 0.5, 0.0], "bspline", label=7,
                pad=2)
    do_resample("B.rs_same_bspline", b_img, b_mask, [0.5, 0.5, 1.25], "bspline", pad=3)

    # checkMask / correctMask
    d_mask = case_d_mask(b_img, b_mask)
    put_image("D.labels", d_mask)
    do_checkmask("D.check_correct", b_img, d_mask, correctMask=True)
    do_checkmask("D.check_nocorrect", b_img, d_mask)
    shifted = sitk.Image(b_mask)
    shifted.SetOrigin(tuple(o + d for o, d in zip(b_mask.GetOrigin(), (1e-4, 0.0, 0.0))))
    put_image("E.labels", shifted)
    do_checkmask("E.check_tol_default", b_img, shifted)
    do_checkmask("C.check_mindims3", c_img, c_mask, minimumROIDimensions=3)
    do_checkmask("A.check_minsize18", a_img, a_mask, label=7, minimumROISize=18)
    do_checkmask("A.check_minsize17", a_img, a_mask, label=7, minimumROISize=17)

    # binImage
    do_bins("A.bw25", a_img, a_mask, 1, binWidth=25)
    do_bins("A.bc16", a_img, a_mask, 1, binCount=16)
    do_bins("B.bw037", b_img, b_mask, 1, binWidth=0.37)
    do_bins("B.bc7", b_img, b_mask, 1, binCount=7)
    do_bins("C.bw25", c_img, c_mask, 1, binWidth=25)
    norm_b = imageoperations.normalizeImage(b_img)
    put_image("B.norm", norm_b)
    do_bins("B.norm_bw01", norm_b, b_mask, 1, binWidth=0.1)

    # the whole of loadImage + checkMask
    do_pipeline("A.pipe_resample", a_img, a_mask, resampledPixelSpacing=[1.0, 1.0, 1.0],
                interpolator="sitkBSpline", normalize=True, normalizeScale=100)
    do_pipeline("A.pipe_resample_int", a_img, a_mask, resampledPixelSpacing=[0.6, 0.6, 1.5],
                interpolator="sitkLinear")
    do_pipeline("B.pipe_precrop", b_img, b_mask, preCrop=True, padDistance=2)
    do_pipeline("D.pipe_correct", b_img, d_mask, correctMask=True,
                resampledPixelSpacing=[0.75, 0.75, 0], interpolator="sitkBSpline")
    do_pipeline("D.pipe_correct_only", b_img, d_mask, correctMask=True)
    do_pipeline("C.pipe_2d", c_img, c_mask, resampledPixelSpacing=[0.25, 0.25, 0],
                interpolator="sitkBSpline", normalize=True, removeOutliers=1.5)

    with open(os.path.join(OUT, "reference.txt"), "w") as f:
        f.write("\n".join(records) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("wrote %d records, %d bytes in %s" % (len(records), total, OUT))


if __name__ == "__main__":
    sys.exit(main())
