"""reports/conformance.html: one static page, readable without a server: colour-coded cells,
filters by chapter and by outcome (also from the address: #chapter=LOSS&outcome=fail,xfail), and
each cell's message and reproduction on demand."""

from __future__ import annotations

from html import escape

from spec.harness.tables import versions_label
from spec.report import views
from spec.report.model import Conformance

# Words, not emoji: they render in any browser and font, and the colours carry the verdict.
LABELS = {
    "pass": "holds",
    "xfail": "declared",
    "skip": "n/a",
    "fail": "FAILS",
    "xpass": "XPASS",
    "error": "ERROR",
    None: "—",
}

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f4f4f4; font-size: 12px; }
tr.chapter th { background: #e6ecf5; text-align: left; font-size: 15px; }
td.says { max-width: 34em; } td.says code { white-space: pre-wrap; }
.checks { color: #555; font-size: 12px; }
td.cell { text-align: center; min-width: 4.5em; font-size: 12px; }
summary { cursor: pointer; }
.o-pass { background: #cdeccd; } .o-xfail { background: #ffd9a8; } .o-skip { background: #e4e4e4; }
.o-fail { background: #f5a3a3; } .o-xpass { background: #fff19a; } .o-error { background: #d9b3ff; }
.o-none { background: #fafafa; color: #aaa; }
details > div { text-align: left; font-size: 12px; max-width: 40em; white-space: pre-wrap; }
#filters { margin: 1em 0; padding: .6em; background: #f7f7f7; border: 1px solid #ddd; }
#filters label { margin-right: .8em; }
"""

SCRIPT = """
const rows = [...document.querySelectorAll('tr[data-chapter]:not(.chapter)')];
const chapterSelect = document.getElementById('chapter');
const boxes = [...document.querySelectorAll('input[name=outcome]')];
const fromSelect = document.getElementById('from');
const toSelect = document.getElementById('to');
function fromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has('chapter')) chapterSelect.value = params.get('chapter');
  if (params.has('from')) fromSelect.value = params.get('from');
  if (params.has('to')) toSelect.value = params.get('to');
  if (params.has('outcome')) {
    const wanted = new Set(params.get('outcome').split(','));
    boxes.forEach(b => { b.checked = wanted.has(b.value); });
  }
}
function apply() {
  const chapter = chapterSelect.value;
  const wanted = new Set(boxes.filter(b => b.checked).map(b => b.value));
  let shown = 0;
  for (const row of rows) {
    const by = row.dataset.by.split(' ');
    const moving = fromSelect.value !== '' && toSelect.value !== '';
    const visible = (!chapter || row.dataset.chapter === chapter)
      && (!moving || by[fromSelect.selectedIndex - 1] !== by[toSelect.selectedIndex - 1])
      && row.dataset.outcomes.split(' ').some(o => wanted.has(o));
    row.hidden = !visible;
    shown += visible;
  }
  for (const head of document.querySelectorAll('tr.chapter')) {
    head.hidden = !rows.some(r => !r.hidden && r.dataset.chapter === head.dataset.chapter);
  }
  document.getElementById('shown').textContent = `${shown} of ${rows.length} clauses shown`;
}
function onChange() {
  const outcomes = boxes.filter(b => b.checked).map(b => b.value).join(',');
  const move = `&from=${fromSelect.value}&to=${toSelect.value}`;
  history.replaceState(null, '', `#chapter=${chapterSelect.value}&outcome=${outcomes}${move}`);
  apply();
}
chapterSelect.addEventListener('change', onChange);
fromSelect.addEventListener('change', onChange);
toSelect.addEventListener('change', onChange);
boxes.forEach(b => b.addEventListener('change', onChange));
fromHash();
apply();
"""


def _cell(conf: Conformance, cid: str, column: str) -> str:
    found = conf.cell(cid, column)
    outcome = found.outcome if found else None
    symbol = LABELS[outcome]
    css = f"o-{outcome or 'none'}"
    if found is None:
        return f'<td class="cell {css}" title="{escape(views.MEANINGS[outcome])}">{symbol}</td>'
    body = f"{escape(views.MEANINGS[outcome])}\n"
    if found.message:
        body += f"\n{escape(found.message)}\n"
    body += f"\nreproduce: <code>{escape(found.reproduction())}</code>"
    details = f"<details><summary>{symbol}</summary><div>{body}</div></details>"
    return f'<td class="cell {css}">{details}</td>'


def render(conf: Conformance) -> str:
    names = [c.name for c in conf.columns]
    chapters = conf.chapters()
    head = "".join(
        f"<th>{escape(c.name)}<br>{escape(versions_label(c.versions))}</th>" for c in conf.columns
    )
    body = []
    for chapter, ids in chapters:
        counts = ", ".join(f"{name} {conf.holds(ids, name)}/{len(ids)}" for name in names)
        body.append(
            f'<tr class="chapter" data-chapter="{chapter}"><th colspan="{4 + len(names)}">'
            f"{chapter} ({conf.slide_range(ids)}) "
            f"<span class=checks>holds: {escape(counts)}</span></th></tr>"
        )
        for cid in ids:
            c = conf.clauses[cid]
            by = [conf.outcome(cid, n) or "none" for n in names]
            outcomes = " ".join(sorted(set(by)))
            checks = f'<div class="checks">→ {escape(c.checks)}</div>' if c.checks else ""
            body.append(
                f'<tr data-chapter="{chapter}" data-outcomes="{outcomes}" data-by="{" ".join(by)}">'
                f"<td>{c.slide}</td>"
                f"<td><code>{cid}</code></td><td>{c.level}</td>"
                f'<td class="says"><code>{escape(c.quote)}</code>{checks}</td>'
                + "".join(_cell(conf, cid, n) for n in names)
                + "</tr>"
            )
    options = "".join(f'<option value="{ch}">{ch}</option>' for ch, _ in chapters)
    columns = '<option value="">—</option>' + "".join(
        f'<option value="{escape(n)}">{escape(n)}</option>' for n in names
    )
    boxes = "".join(
        f'<label><input type="checkbox" name="outcome" value="{o or "none"}" checked> '
        f"{escape(meaning)}</label>"
        for o, meaning in views.MEANINGS.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Which course claims hold on which TensorFlow</title><style>{STYLE}</style></head>
<body>
<h1>Which course claims hold on which TensorFlow</h1>
<p>{len(conf.clauses)} clauses × {len(names)} environments.
{escape(views.implementations(conf.impls)).replace("`", "")} Click a cell for its message and the
command that reproduces it.</p>
<div id="filters">Chapter: <select id="chapter"><option value="">all</option>{options}</select>
&nbsp; Outcome: {boxes}<br>What changes if the course moves from
<select id="from">{columns}</select> to <select id="to">{columns}</select>: only the clauses whose
verdict differs.
<strong id="shown"></strong></div>
<table id="matrix"><thead><tr><th>slide</th><th>clause</th><th>level</th>
<th>the course says → the spec checks</th>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
<script>{SCRIPT}</script>
</body></html>
"""
