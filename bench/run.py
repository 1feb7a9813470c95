#!/usr/bin/env python3
"""ris benchmark: `make bench`. Not a test: it measures, and writes docs/performance.md.

Builds nothing itself (the Makefile builds release first). For each size (10,000 and
100,000 records from ../shared/gen_corpus.py) it measures, as the median of several runs:
full index, re-index with nothing changed, re-index after one changed file, `ris search`
for a rare word, a common word and a phrase (with and without the refresh), `ris match` of
a 200-line log, and peak memory. In the same run it measures the floors and peers on the same files: the sqlite3
shell indexing them into FTS5 (readfile + one transaction) and running the same query,
`rg -il` for the same word, and a python-frontmatter + sqlite3 script that does less.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import json
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RIS = os.path.join(ROOT, ".build", "release", "ris")
GEN = os.path.normpath(os.path.join(ROOT, "..", "shared", "gen_corpus.py"))
WORK = os.environ.get("RIS_BENCH_DIR", os.path.join(tempfile.gettempdir(), "ris-bench"))
SIZES = [int(s) for s in os.environ.get("RIS_BENCH_SIZES", "10000,100000").split(",")]
RARE, COMMON, PHRASE = "zebrafrost", "manifest", '"media type"'
# An earlier ris binary to compare with, in the same run, on a copy of the same corpus
# (its index may have another schema): `RIS_BENCH_BASELINE=/path/to/old/ris make bench`.
BASELINE = os.environ.get("RIS_BENCH_BASELINE")
BASELINE_NAME = os.environ.get("RIS_BENCH_BASELINE_NAME", "the baseline")

PEER_SCRIPT = r'''
import os, sqlite3, sys, frontmatter
root, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("CREATE VIRTUAL TABLE f USING fts5(path, title, body, tokenize='porter unicode61 remove_diacritics 2')")
with con:
    for folder, _, names in os.walk(root):
        if "/." in folder: continue
        for name in names:
            if not name.endswith(".md"): continue
            path = os.path.join(folder, name)
            try:
                post = frontmatter.load(path)
                title = str(post.get("title", name))
                body = post.content
            except Exception:
                title, body = name, open(path, encoding="utf-8", errors="replace").read()
            con.execute("INSERT INTO f VALUES (?, ?, ?)", (path, title, body))
con.close()
'''


# Searches log the reads of audited records; the actor is fixed so that no run asks git.
ENV = dict(os.environ, RIS_ACTOR="bench@example.com")
CPU = {}  # (cmd tuple, cwd) -> median CPU seconds of the last median() of that command
TURN_RATIOS = {}  # size -> each turn's full index time over the floor's, sorted


def run(cmd, cwd=None, env=None, stdin=None):
    """Wall seconds, peak RSS (KB), exit status and CPU seconds (user + system) of one command."""
    full = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", os.path.join(WORK, ".time")] + cmd
    start = time.perf_counter()
    result = subprocess.run(full, cwd=cwd, env=env or ENV, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    with open(os.path.join(WORK, ".time")) as handle:
        fields = handle.read().split()
    return wall, int(fields[-3]), result.returncode, float(fields[-2]) + float(fields[-1])


def median(cmd, runs, cwd=None, setup=None, stdin_path=None):
    """Median wall seconds and largest peak RSS; the median CPU seconds go to CPU[label]."""
    walls, peaks, cpus = [], [], []
    for _ in range(runs):
        if setup:
            setup()
        stdin = open(stdin_path) if stdin_path else None
        wall, peak, _, cpu = run(cmd, cwd=cwd, stdin=stdin)
        if stdin:
            stdin.close()
        walls.append(wall)
        peaks.append(peak)
        cpus.append(cpu)
    CPU[(tuple(cmd), cwd)] = statistics.median(cpus)
    return statistics.median(walls), max(peaks)


def statwalk():
    """bench/statwalk.c, compiled once: readdir and fstatat of every file, as a refresh does."""
    binary = os.path.join(WORK, "statwalk")
    source = os.path.join(ROOT, "bench", "statwalk.c")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        subprocess.run(["cc", "-O2", "-o", binary, source], check=True)
    return binary


def parse_instructions(folder, count=100):
    """Instructions per record for `ris parse` (callgrind): a count that a busy machine does not
    move, so a regression in parsing shows as one number. The start-up is taken out by running
    the same command on one record. Swift seeds its hashing anew in every process, which moved
    the count by up to 40,000 a record from run to run: the seed is fixed here."""
    if not shutil.which("valgrind"):
        return None
    records = sorted(os.listdir(os.path.join(folder, "docs", "ris")))[:count]
    paths = [os.path.join(folder, "docs", "ris", name) for name in records]

    # Valgrind cannot read the DWARF the Swift compiler writes: it runs a copy without it.
    binary = os.path.join(WORK, "ris-without-debug-info")
    if subprocess.run(["objcopy", "--strip-debug", RIS, binary]).returncode != 0:
        return None

    def instructions(files):
        result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary, "parse",
                                 "--format", "text"] + files, cwd=WORK,
                                env=dict(ENV, SWIFT_DETERMINISTIC_HASHING="1"), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        for line in result.stderr.splitlines():
            if "Collected :" in line:
                return int(line.split(":")[-1])
        return None

    many, one = instructions(paths), instructions(paths[:1])
    if many is None or one is None:
        return None
    return (many - one) / (len(paths) - 1)


def corpus(size):
    folder = os.path.join(WORK, f"kb-{size}")
    marker = os.path.join(folder, ".generated")
    if not os.path.exists(marker):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, GEN, str(size), folder], check=True, stdout=subprocess.DEVNULL)
        os.makedirs(os.path.join(folder, ".ris"), exist_ok=True)
        open(marker, "w").close()
    return folder


MATCH_ERROR_WORDS = {}


def match_log(folder, size, other=0):
    """A pasted log of 200 lines: the symptom block of the middle record between lines of
    run noise (timestamps, hosts, digests, durations) that differ on every line. `other` > 0:
    the log of another record (the 97 * other-th after the middle), with other noise."""
    names = sorted(os.listdir(os.path.join(folder, "docs", "ris")))
    name = names[(len(names) // 2 + 97 * other) % len(names)]
    text = open(os.path.join(folder, "docs", "ris", name), encoding="utf-8").read()
    symptom = text.split("Symptom", 1)[1].split("```", 2)[1].strip("\n").splitlines()
    if not other:
        MATCH_ERROR_WORDS[size] = " ".join(symptom).replace(".", " ").replace(":", " ").split()

    def noise(i):
        i += 1000 * other
        return (f"2026-11-27T10:{i % 60:02d}:{(i * 7) % 60:02d}.{i:03d}Z INFO runner-{i:04d}.ci.internal step {i} "
                f"fetched sha256:{i * 7919:064x} in {i * 13 % 997}ms from 10.0.{i % 255}.{(i * 3) % 255}:443")

    lines = [noise(i) for i in range(100)] + symptom + [noise(i) for i in range(100, 200 - len(symptom))]
    path = os.path.join(WORK, f"match-{size}" + (f"-{other}" if other else "") + ".log")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def remove_index(folder):
    for suffix in ("", "-wal", "-shm"):
        path = os.path.join(folder, ".ris", "index.sqlite" + suffix)
        if os.path.exists(path):
            os.remove(path)


def measure(size):
    folder = corpus(size)
    runs = 5 if size <= 10000 else 3
    rows = {}
    rows["full index"] = median([RIS, "index"], runs if size <= 10000 else 3, cwd=folder, setup=lambda: remove_index(folder))
    rows["full index, CPU"] = (CPU[((RIS, "index"), folder)], 0)
    rows["re-index, nothing changed"] = median([RIS, "index"], runs, cwd=folder)
    target = os.path.join(folder, "docs", "ris", sorted(os.listdir(os.path.join(folder, "docs", "ris")))[size // 2])
    counter = [0]

    def touch_one():
        counter[0] += 1
        with open(target, "a") as handle:
            handle.write(f"\nBenchmark edit {counter[0]}.\n")

    rows["re-index, one file changed"] = median([RIS, "index"], runs, cwd=folder, setup=touch_one)
    for label, query in (("rare word", RARE), ("common word", COMMON), ("phrase", PHRASE)):
        rows[f"search {label}, --no-refresh"] = median([RIS, "search", "--no-refresh", "--format", "paths", query], runs * 2, cwd=folder)
        rows[f"search {label}, with refresh"] = median([RIS, "search", "--format", "paths", query], runs * 2, cwd=folder)

    # `ris match` of a 200-line log: one record's symptom in run noise.
    log = match_log(folder, size)
    rows["match 200-line log, --no-refresh"] = median([RIS, "match", "--no-refresh", "--format", "json", log], runs * 2, cwd=folder)
    # `ris stats` as people run it: with the refresh, every figure of the JSON.
    rows["stats, with refresh"] = median([RIS, "stats", "--format", "json"], runs * 2, cwd=folder)

    # `ris mcp` tool calls once the server is warm (issue 17): the server's own latency. Each
    # timed match is of a log the server has not seen (another record's error lines; the
    # noise's words recur, as a runner's do: bench/mcp_latency.py).
    if size <= 10000:
        logs = [log] + [match_log(folder, size, other) for other in range(1, runs * 6 + 1)]
        latency = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "mcp_latency.py"), RIS, folder, str(runs * 6)] + logs,
                                 check=True, capture_output=True, text=True)
        for tool, values in json.loads(latency.stdout).items():
            rows[f"mcp {tool}, warm server"] = (statistics.median(values), 0)

    # Floors and peers on the same files.
    rows["floor: stat walk (C, one thread)"] = median([statwalk()], runs * 2, cwd=folder)
    files = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [os.path.relpath(os.path.join(base, n), folder) for n in names if n.endswith(".md")]
    script = os.path.join(WORK, f"floor-{size}.sql")
    with open(script, "w") as handle:
        handle.write("CREATE VIRTUAL TABLE f USING fts5(path, body, tokenize='porter unicode61 remove_diacritics 2');\nBEGIN;\n")
        for path in files:
            handle.write("INSERT INTO f VALUES('%s', readfile('%s'));\n" % (path.replace("'", "''"), path.replace("'", "''")))
        handle.write("COMMIT;\n")
    floor_db = os.path.join(WORK, f"floor-{size}.db")
    rows["floor: sqlite3 shell FTS5 index"] = median(["sqlite3", floor_db], 3, cwd=folder,
                                                     setup=lambda: os.path.exists(floor_db) and os.remove(floor_db), stdin_path=script)
    rows["floor: sqlite3 shell FTS5 index, CPU"] = (CPU[(("sqlite3", floor_db), folder)], 0)
    if size <= 10000:
        # The full index and its floor by turns, eight of each: the ratio the target reads. Each
        # measured on its own, minutes apart, moved with the machine (one build's full index
        # took 1,283 ms on its own and 1,208 ms by turns in one run, the floor 902 ms on its own).
        # Which goes first alternates, so that neither always meets the other's leftovers
        # (pages still being written back). A run that fails stops the bench.
        ours, floors = [], []

        def ris_turn():
            remove_index(folder)
            wall, _, status, _ = run([RIS, "index"], cwd=folder)
            if status != 0:
                sys.exit(f"ris index failed ({status}) in {folder}")
            ours.append(wall)

        def floor_turn():
            if os.path.exists(floor_db):
                os.remove(floor_db)
            with open(script) as stdin:
                wall, _, status, _ = run(["sqlite3", floor_db], cwd=folder, stdin=stdin)
            if status != 0:
                sys.exit(f"the sqlite3 floor failed ({status}) in {folder}")
            floors.append(wall)

        for turn in range(8):
            for step in ((ris_turn, floor_turn) if turn % 2 == 0 else (floor_turn, ris_turn)):
                step()
        rows["full index, by turns with the floor"] = (statistics.median(ours), 0)
        rows["floor: sqlite3 shell FTS5 index, by turns"] = (statistics.median(floors), 0)
        TURN_RATIOS[size] = sorted(o / f for o, f in zip(ours, floors))
    for label, query in (("rare word", RARE), ("common word", COMMON), ("phrase", PHRASE)):
        sql = f"SELECT path FROM f WHERE f MATCH '{query}' ORDER BY rank LIMIT 20;"
        rows[f"floor: sqlite3 shell search {label}"] = median(["sqlite3", floor_db, sql], runs * 2, cwd=folder)
    # The query `ris match` sends for this log (its error line's words close together: every
    # word of the generated corpus is common, so no any-words query is sent), and, for
    # comparison, the one a search engine would send (any of the error line's words, ranked).
    words = [w.lower() for w in MATCH_ERROR_WORDS[size] if w.isalpha() and w.lower() != "error"][:6]
    near = "NEAR(%s, 8)" % " ".join('"%s"' % w for w in words)
    sql = "SELECT path FROM f WHERE f MATCH '%s' ORDER BY rank LIMIT 10;" % near
    rows["floor: sqlite3 shell match query"] = median(["sqlite3", floor_db, sql], runs * 2, cwd=folder)
    sql = "SELECT path FROM f WHERE f MATCH '%s' ORDER BY rank LIMIT 40;" % " OR ".join(sorted(set(words)))
    rows["floor: sqlite3 shell any-words query of the log"] = median(["sqlite3", floor_db, sql], runs * 2, cwd=folder)
    if shutil.which("rg"):
        for label, query in (("rare word", RARE), ("common word", COMMON)):
            rows[f"peer: rg -il {label}"] = median(["rg", "-il", query, "."], runs * 2, cwd=folder)
    peer = os.path.join(WORK, "peer.py")
    with open(peer, "w") as handle:
        handle.write(PEER_SCRIPT)
    peer_db = os.path.join(WORK, f"peer-{size}.db")
    if size <= 10000 and subprocess.run([sys.executable, "-c", "import frontmatter"], stderr=subprocess.DEVNULL).returncode == 0:
        rows["peer: python-frontmatter + sqlite3 index"] = median([sys.executable, peer, folder, peer_db], 3,
                                                                  setup=lambda: os.path.exists(peer_db) and os.remove(peer_db))
    return rows


def against_baseline(size):
    """This ris and the baseline, run by turns on two copies of the corpus: medians and ranges."""
    folder = corpus(size)
    copy = folder + "-baseline"
    if not os.path.exists(os.path.join(copy, ".generated")):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("index.sqlite*"))
    results = []
    for label, args, runs, fresh in (
        ("full index", ["index"], 7, True),
        ("re-index, nothing changed", ["index"], 11, False),
        ("search rare word, --no-refresh", ["search", "--no-refresh", "--format", "paths", RARE], 11, False),
        ("search common word, --no-refresh", ["search", "--no-refresh", "--format", "paths", COMMON], 11, False),
        # As people run them: the table, with scores and snippets.
        ("search rare word, --no-refresh, table", ["search", "--no-refresh", RARE], 11, False),
        ("search common word, --no-refresh, table", ["search", "--no-refresh", COMMON], 11, False),
        ("search phrase, --no-refresh, table", ["search", "--no-refresh", PHRASE], 11, False),
    ):
        walls = {RIS: [], BASELINE: []}
        for index in range(runs):
            order = [(RIS, folder), (BASELINE, copy)]
            for binary, where in (order if index % 2 == 0 else order[::-1]):
                if fresh:
                    remove_index(where)
                elif not os.path.exists(os.path.join(where, ".ris", "index.sqlite")):
                    run([binary, "index"], cwd=where)
                walls[binary].append(run([binary] + args, cwd=where)[0])
        results.append((label, walls[RIS], walls[BASELINE]))
    return results


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def main():
    os.makedirs(WORK, exist_ok=True)
    if not os.access(RIS, os.X_OK):
        sys.exit(f"build release first: {RIS} is missing (make bench does it)")
    results = {}
    for size in SIZES:
        print(f"measuring {size:,} records ...", flush=True)
        results[size] = measure(size)
        for name, (wall, peak) in results[size].items():
            print(f"  {name:45s} {ms(wall):>10s}  {peak / 1024:7.1f} MB", flush=True)
    instructions = parse_instructions(corpus(min(SIZES)))
    if instructions:
        print(f"  parsing: {instructions:,.0f} instructions per record (callgrind)", flush=True)
    compared = []
    if BASELINE:
        size = min(SIZES)
        print(f"against {BASELINE_NAME} ({BASELINE}), {size:,} records ...", flush=True)
        compared = against_baseline(size)
        for label, ours, theirs in compared:
            print(f"  {label:45s} {ms(statistics.median(ours)):>10s} vs {ms(statistics.median(theirs)):>10s}", flush=True)

    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (bench/run.py) on this project's machine: 2 cores, Debian, release build.",
        "Each figure is the median of several runs of the whole process (start to exit), peak memory",
        "is the largest resident set of those runs. Corpora come from `../shared/gen_corpus.py N`",
        f"(8-16 KB records shaped like the seed). Rare word `{RARE}` (1 record in 500), common word",
        f"`{COMMON}` (nearly every record), phrase `{PHRASE}`. Floors and peers run on the same files in the same run.",
        "With `RIS_BENCH_BASELINE=path/to/an/earlier/ris`, that build is run by turns with this one on a copy of the",
        "corpus (\"Against ...\" below). CPU rows are user plus system time. Searches run with `RIS_ACTOR` set,",
        "as a script or an agent would (half the generated records require access auditing, so most searches",
        "append to the audit trail); the stat-walk floor is bench/statwalk.c (readdir and fstatat, one thread).",
        "The full index's target (at most 1.5x the sqlite3 floor) is the median of eight turns' ratios, each turn a",
        "run of both (which goes first alternates): each on its own, minutes apart, moved with the machine.",
        "",
        f"Measured {time.strftime('%Y-%m-%d')}.",
        "",
    ]
    for size, rows in results.items():
        floor_index = rows.get("floor: sqlite3 shell FTS5 index", (None,))[0]
        lines += [f"## {size:,} records", "", "| measurement | time | peak memory | ratio |", "|---|---:|---:|---|"]
        for name, (wall, peak) in rows.items():
            ratio = ""
            if name == "full index" and floor_index:
                ratio = f"{wall / floor_index:.2f}x the sqlite3 floor"
            elif name == "full index, by turns with the floor":
                turns = TURN_RATIOS.get(size, [])
                ratio = f"{statistics.median(turns):.2f}x the floor (each turn {turns[0]:.2f}x-{turns[-1]:.2f}x)"
            elif name.startswith("search ") and "--no-refresh" in name:
                label = name[len("search "):].split(",")[0]
                floor = rows.get(f"floor: sqlite3 shell search {label}")
                peer = rows.get(f"peer: rg -il {label}")
                parts = []
                if floor:
                    parts.append(f"{wall / floor[0]:.2f}x the sqlite3 time")
                if peer:
                    parts.append(f"{peer[0] / wall:.1f}x faster than rg")
                ratio = ", ".join(parts)
            elif name.startswith("peer: python") and "full index" in rows:
                ratio = f"{wall / rows['full index'][0]:.2f}x the ris full index time"
            if name.endswith(", CPU"):
                ratio = f"{wall / size * 1e6:,.0f} µs per record"
            lines.append(f"| {name} | {ms(wall)} | {f'{peak / 1024:.1f} MB' if peak else ''} | {ratio} |")
        lines.append("")
    if compared:
        lines += [f"## Against {BASELINE_NAME}, {min(SIZES):,} records", "",
                  "Run by turns with this ris, on a copy of the same corpus: the median, and the fastest and",
                  "slowest runs, of each. The ratio is this ris over the baseline.", "",
                  f"| measurement | this ris | {BASELINE_NAME} | ratio |", "|---|---:|---:|---:|"]
        for label, ours, theirs in compared:
            def cell(walls):
                return f"{ms(statistics.median(walls))} ({ms(min(walls))}-{ms(max(walls))})"
            lines.append(f"| {label} | {cell(ours)} | {cell(theirs)} | {statistics.median(ours) / statistics.median(theirs):.2f} |")
        lines.append("")
    lines += targets(results, instructions)
    # The hand-written analysis under "## Notes" is kept from one run to the next.
    output = os.path.join(ROOT, "docs", "performance.md")
    if os.path.exists(output):
        previous = open(output).read()
        if "\n## Notes" in previous:
            lines.append(previous[previous.index("\n## Notes") + 1:].rstrip("\n"))
    with open(output, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print("wrote docs/performance.md")


def targets(results, instructions=None):
    """The targets (issue 13, then the earlier ones), each with the value measured in this run,
    the floor it is measured against in the same run, and whether it is met."""
    out = ["## Targets", "", "| target | measured | floor (same run) | met |", "|---|---|---|---|"]

    def row(text, value, floor, ok):
        met = "" if ok is None else ("yes" if ok else "**no**")
        out.append(f"| {text} | {value} | {floor} | {met} |")

    for size, rows in sorted(results.items()):
        label = f"{size // 1000}k"
        walk = rows["floor: stat walk (C, one thread)"][0]
        for kind in ("rare word", "common word", "phrase"):
            value = rows[f"search {kind}, --no-refresh"][0]
            floor = rows[f"floor: sqlite3 shell search {kind}"][0]
            limit = (0.012 if kind == "rare word" else 0.015) if size <= 10000 else 0.030
            row(f"search ({kind}) on {label}, --no-refresh, at most {ms(limit)}", ms(value), f"sqlite3 {ms(floor)}",
                value <= limit)
        for kind in ("rare word", "common word", "phrase"):
            value = rows[f"search {kind}, with refresh"][0]
            if size <= 10000:
                row(f"search ({kind}) on {label} with the refresh, at most 40 ms", ms(value), f"stat walk {ms(walk)}",
                    value <= 0.040)
            else:
                row(f"search ({kind}) on {label} with the refresh, at most 1.3x the stat walk",
                    f"{ms(value)} ({value / walk:.2f}x)", f"stat walk {ms(walk)}", value <= 1.3 * walk)
        full, floor = rows["full index"][0], rows["floor: sqlite3 shell FTS5 index"][0]
        cpu = rows["full index, CPU"][0]
        per_record = cpu / size * 1e6
        floor_cpu = rows.get("floor: sqlite3 shell FTS5 index, CPU", (0, 0))[0] / size * 1e6
        if size <= 10000:
            row(f"full index of {label}, at most 450 µs of CPU per record", f"{per_record:,.0f} µs",
                f"sqlite3 {floor_cpu:,.0f} µs", per_record <= 450)
            if size in TURN_RATIOS:
                # Read by turns: the median of each turn's ratio, both runs on the machine as it is.
                ratio = statistics.median(TURN_RATIOS[size])
                full = rows["full index, by turns with the floor"][0]
                floor = rows["floor: sqlite3 shell FTS5 index, by turns"][0]
                row(f"full index of {label}, at most 1.5x the sqlite3 floor's wall time",
                    f"{ratio:.2f}x ({ms(full)})", f"sqlite3 {ms(floor)}, by turns", ratio <= 1.5)
            else:
                row(f"full index of {label}, at most 1.5x the sqlite3 floor's wall time",
                    f"{full / floor:.2f}x ({ms(full)})", f"sqlite3 {ms(floor)}", full <= 1.5 * floor)
            peak = rows["full index"][1] / 1024
            row(f"peak memory indexing {label}, no more than before this issue (123 MB)", f"{peak:.0f} MB", "",
                peak <= 125)
        else:
            row(f"full index of {label}, at most 40 s", ms(full), f"sqlite3 {ms(floor)}", full <= 40)
            row(f"full index of {label}, CPU per record (no target)", f"{per_record:,.0f} µs",
                f"sqlite3 {floor_cpu:,.0f} µs", None)
    for size, rows in sorted(results.items()):
        if size <= 10000 and "match 200-line log, --no-refresh" in rows:
            value = rows["match 200-line log, --no-refresh"][0]
            floor = rows["floor: sqlite3 shell match query"][0]
            row(f"ris match of a 200-line log on {size // 1000}k, under 100 ms (issue 14)", ms(value),
                f"sqlite3 {ms(floor)}", value < 0.100)
        if size == 10000 and "stats, with refresh" in rows:
            value = rows["stats, with refresh"][0]
            row("ris stats on 10k, under 200 ms (issue 16)", ms(value), "", value < 0.200)
    small = results.get(10000)
    if small and "mcp search, warm server" in small:
        calls = [(tool, small[f"mcp {tool}, warm server"][0]) for tool in ("search", "match", "show")]
        row("ris mcp tool call on 10k once warm, under 50 ms (issue 17)",
            " / ".join(f"{tool} {ms(value)}" for tool, value in calls), "", all(value < 0.050 for _, value in calls))
    if small:
        value = small["re-index, nothing changed"][0]
        row("no-change re-index of 10k under 150 ms (issue 8)", ms(value), "", value < 0.150)
        value = small["re-index, one file changed"][0]
        row("one-changed re-index of 10k under 200 ms (issue 8)", ms(value), "", value < 0.200)
        if "peer: python-frontmatter + sqlite3 index" in small:
            peer, full = small["peer: python-frontmatter + sqlite3 index"][0], small["full index"][0]
            row("full index at least 2x faster than python-frontmatter + sqlite3 (issue 8)", f"{peer / full:.2f}x",
                f"python {ms(peer)}", peer >= 2 * full)
        for kind in ("rare word", "common word"):
            if f"peer: rg -il {kind}" in small:
                rg, ours = small[f"peer: rg -il {kind}"][0], small[f"search {kind}, --no-refresh"][0]
                row(f"search ({kind}) at least 4x faster than rg -il (issue 8)", f"{rg / ours:.1f}x", f"rg {ms(rg)}",
                    rg >= 4 * ours)
        peak = max(v[1] for k, v in small.items() if k.startswith("search ")) / 1024
        row("peak memory searching under 40 MB (issue 8)", f"{peak:.0f} MB", "", peak < 40)
    if instructions:
        out += ["", f"Parsing costs {instructions:,.0f} instructions per record (callgrind, `ris parse --format text` of 100 generated",
                "records less one; no target: a change shows here as one number that a busy machine does not move)."]
    out.append("")
    return out


if __name__ == "__main__":
    main()
