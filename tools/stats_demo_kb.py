#!/usr/bin/env python3
"""Write a small knowledge base that shows every chart of `ris stats --format html`.

usage: stats_demo_kb.py OUTDIR

120 incident records over 2025-01 .. 2026-03 (severities, statuses, categories and projects
varied; durations stated or from a timeline; a few repeats of one symptom or one hot pattern)
and a hit log ending on 2026-04-02. Deterministic: the same files on every run.
"""
import datetime
import json
import os
import random
import sys

SEVERITIES = ["CRITICAL", "HIGH", "HIGH", "MEDIUM", "MEDIUM", "MEDIUM", "LOW", "LOW"]
STATUSES = ["✅ RESOLVED"] * 6 + ["CLOSED", "OPEN", "INVESTIGATING", "MITIGATED"]
CATEGORIES = ["Infrastructure", "Database", "Frontend", "CI/CD", "Security"]
PROJECTS = ["credentialmate", "billing", "portal"]
SUBJECTS = ["ECR login token expired", "Lambda manifest media type rejected", "Celery worker OOM killed",
            "Postgres connection pool exhausted", "TLS certificate expired on ingress",
            "Redis session eviction storm", "Terraform state lock left behind", "Flaky end-to-end login test"]
REPEATED = ["Error: connect ECONNREFUSED 10.0.3.17:5432 (pool 12 of 20)",
            "denied: Your authorization token has expired. Reauthenticate and try again."]
PATTERNS = ["ECR authorization token expired", "Lambda manifest media type not supported",
            "Worker killed by the OOM killer", "Connection pool exhausted", "Ingress certificate expired",
            "Terraform state lock"]


def main():
    out = sys.argv[1]
    r = random.Random(16)
    folder = os.path.join(out, "docs", "06-ris", "resolutions")
    os.makedirs(folder, exist_ok=True)
    os.makedirs(os.path.join(out, ".ris"), exist_ok=True)
    with open(os.path.join(out, ".ris", "config.yaml"), "w") as f:
        f.write("version: 1\n")
    for i in range(1, 121):
        month = r.randint(0, 14)
        date = f"{2025 + month // 12}-{month % 12 + 1:02d}-{r.randint(1, 28):02d}"
        subject = r.choice(SUBJECTS)
        lines = [f"# RIS-{i:03d}: {subject}", "", f"**Date:** {date}", f"**Severity:** {r.choice(SEVERITIES)}",
                 f"**Status:** {r.choice(STATUSES)}", f"**Category:** {r.choice(CATEGORIES)}",
                 f"**Project:** {r.choice(PROJECTS)}"]
        kind = r.random()
        if kind < 0.6:
            lines.append(f"**Resolution Time:** {r.randint(10, 480)} minutes")
        symptom = REPEATED[i % 2] if i % 9 == 0 else f"{subject}: stage {''.join(r.choice('ghijklmnopqrstuvwxyz') for _ in range(8))} failed"
        lines += ["", "## Symptom", "", "```", symptom, "```", "", "## Timeline", "", "| Time | Event |", "|---|---|"]
        if 0.6 <= kind < 0.9:
            start = r.randint(0, 1300)
            for offset in (0, r.randint(5, 60), r.randint(70, 400)):
                t = start + offset
                lines.append(f"| {t // 60 % 24:02d}:{t % 60:02d} | step |")
        if i % 14 == 0:
            lines += ["", "## Hot Pattern Entry", "", "```markdown", f"### {PATTERNS[i % 3]}",
                      "**Keywords:** demo", "**Solution:** see the record", "```"]
        with open(os.path.join(folder, f"RIS-{i:03d}.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, ".ris", "hits.jsonl"), "w") as f:
        for number, title in enumerate(PATTERNS):
            for _ in range(40 - 6 * number):
                ago = r.randint(0, 89 if number % 2 else 40)
                stamp = (datetime.date(2026, 4, 2) - datetime.timedelta(days=ago)).isoformat()
                f.write(json.dumps({"actor": "demo@example.com", "at": f"{stamp}T10:00:00Z",
                                    "path": ".claude/memory/hot-patterns.md", "title": title}, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
