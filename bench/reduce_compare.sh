#!/usr/bin/env bash
# bench/reduce_compare.sh: end-to-end throughput of `radx extract --device opencl`
# with the texture features reduced on the host (RADX_CL_REDUCE=host) and on the
# device (RADX_CL_REDUCE=device), on W1-, W2- and W3-like cohorts
# (bench/workloads.py: 2,000 2D ROIs of 5-60 px, 200 2D ROIs of 128-512 px,
# 50 3D ROIs of 56-72 voxels per side; binWidth 25, every class).
#
#   bench/reduce_compare.sh [-b BUILD_DIR] [-r REPEATS] [-j JOBS] [-t] [W1 W2 W3]
#
# Cohorts are written once with radx-make-rois under $RADX_REDUCE_CACHE
# (default /tmp/radx-reduce-cohorts). Per workload: one untimed warm-up run
# (kernel cache), then REPEATS (default 3) runs of each mode, interleaved
# host/device; the fastest run of each mode is reported as ROIs/s, and the
# two modes' feature tables are compared (identical, or the largest relative
# difference). Output: one line per workload and mode,
#   workload <TAB> mode <TAB> rois <TAB> best_seconds <TAB> rois_per_second
# With -t, also the texture classes alone, in memory, on 4,096 W1-like ROIs
# in one device batch (radx-bench-scaling --sweep batch, one host thread):
#   texture-W1 <TAB> mode <TAB> rois <TAB> seconds <TAB> rois_per_second
# Exit 0, 1 on failure, 2 for usage.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build"
REPEATS=3
JOBS=$(nproc)
TEXTURE=0
while getopts "b:r:j:th" opt; do
    case $opt in
    b) BUILD=$OPTARG ;;
    r) REPEATS=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    t) TEXTURE=1 ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(W1 W2 W3)
RADX="$BUILD/radx"
MAKE_ROIS="$BUILD/bench/radx-make-rois"
for tool in "$RADX" "$MAKE_ROIS"; do
    [ -x "$tool" ] || { echo "reduce_compare: $tool: not built" >&2; exit 1; }
done
CACHE=${RADX_REDUCE_CACHE:-/tmp/radx-reduce-cohorts}
WORK=$(mktemp -d /tmp/radx-reduce-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/params.yaml" <<'EOF'
setting:
  binWidth: 25
imageType:
  Original: {}
featureClass:
  shape:
  shape2D:
  firstorder:
  glcm:
  glrlm:
  glszm:
  gldm:
  ngtdm:
EOF

cohort() { # name -> prints the manifest path, writing the cohort if needed
    local name=$1 dir="$CACHE/$1" args
    case $name in
    W1) args=(--count 2000 --min 5 --max 60) ;;
    W2) args=(--count 200 --min 128 --max 512) ;;
    W3) args=(--count 50 --min 56 --max 72 --3d) ;;
    *) echo "reduce_compare: unknown workload $name (W1, W2, W3)" >&2; exit 2 ;;
    esac
    if [ ! -f "$dir/manifest.csv" ]; then
        rm -rf "$dir" && mkdir -p "$dir"
        "$MAKE_ROIS" --out "$dir" --seed 1 "${args[@]}" > /dev/null
    fi
    echo "$dir/manifest.csv"
}

run() { # mode manifest out -> prints seconds
    local start end
    start=$(date +%s.%N)
    RADX_CL_REDUCE=$1 "$RADX" extract --params "$WORK/params.yaml" --cohort "$2" --out "$3" \
        --device opencl --jobs "$JOBS" > "$WORK/log" 2>&1 || { cat "$WORK/log" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

# Largest relative difference between two feature tables (same layout).
compare() {
    python3 - "$1" "$2" <<'EOF'
import csv, math, sys
a, b = (list(csv.reader(open(p))) for p in sys.argv[1:3])
worst, differ = 0.0, 0
for ra, rb in zip(a[1:], b[1:]):
    for h, x, y in zip(a[0], ra, rb):
        if x == y or h.startswith('diagnostics_'):
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            differ += 1
            continue
        if math.isnan(fx) and math.isnan(fy):
            continue
        differ += 1
        rel = abs(fx - fy) / max(abs(fx), 1e-300)
        if rel > worst:
            worst, where = rel, '%s %s' % (ra[0], h)
print('identical' if differ == 0 else '%d values differ, worst relative %.3g (%s)' % (differ, worst, where))
EOF
}

printf 'workload\tmode\trois\tbest_seconds\trois_per_second\n'
for w in "${WORKLOADS[@]}"; do
    manifest=$(cohort "$w")
    rois=$(($(wc -l < "$manifest") - 1))
    run device "$manifest" "$WORK/warm.csv" > /dev/null
    best_host=999999 best_device=999999
    for ((r = 0; r < REPEATS; r++)); do
        t=$(run host "$manifest" "$WORK/host.csv")
        best_host=$(echo "if ($t < $best_host) $t else $best_host" | bc -l)
        t=$(run device "$manifest" "$WORK/device.csv")
        best_device=$(echo "if ($t < $best_device) $t else $best_device" | bc -l)
    done
    for mode in host device; do
        best=$([ $mode = host ] && echo "$best_host" || echo "$best_device")
        printf '%s\t%s\t%d\t%.3f\t%.1f\n' "$w" "$mode" "$rois" "$best" "$(echo "$rois / $best" | bc -l)"
    done
    echo "# $w: device vs host feature tables: $(compare "$WORK/host.csv" "$WORK/device.csv")"
done

if [ $TEXTURE = 1 ]; then
    SCALING="$BUILD/bench/radx-bench-scaling"
    [ -x "$SCALING" ] || { echo "reduce_compare: $SCALING: not built" >&2; exit 1; }
    for mode in host device; do
        RADX_CL_REDUCE=$mode "$SCALING" --params "$WORK/params.yaml" --sweep batch --values 4096 \
            --min-seconds 10 | awk -v m=$mode -F'\t' '$2 == "opencl-texture" {
                printf "texture-W1\t%s\t%d\t%.3f\t%.1f\n", m, $4, $5, $4 / $5 }'
    done
fi
