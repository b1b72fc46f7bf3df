#!/usr/bin/env python3
"""radx benchmark harness (issue 6): radx against PyRadiomics 3.1 and Nyxus, side by side in one run.

    bench.py --radx-build DIR --venv-python PY [--nyxus-python PY | --nyxus-skip REASON]
             [--smoke | --quick] [--work DIR] [--seed S] [--repeat R] [--no-opencl]
             [--only W1,W2,...] [--no-scaling] [--write-doc | --no-doc]

Standard library only; bench/run is the way to call it (it builds radx and the peers' venvs).
For every workload (bench/workloads.py), on the same generated cohort and parameter file:
 1. PyRadiomics 3.1 on a subset of the cohort, one process, then one process per core (its
    multiprocessing batch recipe), in the reference venv (bench/peer_pyradiomics.py); its values
    are the reference;
 2. radx extract on the whole cohort: CPU path with 1 thread and with all cores, and the OpenCL
    path when `radx devices` finds a device; each run's rows of the subset compared with PyRadiomics,
    every feature (|radx - pyrad| <= 1e-9 or <= 1e-6 relative);
 3. (W1-bc64) Nyxus on the feature families it shares (bench/peer_nyxus.py): on the files with 1
    thread and with all cores, and all cores on a montage of the ROIs; every Nyxus feature with a
    PyRadiomics namesake is listed with its measured agreement.
Then the scaling curves (radx-bench-scaling, PNGs by radx-plot-scaling), the memory bandwidth
(radx-bench-stream), the physical bounds and a callgrind profile; the tables are printed, the
results written to bench/results/<mode>-<date>.json and, for the full run, into docs/BENCHMARKS.md.
Exit status 1 when a radx value disagrees with PyRadiomics or a radx run fails; never because of
timing or a peer's own differences.
"""

import argparse
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import agreement   # noqa: E402
import bounds      # noqa: E402
import measure     # noqa: E402
import report      # noqa: E402
import scaling_runs  # noqa: E402
from workloads import COHORTS, GENERATOR_VERSION, MODES, ROOT, WORKLOADS, params_text  # noqa: E402

RESULTS_DIR = os.path.join(HERE, 'results')


# ----------------------------------------------------------------------------------------------
# Cohorts and subsets
# ----------------------------------------------------------------------------------------------

def generate_cohort(make_rois, work, name, count, seed):
    """radx-make-rois' cohort `name` under work/cohorts/ (reused when already generated alike)."""
    low, high, extra = COHORTS[name]
    rois = os.path.join(work, 'cohorts', '%s-%d-seed%d' % (name, count, seed))
    stamp = os.path.join(rois, '.generated')
    wanted = 'v%d %d %d %d %d %s\n' % (GENERATOR_VERSION, count, low, high, seed, ' '.join(extra))
    if measure.read_text(stamp) != wanted:
        shutil.rmtree(rois, ignore_errors=True)
        os.makedirs(rois)
        subprocess.run([make_rois, '--out', rois, '--count', str(count), '--min', str(low), '--max', str(high),
                        '--seed', str(seed)] + extra, check=True, stdout=subprocess.DEVNULL)
        with open(stamp, 'w') as f:
            f.write(wanted)
    manifest = os.path.join(rois, 'manifest.csv')
    with open(manifest, newline='') as f:
        cases = [dict(c, Image=os.path.join(rois, c['Image']), Mask=os.path.join(rois, c['Mask']))
                 for c in csv.DictReader(f)]
    return cases


def write_cases(path, cases):
    """A manifest radx and the peers read: case_id, Image, Mask (absolute paths)."""
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['case_id', 'Image', 'Mask'])
        for c in cases:
            w.writerow([c['case_id'], c['Image'], c['Mask']])
    return path


def every_kth(cases, count):
    step = max(1, len(cases) // max(1, count))
    return cases[::step][:count]


# ----------------------------------------------------------------------------------------------
# The tools
# ----------------------------------------------------------------------------------------------

def run_pyradiomics(ctx, wdir, params, subset_csv, mode, processes):
    prefix = os.path.join(wdir, 'pyradiomics_%dp' % processes)
    argv = [ctx.venv_python, os.path.join(HERE, 'peer_pyradiomics.py'), '--params', params, '--cases',
            subset_csv, '--out-prefix', prefix, '--mode', mode, '--processes', str(processes)]
    load = measure.load_average()
    rc, wall, rss, _ = measure.run_measured(argv, prefix + '.log')
    if rc != 0:
        raise SystemExit('PyRadiomics (%d process(es)) failed (exit %d):\n%s'
                         % (processes, rc, measure.read_text(prefix + '.log')[-3000:]))
    with open(prefix + '.summary.json') as f:
        summary = json.load(f)
    values = agreement.read_long_values(prefix + '.values.csv')
    return values, summary, {'process_wall_s': wall, 'process_peak_rss_mib': rss, 'load_before': load}


def run_radx(ctx, wdir, params, manifest, name, extra, env=None):
    out = os.path.join(wdir, 'radx_%s.csv' % name)
    log = os.path.join(wdir, 'radx_%s.log' % name)
    argv = [ctx.radx, 'extract', '--params', params, '--cohort', manifest, '--out', out] + extra
    rc, wall, rss, _ = measure.run_measured(argv, log, dict(os.environ, **env) if env else None)
    shown = ['%s=%s' % kv for kv in sorted((env or {}).items())] + argv
    return rc, wall, rss, out, measure.read_text(log), shown


def radx_row(ctx, wdir, params, manifest, ncases, reference, tool, name, extra, env=None):
    """radx on the whole cohort, `repeat` times (median wall time), checked against PyRadiomics."""
    attempts = []
    for _ in range(ctx.repeat):
        load = measure.load_average()
        rc, wall, rss, out, log, argv = run_radx(ctx, wdir, params, manifest, name, extra, env)
        attempts.append({'wall_s': wall, 'peak_rss_mib': rss, 'exit_status': rc, 'load_before': load})
        if rc != 0 or not os.path.exists(out):
            break
    walls = sorted(a['wall_s'] for a in attempts)
    row = {'tool': tool, 'kind': 'radx', 'key': name, 'rois': ncases, 'wall_s': walls[len(walls) // 2],
           'peak_rss_mib': max((a['peak_rss_mib'] or 0.0) for a in attempts) or None,
           'command': ' '.join(argv), 'runs': attempts}
    if rc != 0 or not os.path.exists(out):
        print('  radx failed (exit %d):\n%s' % (rc, log[-2000:]))
        row.update(skipped='radx failed (exit %d)' % rc, failed=True)
        return row
    if name.startswith('opencl') and 'CPU path' in log:
        row['note'] = 'radx fell back to the CPU path: ' + ' '.join(log.split())[:300]
        row['tool'] += ' (FELL BACK TO CPU)'
    features, table, status = agreement.read_radx_table(out)
    not_ok = [c for c, s in status.items() if s != 'ok']
    if reference is None:
        # no PyRadiomics in this run (--no-pyradiomics): this first radx row, the CPU path on
        # one thread, is the reference the other radx rows are checked against
        reference = row['reference_table'] = table
    a = agreement.compare(reference, table)
    row.update(rois_per_s=ncases / row['wall_s'], features_per_roi=len(features),
               features_per_s=ncases * len(features) / row['wall_s'], failed_cases=len(not_ok),
               agreement=a, agreement_text=agreement.summary_text(a), failed=bool(not_ok) or a['disagree'] > 0)
    if not_ok:
        print('  %d cases failed in radx, e.g. %s: %s' % (len(not_ok), not_ok[0], status[not_ok[0]]))
    if a['disagree']:
        print('  DISAGREEMENT with PyRadiomics: %d of %d values; e.g.\n    %s'
              % (a['disagree'], a['values'], '\n    '.join(a['examples'])))
    return row


def run_nyxus(ctx, wdir, all_csv, subset_ids, bincount, layout, threads):
    prefix = os.path.join(wdir, 'nyxus_%s_%dt' % (layout, threads))
    argv = [ctx.nyxus_python, os.path.join(HERE, 'peer_nyxus.py'), 'time', '--cases', all_csv, '--bincount',
            str(bincount), '--threads', str(threads), '--layout', layout, '--sample', ','.join(subset_ids),
            '--out-prefix', prefix]
    load = measure.load_average()
    rc, wall, rss, _ = measure.run_measured(argv, prefix + '.log')
    if rc != 0:
        return None, {'error': 'Nyxus failed (exit %d): %s' % (rc, measure.read_text(prefix + '.log')[-500:])}
    with open(prefix + '.summary.json') as f:
        summary = json.load(f)
    summary.update(process_wall_s=wall, process_peak_rss_mib=rss, load_before=load)
    return agreement.read_long_values(prefix + '.values.csv', 'pyradiomics_feature'), summary


def run_nyxus_levels(ctx, wdir, subset_csv, bincount):
    prefix = os.path.join(wdir, 'nyxus_levels')
    argv = [ctx.nyxus_python, os.path.join(HERE, 'peer_nyxus.py'), 'levels', '--cases', subset_csv,
            '--bincount', str(bincount), '--out-prefix', prefix]
    rc, _, _, _ = measure.run_measured(argv, prefix + '.log')
    if rc != 0:
        return {}
    return agreement.read_long_values(prefix + '.values.csv', 'pyradiomics_feature')


def nyxus_mapping():
    """[(nyxus column, PyRadiomics feature, run)] from peer_nyxus.py (importable without nyxus)."""
    import peer_nyxus
    return peer_nyxus.mapping()


def nyxus_rows(ctx, wdir, w, cases, subset, reference):
    """Nyxus on the files with 1 thread and all cores, and all cores on a montage, with the
    per-feature agreement."""
    if not ctx.nyxus_python:
        return [{'tool': 'Nyxus', 'kind': 'nyxus', 'skipped': ctx.nyxus_skip}], None
    all_csv = write_cases(os.path.join(wdir, 'nyxus_cases.csv'), cases)
    subset_csv = os.path.join(wdir, 'subset.csv')
    ids = [c['case_id'] for c in subset]
    levels = run_nyxus_levels(ctx, wdir, subset_csv, w['nyxus_bincount'])
    mapped = nyxus_mapping()
    rows, per_feature = [], None
    for layout, threads in (('files', 1), ('files', ctx.cores), ('montage', ctx.cores)):
        print('Nyxus (%s, %d thread(s)) on %d ROIs ...' % (layout, threads, len(cases)), flush=True)
        values, summary = run_nyxus(ctx, wdir, all_csv, ids, w['nyxus_bincount'], layout, threads)
        tool = 'Nyxus %s (%s, %d thread%s)' % (summary.get('nyxus', ''), layout, threads, '' if threads == 1 else 's')
        if values is None:
            rows.append({'tool': tool, 'kind': 'nyxus', 'skipped': summary['error']})
            continue
        merged = {c: dict(values.get(c, {}), **levels.get(c, {})) for c in ids}
        stats = agreement.compare_per_feature(reference, merged, [f for _, f, _ in mapped])
        agree = [f for f, s in stats.items() if s['values'] and not s['disagree']]
        checked = [f for f, s in stats.items() if s['values']]
        text = '%d of %d mapped features agree (%d ROIs; list in doc/JSON)' % (len(agree), len(checked), len(ids))
        seconds = summary['timed_seconds']
        rows.append({'tool': tool, 'kind': 'nyxus', 'key': 'nyxus_%s_%s' % (layout, '1t' if threads == 1 else 'all'),
                     'rois': summary['rois'],
                     'wall_s': seconds, 'rois_per_s': summary['rois'] / seconds,
                     'features_per_roi': summary['features_per_roi'],
                     'features_per_s': summary['rois'] * summary['features_per_roi'] / seconds,
                     'peak_rss_mib': summary['process_peak_rss_mib'], 'agreement_text': text,
                     'summary': summary, 'threads': threads, 'layout': layout})
        if per_feature is None:
            per_feature = {'features': [{'nyxus': n, 'pyradiomics': f, 'run': r, **stats[f]} for n, f, r in mapped],
                           'sample_rois': len(ids), 'agree': len(agree), 'checked': len(checked)}
    return rows, per_feature


# ----------------------------------------------------------------------------------------------
# One workload
# ----------------------------------------------------------------------------------------------

def workload_cases(ctx, w):
    cases = ctx.cohorts[w['cohort']]
    if w.get('subset_of_cohort'):
        cases = cases[:ctx.mode[w['subset_of_cohort']]]
    return cases


def pyradiomics_rows(ctx, w, wdir, params, subset_csv, nsubset):
    if ctx.pyradiomics_skip:
        print('PyRadiomics skipped: %s' % ctx.pyradiomics_skip, flush=True)
        return None, [{'tool': 'PyRadiomics 3.1', 'kind': 'pyradiomics', 'key': 'pyradiomics_1p',
                       'skipped': ctx.pyradiomics_skip}]
    print('PyRadiomics on %d ROIs, 1 process ...' % nsubset, flush=True)
    reference, s1, p1 = run_pyradiomics(ctx, wdir, params, subset_csv, w['pyradiomics'], 1)
    nfeatures = len(next(iter(reference.values())))
    rows = [{'tool': 'PyRadiomics 3.1 (1 process)', 'kind': 'pyradiomics', 'key': 'pyradiomics_1p',
             'rois': s1['cases'], 'wall_s': s1['timed_seconds'], 'rois_per_s': s1['cases'] / s1['timed_seconds'],
             'features_per_roi': nfeatures, 'features_per_s': s1['cases'] * nfeatures / s1['timed_seconds'],
             'peak_rss_mib': s1['peak_rss_mib_sum'], 'agreement_text': 'reference (%d ROIs)' % s1['cases'],
             'summary': s1, **p1}]
    print('PyRadiomics on %d ROIs, %d processes ...' % (nsubset, ctx.cores), flush=True)
    values, sn, pn = run_pyradiomics(ctx, wdir, params, subset_csv, w['pyradiomics'], ctx.cores)
    same = agreement.compare(reference, values)
    rows.append({'tool': 'PyRadiomics 3.1 (%d processes)' % ctx.cores, 'kind': 'pyradiomics',
                 'key': 'pyradiomics_np', 'rois': sn['cases'], 'wall_s': sn['timed_seconds'],
                 'rois_per_s': sn['cases'] / sn['timed_seconds'], 'features_per_roi': nfeatures,
                 'features_per_s': sn['cases'] * nfeatures / sn['timed_seconds'],
                 'peak_rss_mib': sn['peak_rss_mib_sum'], 'summary': sn, **pn,
                 'agreement_text': 'same values as 1 process' if same['disagree'] == 0 else
                                   'DIFFERS from 1 process: %s' % agreement.summary_text(same)})
    return reference, rows


def opencl_runs(ctx):
    """The OpenCL rows: radx's default (RADX_CL_REDUCE unset: AUTO, the host reduction on a CPU
    device, the device reduction on a GPU) as 'opencl', and the other reduction as a second row,
    so that one run shows which is faster on this device (docs/ARCHITECTURE.md)."""
    gpu = ctx.machine['opencl_device_type'] in ('GPU', 'ACCELERATOR')
    default, other = ('device', 'host') if gpu else ('host', 'device')
    label = 'radx OpenCL, %s device (%d host threads)' % (ctx.machine['opencl_device_type'], ctx.cores)
    extra = ['--device', 'opencl', '--jobs', str(ctx.cores)]
    return [(label + ', %s reduction (default)' % default, 'opencl', extra, None),
            (label + ', %s reduction' % other, 'opencl_reduce_' + other, extra, {'RADX_CL_REDUCE': other})]


def radx_rows(ctx, wdir, params, manifest, subset_csv, ncases, reference):
    runs = [('radx CPU 1 thread', 'cpu_1t', ['--device', 'cpu', '--jobs', '1'], None),
            ('radx CPU %d threads' % ctx.cores, 'cpu_all', ['--device', 'cpu', '--jobs', str(ctx.cores)], None)]
    skipped = None
    if ctx.no_opencl:
        skipped = '--no-opencl given'
    elif not ctx.machine['opencl_device']:
        skipped = 'no OpenCL device (radx devices: %s)' % ' '.join(ctx.machine['radx_devices'].split())[:120]
    else:
        runs += opencl_runs(ctx)
        for _, name, _, env in runs[2:]:   # kernel cache, untimed
            run_radx(ctx, wdir, params, subset_csv, name + '_warmup', ['--device', 'opencl'], env)
    rows = []
    for tool, name, extra, env in runs:
        print('%s on %d ROIs, %d run(s) ...' % (tool, ncases, ctx.repeat), flush=True)
        rows.append(radx_row(ctx, wdir, params, manifest, ncases, reference, tool, name, extra, env))
        if reference is None and 'reference_table' in rows[-1]:
            reference = rows[-1].pop('reference_table')
            rows[-1]['agreement_text'] = 'reference (PyRadiomics skipped)'
    if skipped:
        rows.append({'tool': 'radx OpenCL', 'kind': 'radx', 'key': 'opencl', 'skipped': skipped})
    return rows


def add_ratios(rows):
    base_py = next((r.get('rois_per_s') for r in rows if r.get('key') == 'pyradiomics_1p'), None)
    base_1t = next((r.get('rois_per_s') for r in rows if r.get('key') == 'cpu_1t'), None)
    for r in rows:
        if r.get('rois_per_s'):
            r['ratio_vs_pyradiomics'] = r['rois_per_s'] / base_py if base_py else None
            r['ratio_vs_radx_cpu_1t'] = r['rois_per_s'] / base_1t if base_1t else None


def run_workload(ctx, w):
    wdir = os.path.join(ctx.work, w['name'])
    os.makedirs(wdir, exist_ok=True)
    params = os.path.join(wdir, 'params.yaml')
    with open(params, 'w') as f:
        f.write(params_text(w))
    cases = workload_cases(ctx, w)
    subset = every_kth(cases, ctx.mode['pyradiomics'][w['name']])
    manifest = write_cases(os.path.join(wdir, 'manifest.csv'), cases)
    subset_csv = write_cases(os.path.join(wdir, 'subset.csv'), subset)
    print('\n== %s: %s; %d ROIs, PyRadiomics on %d' % (w['name'], w['description'], len(cases), len(subset)))
    reference, rows = pyradiomics_rows(ctx, w, wdir, params, subset_csv, len(subset))
    rows += radx_rows(ctx, wdir, params, manifest, subset_csv, len(cases), reference)
    nyxus_features = None
    if w.get('nyxus_bincount') and reference is not None:
        more, nyxus_features = nyxus_rows(ctx, wdir, w, cases, subset, reference)
        rows += more
    add_ratios(rows)
    cpu_out = os.path.join(wdir, 'radx_cpu_1t.csv')
    result = {'name': w['name'], 'description': w['description'], 'rois': len(cases),
              'subset_case_ids': [c['case_id'] for c in subset], 'params_yaml': params_text(w), 'rows': rows,
              'nyxus_features': nyxus_features, 'voxels': bounds.cohort_voxels(cases),
              'derived_images': 'params_file' in w,
              'radx_stats': bounds.radx_table_stats(cpu_out) if os.path.exists(cpu_out) else None}
    print()
    report.print_table(result, ctx.machine)
    return result


# ----------------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------------

class Context:
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(description='radx benchmark (see bench/README.md)')
    p.add_argument('--radx-build', required=True, help='radx build folder (radx, bench/radx-*)')
    p.add_argument('--venv-python', required=True, help='python of the PyRadiomics 3.1 venv')
    p.add_argument('--nyxus-python', help='python of the Nyxus venv')
    p.add_argument('--nyxus-skip', default='Nyxus venv not given', help='why Nyxus is not run')
    p.add_argument('--pyradiomics-skip', help='why PyRadiomics is not run (bench/run --no-pyradiomics): '
                   'the radx CPU path on one thread is then the reference of the other radx rows')
    mode = p.add_mutually_exclusive_group()
    mode.add_argument('--smoke', action='store_const', dest='mode', const='smoke')
    mode.add_argument('--quick', action='store_const', dest='mode', const='quick')
    p.add_argument('--work', help='work folder (cohorts, outputs, logs); default $TMPDIR/radx-bench')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--repeat', type=int, help='runs per radx row (median reported); default per mode')
    p.add_argument('--no-opencl', action='store_true')
    p.add_argument('--only', help='comma-separated workloads (default: all)')
    p.add_argument('--no-scaling', action='store_true', help='skip scaling curves, bandwidth and profile')
    doc = p.add_mutually_exclusive_group()
    doc.add_argument('--write-doc', action='store_true', help='write docs/BENCHMARKS.md (default: full run only)')
    doc.add_argument('--no-doc', action='store_true')
    return p.parse_args(argv)


def make_context(args):
    ctx = Context()
    ctx.mode_name = args.mode or 'full'
    ctx.mode = MODES[ctx.mode_name]
    ctx.repeat = args.repeat or ctx.mode['repeat']
    ctx.work = os.path.abspath(args.work or os.path.join(os.environ.get('TMPDIR', '/tmp'), 'radx-bench'))
    build = os.path.abspath(args.radx_build)
    ctx.radx = os.path.join(build, 'radx')
    ctx.tools = {name: os.path.join(build, 'bench', name) for name in
                 ('radx-make-rois', 'radx-bench-scaling', 'radx-bench-stream', 'radx-plot-scaling')}
    ctx.venv_python = args.venv_python
    ctx.nyxus_python = args.nyxus_python
    ctx.nyxus_skip = args.nyxus_skip
    ctx.no_opencl = args.no_opencl
    ctx.pyradiomics_skip = args.pyradiomics_skip
    if ctx.pyradiomics_skip:
        agreement.REL_TOL = 1e-9   # radx against radx: the OpenCL parity rule (issue 4)
    ctx.cores = os.cpu_count() or 1
    ctx.machine = measure.machine(ctx.radx)
    ctx.seed = args.seed
    return ctx


def main(argv):
    args = parse_args(argv)
    ctx = make_context(args)
    os.makedirs(ctx.work, exist_ok=True)
    only = set(args.only.split(',')) if args.only else None
    chosen = [w for w in WORKLOADS if not only or w['name'] in only]
    started = time.perf_counter()
    m = ctx.machine
    print('radx benchmark, %s mode, on %s (%d cores); OpenCL: %s; work folder %s'
          % (ctx.mode_name, m['cpu'], ctx.cores, m['opencl_device'] or 'none', ctx.work))
    ctx.cohorts = {}
    for name in sorted({w['cohort'] for w in chosen}):
        t = time.perf_counter()
        ctx.cohorts[name] = generate_cohort(ctx.tools['radx-make-rois'], ctx.work, name,
                                            ctx.mode['cohorts'][name], ctx.seed)
        print('cohort %s: %d ROIs (%.1f s)' % (name, len(ctx.cohorts[name]), time.perf_counter() - t))
    workloads = [run_workload(ctx, w) for w in chosen]
    extra = {} if args.no_scaling else scaling_runs.run_all(ctx, workloads, RESULTS_DIR)
    targets = report.targets(workloads, m)
    failed = any(r.get('failed') for w in workloads for r in w['rows'])
    result = {
        'mode': ctx.mode_name, 'date': datetime.datetime.now().isoformat(timespec='seconds'),
        'seed': ctx.seed, 'radx_repeats': ctx.repeat, 'machine': m,
        'tolerance': {'relative': agreement.REL_TOL, 'absolute': agreement.ABS_TOL},
        'pyradiomics_env': next((r['summary']['versions'] for w in workloads for r in w['rows']
                                 if r.get('key') == 'pyradiomics_1p' and r.get('summary')), None),
        'nyxus': ctx.nyxus_python and 'bench/.venv-nyxus' or ctx.nyxus_skip,
        'workloads': workloads, 'targets': targets, 'values_agree': not failed,
        'harness_seconds': time.perf_counter() - started, **extra,
    }
    print()
    report.print_summary(result)
    os.makedirs(RESULTS_DIR, exist_ok=True)
    path = os.path.join(RESULTS_DIR, '%s-%s.json' % (ctx.mode_name, datetime.date.today().isoformat()))
    with open(path, 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')
    print('results: %s' % os.path.relpath(path, os.getcwd()))
    if (ctx.mode_name == 'full' and not args.no_doc) or args.write_doc:
        doc = report.write_doc(result, os.path.join(ROOT, 'docs', 'BENCHMARKS.md'), os.path.relpath(path, ROOT))
        print('doc: %s (generated block updated)' % os.path.relpath(doc, os.getcwd()))
    print('harness time: %.0f s' % result['harness_seconds'])
    # one check per radx run: it ran and its values agree (skipped only for want of a device)
    checks = [r for w in workloads for r in w['rows']
              if r.get('kind') == 'radx' and (not r.get('skipped') or r.get('failed'))]
    bad = sum(1 for r in checks if r.get('failed'))
    if failed:
        print('FAIL: radx values disagree with PyRadiomics or a radx run failed (see above)')
    print('radx agreement checks: %d passed, %d failed' % (len(checks) - bad, bad))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
