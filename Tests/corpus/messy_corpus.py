#!/usr/bin/env python3
"""Generate a messy RIS corpus with known right answers.

usage: python3 messy_corpus.py --seed S --count N OUTDIR [--verify]

Writes N record files under OUTDIR (docs/06-ris/resolutions/, incidents/, records/ ...)
in the layouts real knowledge bases use (see README.md next to this script), and
OUTDIR/EXPECTED.json mapping each file's path relative to OUTDIR to what a careful
human reader takes from it: id, title, severity, status, date, timeline (event count),
frameworks, project, errors, salvaged, plus `layout` and `variants` (for reporting only).
A key is left out when the record does not state that fact.

Standard library only, deterministic for a given seed. `--verify` (needs PyYAML)
checks every YAML part: valid ones parse, broken ones fail on the intended line with
the lines above that line still parsing to the facts expected from them.
"""
import argparse
import json
import os
import random
import re
import sys

# --------------------------------------------------------------------------------------
# vocabulary (word list borrowed from /work/shared/gen_corpus.py)

WORDS = """lambda manifest docker buildx provenance sbom registry image layer media type
deploy deployment rollback migration database schema column index query timeout latency
cache redis session cookie cors origin header token jwt oauth login password credential
license provider dashboard worker queue retry backoff throttle quota limit memory leak
cpu disk volume snapshot backup restore encryption key kms secret rotation certificate tls
dns route53 hostname resolver endpoint gateway proxy nginx ingress pod container kubernetes
terraform state drift plan apply module variable output pipeline workflow runner artifact
build cache invalidation bundle webpack nextjs typescript eslint prettier test fixture mock
flaky assertion coverage regression alert pager oncall incident outage degradation error
exception stacktrace null undefined enum mismatch serialization json yaml parse validation
permission role policy iam audit log retention compliance hipaa soc2 iso control evidence
review quarterly annual monthly owner reviewer signoff approval ticket runbook playbook
""".split()
# words safe for IDs whose words make the title (alphabetic, no framework/bool-ish words)
ID_WORDS = [w for w in WORDS if w.isalpha() and len(w) > 2
            and w not in ("null", "undefined", "hipaa", "iso", "yaml", "json", "true", "false")]

UNICODE_TITLES = [
    "Café checkout totals wrong after currency update",
    "Zeitüberschreitung beim nächtlichen Export",
    "Ünicode filenames break the upload worker",
    "Résumé parser drops accented names",
    "日本語 locale breaks CSV export",
    "Naïve retry loop floods the queue",
    "Ошибка кодировки in audit log export",
    "Señal de alerta lost during failover",
    "Ελληνικά characters in license names",
    "Straße field truncated by the address validator",
]
UNICODE_SENTENCES = [
    "Die Warteschlange lief über, weil der Worker hing.",
    "Le cache n'a pas été invalidé après le déploiement — d'où les 502.",
    "ログの出力が途中で止まっていた。",
    "Пользователи видели старую версию страницы.",
    "El reintento automático duplicó los mensajes en la cola.",
    "The naïve fix (restart → pray) did not help 🙃.",
    "Latency went from ~40 ms to ≈ 2.3 s at p99 📈.",
    "Ο έλεγχος ταυτότητας απέτυχε για όλους τους χρήστες.",
]
PROJECTS = ["acme", "credentialmate", "billing", "portal", "ingest", "atlas", "nimbus", "orbit"]
SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"]
STATUSES = ["RESOLVED", "RESOLVED", "RESOLVED", "RESOLVED", "MITIGATED", "OPEN", "INVESTIGATING", "CLOSED"]
SEV_EMOJI = {"CRITICAL": "🔴", "HIGH": "🟠", "MEDIUM": "🟡", "LOW": "🟢"}
STATUS_EMOJI = {"RESOLVED": "✅", "MITIGATED": "⚠️", "OPEN": "🔴", "INVESTIGATING": "🔍",
                "CLOSED": "✔️", "APPROVED": "👍"}
SEV_REMARK = {"CRITICAL": "blocks all deployments", "HIGH": "customer facing",
              "MEDIUM": "internal tooling only", "LOW": "cosmetic"}
STATUS_REMARK = {"RESOLVED": "verified in production", "MITIGATED": "root cause fix pending",
                 "OPEN": "awaiting vendor", "INVESTIGATING": "root cause unknown",
                 "CLOSED": "no further action", "APPROVED": "by the platform lead"}
P_LEVEL = {"CRITICAL": ["P0", "P1"], "HIGH": ["P2"], "MEDIUM": ["P3"], "LOW": ["P4", "P5"]}
SEV_LEVEL = {"CRITICAL": "SEV1", "HIGH": "SEV2", "MEDIUM": "SEV3", "LOW": "SEV4"}
HIPAA = ["164.308(a)(1)(ii)(D)", "164.312(a)(1)", "164.312(b)", "164.312(e)(1)"]
ISO = ["A.12.1.1", "A.18.1.3", "A.12.4.1", "A.16.1.5", "A.9.2.3"]
SOC2 = ["CC7.3", "CC8.1", "CC7.4", "CC6.1", "CC7.2"]
CONTROLS = {"hipaa": HIPAA, "iso27001": ISO, "soc2": SOC2, "gdpr": ["Art.32", "Art.33"]}
GENERIC_H1 = ["Summary", "Problem", "Problem Summary", "Overview", "Issue", "Implementation Results"]
YAML_COMMENTS = ["# notes", "# exported from the tracker", "# keep keys sorted", "# reviewed by on-call",
                 "# fields below are optional", "# see runbook for context", "# auto-generated, edit freely"]


def sentence(r, lo=8, hi=22):
    n = r.randint(lo, hi)
    s = " ".join(r.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def para(r, k=None):
    out = [sentence(r) for _ in range(k or r.randint(2, 5))]
    if r.random() < 0.15:
        out.insert(r.randint(0, len(out)), r.choice(UNICODE_SENTENCES))
    return " ".join(out)


def phrase(r, lo=3, hi=9):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


# --------------------------------------------------------------------------------------
# YAML scalar rendering

_RESERVED_START = set("-?:,[]{}#&*!|>'\"%@`")


def plain_safe(s):
    if not s or s != s.strip() or "\n" in s or "\t" in s:
        return False
    if s[0] in _RESERVED_START:
        return False
    if ": " in s or " #" in s or s.endswith(":") or any(c in s for c in "[]{},"):
        return False
    if re.fullmatch(r"(?i)(true|false|yes|no|on|off|null|~|y|n)", s):
        return False
    if re.fullmatch(r"[-+.0-9][0-9_.:eE+-]*", s):
        return False
    return True


def yq(r, s, style=None):
    """A YAML scalar for string s: plain when safe, else quoted."""
    if style is None:
        style = r.choices(["plain", "single", "double"], [6, 2, 2])[0]
    if style == "plain" and not plain_safe(s):
        style = "double" if "'" in s else "single"
    if style == "plain":
        return s
    if style == "single":
        return "'" + s.replace("'", "''") + "'"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------------------
# key spellings (rule 5)

SPELL = {
    "id": {"snake": ["id", "id", "ris_id", "resolution_id", "incident_id", "task_id"],
           "kebab": ["id", "ris-id", "resolution-id", "incident-id", "task-id"],
           "camel": ["id", "risId", "resolutionId", "incidentId", "taskId"],
           "cap": ["ID", "Id"]},
    "title": {"cap": ["Title"]},
    "status": {"cap": ["Status"]},
    "severity": {"cap": ["Severity"]},
    "priority": {"cap": ["Priority"]},
    "project": {"cap": ["Project"]},
    "timeline": {"cap": ["Timeline"]},
    "compliance": {"cap": ["Compliance"]},
    # an incident date that may sit next to a creation date
    "incdate": {"snake": ["date", "date", "incident_date"], "kebab": ["date", "incident-date"],
                "camel": ["date", "incidentDate"], "cap": ["Date"]},
    # an incident date that is the only date in the record
    "incdate_alone": {"snake": ["date", "incident_date", "date_reported", "date_identified"],
                      "kebab": ["date", "incident-date", "date-reported", "date-identified"],
                      "camel": ["date", "incidentDate", "dateReported", "dateIdentified"],
                      "cap": ["Date"]},
    "created": {"snake": ["created", "created", "created_at", "created_date", "date_created"],
                "kebab": ["created", "created-at", "created-date", "date-created"],
                "camel": ["created", "createdAt", "createdDate", "dateCreated"],
                "cap": ["Created"]},
    "created_alone": {"snake": ["created", "created_at", "created_date", "date_created", "timestamp"],
                      "kebab": ["created", "created-at", "created-date", "date-created"],
                      "camel": ["created", "createdAt", "createdDate", "dateCreated", "timestamp"],
                      "cap": ["Created", "Timestamp"]},
}
STYLES = ["snake", "kebab", "camel", "cap"]


def spell(r, ctx, concept):
    table = SPELL[concept]
    style = ctx.style if ctx.style != "mixed" else r.choice(STYLES)
    opts = table.get(style)
    if not opts:
        opts = table.get("snake") or [concept]
    return r.choice(opts)


# --------------------------------------------------------------------------------------
# facts and per-file context


class Ctx:
    def __init__(self, r):
        self.r = r
        self.style = r.choices(["snake", "kebab", "camel", "cap", "mixed"], [8, 2, 2, 1, 2])[0]
        self.variants = []
        self.checks = []  # (label, text, mode, extra)

    def v(self, tag):
        if tag not in self.variants:
            self.variants.append(tag)


class Ids:
    def __init__(self, r):
        self.r = r
        self.n = r.randint(1, 40)
        self.used = set()
        self.plain = []  # simple IDs usable for a deliberate duplicate

    def next_n(self):
        self.n += self.r.randint(1, 3)
        return self.n

    def make(self, form, date):
        r = self.r
        for _ in range(1000):
            words = None
            ymd = date.replace("-", "")
            if form == "num":
                rid = f"RIS-{self.next_n():03d}"
            elif form == "resolution":
                rid = f"RIS-RESOLUTION-{self.next_n():03d}"
            elif form == "res-date-slug":
                words = r.sample(ID_WORDS, r.randint(2, 4))
                rid = f"RES-{ymd}-{'-'.join(words)}"
            elif form == "task":
                rid = (f"RIS-TASK-{r.choice(['GOV', 'OPS', 'SEC', 'DATA'])}-{self.next_n():03d}-"
                       + "-".join(w.upper() for w in r.sample(ID_WORDS, 2)))
            elif form == "area":
                rid = (f"RIS-{r.choice(['DATA', 'INFRA', 'AUTH', 'UI'])}-{self.next_n():03d}-"
                       + "-".join(w.upper() for w in r.sample(ID_WORDS, r.randint(2, 3))))
            elif form == "inc":
                rid = f"INC-{date[:4]}-{self.next_n():04d}"
            elif form == "words-date":
                words = r.sample(ID_WORDS, r.randint(2, 3))
                rid = f"RIS-{'-'.join(w.upper() for w in words)}-{ymd}"
            else:
                raise ValueError(form)
            if rid not in self.used:
                self.used.add(rid)
                if form in ("num", "resolution"):
                    self.plain.append(rid)
                return rid, (" ".join(words) if words else None)
        raise RuntimeError("could not make a unique id")


ID_FORMS = ["num", "resolution", "res-date-slug", "task", "area", "inc", "words-date"]
ID_FORM_W = [6, 3, 2, 1, 1, 2, 2]


def make_title(r):
    k = r.random()
    if k < 0.08:
        return r.choice(UNICODE_TITLES)
    if k < 0.14:
        w = r.choice(ID_WORDS)
        return r.choice([f"Worker can't reach {w}", f"Scheduler doesn't retry {w} jobs",
                         f"Login page won't load after {w} change"])
    if k < 0.22:
        a = " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3))).capitalize()
        b = " ".join(r.choice(WORDS) for _ in range(r.randint(2, 5)))
        return f"{a}: {b}"
    if k < 0.25:
        return f"Fix #{r.randint(100, 999)} {r.choice(ID_WORDS)} regression"
    words = [r.choice(WORDS) for _ in range(r.randint(3, 7))]
    if r.random() < 0.6:
        return " ".join(w.capitalize() for w in words)
    return " ".join(words).capitalize()


def slugify(s, r):
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    if len(s) < 4:
        s = "-".join(r.sample(ID_WORDS, 3))
    return s[:50].strip("-")


def make_date(r):
    y, m, d = r.choice([2024, 2025, 2026]), r.randint(1, 12), r.randint(1, 28)
    return f"{y}-{m:02d}-{d:02d}"


def later_date(r, date):
    y, m, d = int(date[:4]), int(date[5:7]), int(date[8:10])
    d += r.randint(1, 20)
    if d > 28:
        d -= 28
        m += 1
        if m > 12:
            m, y = 1, y + 1
    return f"{y}-{m:02d}-{d:02d}"


class Facts:
    def __init__(self, r, ids, id_form=None, dup=None):
        self.inc_date = make_date(r)
        self.created = later_date(r, self.inc_date)
        form = id_form or r.choices(ID_FORMS, ID_FORM_W)[0]
        if dup:
            self.id, self.id_words = dup, None
        else:
            self.id, self.id_words = ids.make(form, self.inc_date)
        self.title = make_title(r)
        self.severity = r.choice(SEVERITIES)
        self.status = r.choice(STATUSES)
        self.project = r.choice(PROJECTS)
        n = r.choice([0, 0, 2, 3, 3, 4, 5, 6, 8, 11])
        self.events = make_events(r, n, self.inc_date)


def make_events(r, n, date):
    t = r.randint(6 * 60, 12 * 60)
    out = []
    for _ in range(n):
        text = phrase(r, 3, 9)
        if r.random() < 0.08:
            text = r.choice(["rollback → green again ✅", "on-call paged 📟", "café-service back to normal",
                             "Grafana zeigt wieder grün", "root cause confirmed (stale cache)"])
        out.append((t, text))
        t += r.randint(2, 25)
    return out


def clock(t):
    return f"{t // 60:02d}:{t % 60:02d}"


# --------------------------------------------------------------------------------------
# value renderings


def date_value_yaml(r, d, allow_ts=True):
    forms = ["plain", "single", "double", "ts-z", "ts-off", "ts-space"] if allow_ts else ["plain", "single", "double"]
    w = [5, 3, 2, 2, 1, 1][:len(forms)]
    f = r.choices(forms, w)[0]
    hh = r.randint(6, 18)
    mm = r.randint(0, 59)
    if f == "plain":
        return d, f
    if f == "single":
        return f"'{d}'", f
    if f == "double":
        return f'"{d}"', f
    if f == "ts-z":
        return f"{d}T{hh:02d}:{mm:02d}:00Z", f
    if f == "ts-off":
        return f"{d}T{hh:02d}:{mm:02d}:00{r.choice(['+02:00', '-04:00', '+05:30'])}", f
    return f'"{d} {hh:02d}:{mm:02d}"', f


def sev_yaml(r, ctx, sev):
    """-> (key, value text)"""
    f = r.choices(["upper", "lower", "cap", "p", "sev", "emoji", "remark", "comment"],
                  [3, 4, 3, 3, 2, 1, 1, 1])[0]
    ctx.v("sev-" + f)
    key = spell(r, ctx, "priority" if (f == "p" or r.random() < 0.15) else "severity")
    if f == "p":
        p = r.choice(P_LEVEL[sev])
        return key, yq(r, p if r.random() < 0.85 else p.lower(), r.choice(["plain", "plain", "double"]))
    if f == "sev":
        s = SEV_LEVEL[sev]
        return key, r.choice([s, s.capitalize(), s.lower()])
    if f == "emoji":
        return key, yq(r, f"{SEV_EMOJI[sev]} {r.choice([sev, sev.lower()])}", r.choice(["plain", "double"]))
    if f == "remark":
        return key, yq(r, f"{sev} ({SEV_REMARK[sev]})", r.choice(["plain", "double", "single"]))
    if f == "comment":
        return key, f"{sev.lower()}  # {SEV_REMARK[sev]}"
    word = {"upper": sev, "lower": sev.lower(), "cap": sev.capitalize()}[f]
    return key, yq(r, word, r.choice(["plain", "plain", "single", "double"]))


def status_yaml(r, ctx, st):
    f = r.choices(["upper", "lower", "cap", "emoji", "remark"], [3, 5, 3, 1, 1])[0]
    ctx.v("status-" + f)
    key = spell(r, ctx, "status")
    if f == "emoji":
        return key, yq(r, f"{STATUS_EMOJI[st]} {r.choice([st, st.lower()])}", r.choice(["plain", "double"]))
    if f == "remark":
        return key, yq(r, f"{st} ({STATUS_REMARK[st]})", r.choice(["plain", "double"]))
    word = {"upper": st, "lower": st.lower(), "cap": st.capitalize()}[f]
    return key, yq(r, word, r.choice(["plain", "plain", "single", "double"]))


def md_field(r, name, value, colon_outside=None):
    if colon_outside is None:
        colon_outside = r.random() < 0.12
    line = f"**{name}**: {value}" if colon_outside else f"**{name}:** {value}"
    if r.random() < 0.15:
        line += "  "  # markdown hard break, trailing spaces
    return line


def sev_md(r, ctx, sev):
    f = r.choices(["upper", "cap", "emoji", "remark", "p", "sev"], [5, 2, 2, 2, 2, 1])[0]
    ctx.v("mdsev-" + f)
    if f == "p":
        return md_field(r, "Priority", r.choice(P_LEVEL[sev]))
    if f == "sev":
        return md_field(r, "Severity", SEV_LEVEL[sev])
    val = {"upper": sev, "cap": sev.capitalize(), "emoji": f"{SEV_EMOJI[sev]} {sev}",
           "remark": f"{sev} ({SEV_REMARK[sev]})"}[f]
    return md_field(r, "Severity", val)


def status_md(r, ctx, st):
    f = r.choices(["upper", "cap", "emoji", "remark", "dash-remark"], [3, 2, 4, 1, 1])[0]
    ctx.v("mdstatus-" + f)
    val = {"upper": st, "cap": st.capitalize(), "emoji": f"{STATUS_EMOJI[st]} {st}",
           "remark": f"{st} ({STATUS_REMARK[st]})", "dash-remark": f"{st} — {STATUS_REMARK[st]}"}[f]
    return md_field(r, "Status", val)


def md_date_value(r, d):
    if r.random() < 0.1:
        return f"{d} {r.randint(6, 18):02d}:{r.randint(0, 59):02d} UTC"
    return d


# --------------------------------------------------------------------------------------
# compliance (rule 8)

COMP_FORMS = ["none", "canonical", "bool-attrs", "flags-top", "controls-lists", "mixed-false", "list"]
COMP_W = [6, 5, 3, 3, 2, 2, 1]


def pick_frameworks(r, allow_gdpr=True):
    pool = ["hipaa", "iso27001", "soc2"] + (["gdpr"] if allow_gdpr and r.random() < 0.15 else [])
    return sorted(r.sample(pool, r.randint(1, min(3, len(pool)))))


def canonical_fw_lines(r, fw, ind):
    p = " " * ind
    out = [f"{p}{fw}:"]
    freq = r.choice(["quarterly", "annual", "monthly"])
    if fw == "hipaa":
        out += [f"{p}  access-audit-required: {r.choice(['true', 'false'])}", f"{p}  controls:"]
        out += [f"{p}  - {c}" for c in r.sample(HIPAA, r.randint(1, 3))]
        out += [f"{p}  encryption-required: true",
                f"{p}  phi-contains: {r.choice(['none', 'credential-data', 'audit-logs'])}",
                f"{p}  retention-period: 7-years", f"{p}  review-frequency: {freq}"]
    elif fw == "iso27001":
        out += [f"{p}  classification: {r.choice(['internal', 'confidential'])}", f"{p}  controls:"]
        out += [f"{p}  - {c}" for c in r.sample(ISO, r.randint(1, 3))]
        out += [f"{p}  review-frequency: {freq}"]
    elif fw == "soc2":
        out += [f"{p}  controls:"]
        out += [f"{p}  - {c}" for c in r.sample(SOC2, r.randint(1, 3))]
        out += [f"{p}  evidence-type: documentation", f"{p}  retention-period: 7-years"]
    else:  # gdpr
        out += [f"{p}  lawful-basis: contract", f"{p}  controls: [Art.32, Art.33]"]
    return out


def compliance_entries(r, ctx, form=None, simple_only=False):
    """-> (list of (sortkey, lines)), frameworks list, form.  simple_only: only one-line keys."""
    if form is None:
        form = r.choices(COMP_FORMS, COMP_W)[0]
    if simple_only and form not in ("none", "flags-top", "controls-lists"):
        form = r.choice(["none", "flags-top", "controls-lists"])
    ctx.v("comp-" + form)
    ck = spell(r, ctx, "compliance")
    if form == "none":
        return [], [], form
    if form == "canonical":
        fws = pick_frameworks(r, allow_gdpr=False)
        lines = [f"{ck}:"]
        for fw in fws:
            lines += canonical_fw_lines(r, fw, 2)
        return [(ck, lines)], fws, form
    if form == "bool-attrs":
        fws = pick_frameworks(r)
        lines = [f"{ck}:"]
        items = [(fw, f"  {fw}: {r.choice(['true', 'true', 'true', 'True'])}") for fw in fws]
        for fw in ["hipaa", "iso27001", "soc2"]:
            if fw not in fws and r.random() < 0.3:
                items.append((fw, f"  {fw}: false"))
        attrs = r.sample([("audit_trail", "  audit_trail: true"),
                          ("retention_policy", f"  retention_policy: {yq(r, r.choice(['keep forever', '7 years', 'per legal hold']))}"),
                          ("format", f"  format: {r.choice(['markdown', 'yaml', 'pdf'])}"),
                          ("reviewed", "  reviewed: false")], r.randint(1, 3))
        items += attrs
        r.shuffle(items)
        if r.random() < 0.12:  # every framework false: nothing applies
            items = [(k, re.sub(r": (true|True)$", ": false", l)) for k, l in items]
            fws = []
            ctx.v("comp-all-false")
        lines += [l for _, l in items]
        return [(ck, lines)], fws, form
    if form == "flags-top":
        fws = pick_frameworks(r)
        out = [(fw, [f"{fw}: {r.choice(['true', 'true', 'True'])}"]) for fw in fws]
        for fw in ["hipaa", "iso27001", "soc2"]:
            if fw not in fws and r.random() < 0.35:
                out.append((fw, [f"{fw}: false"]))
        return out, fws, form
    if form == "controls-lists":
        fws = pick_frameworks(r, allow_gdpr=False)
        inside = (not simple_only) and r.random() < 0.35
        ents = []
        for fw in fws:
            cs = r.sample(CONTROLS[fw], r.randint(1, 2))
            if r.random() < 0.7 or simple_only:
                ents.append((f"{fw}_controls", [f"{fw}_controls: [{', '.join(cs)}]"]))
            else:
                ents.append((f"{fw}_controls", [f"{fw}_controls:"] + [f"  - {c}" for c in cs]))
        if inside:
            ctx.v("comp-controls-inside")
            lines = [f"{ck}:"]
            for _, ls in ents:
                lines += ["  " + l for l in ls]
            lines.append("  audit_trail: true")
            return [(ck, lines)], fws, form
        return ents, fws, form
    if form == "mixed-false":
        fws = pick_frameworks(r, allow_gdpr=False)
        lines = [f"{ck}:"]
        off = [fw for fw in ["hipaa", "iso27001", "soc2"] if fw not in fws]
        if not off:
            fws = fws[1:]
            off = [f for f in ["hipaa", "iso27001", "soc2"] if f not in fws]
        keys = sorted(fws + off)
        for fw in keys:
            if fw in fws:
                lines += canonical_fw_lines(r, fw, 2)
            else:
                lines.append(f"  {fw}: false")
        return [(ck, lines)], fws, form
    if form == "list":
        fws = pick_frameworks(r, allow_gdpr=False)
        if r.random() < 0.5:
            lines = [f"{ck}: [{', '.join(fws)}]"]
        else:
            lines = [f"{ck}:"] + [f"  - {fw}" for fw in fws]
        return [(ck, lines)], fws, form
    raise ValueError(form)


# --------------------------------------------------------------------------------------
# timelines (rule 7)

MD_TL_FORMS = ["table-clock", "table-offset", "table-datetime", "table-3col", "bullets-bold", "numbered",
               "bullets-utc", "bold-lines", "mixed-bold", "codeblock"]
MD_TL_W = [3, 3, 2, 1, 2, 2, 2, 2, 2, 2]
YAML_TL_FORMS = ["list-maps", "list-maps-flow", "list-onekey", "mapping", "list-strings"]
YAML_TL_W = [4, 1, 3, 3, 1]


def md_timeline(r, ctx, events, date, form=None):
    """-> lines (with heading); counts one per event."""
    if not events:
        return []
    form = form or r.choices(MD_TL_FORMS, MD_TL_W)[0]
    ctx.v("tl-" + form)
    head = r.choices(["## Timeline", "### Timeline", "## Timeline (UTC)", "## Incident Timeline"], [6, 2, 1, 1])[0]
    out = [head, ""]
    if r.random() < 0.3:
        out += [r.choice(["Times relative to the first alert." if form == "table-offset" else "All times UTC.",
                          "_Times are approximate._"]), ""]
    t0 = events[0][0]
    if form.startswith("table"):
        hdr = r.choice(["| Time | Event |", "| Time (UTC) | Event |", "| When | What happened |"])
        if form == "table-3col":
            hdr = r.choice(["| Time | Event | Owner |", "| Timestamp | Event | Actor |"])
        out.append(hdr)
        out.append(r.choice(["|------|-------|", "|:-----|:------|", "| --- | --- |"]) + ("-----|" if form == "table-3col" else ""))
        for t, text in events:
            if form == "table-offset":
                off = t - t0
                tm = f"{off // 60}:{off % 60:02d}"
            elif form == "table-datetime":
                tm = r.choice([f"{date} {clock(t)}", f"{date}T{clock(t)}:00Z"])
            else:
                tm = clock(t)
            row = f"| {tm} | {text} |"
            if form == "table-3col":
                row = f"| {tm} | {text} | {r.choice(['on-call', 'alice', 'bob', 'SRE', 'bot'])} |"
            out.append(row)
    elif form == "bullets-bold":
        for t, text in events:
            out.append(f"- **{clock(t)}**: {text}")
    elif form == "numbered":
        for i, (t, text) in enumerate(events, 1):
            out.append(f"{i}. {clock(t)} - {text}")
    elif form == "bullets-utc":
        for t, text in events:
            out.append(r.choice([f"- {clock(t)} UTC — {text}", f"- {date} {clock(t)} — {text}"]) if r.random() < 0.2
                       else f"- {clock(t)} UTC — {text}")
    elif form == "bold-lines":
        blank = r.random() < 0.5
        for t, text in events:
            out.append(f"**{clock(t)}** - {text}")
            if blank:
                out.append("")
    elif form == "mixed-bold":
        k = max(1, len(events) - r.randint(1, max(1, len(events) - 1)))
        for t, text in events[:k]:
            out.append(f"- **{clock(t)}**: {text}")
        out.append("")
        for t, text in events[k:]:
            out.append(f"**{clock(t)}** - {text}")
    elif form == "codeblock":
        out.append(r.choice(["```", "```text"]))
        for t, text in events:
            out.append(f"{clock(t)}  {text}")
        out.append("```")
    out.append("")
    return out


def yaml_timeline(r, ctx, events, date, ind, key, form=None):
    """-> lines for `key:` at indent ind."""
    form = form or r.choices(YAML_TL_FORMS, YAML_TL_W)[0]
    ctx.v("ytl-" + form)
    p = " " * ind
    kind = r.choices(["clock", "clock-bare", "iso"], [4, 2, 1])[0]

    def tval(t, as_key=False):
        if kind == "iso":
            s = f"{date}T{clock(t)}:00Z"
            return f'"{s}"' if as_key or r.random() < 0.5 else s
        if kind == "clock-bare" and not as_key:
            return clock(t)
        return f'"{clock(t)}"'

    out = [f"{p}{key}:"]
    seq = r.choice(["", "  "])  # block sequences indented or not
    for t, text in events:
        ev = yq(r, text, r.choice(["plain", "plain", "double"]))
        if form == "list-maps":
            ek = r.choice(["event", "event", "event", "action", "description"])
            tk = r.choice(["time", "time", "time", "at"])
            out.append(f"{p}{seq}- {tk}: {tval(t)}")
            out.append(f"{p}{seq}  {ek}: {ev}")
        elif form == "list-maps-flow":
            out.append(f"{p}{seq}- {{time: {tval(t, True)}, event: {yq(r, text, 'double')}}}")
        elif form == "list-onekey":
            out.append(f"{p}{seq}- {tval(t, True)}: {ev}")
        elif form == "mapping":
            out.append(f"{p}  {tval(t, True)}: {ev}")
        elif form == "list-strings":
            out.append(f"{p}{seq}- {yq(r, f'{clock(t)} - {text}', r.choice(['plain', 'double']))}")
    return out


# --------------------------------------------------------------------------------------
# markdown body

def code_block_bash(r):
    out = ["```bash"]
    for _ in range(r.randint(2, 5)):
        if r.random() < 0.3:
            out.append(f"# {phrase(r, 2, 5)}")
        out.append(f"{r.choice(['aws', 'docker', 'kubectl', 'git', 'psql'])} {' '.join(r.sample(WORDS, 3))} --{r.choice(WORDS)}")
    out.append("```")
    return out


def md_body(r, ctx, f, tl_lines, rid, short=False, hotpattern=None, no_hr=False):
    out = []
    summary_h = r.choice(["## Incident Summary", "## Summary", "## Problem Summary", "## Overview", "## Problem"])
    out += [summary_h, "", f"**Problem:** {para(r, 2)}", "", f"**Root Cause:** {para(r, 2)}", "",
            f"**Resolution:** {para(r, 2)}", ""]
    if r.random() < 0.1:
        ctx.v("long-prose")
        for _ in range(r.randint(6, 20)):
            out += [para(r, r.randint(4, 9)), ""]
    if not short:
        out += ["## Technical Details", "", "### Symptom", "", "```"]
        out += [f"{f.inc_date}T{clock(r.randint(360, 1100))}:0{r.randint(0, 9)}Z ERROR {sentence(r, 5, 10)}"
                for _ in range(r.randint(1, 3))]
        out += ["```", ""]
        for _ in range(r.randint(1, 3)):
            out += [f"### {' '.join(w.capitalize() for w in r.sample(WORDS, 3))}", "", para(r), ""]
            if r.random() < 0.5:
                out += code_block_bash(r) + [""]
        if r.random() < 0.12:
            ctx.v("yaml-codeblock-trap")
            out += ["The worker config after the fix:", "", "```yaml", "# worker settings",
                    f"status: {r.choice(['disabled', 'paused', 'open'])}",
                    f"severity: {r.choice(['low', 'info'])}", f"title: {phrase(r, 2, 4)}",
                    "retries: 5", "```", ""]
    if r.random() < 0.2:
        ctx.v("impact-table-trap")
        out += ["## Impact", "", "| Metric | Before | After |", "|--------|--------|-------|"]
        for _ in range(r.randint(2, 4)):
            out.append(f"| {r.choice(WORDS)} {r.choice(['p99', 'errors', 'rps'])} | {r.randint(1, 900)} | {r.randint(1, 900)} |")
        out.append("")
    after_hp = hotpattern and tl_lines and r.random() < 0.25
    if tl_lines and not after_hp:
        out += tl_lines
    out += [r.choice(["## Resolution", "## Fix", "## Successful Solution"]), ""]
    for i in range(1, r.randint(2, 5)):
        out.append(f"{i}. {sentence(r, 4, 10)}")
    out.append("")
    if not short:
        out += ["## Prevention Measures", ""]
        for k in range(r.randint(1, 3)):
            out += [f"### {k + 1}. {' '.join(w.capitalize() for w in r.sample(WORDS, 3))}", "", para(r), ""]
        out += ["## Lessons Learned", "", para(r, r.randint(2, 5)), ""]
    if hotpattern:
        ctx.v("hot-pattern")
        out += hot_pattern(r, f, rid)
        if after_hp:
            ctx.v("timeline-after-hotpattern")
            out += tl_lines
    if r.random() < 0.4:
        out += ["## Related", "", f"- RIS-{r.randint(1, 999):03d} (similar {r.choice(WORDS)} issue)",
                f"- [kb-{r.choice(WORDS)}-{r.choice(WORDS)}.md](../../05-kb/kb-{r.choice(WORDS)}.md)", ""]
    if r.random() < 0.3:
        out += ["## Tags", "", " ".join(f"`{w}`" for w in r.sample(WORDS, 4)), ""]
    if not short:
        if not no_hr:
            out += ["---", ""]
        out += ["**Created By:** Claude Code Agent", "**Reviewed By:** Pending", "**Sign-Off:** Pending",
                f"**Impact Assessment:** {f.severity} ({phrase(r, 2, 4)})",
                f"**Recurrence Risk:** {r.choice(SEVERITIES)}", ""]
    return out


def hot_pattern(r, f, rid):
    t = " ".join(w.capitalize() for w in r.sample(WORDS, 3))
    out = ["## Hot Pattern Entry", "", "**Add to `.claude/memory/hot-patterns.md`:**", "",
           "```markdown", f"## {t}: \"{phrase(r, 3, 5)}\"", "",
           f"**Keywords:** {', '.join(r.sample(WORDS, 5))}", "", "**Symptom:**", "```",
           sentence(r, 6, 14), "```", "", f"**Root Cause:** {sentence(r)}", "", "**Solution:**", "```bash",
           "# rebuild with the fix", f"docker buildx build --{r.choice(WORDS)}=false -t {r.choice(WORDS)}:latest .",
           "```", "", f"**Related:** {rid}, kb-{r.choice(WORDS)}.md", f"**Hit Count:** {r.randint(1, 40)}",
           f"**Last Used:** {f.created}", "```", ""]
    return out


def heading(r, ctx, rid, title):
    sep = r.choices([": ", " - ", " — "], [8, 1, 1])[0]
    if rid.startswith("RES-"):  # an ID that has lower-case words of its own: keep the plain colon
        sep = ": "
    if sep != ": ":
        ctx.v("heading-sep")
    return f"# {rid}{sep}{title}"


# --------------------------------------------------------------------------------------
# YAML records

def add_blank_and_comments(r, ctx, entries):
    """entries: list of lines-lists -> flat lines with occasional blank lines/comments between."""
    out = []
    for i, ls in enumerate(entries):
        if i and r.random() < 0.12:
            out.append("")
            ctx.v("blank-between-keys")
        if i and r.random() < 0.07:
            out.append(r.choice(YAML_COMMENTS))
            ctx.v("comment-between-keys")
        out += ls
    return out


def trailing_spaces(r, ctx, lines, protect=()):
    if r.random() >= 0.15:
        return lines
    ctx.v("trailing-spaces")
    out = []
    for i, l in enumerate(lines):
        if l and l not in ("---", "...") and i not in protect and not l.startswith("```") and r.random() < 0.3:
            l = l + " " * r.randint(1, 3)
        out.append(l)
    return out


def meta_entries(r, ctx, f, want=None, simple=False):
    """Top-level metadata entries.  -> (entries [(name, lines, concept)], stated facts dict)."""
    want = want or {}
    ents = []
    st = {}
    if want.get("id", True):
        ents.append(("id", [f"{spell(r, ctx, 'id')}: {yq(r, f.id, r.choice(['plain', 'plain', 'plain', 'double', 'single']))}"]))
        st["id"] = f.id
    if want.get("title", True):
        tv = yq(r, f.title)
        if r.random() < 0.05 and plain_safe(f.title):
            tv = f"{f.title}  # {r.choice(['short title', 'see ticket'])}"
            ctx.v("title-comment")
        ents.append(("title", [f"{spell(r, ctx, 'title')}: {tv}"]))
        st["title"] = f.title
    if want.get("severity", True):
        k, v = sev_yaml(r, ctx, f.severity)
        ents.append(("severity", [f"{k}: {v}"]))
        st["severity"] = f.severity
    if want.get("status", True):
        k, v = status_yaml(r, ctx, f.status)
        ents.append(("status", [f"{k}: {v}"]))
        st["status"] = f.status
    dmode = want.get("dates", r.choices(["inc", "created", "both", "none"], [4, 3, 3, 1])[0])
    if dmode == "inc":
        v, form = date_value_yaml(r, f.inc_date)
        ents.append(("date", [f"{spell(r, ctx, 'incdate_alone')}: {v}"]))
        st["date"] = f.inc_date
        ctx.v("date-" + form)
    elif dmode in ("created", "created-beside-body-date"):
        # `timestamp` only when this creation date is the record's only date
        v, form = date_value_yaml(r, f.created)
        concept = "created_alone" if dmode == "created" else "created"
        ents.append(("created", [f"{spell(r, ctx, concept)}: {v}"]))
        st["date"] = f.created
        ctx.v("date-" + form)
        if r.random() < 0.3:
            ents.append(("updated", [f"updated: {date_value_yaml(r, later_date(r, f.created), False)[0]}"]))
    elif dmode == "both":
        v1, _ = date_value_yaml(r, f.inc_date)
        v2, _ = date_value_yaml(r, f.created)
        ents.append(("date", [f"{spell(r, ctx, 'incdate')}: {v1}"]))
        ents.append(("created", [f"{spell(r, ctx, 'created')}: {v2}"]))
        st["date"] = f.inc_date
        ctx.v("date-inc-and-created")
        if r.random() < 0.3:
            ents.append(("resolved", [f"{r.choice(['resolved_at', 'date_resolved', 'resolved'])}: {later_date(r, f.inc_date)}"]))
            ctx.v("date-resolved-extra")
    if want.get("project", r.random() < 0.5):
        ents.append(("project", [f"{spell(r, ctx, 'project')}: {yq(r, f.project, r.choice(['plain', 'plain', 'single']))}"]))
        st["project"] = f.project
    # unknown keys
    extras = [("owner", [f"owner: {r.choice(['platform-team', 'alice', 'sre-oncall'])}"]),
              ("category", [f"category: {r.choice(['Infrastructure', 'Database', 'Frontend', 'CI/CD', 'Security'])}"]),
              ("author", [f"author: {yq(r, r.choice(['Claude Code Agent', 'J. Müller', 'ops-bot']))}"]),
              ("component", [f"component: {r.choice(WORDS)}-{r.choice(['api', 'worker', 'web'])}"]),
              ("environment", [f"environment: {r.choice(['production', 'staging'])}"]),
              ("mttr_minutes", [f"mttr_minutes: {r.randint(5, 600)}"]),
              ("customer_impact", [f"customer_impact: {r.choice(['true', 'false'])}"])]
    if not simple:
        extras += [("tags", [f"tags: [{', '.join(r.sample(ID_WORDS, 3))}]"]),
                   ("relates-to", ["relates-to:", f"  - ADR-{r.randint(1, 40):03d}", f"  - TASK-{r.randint(1, 900)}"])]
    for e in r.sample(extras, r.randint(0, 4)):
        ents.append(e)
    return ents, st


def body_entries(r, ctx, f, comp_ents, tl_mode):
    """Body entries of a YAML record.  tl_mode: None|'top'|'problem'|'incident'."""
    ents = []
    prob = ["problem:", "  summary: |"] + [f"    {l}" for l in wrap(para(r, r.randint(1, 3)))]
    if r.random() < 0.3:
        prob += ["    # not a comment: this line is inside the block scalar"]
        ctx.v("hash-in-block-scalar")
    prob += ["  symptoms:"] + [f"    - {yq(r, phrase(r, 3, 7), r.choice(['plain', 'double']))}" for _ in range(r.randint(1, 3))]
    if tl_mode == "problem":
        ctx.v("timeline-nested-problem")
        prob += yaml_timeline(r, ctx, f.events, f.inc_date, 2, "timeline")
    ents.append(("problem", prob))
    if r.random() < 0.7:
        ents.append(("root_cause", ["root_cause: >-"] + [f"  {l}" for l in wrap(para(r, 2))]))
    sol = ["solution:", "  steps:"] + [f"    - {yq(r, sentence(r, 4, 9), r.choice(['plain', 'double']))}" for _ in range(r.randint(1, 4))]
    if r.random() < 0.4:
        sol += ["  commands: |"] + ["    " + l for l in code_block_bash(r)[1:-1]]
    ents.append(("solution", sol))
    if tl_mode == "top":
        ents.append(("timeline", yaml_timeline(r, ctx, f.events, f.inc_date, 0, spell(r, ctx, "timeline"))))
    if tl_mode == "incident":
        ctx.v("timeline-nested-incident")
        inc = ["incident:", f"  summary: {yq(r, phrase(r, 4, 8), 'double')}"]
        inc += yaml_timeline(r, ctx, f.events, f.inc_date, 2, "timeline")
        ents.append(("incident", inc))
    ents += comp_ents
    if r.random() < 0.5:
        ents.append(("lessons_learned", ["lessons_learned:"] + [f"  - {yq(r, sentence(r, 4, 9), 'double')}" for _ in range(r.randint(1, 3))]))
    if r.random() < 0.3:
        ents.append(("related", [f"related: [RIS-{r.randint(1, 999):03d}, kb-{r.choice(WORDS)}.md]"]))
    return ents


def wrap(text, width=88):
    out, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        out.append(cur)
    return out


def order_entries(r, ctx, meta, body, sort_all=None):
    if sort_all is None:
        sort_all = r.random() < 0.2
    if sort_all:
        ctx.v("keys-sorted")
        allents = sorted(meta + body, key=lambda e: e[0].lower())
        return [e[1] for e in allents]
    meta = list(meta)
    r.shuffle(meta)
    if meta and r.random() < 0.8:  # the id usually comes first
        for i, e in enumerate(meta):
            if e[0] == "id":
                meta.insert(0, meta.pop(i))
                break
    return [e[1] for e in meta] + [e[1] for e in body]


def tl_mode_for(r, f, nested_ok=True):
    if not f.events:
        return None
    if not nested_ok:
        return "top"
    return r.choices(["top", "problem", "incident"], [6, 2, 1])[0]


def base_expect(st, f, fws, n_events):
    e = dict(st)
    e["timeline"] = n_events
    e["frameworks"] = sorted(fws)
    e["errors"] = 0
    return e


# --------------------------------------------------------------------------------------
# layouts.  Each returns (ext, text, expect, name_hint) where name_hint drives the file name.

def lay_yaml_record(r, ctx, f, fence):
    """plain / unclosed --- / closed --- / closed ... / comment-first records."""
    want = {}
    # no title key: the title is then the ID's words (when the ID has words), else unknown
    if (f.id_words and r.random() < 0.5) or r.random() < 0.04:
        want["title"] = False
    meta, st = meta_entries(r, ctx, f, want)
    comp, fws, _ = compliance_entries(r, ctx)
    small = fence in ("closed", "dots", "comment") and r.random() < 0.5
    tlm = tl_mode_for(r, f)
    if small:
        body = list(comp)
        if tlm:
            body.append(("timeline", yaml_timeline(r, ctx, f.events, f.inc_date, 0, spell(r, ctx, "timeline"))))
        n_ev = len(f.events) if tlm else 0
    else:
        body = body_entries(r, ctx, f, comp, tlm)
        n_ev = len(f.events) if tlm else 0
    lines = add_blank_and_comments(r, ctx, order_entries(r, ctx, meta, body))
    lines = trailing_spaces(r, ctx, lines)
    if fence == "plain":
        doc = lines
    elif fence == "open":
        doc = ["---"] + lines
    elif fence == "closed":
        doc = ["---"] + lines + ["---"]
    elif fence == "dots":
        doc = ["---"] + lines + ["..."]
    else:  # comment
        c = r.choice(YAML_COMMENTS)
        if r.random() < 0.5:
            doc = ["---", c] + lines + ["---"]
            ctx.v("comment-after-open")
        else:
            doc = [c, "---"] + lines + ["---"]
            ctx.v("comment-before-open")
    text = "\n".join(doc) + "\n"
    e = base_expect(st, f, fws, n_ev)
    if "title" not in st and f.id_words:
        e["title"] = f.id_words
        ctx.v("title-from-id-words")
    e["salvaged"] = False
    ctx.checks.append(("whole", text, "ok", st))
    # a file name with slug words would be a second fair title: only when the title is stated
    return "yaml", text, e, ("slug" if "title" in st else "noslug")


def lay_nested(r, ctx, f):
    block = r.choice(["metadata", "incident", "record"])
    ctx.v("nested-" + block)
    meta, st = meta_entries(r, ctx, f)
    # move most metadata into the block
    nested, top = [], []
    for e in meta:
        (nested if r.random() < 0.75 or e[0] in ("id", "title") and r.random() < 0.9 else top).append(e)
    if not nested:
        nested, top = meta, []
    conflict = None
    if r.random() < 0.2:
        # the same fact at both levels with different values: the top level wins (rule 6)
        which = r.choice(["status", "severity"])
        in_top = [e for e in top if e[0] == which]
        in_nested = [e for e in nested if e[0] == which]
        if in_nested and not in_top:
            e_n = in_nested[0]
            top.append(e_n)
            nested.remove(e_n)
            key = e_n[1][0].split(":", 1)[0]  # the same key name at both levels
            if which == "status":
                other = r.choice([s for s in ["OPEN", "INVESTIGATING"] if s != f.status])
                nested.append(("status", [f"{key}: {other.lower()}"]))
            else:
                other = r.choice([s for s in SEVERITIES if s != f.severity])
                val = P_LEVEL[other][0] if key.lower() == "priority" else other.lower()
                nested.append(("severity", [f"{key}: {val}"]))
            conflict = which
            ctx.v("nested-conflict-top-wins")
    comp, fws, _ = compliance_entries(r, ctx)
    tl_in_block = f.events and block == "incident" and r.random() < 0.5
    n_ev = len(f.events) if f.events else 0
    blines = [f"{block}:"]
    r.shuffle(nested)
    for _, ls in nested:
        blines += ["  " + l for l in ls]
    if tl_in_block:
        ctx.v("timeline-nested-incident")
        blines += yaml_timeline(r, ctx, f.events, f.inc_date, 2, "timeline")
    body = body_entries(r, ctx, f, comp, None if tl_in_block or not f.events else
                        r.choice(["top", "problem"]))
    ents = [blines] + [e[1] for e in top] if r.random() < 0.7 else [e[1] for e in top] + [blines]
    ents += [e[1] for e in body]
    lines = add_blank_and_comments(r, ctx, ents)
    if r.random() < 0.3:
        lines = ["---"] + lines
    text = "\n".join(lines) + "\n"
    e = base_expect(st, f, fws, n_ev)
    e["salvaged"] = False
    ctx.checks.append(("whole", text, "ok-nested", (block, st, conflict)))
    return "yaml", text, e, "slug"


BROKEN_KINDS = ["colon-list-item", "backtick-value", "backtick-item", "star-value", "star-item", "ge-value",
                "ge-item", "at-value", "mapping-in-plain", "colon-in-value", "quoted-trailing", "bad-indent",
                "percent-value"]


BROKEN_W = [4, 2, 2, 1, 2, 2, 2, 2, 3, 2, 1, 2, 1]


def broken_lines(r, kind):
    """-> (lines, index of the line the strict parser rejects)"""
    w = lambda: r.choice(ID_WORDS)  # noqa: E731
    if kind == "colon-list-item":
        return ["steps:", f"  - {sentence(r, 3, 6)}", f"  - restart {w()}: done: {r.choice(['yes', 'ok', 'true'])}",
                f"  - {sentence(r, 3, 6)}"], 2
    if kind == "backtick-value":
        return [f"fix: `{r.choice(['npm ci', 'kubectl rollout restart deploy/api', 'make clean'])}` then redeploy"], 0
    if kind == "backtick-item":
        return ["steps:", f"  - {sentence(r, 3, 6)}", f"  - `{r.choice(['docker system prune', 'redis-cli FLUSHDB'])}` fixed it"], 2
    if kind == "star-value":
        return [f"note: *not* a {w()} issue"], 0
    if kind == "star-item":
        return ["checklist:", f"  - *Important*: rotate the {w()} key", f"  - {sentence(r, 3, 6)}"], 1
    if kind == "ge-value":
        return [f"requires: >= {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}"], 0
    if kind == "ge-item":
        return ["observations:", f"  - {sentence(r, 3, 6)}", f"  - >={r.randint(2, 9)} retries per {w()}"], 2
    if kind == "at-value":
        return [f"escalation: @{r.choice(['platform-team', 'oncall', 'sre'])}"], 0
    if kind == "mapping-in-plain":
        return [f"impact: {phrase(r, 3, 6)}", f"  cause: {phrase(r, 2, 4)}"], 1
    if kind == "colon-in-value":
        return [f"workaround: Fix: {phrase(r, 3, 6)}"], 0
    if kind == "quoted-trailing":
        return [f'verdict: "{phrase(r, 1, 3)}" {phrase(r, 2, 4)}'], 0
    if kind == "bad-indent":
        return ["steps:", f"  - {sentence(r, 3, 6)}", f" - {sentence(r, 3, 6)}"], 2
    if kind == "percent-value":
        return [f"ratio: %{r.randint(5, 95)} of requests failed"], 0
    raise ValueError(kind)


def lay_broken(r, ctx, f):
    kind = r.choices(BROKEN_KINDS, BROKEN_W)[0]
    ctx.v("broken-" + kind)
    want = {"project": r.random() < 0.4}
    meta, st = meta_entries(r, ctx, f, want, simple=True)
    r.shuffle(meta)
    for i, e in enumerate(meta):
        if e[0] == "id":
            meta.insert(0, meta.pop(i))
            break
    # sometimes one fact key is written below the error: it is then not expected
    below = []
    if r.random() < 0.25:
        cand = [e for e in meta if e[0] in ("status", "severity", "date", "created", "project")]
        if cand:
            e = r.choice(cand)
            meta.remove(e)
            below.append(e)
            ctx.v("fact-below-error")
    body = body_entries(r, ctx, f, [], "top" if f.events and r.random() < 0.5 else None)
    bad, bad_i = broken_lines(r, kind)
    pos = r.randint(0, len(body))
    body_lines = [e[1] for e in body]
    pre = add_blank_and_comments(r, ctx, [e[1] for e in meta] + body_lines[:pos])
    lead = []
    if r.random() < 0.3:
        lead = ["---"]
        ctx.v("broken-leading-dashes")
    post = []
    if r.random() < 0.4:
        post.append(r.choice(["# Problem Summary", "# Summary", "# notes"]))
        ctx.v("heading-like-comment-after-error")
    for ls in body_lines[pos:]:
        post += ls
    for e in below:
        post += e[1]
    lines = lead + pre + bad + post
    err_line = len(lead) + len(pre) + bad_i + 1  # 1-based
    text = "\n".join(lines) + "\n"
    e = {}
    stated_below = {e[0] for e in below}
    for k in ("id", "title", "severity", "status", "project"):
        if k in st and k not in stated_below:
            e[k] = st[k]
    # the date: an incident date above the error is the answer; a creation date above the
    # error is the answer only when no incident date exists anywhere in the file
    has_inc = any(x[0] == "date" for x in meta + below)
    if "date" in st and "date" not in stated_below and not ("created" in stated_below and not has_inc):
        e["date"] = st["date"]
    e["errors"] = 1
    e["salvaged"] = True
    ctx.checks.append(("broken", text, err_line, e))
    return "yaml", text, e, ("slug" if "title" in e else "noslug")


def fm_lines_md(r, ctx, f, with_title=False, title_value=None):
    """python-frontmatter style front matter for the seed-like layout."""
    ents = []
    comp, fws, _ = compliance_entries(r, ctx)
    ents += comp
    ents.append(("created", [f"created: '{f.created}'"]))
    ents.append(("project", [f"project: {f.project}"]))
    ents.append(("updated", [f"updated: '{f.created}'"]))
    ents.append(("version", ["version: '1.0'"]))
    if r.random() < 0.3:
        ents.append(("id", [f"{spell(r, ctx, 'id')}: {f.id}"]))
        ctx.v("fm-id")
    if with_title:
        ents.append(("title", [f"title: {yq(r, title_value)}"]))
    if r.random() < 0.3:
        ents.append(("tags", ["tags:"] + [f"- {w}" for w in r.sample(ID_WORDS, 3)]))
    if r.random() < 0.2:
        ents.append(("author", ["author: Claude Code Agent"]))
    if r.random() < 0.75:
        ents.sort(key=lambda e: e[0])
        ctx.v("fm-sorted")
    else:
        r.shuffle(ents)
    lines = []
    for _, ls in ents:
        lines += ls
    return lines, fws


def lay_fm_md(r, ctx, f):
    title_key = r.random() < 0.15
    h_title = f.title
    if title_key and r.random() < 0.5:
        h_title = make_title(r)
        ctx.v("title-key-differs-from-h1")
    fm, fws = fm_lines_md(r, ctx, f, title_key, f.title)
    close = "---"
    if r.random() < 0.08:
        close = "..."
        ctx.v("fm-closed-dots")
    out = ["---"] + fm + [close, ""]
    out.append(heading(r, ctx, f.id, h_title))
    out.append("")
    date_in_body = r.random() < 0.85
    if r.random() < 0.06 and f.status in ("RESOLVED", "CLOSED"):
        f.status = "APPROVED"
    if date_in_body:
        out.append(md_field(r, "Date", md_date_value(r, f.inc_date), False))
    out.append(sev_md(r, ctx, f.severity))
    if f.status == "APPROVED":
        out.append(md_field(r, "Status", "approved", True))
        ctx.v("status-approved-colon-outside")
    else:
        out.append(status_md(r, ctx, f.status))
    out.append(md_field(r, "Impact", sentence(r, 4, 10), False))
    out.append(md_field(r, "Resolution Time", f"{r.randint(5, 600)} minutes", False))
    out += ["", "---", ""]
    tl = md_timeline(r, ctx, f.events, f.inc_date)
    out += md_body(r, ctx, f, tl, f.id, hotpattern=r.random() < 0.4)
    text = "\n".join(out)
    e = {"id": f.id, "title": f.title, "severity": f.severity, "status": f.status,
         "date": f.inc_date if date_in_body else f.created, "timeline": len(f.events),
         "frameworks": fws, "project": f.project, "errors": 0, "salvaged": False}
    ctx.checks.append(("frontmatter", "\n".join(fm) + "\n", "ok", None))
    return "md", text, e, "slug"


def lay_bare_header(r, ctx, f):
    title_key = r.random() < 0.85
    date_mode = r.choice(["inc", "created", "created+body"])
    want = {"title": title_key, "id": True,
            "dates": {"inc": "inc", "created": "created", "created+body": "created-beside-body-date"}[date_mode]}
    meta, st = meta_entries(r, ctx, f, want)
    comp, fws, _ = compliance_entries(r, ctx)
    r.shuffle(meta)
    for i, e in enumerate(meta):
        if e[0] == "id":
            meta.insert(0, meta.pop(i))
            break
    lines = add_blank_and_comments(r, ctx, [e[1] for e in meta] + [e[1] for e in comp])
    while lines and (lines[0] == "" or lines[0].startswith("#")):
        lines.pop(0)
    lines = trailing_spaces(r, ctx, lines)
    out = lines + ["---", ""]
    if title_key:
        h = r.choice(["title", "id-title", "generic", "none"])
        if h == "title":
            out += [f"# {f.title}", ""]
        elif h == "id-title":
            out += [heading(r, ctx, f.id, f.title), ""]
        elif h == "generic":
            out += [f"# {r.choice(GENERIC_H1)}", ""]
            ctx.v("generic-h1")
    else:
        out += [heading(r, ctx, f.id, f.title), ""]
    date = st.get("date")
    if date_mode == "created+body":
        out += [md_field(r, "Date", md_date_value(r, f.inc_date), False)]
        date = f.inc_date
        ctx.v("created-in-header-date-in-body")
    out += [md_field(r, "Impact", sentence(r, 4, 10), False), ""]
    tl = md_timeline(r, ctx, f.events, f.inc_date)
    out += md_body(r, ctx, f, tl, f.id, short=r.random() < 0.5, hotpattern=r.random() < 0.2)
    text = "\n".join(out)
    e = base_expect(st, f, fws, len(f.events))
    e["title"] = f.title
    e["date"] = date
    e["salvaged"] = False
    ctx.checks.append(("frontmatter", "\n".join(lines) + "\n", "ok", None))
    return "md", text, e, "slug"


def lay_heading_keys(r, ctx, f, ext):
    title_key = r.random() < 0.25
    h_title = f.title
    if title_key and r.random() < 0.5:
        h_title = make_title(r)
        ctx.v("title-key-differs-from-h1")
    date_mode = r.choice(["inc", "created", "created+body"]) if ext == "md" else r.choice(["inc", "created"])
    want = {"title": title_key, "id": r.random() < 0.8,
            "dates": {"inc": "inc", "created": "created", "created+body": "created-beside-body-date"}[date_mode]}
    meta, st = meta_entries(r, ctx, f, want, simple=True)
    comp, fws, _ = compliance_entries(r, ctx, simple_only=True)
    ents = meta + comp
    r.shuffle(ents)
    for i, e in enumerate(ents):
        if e[0] == "id":
            ents.insert(0, ents.pop(i))
            break
    klines = [l for _, ls in ents for l in ls]
    klines = trailing_spaces(r, ctx, klines)
    out = [heading(r, ctx, f.id, h_title), ""] + klines + [""]
    date = st.get("date")
    if date_mode == "created+body":
        out += [md_field(r, "Date", md_date_value(r, f.inc_date), False), ""]
        date = f.inc_date
    tl = md_timeline(r, ctx, f.events, f.inc_date)
    out += md_body(r, ctx, f, tl, f.id, short=True, hotpattern=False, no_hr=True)
    text = "\n".join(out)
    e = base_expect(st, f, fws, len(f.events))
    e["id"] = f.id
    e["title"] = f.title
    e["date"] = date
    if ext == "md":
        e["salvaged"] = False
    ctx.checks.append(("keyblock", "\n".join(klines) + "\n", "ok", None))
    return ext, text, e, "slug"


def lay_unclosed_heading(r, ctx, f, ext):
    variant = r.choices(["title-key+generic", "words-id+generic", "id-title-h1"], [4, 3, 2])[0]
    if variant == "words-id+generic" and not f.id_words:
        variant = "title-key+generic"
    ctx.v("uh-" + variant)
    want = {"title": variant == "title-key+generic", "id": True}
    meta, st = meta_entries(r, ctx, f, want, simple=True)
    r.shuffle(meta)
    for i, e in enumerate(meta):
        if e[0] == "id":
            meta.insert(0, meta.pop(i))
            break
    klines = [l for _, ls in meta for l in ls]
    out = ["---"] + klines + [""]
    if variant == "id-title-h1":
        out += [heading(r, ctx, f.id, f.title)]
        title = f.title
    else:
        out += [f"# {r.choice(GENERIC_H1)}"]
        title = f.title if variant == "title-key+generic" else f.id_words
    if r.random() < 0.5:
        out.append("")
    out += [para(r, 2), ""]
    tl = md_timeline(r, ctx, f.events, f.inc_date)
    out += md_body(r, ctx, f, tl, f.id, short=True, hotpattern=False, no_hr=True)
    text = "\n".join(out)
    e = base_expect(st, f, [], len(f.events))
    e["title"] = title
    ctx.checks.append(("keyblock", "\n".join(klines) + "\n", "ok", None))
    return ext, text, e, ("slug" if variant != "words-id+generic" else "noslug")


def lay_heading_only(r, ctx, f):
    out = []
    id_field = r.random() < 0.35
    if id_field:
        out += [f"# {f.title}", "", md_field(r, "ID", f.id, False)]
        ctx.v("id-field")
    else:
        out += [heading(r, ctx, f.id, f.title), ""]
    date_kind = r.choices(["date", "created", "none"], [7, 2, 1])[0]
    if date_kind == "date":
        out.append(md_field(r, "Date", md_date_value(r, f.inc_date)))
    elif date_kind == "created":
        out.append(md_field(r, "Created", f.created))
        ctx.v("created-field-only")
    fields = [sev_md(r, ctx, f.severity), status_md(r, ctx, f.status),
              md_field(r, "Category", r.choice(["Infrastructure", "Database", "Frontend", "Security"])),
              md_field(r, "Owner", r.choice(["platform-team", "alice", "sre-oncall"]))]
    r.shuffle(fields)
    out += fields + [""]
    if r.random() < 0.5:
        out += ["---", ""]
    tl = md_timeline(r, ctx, f.events, f.inc_date)
    out += md_body(r, ctx, f, tl, f.id, short=r.random() < 0.4, hotpattern=r.random() < 0.25)
    text = "\n".join(out)
    e = {"id": f.id, "title": f.title, "severity": f.severity, "status": f.status,
         "timeline": len(f.events), "frameworks": [], "errors": 0, "salvaged": False}
    if date_kind == "date":
        e["date"] = f.inc_date
    elif date_kind == "created":
        e["date"] = f.created
    return "md", text, e, "slug"


def lay_id_h1(r, ctx, f):
    """H1 that is only the ID, file name project-prefixed: the title is the ID's words."""
    out = []
    with_fm = r.random() < 0.7
    if with_fm:
        out += ["---", f"project: {f.project}"]
        if r.random() < 0.3:
            out.append(f"created: '{f.created}'")
        out += ["---", ""]
    out += [f"# {f.id}", ""]
    out.append(md_field(r, "Date", f.inc_date, False))
    fields = [sev_md(r, ctx, f.severity), status_md(r, ctx, f.status)]
    r.shuffle(fields)
    out += fields + [""]
    if r.random() < 0.5:
        out += [f"## {r.choice(GENERIC_H1)}", "", para(r, 2), ""]
        ctx.v("generic-h2-after-id-h1")
    if r.random() < 0.5:
        out += ["## Diagnosis", "", "```bash", f"# check the {r.choice(WORDS)} {r.choice(WORDS)}",
                f"kubectl get pods -n {r.choice(WORDS)}", "```", ""]
        ctx.v("hash-comment-in-code")
    tl = md_timeline(r, ctx, f.events, f.inc_date)
    out += md_body(r, ctx, f, tl, f.id, short=True, hotpattern=False)
    text = "\n".join(out)
    e = {"id": f.id, "title": f.id_words, "severity": f.severity, "status": f.status,
         "date": f.inc_date, "timeline": len(f.events), "frameworks": [], "errors": 0, "salvaged": False}
    if with_fm:
        e["project"] = f.project
        ctx.checks.append(("frontmatter", "\n".join(out[1:out.index("---", 1)]) + "\n", "ok", None))
    return "md", text, e, "project-id"


def lay_filename_id(r, ctx, f, ext):
    """The ID (RIS-NNN) and the title (slug words) are only in the file name."""
    slug_words = r.sample(ID_WORDS, r.randint(2, 4))
    f.title = " ".join(slug_words)
    if ext == "yaml":
        meta, st = meta_entries(r, ctx, f, {"id": False, "title": False})
        comp, fws, _ = compliance_entries(r, ctx)
        tlm = tl_mode_for(r, f)
        body = body_entries(r, ctx, f, comp, tlm)
        lines = add_blank_and_comments(r, ctx, order_entries(r, ctx, meta, body))
        text = "\n".join(lines) + "\n"
        e = base_expect(st, f, fws, len(f.events) if tlm else 0)
        e["salvaged"] = False
        ctx.checks.append(("whole", text, "ok", st))
    else:
        out = []
        if r.random() < 0.5:
            out += [f"# {r.choice(GENERIC_H1)}", ""]
            ctx.v("generic-h1")
        out.append(md_field(r, "Date", f.inc_date, False))
        out += [sev_md(r, ctx, f.severity), status_md(r, ctx, f.status), ""]
        tl = md_timeline(r, ctx, f.events, f.inc_date)
        out += md_body(r, ctx, f, tl, f.id, short=True, hotpattern=False)
        text = "\n".join(out)
        e = {"severity": f.severity, "status": f.status, "date": f.inc_date, "timeline": len(f.events),
             "frameworks": [], "errors": 0, "salvaged": False}
    e["id"] = f.id
    e["title"] = f.title
    return ext, text, e, ("filename-id", slug_words)


LAYOUTS = {
    # name: (weight, extension family)
    "fm-md": 12, "bare-header-md": 5, "heading-keys-md": 3, "unclosed-heading-md": 2,
    "heading-only-md": 4, "id-h1-prefixed-md": 3, "filename-id-md": 1,
    "yaml-unclosed-dash": 10, "yaml-closed": 6, "yaml-closed-dots": 4, "yaml-closed-comment": 4,
    "yaml-plain": 12, "heading-keys-yaml": 4, "unclosed-heading-yaml": 4, "nested-meta-yaml": 8,
    "broken-yaml": 10, "filename-id-yaml": 2,
}


def id_form_for(r, layout):
    if layout == "id-h1-prefixed-md":
        return r.choice(["words-date", "res-date-slug"])
    if layout.startswith("filename-id"):
        return "num"
    if layout.startswith("unclosed-heading") and r.random() < 0.5:
        return r.choice(["words-date", "res-date-slug"])
    if layout in ("yaml-plain", "yaml-unclosed-dash", "yaml-closed", "yaml-closed-dots",
                  "yaml-closed-comment") and r.random() < 0.15:
        return r.choice(["words-date", "res-date-slug"])
    return None


BUILDERS = {
    "fm-md": lambda r, ctx, f: lay_fm_md(r, ctx, f),
    "bare-header-md": lambda r, ctx, f: lay_bare_header(r, ctx, f),
    "heading-keys-md": lambda r, ctx, f: lay_heading_keys(r, ctx, f, "md"),
    "heading-keys-yaml": lambda r, ctx, f: lay_heading_keys(r, ctx, f, "yaml"),
    "unclosed-heading-md": lambda r, ctx, f: lay_unclosed_heading(r, ctx, f, "md"),
    "unclosed-heading-yaml": lambda r, ctx, f: lay_unclosed_heading(r, ctx, f, "yaml"),
    "heading-only-md": lambda r, ctx, f: lay_heading_only(r, ctx, f),
    "id-h1-prefixed-md": lambda r, ctx, f: lay_id_h1(r, ctx, f),
    "filename-id-md": lambda r, ctx, f: lay_filename_id(r, ctx, f, "md"),
    "filename-id-yaml": lambda r, ctx, f: lay_filename_id(r, ctx, f, "yaml"),
    "yaml-unclosed-dash": lambda r, ctx, f: lay_yaml_record(r, ctx, f, "open"),
    "yaml-closed": lambda r, ctx, f: lay_yaml_record(r, ctx, f, "closed"),
    "yaml-closed-dots": lambda r, ctx, f: lay_yaml_record(r, ctx, f, "dots"),
    "yaml-closed-comment": lambda r, ctx, f: lay_yaml_record(r, ctx, f, "comment"),
    "yaml-plain": lambda r, ctx, f: lay_yaml_record(r, ctx, f, "plain"),
    "nested-meta-yaml": lambda r, ctx, f: lay_nested(r, ctx, f),
    "broken-yaml": lambda r, ctx, f: lay_broken(r, ctx, f),
}


def build(r, ctx, layout, f):
    if layout not in BUILDERS:
        raise ValueError(layout)
    return BUILDERS[layout](r, ctx, f)


MD_DIRS = ["docs/06-ris/resolutions", "docs/06-ris/resolutions", "docs/06-ris/resolutions", "incidents"]
YAML_DIRS = ["records", "records", "incidents", "docs/06-ris/resolutions", "docs/06-ris/records"]


def file_name(r, ctx, f, ext, hint, used):
    d = r.choice(MD_DIRS if ext == "md" else YAML_DIRS)
    for attempt in range(50):
        if isinstance(hint, tuple):  # filename-id
            base = f"{f.id}-{'-'.join(hint[1])}"
            if r.random() < 0.4:
                base = f"{f.project}-{base}"
                ctx.v("filename-project-prefix")
        elif hint == "project-id":
            base = f"{f.project}-{f.id}"
            ctx.v("filename-project-prefix")
        else:
            has_slug = f.id.startswith("RES-")  # RES-date-words carries its own words
            k = r.random()
            if hint == "noslug" or has_slug:
                base = f.id
            elif k < 0.5:
                base = f"{f.id}-{slugify(f.title, r)}"
            elif k < 0.75:
                base = f.id
            elif k < 0.9:
                base = f"{f.id.lower()}-{slugify(f.title, r)}" if f.id.startswith("RIS-") else f.id
            else:
                base = slugify(f.title, r) if hint == "slug" else f.id
            if r.random() < 0.2:
                base = f"{f.project}-{base}"
                ctx.v("filename-project-prefix")
        if attempt:
            base += f"-{attempt + 1}"
        rel = f"{d}/{base}.{ext}"
        if rel.lower() not in used:
            used.add(rel.lower())
            return rel
    raise RuntimeError("no unique file name")


def choose_layouts(r, count):
    names = list(LAYOUTS)
    weights = [LAYOUTS[n] for n in names]
    minimum = min(4, count // (2 * len(names)))
    out = []
    for n in names:
        out += [n] * minimum
    out += r.choices(names, weights, k=count - len(out))
    r.shuffle(out)
    return out


def finish_text(r, ctx, text):
    """Encoding-level variation: a UTF-8 BOM and CRLF line endings now and then."""
    if not text.endswith("\n"):
        text += "\n"
    if r.random() < 0.06:
        text = text.replace("\n", "\r\n")
        ctx.v("crlf")
    data = text.encode("utf-8")
    if r.random() < 0.04:
        data = b"\xef\xbb\xbf" + data
        ctx.v("bom")
    return data


def generate(seed, count, outdir):
    r = random.Random(seed)
    ids = Ids(r)
    layouts = choose_layouts(r, count)
    expected = {}
    checks = []
    used = set()
    for layout in layouts:
        ctx = Ctx(r)
        dup = None
        if ids.plain and r.random() < 0.015 and layout not in ("id-h1-prefixed-md",) and not layout.startswith("filename-id"):
            dup = r.choice(ids.plain)
            ctx.v("duplicate-id")
        f = Facts(r, ids, id_form_for(r, layout), dup)
        ext, text, e, hint = build(r, ctx, layout, f)
        rel = file_name(r, ctx, f, ext, hint, used)
        data = finish_text(r, ctx, text)
        path = os.path.join(outdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        e = {k: v for k, v in e.items() if v is not None}
        e["layout"] = layout
        e["variants"] = sorted(ctx.variants)
        expected[rel] = e
        for c in ctx.checks:
            checks.append((rel,) + c)
    with open(os.path.join(outdir, "EXPECTED.json"), "w", encoding="utf-8") as fh:
        json.dump(dict(sorted(expected.items())), fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    return expected, checks


# --------------------------------------------------------------------------------------
# verification (optional, needs PyYAML)

def verify(outdir, expected, checks):
    import datetime
    try:
        import yaml
    except ImportError:
        return ["--verify needs PyYAML (pip install pyyaml)"]
    loaders = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
    problems = []

    def load_all(text, L):
        return [d for d in yaml.load_all(text, Loader=L)]

    def day(v):
        if isinstance(v, datetime.datetime):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, datetime.date):
            return v.isoformat()
        return str(v)[:10]

    for rel, label, text, mode, extra in checks:
        for L in loaders:
            if label in ("whole", "frontmatter", "keyblock"):
                try:
                    docs = load_all(text, L)
                except yaml.YAMLError as ex:
                    problems.append(f"{rel}: {label} should parse ({L.__name__}): {ex}")
                    continue
                docs = [d for d in docs if d is not None]
                if len(docs) != 1 or not isinstance(docs[0], dict):
                    problems.append(f"{rel}: {label} should be one mapping, got {len(docs)} docs")
                    continue
                d = docs[0]
                if mode == "ok" and isinstance(extra, dict):
                    # the stated facts are present as top-level keys
                    for k, v in extra.items():
                        if k == "title" and not any(str(d.get(x)).strip() == v for x in ("title", "Title")):
                            problems.append(f"{rel}: title {v!r} not found as a YAML value")
                        if k == "date" and v not in {day(x) for x in d.values() if not isinstance(x, (dict, list))}:
                            problems.append(f"{rel}: date {v} not found as a YAML value")
            elif label == "broken":
                err_line = mode
                try:
                    load_all(text, L)
                    problems.append(f"{rel}: broken file parses with {L.__name__}")
                except yaml.MarkedYAMLError as ex:
                    line = ex.problem_mark.line + 1
                    if line != err_line:
                        problems.append(f"{rel}: error at line {line}, intended {err_line} ({L.__name__}): {ex.problem}")
                    if not isinstance(ex, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
                        problems.append(f"{rel}: not a syntax error: {type(ex).__name__}")
                lines = text.split("\n")
                above = "\n".join(lines[:err_line - 1]) + "\n"
                try:
                    docs = [x for x in load_all(above, L) if x is not None]
                    d = docs[0] if docs else {}
                    vals = {str(v).strip() for v in d.values() if not isinstance(v, (dict, list))}
                    days = {day(v) for v in d.values() if not isinstance(v, (dict, list))}
                    for k in ("id", "title", "project"):
                        if k in extra and extra[k] not in vals:
                            problems.append(f"{rel}: expected {k} {extra[k]!r} not among the keys above the error")
                    if "date" in extra and extra["date"] not in days:
                        problems.append(f"{rel}: expected date not above the error")
                except yaml.YAMLError as ex:
                    problems.append(f"{rel}: lines above the error do not parse: {ex}")
    # every file is on disk, and its text decodes
    for rel in expected:
        p = os.path.join(outdir, rel)
        with open(p, "rb") as fh:
            fh.read().decode("utf-8")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--verify", action="store_true", help="check YAML validity with PyYAML")
    ap.add_argument("outdir")
    a = ap.parse_args()
    old = os.path.join(a.outdir, "EXPECTED.json")
    if os.path.exists(old):  # remove the files of a previous run only
        with open(old, encoding="utf-8") as fh:
            for rel in json.load(fh):
                p = os.path.join(a.outdir, rel)
                if os.path.isfile(p):
                    os.remove(p)
    os.makedirs(a.outdir, exist_ok=True)
    expected, checks = generate(a.seed, a.count, a.outdir)
    counts = {}
    for e in expected.values():
        counts[e["layout"]] = counts.get(e["layout"], 0) + 1
    print(f"wrote {len(expected)} files to {a.outdir}")
    for k in LAYOUTS:
        print(f"  {k:24} {counts.get(k, 0)}")
    if a.verify:
        problems = verify(a.outdir, expected, checks)
        for p in problems:
            print("VERIFY:", p)
        print(f"verify: {len(checks)} YAML parts checked, {len(problems)} problems")
        if problems:
            sys.exit(1)


if __name__ == "__main__":
    main()
