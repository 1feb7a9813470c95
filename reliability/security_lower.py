"""Security suite: the lower findings of the attack on ris, each replayed against the binary.

A file name made to overflow the ID counter, hundreds of prefix terms in one query, a
template nested thousands deep, `exclude: []`, a copy that keeps size and mtime, a broken
configuration, a retention policy below the law, and `ris check` on many records.
"""
import json, os, sqlite3, subprocess, time



def fresh_kb(h, name, records=6):
    return h.knowledge_base(f"security-lower/{name}", records)


def run(h):
    held_rows = []
    hostile_names_and_queries(h)
    templates_and_config(h)
    stale_copies(h)
    check_scales(h)


def hostile_names_and_queries(h):
    root = fresh_kb(h, "names")
    folder = root / "docs" / "06-ris" / "resolutions"
    (folder / "RIS-9223372036854775807-x.md").write_text("# RIS-9223372036854775807: Overflow\n")
    (folder / "RIS-99999999999999999999999-y.md").write_text("# RIS-99999999999999999999999: Past Int\n")
    added = h.run(["add", "--title", "After the overflow", "--format", "json"], root)
    new_id = json.loads(added.stdout or "{}").get("id")
    h.check(added.code == 0 and not added.crashed and new_id == "RIS-0007", f"ids: add after an overflowing name: {added.code} {new_id} {added.stderr[-300:]}")
    slow = []
    for query in [" ".join(["a*"] * 400), " ".join(["a*"] * 2000), " ".join(f"w{i}" for i in range(500))]:
        started = time.time()
        result = h.run(["search", query, "--no-refresh"], root, timeout=60)
        seconds = time.time() - started
        if result.crashed or result.code != 2 or seconds > 20:
            slow.append((len(query.split()), result.code, round(seconds, 1)))
    h.check(not slow, f"queries: many terms not refused quickly: {slow}")
    h.row("security", "A file name past the ID counter (RIS-9223372036854775807); 400 and 2,000 prefix terms and 500 words in one query",
          "ris add after the names; ris search with each query", 4,
          {"add crashed or wrong ID": int(new_id != "RIS-0007"), "queries not refused within 20 s": len(slow)})


def templates_and_config(h):
    root = fresh_kb(h, "templates")
    templates = root / ".ris" / "templates"
    templates.mkdir()
    (templates / "ris.mustache").write_text("{{#a}}" * 4000 + "x" + "{{/a}}" * 4000)
    (templates / "kb.mustache").write_text("{{#a}}" * 4000 + "x" + "{{/a}}" * 4000)
    add = h.run(["add", "--title", "Deep template"], root)
    article = h.run(["kb", "generate", "RIS-0001"], root)
    deep_ok = all(not r.crashed and r.code == 1 and "nests sections deeper" in r.stderr for r in (add, article))
    h.check(deep_ok, f"templates: 4,000-deep sections: {add.code} {add.stderr[-200:]} / {article.code} {article.stderr[-200:]}")
    # `exclude: []` must not bring ris's own folder (the index) into the index.
    config = root / ".ris" / "config.yaml"
    config.write_text(config.read_text().replace('exclude: [".git/**", ".ris/**"]', "exclude: []"))
    (root / ".ris" / "notes.md").write_text("# RIS-0900: inside .ris\n")
    h.run(["index"], root)
    listed = h.run(["list", "--format", "paths", "--no-refresh"], root)
    inside = [line for line in listed.stdout.splitlines() if line.startswith(".ris/")]
    h.check(not inside, f"config: exclude: [] indexed .ris: {inside}")
    # A configuration error fails index and check, and both show it.
    config.write_text(config.read_text() + "max-file-size: lots\n")
    index = h.run(["index"], root)
    check = h.run(["check", "--format", "json"], root)
    findings = json.loads(check.stdout or "[]")
    config_ok = index.code == 1 and "max-file-size" in index.stderr and check.code == 1 and any(f.get("rule") == "config" for f in findings)
    h.check(config_ok, f"config: an error: index {index.code}, check {check.code} {check.stdout[:200]}")
    # A retention policy below the law is said.
    config.write_text(config.read_text().replace("max-file-size: lots\n", "") + "compliance:\n  minimum-retention:\n    hipaa: 1-days\n")
    low = h.run(["check"], root)
    policy_ok = "below the 6-years of 45 CFR 164.316(b)(2)(i)" in low.stderr + low.stdout
    h.check(policy_ok, f"config: hipaa: 1-days not said: {low.stderr[-300:]}")
    h.row("security", "Templates nested 4,000 deep; exclude: []; a configuration error; a retention policy below the law",
          "ris add, kb generate, index, check", 6,
          {"crashes": int(add.crashed or article.crashed), ".ris files indexed": len(inside), "config errors passed": int(not config_ok),
           "policy below the law unsaid": int(not policy_ok)})


def stale_copies(h):
    root = fresh_kb(h, "copies")
    # Times an hour old: a file written within the last seconds is re-read anyway (racily clean).
    past = time.time_ns() - 3600 * 10**9
    for path in root.rglob("*.md"):
        os.utime(path, ns=(past, past))
    h.run(["index"], root)
    folder = root / "docs" / "06-ris" / "resolutions"
    first, second = folder / "RIS-RESOLUTION-0001.md", folder / "RIS-RESOLUTION-0002.md"
    # Same size, then the second's times given to a rewritten first: what cp -p / rsync -a leave.
    text = first.read_text()
    replaced = text.replace("RESOLVED", "REOPENED", 1)
    replaced = replaced + "x" * (len(text) - len(replaced))
    stat = first.stat()
    first.write_text(replaced)
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    h.run(["index"], root)
    status = h.run(["show", "RIS-0001", "--format", "json"], root)
    indexed = sqlite3.connect(str(root / ".ris" / "index.sqlite")).execute(
        "SELECT status FROM document WHERE risId = 'RIS-0001'").fetchone()
    ok = indexed is not None and indexed[0] == "REOPENED"
    h.check(ok, f"copies: a change keeping size and mtime stayed stale: {indexed}")
    h.row("security", "A file changed keeping its size and mtime (cp -p, rsync -a)", "rewrite, then utime back; ris index", 1,
          {"stale in the index": int(not ok)})


def check_scales(h):
    # A measurement, not a test: only in `make security` (release build), never in `make test`.
    if h.quick:
        return
    small, large = 1000, 8000
    ratios = {}
    for name, args in (("check", ["check", "--format", "json"]), ("review export", ["review", "export", "--quarter", "2026-Q1", "--format", "csv"])):
        times = {}
        for count in (small, large):
            root = fresh_kb(h, f"scale-{count}", count)
            started = time.time()
            h.run(args, root, timeout=600)
            times[count] = time.time() - started
        ratios[name] = times[large] / max(times[small], 0.001)
        # Linear is 8x for 8x the records (parsing dominates), with room for a busy machine;
        # the quadratic search of every earlier finding made it grow past that.
        h.check(ratios[name] < 12, f"{name}: {large} records took {ratios[name]:.1f}x the time of {small}")
    h.row("security", f"`ris check` and `ris review export` on {small} and {large} records (were quadratic)", "generated records, one run each", 4,
          {f"time ratio for 8x the records, {name}": round(ratio, 1) for name, ratio in ratios.items()})
