"""Check the offline docs site: `python .ci/site_check.py SITE [--browser SHOTS]`.
Every notebook has its page with the sidebar; no Quarto directive shows at the start of a code block; the results page
holds tables and PNG figures that decode. With --browser, headless Chromium loads the home and results pages, and the
DOM it renders must hold the sidebar, a table and a figure; its screenshots go to SHOTS."""
import re, sys, base64, subprocess, tempfile
from pathlib import Path
site = Path(sys.argv[1]); nbs = sorted(Path('nbs').glob('[0-9]*.ipynb')) + [Path('nbs/index.ipynb')]
pages = sorted(site.glob('*.html'))
assert len(pages) == len(nbs), f'{len(pages)} pages for {len(nbs)} notebooks'
for p in pages:
    h = p.read_text()
    assert 'class="sidebar"' in h, f'{p}: no sidebar'
    assert not re.search(r'<pre><span></span><span class="c1">#\|', h), f'{p}: a directive is shown'
r = (site/'results.html').read_text()
imgs = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', r)
assert r.count('<table') >= 3 and imgs, f'results page: {r.count("<table")} tables, {len(imgs)} figures'
assert all(base64.b64decode(i)[:4] == b'\x89PNG' for i in imgs), 'results page: a figure does not decode'
print(f'{len(pages)} pages; results page: {r.count("<table")} tables, {len(imgs)} figures')
if '--browser' in sys.argv:
    shots = Path(sys.argv[sys.argv.index('--browser') + 1]); shots.mkdir(parents=True, exist_ok=True)
    for name in ('index', 'results'):
        url = (site/f'{name}.html').resolve().as_uri(); base = ['chromium', '--headless', '--no-sandbox', '--disable-gpu']
        with tempfile.TemporaryDirectory() as prof:
            dom = subprocess.run(base + [f'--user-data-dir={prof}', '--dump-dom', url], capture_output=True, text=True,
                                 timeout=120).stdout
            subprocess.run(base + [f'--user-data-dir={prof}', f'--screenshot={shots}/{name}.png', '--window-size=1280,2000',
                                   url], capture_output=True, timeout=120)
        assert 'class="sidebar"' in dom and 'id="search"' in dom, f'{name}: the browser shows no sidebar or search box'
        if name == 'results': assert '<table' in dom and '<img' in dom, 'results: the browser shows no table or figure'
        assert (shots/f'{name}.png').stat().st_size > 10000, f'{name}: no screenshot'
        print(f'chromium: {name} rendered with its sidebar and search box; screenshot {shots}/{name}.png')
