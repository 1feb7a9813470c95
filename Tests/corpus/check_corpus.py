#!/usr/bin/env python3
"""Compare `ris parse --format json` output with a generated corpus's EXPECTED.json.

usage: python3 check_corpus.py OUTDIR JSONFILE [--examples K]

OUTDIR is the folder given to messy_corpus.py (it holds EXPECTED.json); JSONFILE is a
JSON array of records as printed by `ris parse --format json OUTDIR` (objects with path,
id, title, severity, status, date, project, timeline (array), compliance (object keyed
by framework), diagnostics (array of {severity, ...}), salvaged (bool)).

Records are matched to expectations by path relative to OUTDIR (a JSON path may be
absolute or relative: the longest expected path that is a suffix of it wins). Only the
keys an expectation states are judged. Prints per-field accuracy, failures per layout
with a few examples, and error-diagnostic counts. Always exits 0.
"""
import json
import os
import sys

FIELDS = ["id", "title", "severity", "status", "date", "project", "timeline", "frameworks", "errors", "salvaged"]
MISSING = object()


def norm_path(p):
    return p.replace("\\", "/")


def got_value(rec, field):
    if rec is None:
        return MISSING
    if field == "timeline":
        t = rec.get("timeline")
        return len(t) if isinstance(t, list) else (0 if t is None else t)
    if field == "frameworks":
        c = rec.get("compliance")
        if isinstance(c, dict):
            return sorted(c.keys())
        if isinstance(c, list):
            return sorted(str(x) for x in c)
        return []
    if field == "errors":
        return sum(1 for d in rec.get("diagnostics") or [] if str(d.get("severity", "")).lower() == "error")
    if field == "salvaged":
        return bool(rec.get("salvaged", False))
    return rec.get(field)


def same(field, want, got):
    if got is MISSING:
        return False
    if field == "title":
        return isinstance(got, str) and got.strip().casefold() == str(want).strip().casefold()
    if field in ("severity", "status"):
        return isinstance(got, str) and got.strip().upper() == str(want).upper()
    if field == "frameworks":
        return sorted(str(x).lower() for x in got) == sorted(want)
    if field == "id":
        return isinstance(got, str) and got.strip() == want
    if field == "date":
        return isinstance(got, str) and got.strip()[:10] == want
    return got == want


def show(v):
    if v is MISSING:
        return "<no record>"
    return json.dumps(v, ensure_ascii=False)


def main():
    args = sys.argv[1:]
    k_examples = 4
    if "--examples" in args:
        i = args.index("--examples")
        k_examples = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__)
        return 0
    outdir, jsonfile = args
    with open(os.path.join(outdir, "EXPECTED.json"), encoding="utf-8") as fh:
        expected = json.load(fh)
    with open(jsonfile, encoding="utf-8") as fh:
        records = json.load(fh)
    if isinstance(records, dict):
        records = records.get("records") or records.get("documents") or list(records.values())

    exp_keys = {norm_path(k): k for k in expected}
    matched = {}
    unmatched = 0
    for rec in records:
        p = norm_path(str(rec.get("path", "")))
        parts = p.split("/")
        hit = None
        for i in range(len(parts)):  # longest suffix first
            cand = "/".join(parts[i:])
            if cand in exp_keys:
                hit = exp_keys[cand]
                break
        if hit is None:
            unmatched += 1
            continue
        matched[hit] = rec  # a path is unique; the last one wins if a tool prints it twice

    right = {f: 0 for f in FIELDS}
    stated = {f: 0 for f in FIELDS}
    per_layout = {}
    per_variant = {}
    deserve_err = have_err = both_err = 0
    false_err_files = []
    missed_err_files = []
    for rel, exp in sorted(expected.items()):
        rec = matched.get(rel)
        layout = exp.get("layout", "?")
        L = per_layout.setdefault(layout, {"files": 0, "clean": 0, "fails": {}, "examples": {}})
        L["files"] += 1
        file_ok = True
        for f in FIELDS:
            if f not in exp:
                continue
            want = exp[f]
            got = got_value(rec, f)
            stated[f] += 1
            if same(f, want, got):
                right[f] += 1
                continue
            file_ok = False
            L["fails"][f] = L["fails"].get(f, 0) + 1
            L["examples"].setdefault(f, [])
            if len(L["examples"][f]) < k_examples:
                L["examples"][f].append((rel, want, got))
            for v in exp.get("variants", []):
                per_variant.setdefault(v, {}).setdefault(f, 0)
                per_variant[v][f] += 1
        if file_ok:
            L["clean"] += 1
        if "errors" in exp:
            deserves = exp["errors"] > 0
            has = rec is not None and got_value(rec, "errors") > 0
            deserve_err += deserves
            have_err += has
            both_err += deserves and has
            if has and not deserves:
                false_err_files.append(rel)
            if deserves and not has:
                missed_err_files.append(rel)

    print(f"corpus: {len(expected)} expected files, {len(matched)} matched records, "
          f"{len(expected) - len(matched)} expected files without a record, {unmatched} records not in the corpus")
    print()
    print("per-field accuracy (right / stated):")
    total_r = total_s = 0
    for f in FIELDS:
        if stated[f]:
            total_r += right[f]
            total_s += stated[f]
            print(f"  {f:11} {right[f]:5} / {stated[f]:<5} {100.0 * right[f] / stated[f]:6.1f}%")
    if total_s:
        print(f"  {'all':11} {total_r:5} / {total_s:<5} {100.0 * total_r / total_s:6.1f}%")
    print()
    print("per layout (files fully right / files), failing fields with examples:")
    for layout in sorted(per_layout):
        L = per_layout[layout]
        fails = ", ".join(f"{f} {n}" for f, n in sorted(L["fails"].items(), key=lambda x: -x[1]))
        print(f"  {layout:24} {L['clean']:4} / {L['files']:<4} {('failing: ' + fails) if fails else 'all right'}")
        for f in sorted(L["examples"], key=lambda x: -L["fails"][x]):
            for rel, want, got in L["examples"][f]:
                print(f"      {rel}: {f}: expected {show(want)}, got {show(got)}")
    print()
    print("error diagnostics:")
    print(f"  files deserving an error: {deserve_err}; files with at least one error: {have_err}; "
          f"both: {both_err}")
    print(f"  errors on valid files: {len(false_err_files)}; broken files without an error: {len(missed_err_files)}")
    for rel in false_err_files[:k_examples]:
        print(f"      error on a valid file: {rel}")
    for rel in missed_err_files[:k_examples]:
        print(f"      no error on a broken file: {rel}")
    if per_variant:
        print()
        print("failures by variant tag (field: failures), most failing first:")
        rows = sorted(per_variant.items(), key=lambda kv: -sum(kv[1].values()))
        for v, fs in rows[:40]:
            print(f"  {v:34} " + ", ".join(f"{f} {n}" for f, n in sorted(fs.items(), key=lambda x: -x[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
