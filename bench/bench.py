#!/usr/bin/env python3
"""radx benchmark harness, first version (issue 6): workload W1 only.

    bench.py --radx-build DIR --venv-python PY [--smoke | --quick] [--work DIR] [--seed S]
    PY bench.py pyradiomics-worker PARAMS.yaml CASES.csv VALUES.csv TIMES.csv   (internal)

Standard library only.  The PyRadiomics part runs as a separate process with the reference venv's
python (the `pyradiomics-worker` mode, which is the only code here that imports radiomics, numpy
or SimpleITK).  Steps, all in one run on the same machine and the same generated cohort:

 1. generate W1 with radx-make-rois (seeded 2D ROIs of 5-60 px per side) and write params.yaml
    (binWidth 25, Original image, all seven default classes with shape2D);
 2. PyRadiomics 3.1 on a subset (every k-th case): RadiomicsFeatureExtractor.execute on each case,
    one process, timed per case (image reading included); its values are the reference;
 3. radx extract on the whole cohort: CPU path --jobs 1, CPU path --jobs <all cores>, and
    --device opencl when an OpenCL device exists; each run's rows for the subset are compared with
    PyRadiomics (every feature: |radx - pyrad| <= 1e-9 or <= 1e-6 * |pyrad|);
 4. print the table, write bench/results/<workload>-<date>.json.
Exit status 1 when any compared value disagrees (or a run fails), never because of timing.
"""

import csv
import datetime
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS_DIR = os.path.join(HERE, 'results')

# Workload W1 (issue 6): 2D ROIs of 5-60 px per side, 1 mm spacing, binWidth 25.
SIZES = {  # mode: (ROIs in the cohort, ROIs PyRadiomics runs on)
    'smoke': (100, 20),
    'quick': (500, 50),
    'full': (2000, 100),
}
REL_TOL = 1e-6
ABS_TOL = 1e-9

PARAMS_YAML = """\
# W1 parameters (bench/bench.py): PyRadiomics 3.1 parameter file, read by radx and PyRadiomics.
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
"""


# ----------------------------------------------------------------------------------------------
# PyRadiomics worker (runs with the reference venv's python)
# ----------------------------------------------------------------------------------------------

def pyradiomics_worker(params_path, cases_csv, values_csv, times_csv):
    """Extract every case of cases_csv (columns case_id, Image, Mask; absolute paths) with
    PyRadiomics' RadiomicsFeatureExtractor, one case after the other in this process.

    2D images are passed the way tests/reference/generate.py does it: as single-slice volumes
    (sitk.JoinSeries) with force2D true and force2Ddimension 0, which gives the in-plane result
    radx gives for a 2D image (/work/shared/notes/pyradiomics.md, trap 1); 3D shape is disabled
    for them and shape2D computed directly when PyRadiomics' computeShape skips it."""
    import logging
    import SimpleITK as sitk
    import radiomics
    from radiomics import featureextractor, imageoperations
    from radiomics.shape2D import RadiomicsShape2D

    radiomics.setVerbosity(logging.ERROR)

    def make_extractor(dims):
        extractor = featureextractor.RadiomicsFeatureExtractor(params_path)
        extractor.settings['additionalInfo'] = False   # diagnostics only; features unaffected
        if dims == 2:
            extractor.settings['force2D'] = True
            extractor.settings['force2Ddimension'] = 0
            extractor.enabledFeatures.pop('shape', None)
        return extractor

    def shape2d_directly(extractor, image, mask):
        settings = dict(extractor.settings, label=1)
        image, mask = extractor.loadImage(image, mask, None, **settings)
        bb, corrected = imageoperations.checkMask(image, mask, **settings)
        if corrected is not None:
            mask = corrected
        cropped_image, cropped_mask = imageoperations.cropToTumorMask(image, mask, bb)
        features = RadiomicsShape2D(cropped_image, cropped_mask, **settings).execute()
        return [('original_shape2D_' + name, value) for name, value in features.items()]

    def extract(extractor, image_path, mask_path):
        image, mask = sitk.ReadImage(image_path), sitk.ReadImage(mask_path)
        dims = image.GetDimension()
        if dims == 2:
            image, mask = sitk.JoinSeries(image), sitk.JoinSeries(mask)
        result = extractor[dims].execute(image, mask, label=1)
        rows = [(k, v) for k, v in result.items() if k.startswith('original_')]
        if dims == 2 and not any(k.startswith('original_shape2D_') for k, _ in rows):
            rows = shape2d_directly(extractor[dims], image, mask) + rows
        return rows

    with open(cases_csv, newline='') as f:
        cases = list(csv.DictReader(f))
    extractors = {2: make_extractor(2), 3: make_extractor(3)}
    extract(extractors, cases[0]['Image'], cases[0]['Mask'])   # warm-up (lazy imports), untimed
    with open(values_csv, 'w', newline='') as fv, open(times_csv, 'w', newline='') as ft:
        values, times = csv.writer(fv, lineterminator='\n'), csv.writer(ft, lineterminator='\n')
        values.writerow(['case_id', 'feature', 'value'])
        times.writerow(['case_id', 'seconds'])
        for case in cases:
            start = time.perf_counter()
            rows = extract(extractors, case['Image'], case['Mask'])
            seconds = time.perf_counter() - start
            times.writerow([case['case_id'], '%.9f' % seconds])
            for feature, value in rows:
                values.writerow([case['case_id'], feature, '%.17g' % float(value)])
    print('pyradiomics %s: %d cases' % (radiomics.__version__, len(cases)))


# ----------------------------------------------------------------------------------------------
# Measuring a command: wall time and peak RSS
# ----------------------------------------------------------------------------------------------

def run_measured(argv, log_path):
    """Run argv; return (exit status, wall seconds, peak RSS in MiB or None, how RSS was measured).

    Peak RSS: /usr/bin/time -v's 'Maximum resident set size' when installed, else the child's own
    rusage from os.wait4 (ru_maxrss, KiB on Linux)."""
    gnu_time = '/usr/bin/time' if os.access('/usr/bin/time', os.X_OK) else None
    time_out = log_path + '.time'
    full = [gnu_time, '-v', '-o', time_out] + argv if gnu_time else argv
    with open(log_path, 'w') as log:
        start = time.perf_counter()
        child = subprocess.Popen(full, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    rss_mib, how = usage.ru_maxrss / 1024.0, 'wait4 ru_maxrss'
    if gnu_time:
        how = '/usr/bin/time -v'
        rss_mib = None
        try:
            with open(time_out) as f:
                for line in f:
                    if 'Maximum resident set size' in line:
                        rss_mib = int(line.split(':')[1]) / 1024.0
        except OSError:
            pass
    return child.returncode, wall, rss_mib, how


def read_log(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ''


# ----------------------------------------------------------------------------------------------
# Cohort and agreement
# ----------------------------------------------------------------------------------------------

def generate_cohort(make_rois, work, count, seed):
    rois = os.path.join(work, 'rois')
    manifest = os.path.join(rois, 'manifest.csv')
    stamp = os.path.join(rois, '.generated')
    wanted = '%d %d %d %d\n' % (count, 5, 60, seed)
    if read_log(stamp) != wanted:   # regenerate unless the same cohort is already there
        shutil.rmtree(rois, ignore_errors=True)
        subprocess.run([make_rois, '--out', rois, '--count', str(count), '--min', '5', '--max', '60',
                        '--seed', str(seed)], check=True, stdout=subprocess.DEVNULL)
        with open(stamp, 'w') as f:
            f.write(wanted)
    with open(manifest, newline='') as f:
        cases = list(csv.DictReader(f))
    return manifest, cases


def write_subset(work, rois_dir, cases, subset_count):
    """Every k-th case (spread over the cohort), as a CSV with absolute paths."""
    step = max(1, len(cases) // subset_count)
    subset = cases[::step][:subset_count]
    path = os.path.join(work, 'pyradiomics_cases.csv')
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['case_id', 'Image', 'Mask'])
        for c in subset:
            w.writerow([c['case_id'], os.path.join(rois_dir, c['Image']), os.path.join(rois_dir, c['Mask'])])
    return path, [c['case_id'] for c in subset]


def read_pyradiomics_values(path):
    values = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            values.setdefault(row['case_id'], {})[row['feature']] = float(row['value'])
    return values


def read_radx_table(path):
    """(feature column names, {case_id: {feature: value or None}}, {case_id: status})."""
    with open(path, newline='') as f:
        reader = csv.reader(f)
        header = next(reader)
        features = [h for h in header if h.startswith('original_')]
        rows, status = {}, {}
        for cells in reader:
            row = dict(zip(header, cells))
            status[row['case_id']] = row.get('diagnostics_status', '')
            rows[row['case_id']] = {k: (float(row[k]) if row.get(k, '') != '' else None) for k in features}
    return features, rows, status


def compare(reference, radx_rows):
    """Every PyRadiomics value of every reference case against radx.

    A value agrees when |radx - pyrad| <= ABS_TOL or <= REL_TOL * |pyrad| (both NaN agree).
    max_rel is the largest |radx - pyrad| / |pyrad| over the values with |pyrad| > ABS_TOL."""
    out = {'cases': 0, 'values': 0, 'disagree': 0, 'max_rel': 0.0, 'max_abs': 0.0, 'worst': None,
           'missing': 0, 'examples': []}
    for case, ref in sorted(reference.items()):
        got = radx_rows.get(case)
        out['cases'] += 1
        for feature, want in ref.items():
            out['values'] += 1
            have = None if got is None else got.get(feature)
            if have is None:
                out['missing'] += 1
                out['disagree'] += 1
                if len(out['examples']) < 10:
                    out['examples'].append('%s %s: missing in radx' % (case, feature))
                continue
            if math.isnan(want) and math.isnan(have):
                continue
            diff = abs(have - want)
            if math.isnan(diff):
                diff = math.inf
            rel = diff / abs(want) if abs(want) > ABS_TOL else 0.0
            out['max_abs'] = max(out['max_abs'], diff)
            if rel > out['max_rel']:
                out['max_rel'], out['worst'] = rel, '%s %s' % (case, feature)
            if not (diff <= ABS_TOL or diff <= REL_TOL * abs(want)):
                out['disagree'] += 1
                if len(out['examples']) < 10:
                    out['examples'].append('%s %s: radx %.17g pyradiomics %.17g' % (case, feature, have, want))
    return out


# ----------------------------------------------------------------------------------------------
# Machine description
# ----------------------------------------------------------------------------------------------

def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def opencl_device(radx):
    """(device line or None, full `radx devices` text)."""
    proc = subprocess.run([radx, 'devices'], capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    device = None
    for line in text.splitlines():
        m = re.match(r'\s*device (\S+)\s+(.*?)\s*(<- auto)?$', line)
        if m and device is None:
            device = '%s (%s)' % (' '.join(m.group(2).split()), m.group(1))
    if proc.returncode != 0:
        device = None
    return device, text


def load_average():
    """1-minute load average (other processes on the machine distort the timings)."""
    try:
        with open('/proc/loadavg') as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def pyradiomics_versions(python):
    code = ('import radiomics, numpy, SimpleITK, platform;'
            'print(radiomics.__version__, numpy.__version__, SimpleITK.Version_VersionString(),'
            ' platform.python_version())')
    out = subprocess.run([python, '-c', code], capture_output=True, text=True).stdout.split()
    keys = ['pyradiomics', 'numpy', 'SimpleITK', 'python']
    return dict(zip(keys, out))


# ----------------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------------

def fmt(value, spec):
    return '-' if value is None else format(value, spec)


def print_table(rows, subset_n):
    head = ['tool', 'ROIs', 'wall s', 'ROIs/s', 'features/s', 'peak RSS MiB', 'x PyRadiomics',
            'x radx CPU 1t', 'agreement (max rel. dev., checked)']
    lines = []
    for r in rows:
        if r.get('skipped'):
            lines.append([r['tool'], '-', '-', '-', '-', '-', '-', '-', 'skipped: ' + r['skipped']])
            continue
        if r['agreement'] is None:
            agreement = 'reference (%d ROIs)' % subset_n
        else:
            a = r['agreement']
            agreement = '%s %.2e, %d ROIs / %d values' % (
                'OK' if a['disagree'] == 0 else 'FAIL(%d)' % a['disagree'], a['max_rel'], a['cases'], a['values'])
        lines.append([r['tool'], str(r['rois']), fmt(r['wall_s'], '.3f'), fmt(r['rois_per_s'], '.1f'),
                      fmt(r['features_per_s'], '.0f'), fmt(r['peak_rss_mib'], '.1f'),
                      fmt(r['ratio_vs_pyradiomics'], '.1f'), fmt(r['ratio_vs_radx_cpu_1t'], '.2f'), agreement])
    widths = [max(len(head[i]), *(len(l[i]) for l in lines)) for i in range(len(head))]
    def line(cells):
        return '| ' + ' | '.join(c.ljust(w) if i in (0, 8) else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + ' |'
    print(line(head))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for l in lines:
        print(line(l))


def run_pyradiomics(python, work, params, subset_csv):
    values_csv = os.path.join(work, 'pyradiomics_values.csv')
    times_csv = os.path.join(work, 'pyradiomics_times.csv')
    log = os.path.join(work, 'pyradiomics.log')
    rc, wall, rss, how = run_measured(
        [python, os.path.abspath(__file__), 'pyradiomics-worker', params, subset_csv, values_csv, times_csv], log)
    if rc != 0:
        raise SystemExit('PyRadiomics worker failed (exit %d):\n%s' % (rc, read_log(log)[-3000:]))
    with open(times_csv, newline='') as f:
        times = [float(r['seconds']) for r in csv.DictReader(f)]
    return read_pyradiomics_values(values_csv), times, wall, rss, how


def run_radx(radx, work, params, manifest, name, extra):
    out = os.path.join(work, 'radx_%s.csv' % name)
    log = os.path.join(work, 'radx_%s.log' % name)
    argv = [radx, 'extract', '--params', params, '--cohort', manifest, '--out', out] + extra
    rc, wall, rss, how = run_measured(argv, log)
    return rc, wall, rss, how, out, read_log(log), argv


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description='radx benchmark, workload W1 (see bench/README.md)')
    p.add_argument('--radx-build', required=True, help='radx build folder (has radx and bench/radx-make-rois)')
    p.add_argument('--venv-python', required=True, help='python of the PyRadiomics 3.1 venv')
    mode = p.add_mutually_exclusive_group()
    mode.add_argument('--smoke', action='store_const', dest='mode', const='smoke')
    mode.add_argument('--quick', action='store_const', dest='mode', const='quick')
    p.add_argument('--work', help='work folder (cohort, outputs, logs); default /tmp/radx-bench-<workload>')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--no-opencl', action='store_true', help='skip the OpenCL row')
    p.add_argument('--repeat', type=int, default=3, help='runs per radx row; the median wall time is reported')
    args = p.parse_args(argv)
    mode = args.mode or 'full'
    cohort_n, subset_n = SIZES[mode]
    workload = 'W1' if mode == 'full' else 'W1-%s' % mode
    work = os.path.abspath(args.work or os.path.join(os.environ.get('TMPDIR', '/tmp'), 'radx-bench-' + workload))
    os.makedirs(work, exist_ok=True)
    radx = os.path.join(os.path.abspath(args.radx_build), 'radx')
    make_rois = os.path.join(os.path.abspath(args.radx_build), 'bench', 'radx-make-rois')
    cores = os.cpu_count() or 1

    print('radx benchmark %s: %d 2D ROIs of 5-60 px per side, binWidth 25, seed %d; PyRadiomics on %d of them'
          % (workload, cohort_n, args.seed, subset_n))
    print('work folder: %s' % work)
    params = os.path.join(work, 'params.yaml')
    with open(params, 'w') as f:
        f.write(PARAMS_YAML)
    t = time.perf_counter()
    manifest, cases = generate_cohort(make_rois, work, cohort_n, args.seed)
    print('cohort: %d ROIs (%.1f s)' % (len(cases), time.perf_counter() - t))
    subset_csv, subset_ids = write_subset(work, os.path.dirname(manifest), cases, subset_n)
    device, devices_text = opencl_device(radx)

    # 1. PyRadiomics on the subset: the reference values, and its timing.
    print('PyRadiomics on %d ROIs ...' % len(subset_ids), flush=True)
    py_load = load_average()
    reference, times, py_wall, py_rss, rss_how = run_pyradiomics(args.venv_python, work, params, subset_csv)
    py_features = len(next(iter(reference.values())))
    py_seconds = sum(times)
    rows = [{
        'tool': 'PyRadiomics 3.1 (1 process)', 'rois': len(times), 'wall_s': py_seconds,
        'process_wall_s': py_wall, 'rois_per_s': len(times) / py_seconds,
        'features_per_s': len(times) * py_features / py_seconds, 'features_per_roi': py_features,
        'peak_rss_mib': py_rss, 'agreement': None, 'load_before': py_load,
        'per_case_s': {'median': sorted(times)[len(times) // 2], 'min': min(times), 'max': max(times)},
    }]

    # 2. radx on the whole cohort, each run checked against PyRadiomics on the subset.
    runs = [('radx CPU 1 thread', 'cpu_1t', ['--device', 'cpu', '--jobs', '1']),
            ('radx CPU %d threads' % cores, 'cpu_all', ['--device', 'cpu', '--jobs', str(cores)])]
    opencl_skip = None
    if args.no_opencl:
        opencl_skip = '--no-opencl given'
    elif device is None:
        opencl_skip = 'no OpenCL device (radx devices: %s)' % ' '.join(devices_text.split())[:120]
    else:
        runs.append(('radx OpenCL (device %s)' % device.rsplit('(', 1)[-1].rstrip(')'), 'opencl', ['--device', 'opencl', '--jobs', str(cores)]))
        # Untimed warm-up on the subset: the device's kernel build/cache is not part of the timing.
        run_radx(radx, work, params, subset_csv, 'opencl_warmup', ['--device', 'opencl'])
    failed = False
    for tool, name, extra in runs:
        print('%s on %d ROIs, %d run(s) ...' % (tool, len(cases), args.repeat), flush=True)
        attempts = []
        for _ in range(args.repeat):
            load = load_average()
            rc, wall, rss, _, out, log, command = run_radx(radx, work, params, manifest, name, extra)
            attempts.append({'wall_s': wall, 'peak_rss_mib': rss, 'exit_status': rc, 'load_before': load})
            if rc != 0 or not os.path.exists(out):
                break
        walls = sorted(a['wall_s'] for a in attempts)
        wall = walls[len(walls) // 2]   # median (of an odd count; the upper middle otherwise)
        rss = max((a['peak_rss_mib'] or 0.0) for a in attempts) or None
        row = {'tool': tool, 'rois': len(cases), 'wall_s': wall, 'peak_rss_mib': rss,
               'command': ' '.join(command), 'exit_status': rc, 'runs': attempts}
        if rc != 0 or not os.path.exists(out):
            print('  radx failed (exit %d):\n%s' % (rc, log[-2000:]))
            failed = True
            row.update(skipped='radx failed (exit %d)' % rc)
            rows.append(row)
            continue
        if name == 'opencl' and 'CPU path' in log:
            row['note'] = 'radx fell back to the CPU path: ' + ' '.join(log.split())[:300]
            row['tool'] += ' (FELL BACK TO CPU)'
            print('  warning: ' + row['note'])
        features, table, status = read_radx_table(out)   # the last run's output
        not_ok = [c for c, s in status.items() if s != 'ok']
        if not_ok:
            print('  %d cases failed in radx, e.g. %s: %s' % (len(not_ok), not_ok[0], status[not_ok[0]]))
            failed = True
        row.update(rois_per_s=len(cases) / wall, features_per_roi=len(features),
                   features_per_s=len(cases) * len(features) / wall, failed_cases=len(not_ok),
                   agreement=compare(reference, table))
        a = row['agreement']
        if a['disagree']:
            failed = True
            print('  DISAGREEMENT with PyRadiomics: %d of %d values; e.g.\n    %s'
                  % (a['disagree'], a['values'], '\n    '.join(a['examples'])))
        rows.append(row)
    if opencl_skip:
        rows.append({'tool': 'radx OpenCL', 'skipped': opencl_skip})

    base_py = rows[0]['rois_per_s']
    base_1t = next((r.get('rois_per_s') for r in rows if r['tool'] == 'radx CPU 1 thread'), None)
    for r in rows:
        if r.get('rois_per_s'):
            r['ratio_vs_pyradiomics'] = r['rois_per_s'] / base_py
            r['ratio_vs_radx_cpu_1t'] = r['rois_per_s'] / base_1t if base_1t else None

    print()
    print('W1 %s on %s, %d cores; OpenCL: %s' % (mode, cpu_model(), cores, device or 'none'))
    print_table(rows, len(times))
    loads = [py_load] + [a['load_before'] for r in rows for a in r.get('runs', [])]
    loads = [l for l in loads if l is not None]
    if loads:
        print('1-min load average before the runs: %.2f to %.2f (%d cores)%s' % (
            min(loads), max(loads), cores, '; note: above 0.5 (this harness\'s own earlier runs count too); '
            'other processes on the machine make timings pessimistic'
            if max(loads) > 0.5 else ''))
    print('PyRadiomics: wall s = sum of its per-case times (reading + execute, %d ROIs, after one untimed '
          'warm-up case); radx: wall s of the whole `radx extract` process (start, reading, extraction, '
          'CSV), median of %d runs. Peak RSS by %s. Agreement: every PyRadiomics feature of the %d subset ROIs, '
          '|radx - pyrad| <= %g or <= %g relative.' % (len(times), args.repeat, rss_how, len(times), ABS_TOL, REL_TOL))

    result = {
        'workload': workload, 'mode': mode, 'date': datetime.datetime.now().isoformat(timespec='seconds'),
        'description': '%d synthetic 2D ROIs, 5-60 px per side, 1 mm spacing, radx-make-rois seed %d; '
                       'binWidth 25, Original, all default classes (shape2D for 2D)' % (cohort_n, args.seed),
        'params_yaml': PARAMS_YAML, 'subset_case_ids': subset_ids,
        'tolerance': {'relative': REL_TOL, 'absolute': ABS_TOL},
        'machine': {'cpu': cpu_model(), 'cores': cores, 'opencl_device': device, 'kernel': platform.release(),
                    'radx_devices': devices_text},
        'pyradiomics_env': pyradiomics_versions(args.venv_python), 'peak_rss_by': rss_how,
        'radx_repeats': args.repeat, 'rows': rows, 'values_agree': not failed,
    }
    os.makedirs(RESULTS_DIR, exist_ok=True)
    path = os.path.join(RESULTS_DIR, '%s-%s.json' % (workload, datetime.date.today().isoformat()))
    with open(path, 'w') as f:
        json.dump(result, f, indent=1, sort_keys=False)
        f.write('\n')
    print('results: %s' % os.path.relpath(path, os.getcwd()))
    if failed:
        print('FAIL: values disagree with PyRadiomics or a radx run failed (see above)')
        return 1
    return 0


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'pyradiomics-worker':
        if len(sys.argv) != 6:
            raise SystemExit('usage: bench.py pyradiomics-worker PARAMS.yaml CASES.csv VALUES.csv TIMES.csv')
        pyradiomics_worker(*sys.argv[2:])
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
