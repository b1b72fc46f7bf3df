#!/usr/bin/env python3
"""What SimpleITK reports for every test image: writes sitk_reference.txt,
the reference that tests/test_io.c compares radx_image_read() with.

    /work/pyrad-venv/bin/python tests/data/io/sitk_reference.py   # from the project root

(needs SimpleITK and numpy; run make_io_files.py first). One line per file:

  <path> ok <pixel> <ndim> <nx> <ny> <nz> <sx> <sy> <sz> <ox> <oy> <oz> <d0> ... <d8>
         <sum> <min> <max> <nprobes> {<i> <j> <k> <value>}...
  <path> error <SimpleITK's message, last line>
  <path> unsupported <what SimpleITK read that radx refuses: 4-D, vector, complex>

Geometry is SimpleITK's GetSpacing/GetOrigin/GetDirection (ITK's LPS
convention); a 2D image is written as radx stores it: size 1, spacing 1,
origin 0 along z and an identity third row/column of the direction.
Values: a scalar image's voxels; for RGB/RGBA (PNG) images the ITU-R BT.601
luminance 0.299 R + 0.587 G + 0.114 B that radx computes (SimpleITK returns
the colour components); for grey + alpha the grey component. <pixel> is the
component type as radx_pixel_type names it (float64 for luminance images)."""

import glob
import os
import sys

import numpy as np
import SimpleITK as sitk

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

PIXEL = {sitk.sitkInt8: "int8", sitk.sitkUInt8: "uint8", sitk.sitkInt16: "int16",
         sitk.sitkUInt16: "uint16", sitk.sitkInt32: "int32", sitk.sitkUInt32: "uint32",
         sitk.sitkInt64: "int64", sitk.sitkUInt64: "uint64", sitk.sitkFloat32: "float32",
         sitk.sitkFloat64: "float64",
         sitk.sitkVectorInt8: "int8", sitk.sitkVectorUInt8: "uint8", sitk.sitkVectorInt16: "int16",
         sitk.sitkVectorUInt16: "uint16", sitk.sitkVectorFloat32: "float32",
         sitk.sitkVectorFloat64: "float64"}


def files():
    names = []
    for pattern in ("tests/data/io/*.nii", "tests/data/io/*.nii.gz", "tests/data/io/*.nrrd",
                    "tests/data/io/*.nhdr", "tests/data/io/*.png", "tests/data/examples/*.nrrd",
                    "tests/data/ibsi/nifti/*.nii.gz"):
        names += sorted(glob.glob(os.path.join(ROOT, pattern)))
    return [os.path.relpath(n, ROOT) for n in names]


def voxels(image):
    """x-fastest voxel values as float64, shape (nz, ny, nx)."""
    a = sitk.GetArrayFromImage(image)
    n = image.GetNumberOfComponentsPerPixel()
    if n == 1:
        values = a.astype(np.float64)
    elif n == 2:
        values = a[..., 0].astype(np.float64)
    else:
        # ITU-R BT.601 luma, evaluated left to right in double precision
        r, g, b = (a[..., c].astype(np.float64) for c in range(3))
        values = 0.299 * r + 0.587 * g + 0.114 * b
    if values.ndim == 2:
        values = values[np.newaxis, :, :]
    return values


def geometry(image):
    d = image.GetDimension()
    size = list(image.GetSize()) + [1] * (3 - d)
    spacing = list(image.GetSpacing()) + [1.0] * (3 - d)
    origin = list(image.GetOrigin()) + [0.0] * (3 - d)
    direction = np.identity(3)
    direction[:d, :d] = np.array(image.GetDirection()).reshape(d, d)
    return d, size, spacing, origin, list(direction.reshape(9))


def probes(values):
    nz, ny, nx = values.shape
    picks = [(0, 0, 0), (nx - 1, ny - 1, nz - 1), (nx // 2, ny // 2, nz // 2)]
    flat = values.reshape(-1)
    for index in (int(np.argmax(flat)), int(np.argmin(flat))):
        picks.append((index % nx, index // nx % ny, index // (nx * ny)))
    state = 12345
    for _ in range(5):
        state = (1103515245 * state + 12345) % 2**31
        index = state % flat.size
        picks.append((index % nx, index // nx % ny, index // (nx * ny)))
    return [(i, j, k, values[k, j, i]) for i, j, k in picks]


def record(path):
    try:
        image = sitk.ReadImage(os.path.join(ROOT, path))
    except RuntimeError as e:
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        return "%s error %s" % (path, lines[-1] if lines else "?")
    if image.GetDimension() > 3:
        return "%s unsupported %d-D image" % (path, image.GetDimension())
    components = image.GetNumberOfComponentsPerPixel()
    if image.GetPixelID() not in PIXEL or (components > 1 and not path.endswith(".png")):
        return "%s unsupported %s with %d components" % (path, image.GetPixelIDTypeAsString().replace(" ", "_"), components)
    d, size, spacing, origin, direction = geometry(image)
    values = voxels(image)
    pixel = PIXEL[image.GetPixelID()]
    if image.GetNumberOfComponentsPerPixel() > 2:
        pixel = "float64"
    fields = [path, "ok", pixel, str(d)] + [str(s) for s in size]
    fields += [repr(float(x)) for x in spacing + origin + direction]
    fields += [repr(float(values.sum())), repr(float(values.min())), repr(float(values.max()))]
    picks = probes(values)
    fields.append(str(len(picks)))
    for i, j, k, v in picks:
        fields += [str(i), str(j), str(k), repr(float(v))]
    return " ".join(fields)


def main():
    lines = ["# SimpleITK %s: tests/data/io/sitk_reference.py" % sitk.Version.VersionString()]
    lines += [record(p) for p in files()]
    with open(os.path.join(HERE, "sitk_reference.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(l[:150] for l in lines), file=sys.stderr)


if __name__ == "__main__":
    main()
