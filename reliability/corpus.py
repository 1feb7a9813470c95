"""A synthetic knowledge base of N records shaped like real ones (front matter with
compliance, header fields, timeline table, hot pattern entry), deterministic for a seed."""
import pathlib, random

CONFIG = """version: 1
include: ["**/*.md", "**/*.yaml"]
exclude: [".git/**", ".ris/**"]
resolutions: docs/06-ris/resolutions
kb: docs/05-kb
hot-patterns: .claude/memory/hot-patterns.md
id:
  prefix: RIS
  width: 4
defaults:
  compliance:
    hipaa:
      retention-period: 7-years
      review-frequency: quarterly
      access-audit-required: true
"""

WORDS = ("pod crash loop memory limit kubectl deploy lambda manifest docker ecr token expired "
         "postgres connection pool exhausted timeout tls certificate renewal dns resolver cache "
         "queue backlog consumer lag kafka partition rebalance oauth refresh redirect nginx 502 "
         "gateway upstream latency spike index bloat vacuum replication slot disk full inode").split()

HOT_PATTERNS = """# Hot Patterns

### Pod OOMKilled after deploy
**Keywords**: oomkilled, memory, limit
**Symptom**: pods restart with exit code 137
**Root Cause**: memory limit below the working set
**Solution**: raise the limit
**Hit Count**: 3
**Last Used**: 2026-01-10

### ECR token expired
**Keywords**: ecr, docker login, token
**Symptom**: denied: authorization token has expired
**Root Cause**: token older than 12 hours
**Solution**: aws ecr get-login-password | docker login
**Hit Count**: 0
**Last Used**: 2025-12-01
"""


def record(number: int, rng: random.Random) -> str:
    words = rng.sample(WORDS, 8)
    title = f"{words[0].capitalize()} {words[1]} {words[2]} in {words[3]} {number}"
    audited = "true" if number % 3 == 0 else "false"
    timeline = "\n".join(f"| 2026-0{1 + number % 9}-1{i} 10:{i}0 | {rng.choice(WORDS)} {rng.choice(WORDS)} |" for i in range(4))
    return f"""---
id: RIS-{number:04d}
compliance:
  hipaa:
    controls: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
    retention-period: 7-years
    review-frequency: quarterly
    access-audit-required: {audited}
  soc2:
    controls: [CC7.2, CC7.3]
    retention-period: 7-years
created: '2026-01-0{1 + number % 9}'
---
# RIS-{number:04d}: {title}

**Date**: 2026-0{1 + number % 9}-1{number % 10}
**Severity**: {rng.choice(["LOW", "MEDIUM", "HIGH", "CRITICAL"])}
**Status**: RESOLVED
**Category**: {words[4]}

## Symptom
{' '.join(rng.choice(WORDS) for _ in range(40))}

```
error: {words[5]} {words[6]} failed with code {number}
```

## Root Cause
{' '.join(rng.choice(WORDS) for _ in range(30))}

## Timeline
| Time | Event |
|------|-------|
{timeline}

## Resolution
```bash
kubectl rollout restart deployment/{words[7]}-{number}
```

## Hot Pattern Entry
```markdown
### {title}
**Keywords**: {', '.join(words[:4])}
**Symptom**: {words[5]} {words[6]}
**Root Cause**: {words[7]}
**Solution**: restart
**Hit Count**: {number % 7}
**Last Used**: 2026-02-0{1 + number % 9}
```
"""


def generate(root: pathlib.Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    (root / ".ris").mkdir(parents=True, exist_ok=True)
    (root / ".ris" / "config.yaml").write_text(CONFIG)
    folder = root / "docs" / "06-ris" / "resolutions"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"RIS-RESOLUTION-{number:04d}.md").write_text(record(number, rng))
    hot = root / ".claude" / "memory"
    hot.mkdir(parents=True, exist_ok=True)
    (hot / "hot-patterns.md").write_text(HOT_PATTERNS)
