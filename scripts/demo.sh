#!/usr/bin/env bash
# Set everything up and run the main job on the bundled demo data: feature
# extraction of the example cohort (cohorts/demo/manifest.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
./build/radx extract --params cohorts/params/demo.yaml --cohort cohorts/demo/manifest.csv \
  --out out/demo_features.csv
echo "radx demo: features of $(($(wc -l < out/demo_features.csv) - 1)) cases written to $(pwd)/out/demo_features.csv"
