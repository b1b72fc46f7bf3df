#!/usr/bin/env bash
# bench/gpu_run.sh: radx's OpenCL tests and benchmark on a lent GPU machine, from the bundle that
# bench/gpu_bundle.sh made here (.gpu-bundle.tar.xz, carried with the device tool):
#
#   bash bench/gpu_run.sh [tests|bench|all] [bench/run options...]     (default: all, full bench)
#
# Sets the libraries (LD_LIBRARY_PATH: the bundle's lib/ and its ICD loader) and, when NVIDIA's
# libnvidia-opencl.so.1 is installed but /etc/OpenCL/vendors/ has no entry for it, an ICD folder
# with the machine's entries plus one naming it (OCL_ICD_VENDORS). Then `radx devices`; `tests`: the OpenCL test programs from the project root
# (they skip nothing on a device; the bit-identity tests pin the host reduction, test_cl_reduce
# checks the device reduction within 1e-9); `bench`: bench/run --no-pyradiomics (no PyPI there:
# the radx CPU path on one thread is the reference, PyRadiomics and Nyxus rows skipped), which on
# a GPU writes docs/BENCHMARKS.md's GPU block. Logs, results, plots and the doc go to $OUT when set.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
[ $# -gt 0 ] && shift
case "$what" in
    tests|bench|all) ;;
    *) echo "gpu_run: '$what' is not tests, bench or all (usage: bash bench/gpu_run.sh [tests|bench|all] [bench/run options])" >&2
       exit 2 ;;
esac
bundle="$root/.gpu-bundle"
out=${OUT:-$root/gpu-out}
mkdir -p "$out"

if [ ! -x "$bundle/bin/radx" ]; then
    [ -f "$root/.gpu-bundle.tar.xz" ] || { echo "gpu_run: no .gpu-bundle.tar.xz (bench/gpu_bundle.sh)" >&2; exit 2; }
    mkdir -p "$bundle" && tar -C "$bundle" -xJf "$root/.gpu-bundle.tar.xz" || exit 2
fi
export LD_LIBRARY_PATH="$bundle/lib:$bundle/ocl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# NVIDIA's driver without its ICD entry: an ICD folder with the machine's entries and one for it
if ! grep -qs nvidia /etc/OpenCL/vendors/*.icd && \
   { PATH="$PATH:/sbin:/usr/sbin" ldconfig -p 2>/dev/null | grep -q libnvidia-opencl.so.1; }; then
    mkdir -p "$bundle/vendors"
    cp /etc/OpenCL/vendors/*.icd "$bundle/vendors/" 2>/dev/null
    echo libnvidia-opencl.so.1 > "$bundle/vendors/nvidia.icd"
    export OCL_ICD_VENDORS="$bundle/vendors"
fi
{ echo "OCL_ICD_VENDORS=${OCL_ICD_VENDORS:-/etc/OpenCL/vendors}"; ls -l /etc/OpenCL/vendors/ 2>&1
  nvidia-smi -L 2>&1; "$bundle/bin/radx" devices 2>&1; } | tee "$out/devices.txt"

status=0
if [ "$what" = tests ] || [ "$what" = all ]; then
    cd "$root"
    for t in "$bundle"/bin/tests/test_*; do
        name=$(basename "$t")
        if RADX_BIN="$bundle/bin/radx" "$t" > "$out/$name.log" 2>&1; then
            echo "gpu_run: $name passed"
        else
            echo "gpu_run: $name FAILED (log: $name.log)"; tail -20 "$out/$name.log"; status=1
        fi
    done
fi
if [ "$what" = bench ] || [ "$what" = all ]; then
    cd "$root"
    bench/run --no-pyradiomics --build "$bundle/bin" --work "$out/bench-work" "$@" 2>&1 |
        tee "$out/bench.log" || status=1
    rm -rf "$out/bench-work"
    cp bench/results/*.json bench/results/*.png bench/results/*.tsv "$out/" 2>/dev/null
    cp docs/BENCHMARKS.md "$out/" 2>/dev/null
fi
exit $status
