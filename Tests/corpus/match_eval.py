#!/usr/bin/env python3
"""Score `ris match` and `ris search` on a corpus written by match_corpus.py.

usage: python3 Tests/corpus/match_eval.py --ris PATH_TO_RIS [--json FILE] [--quiet] OUTDIR

In OUTDIR (cwd=OUTDIR, env RIS_ACTOR=eval) it runs `ris index` once, then:

- for every log of EXPECTED-MATCH.json, `ris match LOG --format json --no-refresh`. A log is
  right-first when the first result's `id`, its `title`, or one of its `related` IDs is in
  the log's `expected` list. Exit 1 with no output or `[]` means nothing matched (a miss);
  an error (unknown command, bad JSON) is reported and counted as a miss.
- for every query, `ris search WORDS --format json --no-refresh --limit 10`, and a baseline:
  a plain SQLite FTS5 table (porter unicode61) over the whole text of every .md file under
  OUTDIR/docs, queried with the query's words quoted and AND-ed, ordered by rank. Both are
  scored with P@3 (relevant share of the top 3, a missing slot counts as not relevant) and
  MRR (1/rank of the first relevant result in the top 10, else 0). A ris hit counts as
  relevant when its `id`, or one of its `related` IDs (hot patterns), is relevant.

Prints one block per log and per query, then the summary line
  match right-first: X/Y (P%)  search P@3 ris A baseline B  MRR ris C baseline D
and with --json FILE writes the same numbers as JSON. Exit 0, or 2 when ris cannot be run
or OUTDIR has no EXPECTED-MATCH.json.
"""
import argparse
import glob
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys

TIMEOUT = 120


class ToolError(Exception):
    """ris could not be started at all."""


def run_ris(ris, args, outdir):
    """Run ris in OUTDIR; return (exit code, stdout, stderr). Raises ToolError if it cannot start."""
    env = dict(os.environ, RIS_ACTOR="eval")
    try:
        done = subprocess.run([ris] + args, cwd=outdir, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {TIMEOUT}s"
    except OSError as error:
        raise ToolError(f"cannot run {ris}: {error}") from error
    return done.returncode, done.stdout, done.stderr


def parse_results(code, stdout, stderr):
    """The JSON array printed by ris match/search, or (None, error text) when it failed."""
    text = stdout.strip()
    if code == 1 and text in ("", "[]"):
        return [], None
    if code not in (0, 1):
        first = (stderr.strip() or stdout.strip() or "no output").splitlines()[0]
        return None, f"exit {code}: {first}"
    try:
        results = json.loads(text or "[]")
    except json.JSONDecodeError as error:
        return None, f"output is not JSON ({error})"
    if not isinstance(results, list):
        return None, "output is not a JSON array"
    return [r for r in results if isinstance(r, dict)], None


def ids_of(result):
    """The record IDs a result stands for: its own ID and, for a hot pattern, the related IDs."""
    ids = [str(result.get("id") or "")]
    related = result.get("related") or []
    if isinstance(related, str):
        related = re.split(r"[,\s]+", related)
    return list(dict.fromkeys(i for i in ids + [str(r) for r in related] if i))


def label(result):
    """Short text for a result: kind, id or title, score."""
    kind = result.get("kind", "?")
    name = result.get("id") or result.get("title") or result.get("path") or "?"
    if kind == "hot-pattern" and result.get("title"):
        name = f"{result.get('title')}" + (f" -> {','.join(ids_of(result))}" if ids_of(result) else "")
    score = result.get("score")
    score = f"{score:.3f}" if isinstance(score, (int, float)) else str(score)
    return f"{kind} {name} {score}"


def right_first(results, expected):
    """Whether the first result is one of the expected answers."""
    if not results:
        return False
    first = results[0]
    return str(first.get("title") or "") in expected or any(i in expected for i in ids_of(first))


def evaluate_logs(ris, outdir, logs, quiet):
    """Run ris match on every log; return per-log outcomes."""
    outcomes = []
    for entry in logs:
        code, out, err = run_ris(ris, ["match", entry["log"], "--format", "json", "--no-refresh"], outdir)
        results, error = parse_results(code, out, err)
        ok = error is None and right_first(results, entry["expected"])
        outcomes.append({"log": entry["log"], "kind": entry.get("kind", "?"), "lines": entry.get("lines", 0),
                         "ok": ok, "error": error,
                         "top": [label(r) for r in (results or [])[:3]]})
        if quiet:
            continue
        print(f"{'OK  ' if ok else 'MISS'} {entry['log']} ({entry.get('kind', '?')}, {entry.get('lines', '?')} lines)"
              f"  expected: {' | '.join(entry['expected'])}")
        if error:
            print(f"     error: {error}")
        for rank, result in enumerate((results or [])[:3], 1):
            print(f"     {rank}. {label(result)}")
        if results:
            for matched in (results[0].get("matched") or [])[:6]:
                if isinstance(matched, dict):
                    print(f"        matched {matched.get('lines')}: {str(matched.get('text'))[:110]}")
                else:
                    print(f"        matched: {str(matched)[:110]}")
        elif error is None:
            print("     (no match)")
    return outcomes


def baseline_index(outdir):
    """An in-memory FTS5 table over the whole text of every .md file under OUTDIR/docs."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(path, body, tokenize='porter unicode61 remove_diacritics 2')")
    for path in sorted(glob.glob(os.path.join(outdir, "docs", "**", "*.md"), recursive=True)):
        with open(path, encoding="utf-8", errors="replace") as handle:
            db.execute("INSERT INTO f(path, body) VALUES (?, ?)", (os.path.relpath(path, outdir), handle.read()))
    return db


def baseline_search(db, query):
    """Record IDs of the top 10 files holding every word of the query (each word quoted)."""
    match = " ".join('"' + word.replace('"', '""') + '"' for word in query.split())
    try:
        rows = db.execute("SELECT path FROM f WHERE f MATCH ? ORDER BY rank LIMIT 10", (match,)).fetchall()
    except sqlite3.Error:
        return []
    ids = []
    for (path,) in rows:
        found = re.search(r"RIS-\d+", os.path.basename(path))
        ids.append([found.group(0)] if found else [])
    return ids


def precision_at_3(ranked, relevant):
    """Share of the first three results that are relevant (missing slots count as not)."""
    return sum(1 for ids in ranked[:3] if any(i in relevant for i in ids)) / 3


def reciprocal_rank(ranked, relevant):
    """1/rank of the first relevant result among the first ten, else 0."""
    for rank, ids in enumerate(ranked[:10], 1):
        if any(i in relevant for i in ids):
            return 1 / rank
    return 0.0


def evaluate_queries(ris, outdir, queries, quiet):
    """Run ris search and the baseline on every query; return per-query outcomes."""
    db = baseline_index(outdir)
    outcomes = []
    for entry in queries:
        query, relevant = entry["query"], set(entry["relevant"])
        code, out, err = run_ris(ris, ["search"] + query.split() + ["--format", "json", "--no-refresh",
                                                                    "--limit", "10"], outdir)
        results, error = parse_results(code, out, err)
        ranked = [ids_of(r) for r in (results or [])]
        base = baseline_search(db, query)
        outcome = {"query": query, "relevant": sorted(relevant), "error": error,
                   "ris": {"p3": precision_at_3(ranked, relevant), "rr": reciprocal_rank(ranked, relevant),
                           "top": [",".join(ids) or "-" for ids in ranked[:3]]},
                   "baseline": {"p3": precision_at_3(base, relevant), "rr": reciprocal_rank(base, relevant),
                                "top": [",".join(ids) or "-" for ids in base[:3]]}}
        outcomes.append(outcome)
        if not quiet:
            print(f"{query!r:45} relevant {','.join(sorted(relevant))}")
            for name in ("ris", "baseline"):
                side = outcome[name]
                print(f"     {name:8} P@3 {side['p3']:.2f} RR {side['rr']:.2f}  top {' '.join(side['top']) or '(none)'}")
            if error:
                print(f"     ris error: {error}")
    return outcomes


def mean(values):
    """Average, 0 for no values."""
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ris", required=True, help="path to the ris binary")
    parser.add_argument("--json", help="write the summary numbers to this file")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.add_argument("outdir")
    args = parser.parse_args()
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    ris, outdir = os.path.abspath(args.ris), os.path.abspath(args.outdir)
    try:
        with open(os.path.join(outdir, "EXPECTED-MATCH.json")) as handle:
            expected = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        print(f"match_eval: cannot read {outdir}/EXPECTED-MATCH.json: {error}", file=sys.stderr)
        return 2
    if not (os.path.isfile(ris) and os.access(ris, os.X_OK)):
        print(f"match_eval: {ris} is not an executable file", file=sys.stderr)
        return 2
    try:
        code, out, err = run_ris(ris, ["index"], outdir)
        if code != 0:
            print(f"ris index exited {code}: {(err or out).strip()[:300]}")
        print("== ris match")
        logs = evaluate_logs(ris, outdir, expected["logs"], args.quiet)
        print("== ris search")
        queries = evaluate_queries(ris, outdir, expected["queries"], args.quiet)
    except ToolError as error:
        print(f"match_eval: {error}", file=sys.stderr)
        return 2

    right = sum(o["ok"] for o in logs)
    by_kind = {}
    for outcome in logs:
        for key in (outcome["kind"], "long" if outcome["lines"] >= 50 else "short"):
            hits, total = by_kind.get(key, (0, 0))
            by_kind[key] = (hits + outcome["ok"], total + 1)
    summary = {
        "match": {"right_first": right, "logs": len(logs), "rate": right / len(logs) if logs else 0.0,
                  "errors": sum(1 for o in logs if o["error"]),
                  "by_kind": {k: {"right_first": h, "logs": t} for k, (h, t) in sorted(by_kind.items())},
                  "missed": [o["log"] for o in logs if not o["ok"]]},
        "search": {"queries": len(queries), "errors": sum(1 for o in queries if o["error"]),
                   "ris": {"p_at_3": mean(o["ris"]["p3"] for o in queries), "mrr": mean(o["ris"]["rr"] for o in queries)},
                   "baseline": {"p_at_3": mean(o["baseline"]["p3"] for o in queries),
                                "mrr": mean(o["baseline"]["rr"] for o in queries)},
                   "ideal_p_at_3": mean(min(3, len(o["relevant"])) / 3 for o in queries)},
    }
    print("== summary")
    print("match by kind: " + "  ".join(f"{k} {h}/{t}" for k, (h, t) in sorted(by_kind.items())))
    if summary["match"]["errors"] or summary["search"]["errors"]:
        print(f"errors: match {summary['match']['errors']}, search {summary['search']['errors']}")
    s = summary["search"]
    print(f"search: best possible P@3 {s['ideal_p_at_3']:.3f} (most queries have one relevant record)")
    print(f"match right-first: {right}/{len(logs)} ({100 * summary['match']['rate']:.0f}%)  "
          f"search P@3 ris {s['ris']['p_at_3']:.3f} baseline {s['baseline']['p_at_3']:.3f}  "
          f"MRR ris {s['ris']['mrr']:.3f} baseline {s['baseline']['mrr']:.3f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(summary, handle, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
