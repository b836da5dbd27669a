"""The house-style check: exported cells (at most 40 non-blank lines, directives included; at most one top-level function or class),
library lines of at most 120 characters (at most 1 % over), docments on the parameters of exported functions (at least
95 %), no unused imports (ruff F401). Prints the measures; exits 1 when one is out of bounds. `--report` never fails."""
import ast, dataclasses, json, re, statistics, subprocess, sys, inspect, importlib
from pathlib import Path
from fastcore.docments import docments

MAX_CELL, MAX_LONG, MIN_DOC, WIDTH = 40, 0.01, 0.95, 120
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

def doc_coverage():
    sys.path.insert(0, str(root)); total = have = 0; missing = []
    for p in lib_files():
        m = importlib.import_module(f'cxr_simclr.{p.stem}')
        for name in getattr(m, '__all__', []):
            o = getattr(m, name)
            if not (inspect.isfunction(o) or inspect.isclass(o)) or getattr(o, '__module__', '') != m.__name__: continue
            if inspect.isclass(o) and not dataclasses.is_dataclass(o):
                if '__init__' not in o.__dict__: continue          # an inherited constructor is documented where it is defined
                o = o.__init__
            d = docments(o, full=False)
            for k, v in d.items():
                if k in ('return', 'self', 'cls'): continue
                total += 1
                if v: have += 1
                else: missing.append(f'{p.stem}.{name}({k})')
    return total, have, missing

def unused_imports():
    r = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--select', 'F401', '--output-format', 'concise', '--quiet',
                        *map(str, lib_files())], capture_output=True, text=True)
    return [l for l in r.stdout.splitlines() if 'F401' in l]

if __name__ == '__main__':
    report = '--report' in sys.argv; verbose = '-v' in sys.argv
    sizes, big, multi = cell_measures(); n, long, where = long_lines(); total, have, missing = doc_coverage(); unused = unused_imports()
    checks = [(f'exported cells over {MAX_CELL} non-blank lines', len(big), len(big) == 0, big),
              ('exported cells with more than one top-level definition', len(multi), len(multi) == 0, multi),
              (f'library lines over {WIDTH} characters', f'{long} of {n} ({100 * long / n:.1f} %)', long <= MAX_LONG * n, where),
              ('parameters of exported functions with a docment', f'{have} of {total} ({100 * have / max(total, 1):.1f} %)',
               have >= MIN_DOC * total, missing),
              ('unused imports in the library', len(unused), not unused, unused)]
    print(f'exported cells: {len(sizes)}, median {statistics.median(sizes)} non-blank lines')
    bad = 0
    for what, val, ok, detail in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {val}"); bad += not ok
        if detail and (verbose or not ok): print('     ' + '\n     '.join(detail[:200 if verbose else 15]))
    sys.exit(0 if report or not bad else 1)
