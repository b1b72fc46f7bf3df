"""Tables, targets and the generated part of docs/BENCHMARKS.md (bench/bench.py). Standard library."""

import os
import re

from bounds import flops_per_cycle as bounds_flops

# The generated blocks of docs/BENCHMARKS.md: one for runs whose OpenCL device is a GPU, one for the
# others (CPU, PoCL), so that a GPU machine's run goes into its own table.
MARKERS = {
    'main': ('<!-- bench/run: generated block begins (bench/report.py writes it; edit outside) -->',
             '<!-- bench/run: generated block ends -->'),
    'gpu': ('<!-- bench/run: generated GPU block begins (bench/report.py writes it on a GPU machine) -->',
            '<!-- bench/run: generated GPU block ends -->'),
}

HEAD = ['tool', 'ROIs', 'wall s', 'ROIs/s', 'features/s', 'peak RSS MiB', 'x PyRadiomics', 'x radx CPU 1t',
        'agreement with PyRadiomics']


def fmt(value, spec):
    return '-' if value is None else format(value, spec)


def row_cells(r):
    if r.get('skipped'):
        return [r['tool'], '-', '-', '-', '-', '-', '-', '-', 'skipped: ' + r['skipped']]
    return [r['tool'], str(r['rois']), fmt(r.get('wall_s'), '.3f'), fmt(r.get('rois_per_s'), ',.1f'),
            fmt(r.get('features_per_s'), ',.0f'), fmt(r.get('peak_rss_mib'), '.0f'),
            fmt(r.get('ratio_vs_pyradiomics'), ',.1f'), fmt(r.get('ratio_vs_radx_cpu_1t'), '.2f'),
            r.get('agreement_text', '')]


def text_table(rows):
    lines = [row_cells(r) for r in rows]
    widths = [max(len(HEAD[i]), *(len(line[i]) for line in lines)) for i in range(len(HEAD))]

    def line(cells):
        return '| ' + ' | '.join(c.ljust(w) if i in (0, 8) else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + ' |'
    return '\n'.join([line(HEAD), '|' + '|'.join('-' * (w + 2) for w in widths) + '|'] + [line(x) for x in lines])


def markdown_table(rows):
    out = ['| ' + ' | '.join(HEAD) + ' |', '|' + '---|' * len(HEAD)]
    for r in rows:
        out.append('| ' + ' | '.join(c.replace('|', '/') for c in row_cells(r)) + ' |')
    return '\n'.join(out)


def loads(workload):
    values = [r.get('load_before') for r in workload['rows']]
    values += [a.get('load_before') for r in workload['rows'] for a in r.get('runs', [])]
    return [v for v in values if v is not None]


def print_table(workload, machine):
    print('%s on %s, %d cores; OpenCL: %s' % (workload['name'], machine['cpu'], machine['cores'],
                                               machine['opencl_device'] or 'none'))
    print(text_table(workload['rows']))
    values = loads(workload)
    if values:
        print('1-min load average before the runs: %.2f to %.2f (%d cores)%s' % (
            min(values), max(values), machine['cores'],
            '; above 0.5: other processes (or this harness) make the timings pessimistic' if max(values) > 0.5 else ''))


# ----------------------------------------------------------------------------------------------
# Targets (issue 6)
# ----------------------------------------------------------------------------------------------

def find(workloads, name, key):
    w = next((w for w in workloads if w['name'] == name), None)
    return next((r for r in w['rows'] if r.get('key') == key and r.get('rois_per_s')), None) if w else None


def ratio_target(what, goal, numerator, denominator):
    if not numerator or not denominator:
        return {'target': what, 'goal': goal, 'reached': None, 'met': None}
    value = numerator['rois_per_s'] / denominator['rois_per_s']
    return {'target': what, 'goal': goal, 'reached': value, 'met': value >= goal,
            'rows': [numerator['tool'], denominator['tool']]}


def targets(workloads, machine):
    py = find(workloads, 'W1', 'pyradiomics_1p')
    radx_rows = [r for k in ('cpu_1t', 'cpu_all', 'opencl', 'opencl_reduce_host', 'opencl_reduce_device')
                 for r in [find(workloads, 'W1', k)] if r]
    best = max(radx_rows, key=lambda r: r['rois_per_s']) if radx_rows else None
    nyx = [r for k in ('nyxus_files_all', 'nyxus_montage_all') for r in [find(workloads, 'W1-bc64', k)] if r]
    best_nyx = max(nyx, key=lambda r: r['rois_per_s']) if nyx else None
    out = [ratio_target('W1: radx CPU 1 thread / PyRadiomics 1 process (ROIs/s)', 300, find(workloads, 'W1', 'cpu_1t'), py),
           ratio_target('W1: best radx, all cores / PyRadiomics 1 process', 1000, best, py),
           ratio_target('W1-bc64 (shared families): radx CPU all cores / best Nyxus all cores', 5,
                        find(workloads, 'W1-bc64', 'cpu_all'), best_nyx),
           ratio_target('W1: radx OpenCL / radx CPU, same cores', 1, find(workloads, 'W1', 'opencl'),
                        find(workloads, 'W1', 'cpu_all'))]
    gpu = machine.get('opencl_device_type') == 'GPU'
    cl = find(workloads, 'W1', 'opencl')
    out.append({'target': 'W1 on a data-centre GPU: ROIs/s', 'goal': 1e6,
                'reached': cl['rois_per_s'] if gpu and cl else None,
                'met': (cl['rois_per_s'] >= 1e6) if gpu and cl else None,
                'note': None if gpu else 'pending: no GPU on this machine'})
    return out


def target_lines(result):
    lines = []
    for t in result['targets']:
        if t['reached'] is None:
            state = t.get('note') or 'not measured'
        else:
            state = '%s: %s' % ('met' if t['met'] else 'MISSED', format(t['reached'], ',.2f'))
        lines.append('%s >= %s: %s' % (t['target'], format(t['goal'], ',g'), state))
    return lines


def bound_line(b):
    parts = ['%s: %s bytes/ROI, memory bound %s ROIs/s (%.0fx the best radx, %s ROIs/s)' % (
        b['workload'], format(b['bytes_per_roi'], ',.0f'), format(b['memory_bound_rois_per_s'], ',.0f'),
        b['memory_gap'], format(b['best_radx_rois_per_s'], ',.0f'))]
    if b.get('arithmetic_bound_rois_per_s'):
        parts.append('arithmetic bound %s ROIs/s (%.3g operations/ROI; %.0fx)' % (
            format(b['arithmetic_bound_rois_per_s'], ',.0f'), b['operations_per_roi'], b['arithmetic_gap']))
    if b.get('instruction_bound_rois_per_s'):
        parts.append('instruction bound %s ROIs/s (%.3g radx instructions/ROI at IPC 4; %.1fx)' % (
            format(b['instruction_bound_rois_per_s'], ',.0f'), b['instructions_per_roi'], b['instruction_gap']))
    return '; '.join(parts)


def print_summary(result):
    print('Targets (issue 6, ratios in this run):')
    for line in target_lines(result):
        print('  ' + line)
    bw = result.get('bandwidth')
    if bw:
        print('Memory bandwidth (STREAM triad): %.1f GB/s 1 thread, %.1f GB/s %d threads'
              % (bw['triad_1t_gbs'], bw['triad_all_gbs'], bw['threads']))
    for b in result.get('bounds', []):
        print('  ' + bound_line(b))
    for sweep, s in (result.get('scaling') or {}).items():
        print('scaling %s: %d points%s%s' % (sweep, len(s['points']), ', plot ' + s['png'] if s['png'] else '',
                                             ('; ' + '; '.join(s['notes'])) if s['notes'] else ''))


# ----------------------------------------------------------------------------------------------
# docs/BENCHMARKS.md
# ----------------------------------------------------------------------------------------------

def nyxus_feature_table(nf):
    out = ['| PyRadiomics feature | Nyxus feature | compared on | ROIs | max rel. dev. | agrees (<= 1e-6) |',
           '|---|---|---|---|---|---|']
    for f in nf['features']:
        run = 'raw images' if f['run'] == 'time' else 'PyRadiomics grey levels, ibsi'
        agrees = '-' if not f['values'] else ('yes' if not f['disagree'] else 'no (%d)' % f['disagree'])
        out.append('| `%s` | `%s` | %s | %d | %s | %s |' % (
            f['pyradiomics'].replace('original_', ''), f['nyxus'], run, f['values'],
            '-' if not f['values'] else '%.1e' % f['max_rel'], agrees))
    return '\n'.join(out)


def machine_lines(result):
    m = result['machine']
    env = result.get('pyradiomics_env') or {}
    return ['- CPU: %s, %d cores, %s MHz, %.0f GiB memory, Linux %s' % (
                m['cpu'], m['cores'], fmt(m.get('cpu_mhz'), '.0f'), m.get('memory_gib') or 0, m['kernel']),
            '- OpenCL device: %s%s' % (m['opencl_device'] or 'none',
                                       ' (%s)' % m['opencl_device_type'] if m.get('opencl_device_type') else ''),
            '- PyRadiomics %s, numpy %s, SimpleITK %s, Python %s; Nyxus: %s' % (
                env.get('pyradiomics'), env.get('numpy'), env.get('SimpleITK'), env.get('python'), result['nyxus']),
            '- mode `%s`, seed %d, radx rows the median of %d runs; run on %s, %.0f s' % (
                result['mode'], result['seed'], result['radx_repeats'], result['date'], result['harness_seconds'])]


def bounds_markdown(result):
    out = ['| workload | bytes per ROI | memory bound ROIs/s | operations per ROI (model) | arithmetic bound '
           'ROIs/s | radx instructions per ROI | instruction bound ROIs/s (IPC 4) | best radx ROIs/s | '
           'x to memory | x to arithmetic | x to instructions |', '|' + '---|' * 11]

    def num(b, key, spec=',.0f'):
        return format(b[key], spec) if b.get(key) else '-'
    for b in result.get('bounds', []):
        out.append('| %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s |' % (
            b['workload'], num(b, 'bytes_per_roi'), num(b, 'memory_bound_rois_per_s'), num(b, 'operations_per_roi'),
            num(b, 'arithmetic_bound_rois_per_s'), num(b, 'instructions_per_roi'),
            num(b, 'instruction_bound_rois_per_s'), num(b, 'best_radx_rois_per_s'), b['best_radx'],
            num(b, 'memory_gap'), num(b, 'arithmetic_gap'), num(b, 'instruction_gap', '.2f')))
    return '\n'.join(out)


def profile_markdown(result):
    out = []
    for name, p in (result.get('profiles') or {}).items():
        if not p:
            continue
        out.append('%s (%s): %s instructions per ROI. Top functions, by their share of the instructions the '
                   'extra ROIs cost (exclusive):\n' % (name, p['tool'], format(p['instructions_per_roi'], ',.0f')))
        out.append('| share | function |\n|---|---|')
        out += ['| %.1f%% | `%s` |' % (share, fn) for share, fn in p['top_functions']]
        out.append('')
    return '\n'.join(out)


def generated_block(result, json_path, begin, end):
    parts = [begin, '', '### Machine and run', ''] + machine_lines(result)
    parts += ['', 'Results: `%s`.' % json_path, '']
    bw = result.get('bandwidth')
    for w in result['workloads']:
        parts += ['### %s: %s (%d ROIs, PyRadiomics on %d)' % (w['name'], w['description'], w['rois'],
                                                                len(w['subset_case_ids'])), '',
                  markdown_table(w['rows']), '']
        values = loads(w)
        if values:
            parts += ['1-minute load average before the runs: %.2f to %.2f.' % (min(values), max(values)), '']
        if w.get('nyxus_features'):
            nf = w['nyxus_features']
            parts += ['Nyxus features with a PyRadiomics namesake (%d of %d agree within 1e-6 on %d ROIs):' % (
                nf['agree'], nf['checked'], nf['sample_rois']), '', nyxus_feature_table(nf), '']
    parts += ['### Targets (ratios in this run)', ''] + ['- ' + line for line in target_lines(result)] + ['']
    if bw:
        parts += ['### Physical bounds', '',
                  'Memory bandwidth (radx-bench-stream, STREAM triad): %.1f GB/s with 1 thread, %.1f GB/s with '
                  '%d threads (copy: %.1f / %.1f GB/s). Peak FP64 rate: %s GFLOP/s (cores x clock x %d flops '
                  'per cycle). The models are in bench/bounds.py.' % (
                      bw['triad_1t_gbs'], bw['triad_all_gbs'], bw['threads'], bw['copy_1t_gbs'], bw['copy_all_gbs'],
                      next((format(b['peak_flops'] / 1e9, '.0f') for b in result.get('bounds', [])
                            if b.get('peak_flops')), '-'), bounds_flops()), '',
                  bounds_markdown(result), '']
    prof = profile_markdown(result)
    if prof:
        parts += ['### Profile', '', prof]
    scaling = result.get('scaling') or {}
    if scaling:
        parts += ['### Scaling', '']
        for sweep, s in scaling.items():
            if s['png']:
                parts += ['![%s](../bench/%s)' % (sweep, s['png']), '']
            parts += ['Data: `bench/%s`%s' % (s['tsv'], ('; ' + '; '.join(s['notes'])) if s['notes'] else ''), '']
    parts.append(end)
    return '\n'.join(parts)


def write_doc(result, doc_path, json_path):
    """Replace the generated block of docs/BENCHMARKS.md for this run's device kind (the GPU block
    when the OpenCL device is a GPU); appended when its markers are missing."""
    text = open(doc_path).read() if os.path.exists(doc_path) else '# Benchmarks\n'
    begin, end = MARKERS['gpu' if result['machine'].get('opencl_device_type') == 'GPU' else 'main']
    block = generated_block(result, json_path, begin, end)
    pattern = re.compile(re.escape(begin) + '.*?' + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip('\n') + '\n\n' + block + '\n'
    with open(doc_path, 'w') as f:
        f.write(text)
    return doc_path
