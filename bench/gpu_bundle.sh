#!/usr/bin/env bash
# bench/gpu_bundle.sh: pack what a lent GPU machine needs to run radx's OpenCL tests and benchmark.
#
#   bench/gpu_bundle.sh [--build DIR]      (default build/; run after bash scripts/setup.sh)
#
# A lent device machine has no package registry and none of radx's libraries. The bundle holds:
#   bin/     radx, the OpenCL-related test programs and the bench tools from the build folder
#            (kept in the build's layout: bin/radx, bin/tests/test_*, bin/bench/radx-*),
#   lib/     every shared library they load (ldd), except glibc's own (libc, libm, ld-linux, ...),
#            which must be the machine's,
#   ocl/     the OpenCL ICD loader, Debian's ocl-icd-libopencl1 unpacked (apt-get download).
# Written as .gpu-bundle.tar.xz in the project root (gitignored, about 20 MB); bench/gpu_run.sh
# unpacks and uses it there. With the device tool:
#   run(command="bash bench/gpu_run.sh", carry=[".gpu-bundle.tar.xz"])
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
case "${1:-}" in
    "") ;;
    --build) [ -d "${2:-}" ] || { echo "gpu_bundle: --build needs a build folder ('${2:-}' is none)" >&2; exit 2; }
             build=$(cd "$2" && pwd) ;;
    *) echo "gpu_bundle: unknown option '$1' (usage: bench/gpu_bundle.sh [--build DIR])" >&2; exit 2 ;;
esac
for exe in "$build/radx" "$build/bench/radx-make-rois"; do
    [ -x "$exe" ] || { echo "gpu_bundle: $exe is not built (bash scripts/setup.sh, then cmake --build $build)" >&2; exit 2; }
done
tests=(test_cl_extract test_cl_filters test_cl_matrices test_cl_nofp64 test_cl_reduce test_cli_extract
       test_tilestore test_tilestore_types)
tools=(radx-make-rois radx-bench-scaling radx-bench-stream radx-plot-scaling)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin/tests" "$stage/bin/bench" "$stage/lib" "$stage/ocl"
cp "$build/radx" "$stage/bin/"
for t in "${tests[@]}"; do cp "$build/tests/$t" "$stage/bin/tests/"; done
for t in "${tools[@]}"; do cp "$build/bench/$t" "$stage/bin/bench/"; done

# glibc's libraries must come from the machine itself; libOpenCL comes from ocl/.
is_system() {
    case "$(basename "$1")" in
        libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*|libresolv.so.*|libOpenCL.so.*) return 0 ;;
    esac
    return 1
}
find "$stage/bin" -type f -executable | while read -r exe; do
    ldd "$exe" | awk '$3 ~ /^\// {print $3}'
done | sort -u | while read -r lib; do
    is_system "$lib" || cp -L "$lib" "$stage/lib/"
done

(cd "$stage" && apt-get download ocl-icd-libopencl1 >/dev/null 2>&1) ||
    { echo "gpu_bundle: apt-get download ocl-icd-libopencl1 failed" >&2; exit 1; }
dpkg-deb -x "$stage"/ocl-icd-libopencl1_*.deb "$stage/ocl"
rm -f "$stage"/ocl-icd-libopencl1_*.deb

tar -C "$stage" -cJf "$root/.gpu-bundle.tar.xz" bin lib ocl
echo "gpu_bundle: $root/.gpu-bundle.tar.xz ($(du -h "$root/.gpu-bundle.tar.xz" | cut -f1);" \
     "$(ls "$stage/lib" | wc -l) libraries, ${#tests[@]} test programs)"
