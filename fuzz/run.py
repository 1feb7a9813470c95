#!/usr/bin/env python3
"""Run the libFuzzer targets for a set time each and record what they did.

usage: fuzz/run.py SECONDS [TARGET...]

Seeds come from the test fixtures (every multi-line string literal in Tests/) and from
every file of examples/kb. Each target keeps its corpus in .build-fuzz/corpus/TARGET, so
later runs go on from where earlier ones stopped. Crashes, hangs and leaks are written to
fuzz/findings/ and make the run fail; the totals go to fuzz/results.json, which
docs/reliability.md quotes.
"""
import json, os, pathlib, re, subprocess, sys, time, hashlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build-fuzz"
TARGETS = ["FuzzFrontMatter", "FuzzDocument", "FuzzLogSignature"]


def write_seeds(folder: pathlib.Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0

    def add(data: bytes):
        nonlocal count
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count += 1

    for swift in sorted((ROOT / "Tests").rglob("*.swift")):
        text = swift.read_text(encoding="utf-8")
        for block in re.findall(r'"""\n(.*?)\n\s*"""', text, flags=re.S):
            if "\\(" in block:  # interpolated: not a fixture on its own
                continue
            lines = block.split("\n")
            indent = min((len(l) - len(l.lstrip(" ")) for l in lines if l.strip()), default=0)
            add(("\n".join(l[indent:] for l in lines) + "\n").encode())
    for path in sorted((ROOT / "examples" / "kb").rglob("*")):
        if path.is_file() and path.suffix in (".md", ".yaml", ".yml", ".log"):
            add(path.read_bytes())
    for path in sorted((ROOT / "Tests" / "corpus" / "handwritten-eval" / "logs").glob("*.log")):
        add(path.read_bytes())
    for path in sorted((ROOT / "fuzz" / "seeds").glob("*")):
        add(path.read_bytes())
    return count


def run(target: str, seconds: int, seeds: pathlib.Path) -> dict:
    corpus = BUILD / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    findings = ROOT / "fuzz" / "findings"
    findings.mkdir(exist_ok=True)
    before = set(findings.iterdir())
    command = [str(BUILD / "release" / target), str(corpus), str(seeds),
               f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
               "-max_len=262144", "-print_final_stats=1", "-detect_leaks=1",
               f"-artifact_prefix={findings}/{target}-"]
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    elapsed = time.time() - started
    log = result.stderr
    (BUILD / f"{target}.log").write_text(log)
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", log, flags=re.M))
    coverage = re.findall(r"cov: (\d+) ft: (\d+)", log)
    new = sorted(str(p.relative_to(ROOT)) for p in set(findings.iterdir()) - before)
    return {
        "target": target,
        "seconds": round(elapsed),
        "executions": int(stats.get("number_of_executed_units", 0)),
        "coverage": int(coverage[-1][0]) if coverage else 0,
        "features": int(coverage[-1][1]) if coverage else 0,
        "corpus": len(list(corpus.iterdir())),
        "exitCode": result.returncode,
        "findings": new,
    }


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    targets = sys.argv[2:] or TARGETS
    seeds = BUILD / "seeds"
    count = write_seeds(seeds)
    print(f"{count} seeds from the test fixtures and examples/kb")
    results_file = ROOT / "fuzz" / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    failed = False
    for target in targets:
        outcome = run(target, seconds, seeds)
        print(f"{target}: {outcome['executions']:,} executions in {outcome['seconds']} s, "
              f"coverage {outcome['coverage']}, corpus {outcome['corpus']}, "
              f"findings {len(outcome['findings'])} (exit {outcome['exitCode']})")
        for finding in outcome["findings"]:
            print(f"  {finding}")
        failed = failed or outcome["exitCode"] != 0 or bool(outcome["findings"])
        # Keep the totals over every run, so the figure in docs/reliability.md is the sum.
        total = results.get(target, {"runs": 0, "seconds": 0, "executions": 0, "findings": []})
        total["runs"] += 1
        total["seconds"] += outcome["seconds"]
        total["executions"] += outcome["executions"]
        total["coverage"] = outcome["coverage"]
        total["corpus"] = outcome["corpus"]
        total["findings"] = sorted(set(total["findings"]) | set(outcome["findings"]))
        total["lastRun"] = time.strftime("%Y-%m-%d")
        results[target] = total
    results_file.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
