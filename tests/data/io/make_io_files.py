#!/usr/bin/env python3
"""Write the small NIfTI-1/-2, NRRD and PNG files that tests/test_io.c and
tests/test_io_fuzz.c read (Python standard library only; deterministic bytes).

    python3 tests/data/io/make_io_files.py        # from the project root

Every file is built byte by byte from the format specifications:
  NIfTI-1: nifti1.h (https://nifti.nimh.nih.gov/pub/dist/src/niftilib/nifti1.h)
  NIfTI-2: nifti2.h (540-byte header, 64-bit dims and doubles)
  NRRD:    http://teem.sourceforge.net/nrrd/format.html (NRRD0004)
  PNG:     ISO/IEC 15948 / W3C PNG specification (chunks, CRC-32, zlib IDAT)
so the readers are checked against files no radx code wrote. What SimpleITK
(ITK 5.4) reports for each file is in sitk_reference.txt, written by
sitk_reference.py; files that are meant to fail say so in their name
(err_*)."""

import gzip
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def f32(x):
    """Round to IEEE single precision, as a float32 header field stores it."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


# ---------------------------------------------------------------- voxel data

# NIfTI datatype code -> (struct code, bytes per voxel, lowest, highest)
NIFTI_TYPES = {
    "uint8": (2, "B", 1, 0, 255),
    "int16": (4, "h", 2, -32768, 32767),
    "int32": (8, "i", 4, -2**31, 2**31 - 1),
    "float32": (16, "f", 4, None, None),
    "float64": (64, "d", 8, None, None),
    "int8": (256, "b", 1, -128, 127),
    "uint16": (512, "H", 2, 0, 65535),
    "uint32": (768, "I", 4, 0, 2**32 - 1),
    "int64": (1024, "q", 8, -2**63, 2**63 - 1),
    "uint64": (1280, "Q", 8, 0, 2**64 - 1),
}


def pattern(n, kind):
    """n voxel values of the given type, x fastest: the first two are the
    type's extremes (integers) so that conversions to double are exercised,
    the rest a signed/unsigned ramp."""
    _, code, _, lo, hi = NIFTI_TYPES[kind]
    values = []
    for v in range(n):
        if kind in ("float32", "float64"):
            x = (v - n / 3) * 0.1 + 1e-3 * v * v
            values.append(f32(x) if kind == "float32" else x)
        elif v == 0:
            values.append(lo)
        elif v == 1:
            values.append(hi)
        else:
            x = (v * 37) % 101 - (50 if lo < 0 else 0)
            values.append(x)
    return values


def pack(kind, values, endian="<"):
    code = NIFTI_TYPES[kind][1]
    return struct.pack(endian + code * len(values), *values)


# ---------------------------------------------------------------- geometry

def rotation(axis, degrees):
    """3x3 rotation matrix (rows) about a unit axis (Rodrigues)."""
    x, y, z = axis
    norm = math.sqrt(x * x + y * y + z * z)
    x, y, z = x / norm, y / norm, z / norm
    t = math.radians(degrees)
    c, s, C = math.cos(t), math.sin(t), 1 - math.cos(t)
    return [[c + x * x * C, x * y * C - z * s, x * z * C + y * s],
            [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
            [z * x * C - y * s, z * y * C + x * s, c + z * z * C]]


def quaternion(axis, degrees):
    """(b, c, d) of the unit quaternion for a rotation (a >= 0), nifti1.h."""
    x, y, z = axis
    norm = math.sqrt(x * x + y * y + z * z)
    h = math.radians(degrees) / 2
    s = math.sin(h)
    return (x / norm * s, y / norm * s, z / norm * s)


def quatern_matrix(b, c, d):
    """The rotation that nifti1.h's QUATERNION REPRESENTATION defines."""
    a = math.sqrt(max(0.0, 1.0 - (b * b + c * c + d * d)))
    return [[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
            [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
            [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]]


def affine_rows(rot, spacing, offset):
    """srow_x/y/z: rot * diag(spacing) | offset (RAS, as NIfTI stores it)."""
    return [[rot[r][0] * spacing[0], rot[r][1] * spacing[1], rot[r][2] * spacing[2], offset[r]]
            for r in range(3)]


# ---------------------------------------------------------------- NIfTI-1

def nifti1(dims, kind, values, pixdim=(1, 1, 1), qform=0, quat=(0, 0, 0), qoffset=(0, 0, 0),
           qfac=1.0, sform=0, srows=None, slope=0.0, inter=0.0, units=2, intent=0,
           datatype=None, endian="<", magic=b"n+1\0", data=None, dim0=None):
    """A single-file NIfTI-1 image (header, 4 empty extension bytes, data)."""
    e = endian
    dim = [dim0 if dim0 is not None else len(dims)] + list(dims) + [1] * (7 - len(dims))
    code, _, size, _, _ = NIFTI_TYPES[kind] if kind in NIFTI_TYPES else (datatype, "", 1, 0, 0)
    if datatype is not None:
        code = datatype
    pd = [qfac] + list(pixdim) + [0.0] * (7 - len(pixdim))
    rows = srows or [[0.0] * 4] * 3
    h = bytearray(348)
    struct.pack_into(e + "i", h, 0, 348)
    h[38] = ord("r")
    struct.pack_into(e + "8h", h, 40, *dim)
    struct.pack_into(e + "h", h, 68, intent)
    struct.pack_into(e + "h", h, 70, code)
    struct.pack_into(e + "h", h, 72, size * 8)
    struct.pack_into(e + "8f", h, 76, *pd)
    struct.pack_into(e + "f", h, 108, 352.0)
    struct.pack_into(e + "ff", h, 112, slope, inter)
    h[123] = units
    struct.pack_into(e + "hh", h, 252, qform, sform)
    struct.pack_into(e + "3f", h, 256, *quat)
    struct.pack_into(e + "3f", h, 268, *qoffset)
    for r in range(3):
        struct.pack_into(e + "4f", h, 280 + 16 * r, *rows[r])
    h[344:348] = magic
    body = data if data is not None else pack(kind, values, e)
    return bytes(h) + b"\0\0\0\0" + body


def nifti2(dims, kind, values, pixdim=(1, 1, 1), qform=0, quat=(0, 0, 0), qoffset=(0, 0, 0),
           qfac=1.0, sform=0, srows=None, slope=0.0, inter=0.0, units=2, endian="<"):
    """A single-file NIfTI-2 image (540-byte header, 4 extension bytes, data)."""
    e = endian
    code, _, size, _, _ = NIFTI_TYPES[kind]
    dim = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    pd = [qfac] + list(pixdim) + [0.0] * (7 - len(pixdim))
    rows = srows or [[0.0] * 4] * 3
    h = bytearray(540)
    struct.pack_into(e + "i", h, 0, 540)
    h[4:12] = b"n+2\0\r\n\x1a\n"
    struct.pack_into(e + "hh", h, 12, code, size * 8)
    struct.pack_into(e + "8q", h, 16, *dim)
    struct.pack_into(e + "8d", h, 104, *pd)
    struct.pack_into(e + "q", h, 168, 544)
    struct.pack_into(e + "dd", h, 176, slope, inter)
    struct.pack_into(e + "ii", h, 344, qform, sform)
    struct.pack_into(e + "3d", h, 352, *quat)
    struct.pack_into(e + "3d", h, 376, *qoffset)
    for r in range(3):
        struct.pack_into(e + "4d", h, 400 + 32 * r, *rows[r])
    struct.pack_into(e + "i", h, 500, units)
    return bytes(h) + b"\0\0\0\0" + pack(kind, values, e)


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


def make_nifti():
    # every numeric datatype, 4 x 3 x 2, sform-only (SCANNER_ANAT) diag spacing
    n = 4 * 3 * 2
    rows = affine_rows([[1, 0, 0], [0, 1, 0], [0, 0, 1]], (1.25, 1.5, 2.0), (-3.0, 4.0, 5.5))
    for kind in NIFTI_TYPES:
        out("n1_%s.nii" % kind, nifti1((4, 3, 2), kind, pattern(n, kind), pixdim=(1.25, 1.5, 2.0),
                                       sform=1, srows=rows))

    dims, n = (5, 4, 3), 60
    vals = pattern(n, "int16")
    sp = (0.7, 0.8, 2.5)
    off = (10.5, -20.25, 30.0)
    q = quaternion((0.2, 0.3, 1.0), 30)
    qf = [f32(v) for v in q]
    rot = quatern_matrix(*qf)
    srows = affine_rows(rot, sp, off)
    common = dict(pixdim=sp, quat=q, qoffset=off)
    # qform + sform both SCANNER_ANAT: ITK takes the sform
    out("n1_qform_sform.nii", nifti1(dims, "int16", vals, qform=1, sform=1, srows=srows, **common))
    # qform only, left-handed (qfac = -1), gzip
    out("n1_qform_only.nii.gz", gz(nifti1(dims, "int16", vals, qform=1, qfac=-1.0, **common)))
    # sform only (ALIGNED_ANAT)
    out("n1_sform_only.nii", nifti1(dims, "int16", vals, sform=2, srows=srows, pixdim=sp))
    # qform SCANNER + sform ALIGNED, the same transform: ITK compares them
    out("n1_both_aligned.nii", nifti1(dims, "int16", vals, qform=1, sform=2, srows=srows, **common))
    # qform SCANNER + sform ALIGNED, different rotations: ITK keeps the qform
    other = affine_rows(rotation((1, 0, 0), 20), sp, (1.0, 2.0, 3.0))
    out("n1_both_differ.nii", nifti1(dims, "int16", vals, qform=1, sform=2, srows=other, **common))
    # sheared sform (not decomposable without skew) with a qform: qform wins
    shear = [list(r) for r in srows]
    shear[0][1] += 0.5
    out("n1_sform_shear.nii", nifti1(dims, "int16", vals, qform=1, sform=1, srows=shear, **common))
    # sheared sform and no qform: ITK refuses ("only orthonormal direction cosines")
    out("err_n1_sform_shear_noqform.nii", nifti1(dims, "int16", vals, sform=1, srows=shear, pixdim=sp))
    # neither qform nor sform: identity direction, origin 0
    out("n1_noxform.nii", nifti1(dims, "int16", vals, pixdim=sp))
    # spatial units: metres and microns scale spacing and origin to mm
    out("n1_units_meter.nii", nifti1(dims, "int16", vals, qform=1, units=1,
                                     pixdim=(0.0007, 0.0008, 0.0025), quat=q,
                                     qoffset=(0.0105, -0.02025, 0.03)))
    out("n1_units_micron.nii", nifti1(dims, "int16", vals, qform=1, units=3,
                                      pixdim=(700, 800, 2500), quat=q, qoffset=(10500, -20250, 30000)))
    # negative pixdim[1] with an sform
    out("n1_negpixdim.nii", nifti1(dims, "int16", vals, sform=1, srows=srows,
                                   pixdim=(-0.7, 0.8, 2.5)))
    # scl_slope / scl_inter: integers become float32, floats stay
    out("n1_scl_int16.nii", nifti1(dims, "int16", vals, slope=0.5, inter=-10.25, **common, qform=1))
    out("n1_scl_float64.nii", nifti1(dims, "float64", pattern(n, "float64"), slope=2.0,
                                     inter=1.0, **common, qform=1))
    out("n1_scl_uint8_zero_slope.nii", nifti1(dims, "uint8", [v % 256 for v in range(n)],
                                              slope=0.0, inter=5.0, **common, qform=1))
    # big-endian
    out("n1_bigendian.nii", nifti1(dims, "int16", vals, qform=1, sform=1, srows=srows,
                                   endian=">", **common))
    # 2D, 3D with one slice, 4D/5D headers whose extra dims are 1
    rot2 = rotation((0, 0, 1), 25)
    out("n1_2d.nii", nifti1((6, 5), "float32", pattern(30, "float32"), pixdim=(0.5, 0.6, 1.0),
                            sform=1, srows=affine_rows(rot2, (0.5, 0.6, 1.0), (7.0, -8.0, 0.0))))
    out("n1_slice.nii", nifti1((6, 5, 1), "int16", pattern(30, "int16"), pixdim=(0.5, 0.6, 3.0),
                               sform=1, srows=affine_rows(rot2, (0.5, 0.6, 3.0), (7.0, -8.0, 9.0))))
    out("n1_4d_t1.nii", nifti1((5, 4, 3, 1), "int16", vals, qform=1, sform=1, srows=srows, **common))
    out("n1_5d_ones.nii", nifti1((5, 4, 3, 1, 1), "int16", vals, qform=1, sform=1, srows=srows,
                                 **common))
    # NIfTI-2, little-endian plain and big-endian gzip
    out("n2_int16.nii", nifti2(dims, "int16", vals, qform=1, sform=1, srows=srows, **common))
    out("n2_float64_be.nii.gz", gz(nifti2(dims, "float64", pattern(n, "float64"), qform=1, sform=1,
                                          srows=srows, endian=">", **common)))
    # failures
    out("err_n1_4d.nii", nifti1((5, 4, 3, 2), "int16", pattern(120, "int16"), qform=1, **common))
    out("err_n1_vector.nii", nifti1((5, 4, 3, 1, 3), "float32", pattern(180, "float32"),
                                    intent=1007, qform=1, **common))
    out("err_n1_rgb24.nii", nifti1(dims, None, None, datatype=128, data=bytes(3 * n), qform=1,
                                   **common))
    out("err_n1_complex64.nii", nifti1(dims, None, None, datatype=32, data=bytes(8 * n), qform=1,
                                       **common))
    full = nifti1(dims, "int16", vals, qform=1, **common)
    out("err_n1_truncated.nii", full[:352 + 2 * n - 7])
    out("err_n1_truncated.nii.gz", gz(full[:352 + 2 * n - 7]))
    out("err_n1_analyze.nii", nifti1(dims, "int16", vals, magic=b"\0\0\0\0", **common))


# ---------------------------------------------------------------- NRRD

NRRD_TYPES = {"int8": "signed char", "uint8": "uchar", "int16": "short", "uint16": "ushort",
              "int32": "int", "uint32": "uint", "int64": "longlong", "uint64": "ulonglong",
              "float32": "float", "float64": "double"}


def nrrd_header(kind, sizes, extra, encoding="raw", endian="little", data_file=None):
    lines = ["NRRD0004", "# written by tests/data/io/make_io_files.py",
             "type: %s" % NRRD_TYPES.get(kind, kind), "dimension: %d" % len(sizes),
             "sizes: " + " ".join(str(s) for s in sizes)]
    lines += extra
    lines += ["endian: %s" % endian, "encoding: %s" % encoding]
    if data_file:
        lines.append("data file: %s" % data_file)
    return ("\n".join(lines) + "\n").encode()


def vec(v):
    return "(" + ",".join(repr(float(x)) for x in v) + ")"


def directions(rot, spacing):
    """NRRD space directions: column j of rot scaled by spacing[j]."""
    return " ".join(vec([rot[r][j] * spacing[j] for r in range(len(rot))]) for j in range(len(rot)))


def make_nrrd():
    dims, n = (5, 4, 3), 60
    rot = rotation((1.0, -0.5, 0.25), 40)
    sp = (0.9, 1.1, 2.75)
    geo = ["space: left-posterior-superior", "space directions: " + directions(rot, sp),
           "kinds: domain domain domain", "space origin: " + vec((-12.5, 33.25, 7.0))]
    v16 = pattern(n, "int16")
    out("r_lps_raw.nrrd", nrrd_header("int16", dims, geo) + b"\n" + pack("int16", v16))
    ras = ["space: right-anterior-superior"] + geo[1:]
    out("r_ras_gzip.nrrd", nrrd_header("float32", dims, ras, "gzip") + b"\n"
        + gz(pack("float32", pattern(n, "float32"))))
    las = ["space: left-anterior-superior"] + geo[1:]
    out("r_las_uint8.nrrd", nrrd_header("uint8", dims, las) + b"\n" + pack("uint8", pattern(n, "uint8")))
    # detached headers: raw big-endian, and gzip
    out("r_detached.nhdr", nrrd_header("uint16", dims, geo, endian="big", data_file="r_detached.raw"))
    out("r_detached.raw", pack("uint16", pattern(n, "uint16"), ">"))
    out("r_detached_gz.nhdr", nrrd_header("int32", dims, geo, "gzip", data_file="r_detached_gz.raw.gz"))
    out("r_detached_gz.raw.gz", gz(pack("int32", pattern(n, "int32"))))
    # one data file per slice: LIST, and a %d template (big-endian int16)
    slices = [pack("int16", v16[20 * k:20 * (k + 1)], ">") for k in range(3)]
    for k in range(3):
        out("r_slice_%d.raw" % k, slices[k])
    out("r_list.nhdr", nrrd_header("int16", dims, geo, endian="big")
        + b"data file: LIST\nr_slice_0.raw\nr_slice_1.raw\nr_slice_2.raw\n")
    out("r_template.nhdr", nrrd_header("int16", dims, geo, endian="big", data_file="r_slice_%d.raw 0 2 1"))
    # line skip and byte skip: two text lines and 5 bytes before raw data;
    # gzip with "byte skip: -1": the data are the last bytes of the stream
    skips = nrrd_header("int16", dims, geo + ["line skip: 2", "byte skip: 5"]).decode()
    out("r_skips.nrrd", skips.encode() + b"\n" + b"first line\nsecond line\n" + b"xxxxx" + pack("int16", v16))
    tail = nrrd_header("int16", dims, geo + ["byte skip: -1"], "gzip")
    out("r_gzip_tail.nrrd", tail + b"\n" + gz(bytes(range(33)) + pack("int16", v16)))
    # 2D with a 2D space; spacings without space; no spacing at all
    rot2 = rotation((0, 0, 1), -35)
    geo2 = ["space dimension: 2", "space directions: " + directions([r[:2] for r in rot2[:2]], (0.4, 0.3)),
            "space origin: (3.5,-4.25)"]
    out("r_2d.nrrd", nrrd_header("float64", (6, 5), geo2) + b"\n" + pack("float64", pattern(30, "float64")))
    out("r_spacings.nrrd", nrrd_header("int32", dims, ["spacings: 1.5 2 3", "axis mins: 10 20 30"])
        + b"\n" + pack("int32", pattern(n, "int32")))
    out("r_nospacing.nrrd", nrrd_header("uint32", dims, []) + b"\n" + pack("uint32", pattern(n, "uint32")))
    for kind in ("int8", "int64", "uint64", "float64"):
        out("r_%s.nrrd" % kind, nrrd_header(kind, dims, geo, "gzip") + b"\n"
            + gz(pack(kind, pattern(n, kind))))
    text = " ".join(str(v) for v in v16).encode()
    out("r_ascii.nrrd", nrrd_header("int16", dims, geo, "ascii") + b"\n" + text + b"\n")
    out("r_hex.nrrd", nrrd_header("int16", dims, geo, "hex") + b"\n"
        + pack("int16", v16, "<").hex().encode() + b"\n")
    # a range axis of size 1 is still a scalar image
    scal = ["space: left-posterior-superior",
            "space directions: none " + directions(rot, sp),
            "kinds: scalar domain domain domain", "space origin: " + vec((-12.5, 33.25, 7.0))]
    out("r_scalar_axis.nrrd", nrrd_header("int16", (1,) + dims, scal) + b"\n" + pack("int16", v16))
    # failures
    rgb = ["space: left-posterior-superior", "space directions: none " + directions(rot, sp),
           "kinds: RGB-color domain domain domain"]
    out("err_r_rgb.nrrd", nrrd_header("uint8", (3,) + dims, rgb) + b"\n" + bytes(3 * n))
    out("err_r_block.nrrd", nrrd_header("block", dims, ["block size: 2"]) + b"\n" + bytes(2 * n))
    out("err_r_4d.nrrd", nrrd_header("int16", dims + (2,), []) + b"\n" + bytes(4 * n))
    out("err_r_truncated.nrrd", nrrd_header("int16", dims, geo) + b"\n" + pack("int16", v16)[:-3])
    out("err_r_truncated_gz.nrrd", nrrd_header("int16", dims, geo, "gzip") + b"\n"
        + gz(pack("int16", v16))[:-12])
    out("err_r_bzip2.nrrd", nrrd_header("int16", dims, geo, "bzip2") + b"\n" + bytes(40))
    out("err_r_2d_in_3d_space.nrrd", nrrd_header("int16", (5, 4), [
        "space: left-posterior-superior", "space directions: (1,0,0) (0,1,0)"]) + b"\n" + bytes(40))
    out("err_r_missing_data.nhdr", nrrd_header("int16", dims, geo, data_file="no_such_file.raw"))


# ---------------------------------------------------------------- PNG

def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width, height, bit_depth, color_type, rows, extra=b""):
    """rows: list of bytes, one per scanline without the filter byte."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def png_adam7(width, height, sample):
    """An 8-bit grey PNG with Adam7 interlacing: the 7 passes of the PNG
    specification, each a reduced image with its own filter bytes."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        xs, ys = range(x0, width, dx), range(y0, height, dy)
        if len(xs) and len(ys):
            raw += b"".join(b"\0" + bytes(sample(x, y) for x in xs) for y in ys)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 1)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def pixel(x, y, c):
    """A deterministic 8-bit sample for channel c."""
    return (x * 37 + y * 91 + c * 53 + x * y * 7) % 256


def make_png():
    w, h = 7, 5
    out("p_grey8.png", png(w, h, 8, 0, [bytes(pixel(x, y, 0) for x in range(w)) for y in range(h)]))
    out("p_grey8_adam7.png", png_adam7(w, h, lambda x, y: pixel(x, y, 0)))
    out("p_grey16.png", png(w, h, 16, 0, [b"".join(struct.pack(">H", pixel(x, y, 0) * 257 + x * 3)
                                                    for x in range(w)) for y in range(h)]))
    out("p_grey_alpha8.png", png(w, h, 8, 4, [bytes(v for x in range(w)
                                                     for v in (pixel(x, y, 0), pixel(x, y, 3)))
                                               for y in range(h)]))
    out("p_rgb8.png", png(w, h, 8, 2, [bytes(pixel(x, y, c) for x in range(w) for c in range(3))
                                       for y in range(h)]))
    out("p_rgba8.png", png(w, h, 8, 6, [bytes(pixel(x, y, c) for x in range(w) for c in range(4))
                                        for y in range(h)]))
    out("p_rgb16.png", png(w, h, 16, 2, [b"".join(struct.pack(">H", pixel(x, y, c) * 251 + c)
                                                  for x in range(w) for c in range(3))
                                         for y in range(h)]))
    palette = bytes(pixel(i, 2 * i, c) for i in range(16) for c in range(3))
    out("p_palette8.png", png(w, h, 8, 3, [bytes((x + 3 * y) % 16 for x in range(w)) for y in range(h)],
                              chunk(b"PLTE", palette)))

    def pack4(indices):
        padded = list(indices) + [0] * (len(indices) % 2)
        return bytes(padded[i] << 4 | padded[i + 1] for i in range(0, len(padded), 2))
    out("p_palette4.png", png(w, h, 4, 3, [pack4([(x * 5 + y) % 16 for x in range(w)]) for y in range(h)],
                              chunk(b"PLTE", palette)))

    def pack1(bits):
        padded = list(bits) + [0] * (-len(bits) % 8)
        return bytes(sum(padded[i + k] << (7 - k) for k in range(8)) for i in range(0, len(padded), 8))
    out("p_grey1.png", png(w, h, 1, 0, [pack1([(x + y) % 2 for x in range(w)]) for y in range(h)]))
    # 16-bit grey with 12 significant bits (sBIT): ITK shifts the samples down
    out("p_grey16_sbit12.png", png(w, h, 16, 0, [b"".join(struct.pack(">H", (pixel(x, y, 1) * 16) << 4)
                                                          for x in range(w)) for y in range(h)],
                                   chunk(b"sBIT", bytes([12]))))
    # grey with a tRNS colour key (becomes grey + alpha; alpha ignored)
    out("p_grey_trns.png", png(w, h, 8, 0, [bytes(pixel(x, y, 2) for x in range(w)) for y in range(h)],
                               chunk(b"tRNS", struct.pack(">H", pixel(0, 0, 2)))))
    # physical pixel size in sCAL (metres), which ITK reports as the spacing
    out("p_scal.png", png(w, h, 8, 0, [bytes(pixel(x, y, 0) for x in range(w)) for y in range(h)],
                          chunk(b"sCAL", b"\x010.5\x000.25")))
    # failures
    good = png(w, h, 8, 0, [bytes(pixel(x, y, 0) for x in range(w)) for y in range(h)])
    out("err_p_truncated.png", good[:len(good) - 20])
    bad = bytearray(good)
    bad[20] ^= 0x01  # a bit of IHDR's height, CRC left as it was
    out("err_p_badcrc.png", bytes(bad))


if __name__ == "__main__":
    make_nifti()
    make_nrrd()
    make_png()
