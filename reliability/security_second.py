"""Security suite: the findings of a second, independent attack, made after the first fixes.

Each replays one finding against the binary: a keyed trail downgraded to the old hash, a
configured path into .ris, a committed index that says nothing is audited, compliance blocks
in shapes ris did not read, a nested .ris, copies of audited text, files swapped for links
after the scan, `ris stale` as an oracle on outside files, bare paths as answers, a git
repository ris may not read, tampered trail rows, terminal output of exact formats, CSV
split on `;`, and the ordinary uses that the first fixes broke.
"""
import hashlib, json, os, pathlib, sqlite3, subprocess, threading


MARKER = "SECOND-ATTACK-MARKER-6420"


def fresh(h, name, records=6):
    return h.knowledge_base(f"security-second/{name}", records)


def events(h, root):
    return h.audit_events(root)


def git(root, *args, env=None):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env)


def run(h):
    keyed_trail_downgraded(h)
    paths_into_ris(h)
    committed_index(h)
    unread_compliance_shapes(h)
    nested_knowledge_base(h)
    audited_copies(h)
    swapped_after_scan(h)
    stale_oracle(h)
    bare_paths(h)
    unreadable_repository(h)
    tampered_rows(h)
    exact_formats_on_a_terminal(h)
    csv_semicolons(h)
    ordinary_use(h)


def keyed_trail_downgraded(h):
    root = fresh(h, "keyed")
    key = h.scratch / "security-second" / "audit.key"
    key.write_bytes(os.urandom(32))
    os.chmod(key, 0o600)
    env = dict(os.environ, RIS_AUDIT_KEY_FILE=str(key), RIS_ACTOR="second@example.com", NO_COLOR="1")
    for _ in range(3):
        h.run(["show", "RIS-0003"], root, env=env)
    database = sqlite3.connect(str(root / ".ris" / "audit.sqlite"))
    rows = database.execute("SELECT seq, at, actor, action, path, id, contentSha256, note FROM event ORDER BY seq").fetchall()
    database.execute("DELETE FROM event WHERE seq = 2")
    previous = ""
    for index, row in enumerate([r for r in rows if r[0] != 2]):
        seq = index + 1
        text = "\n".join([previous, str(seq), row[1], row[2], row[3], row[4], row[5], row[6], row[7]])
        digest = hashlib.sha256(text.encode()).hexdigest()
        database.execute("UPDATE event SET seq = ?, format = 1, previousHash = ?, hash = ? WHERE seq = ?", (seq, previous, digest, row[0]))
        previous = digest
    database.commit()
    count = len(rows) - 1
    (root / ".ris" / "audit.head").write_text(f"ris-audit-head 2\nevents {count}\nlast {previous}\n")
    verify = h.run(["audit", "verify"], root, env=env)
    detected = verify.code != 0
    h.check(detected, f"keyed trail rewritten to format 1 passed verify: {verify.stdout[-300:]}")
    h.row("security", "Keyed audit trail rewritten without the key as format-1 events (keys kept)",
          "delete an event, rewrite every row as format 1 with the plain SHA-256 chain, rewrite the head; verify with the key", 1,
          {"detected": int(detected), "missed": int(not detected)})


def paths_into_ris(h):
    root = fresh(h, "into-ris")
    h.run(["show", "RIS-0003"], root)  # a trail exists
    config = root / ".ris" / "config.yaml"
    original = config.read_text()
    hurt = 0
    cases = [("hot-patterns", ".ris/audit.sqlite", ["pattern", "add", "RIS-0003"]),
             ("hot-patterns", ".ris/audit.head", ["pattern", "add", "RIS-0003"]),
             ("resolutions", ".ris", ["add", "--title", "Into ris"]),
             ("kb", ".ris/templates", ["kb", "generate", "RIS-0001"])]
    for key, value, args in cases:
        config.write_text(original.replace(f"\n{key}:", f"\n{key}: {value}\n_old_{key}:"))
        result = h.run(args, root)
        h.check(result.code == 2 and ".ris" in result.stderr, f"into .ris: {key}: {value}: {result.code} {result.stderr[-200:]}")
    config.write_text(original)
    article = h.run(["kb", "generate", "RIS-0001", "--output", ".ris/article.md"], root)
    h.check(article.code == 2, f"into .ris: --output .ris/article.md: {article.code}")
    # The trail may gain read events (the record was read before the write was refused); it must still verify.
    verify = h.run(["audit", "verify"], root)
    hurt = int(verify.code != 0) + int((root / ".ris" / "article.md").exists())
    h.check(not hurt, "into .ris: ris's own files were written")
    h.row("security", "Configured paths and --output into .ris (hot-patterns: .ris/audit.sqlite ...)", "pattern add, add, kb generate", len(cases) + 1,
          {"writes into .ris": hurt})


def committed_index(h):
    root = fresh(h, "committed-index")
    folder = root / "docs" / "06-ris" / "resolutions"
    three = folder / "RIS-RESOLUTION-0003.md"
    three.write_text(three.read_text().replace("## Symptom\n", f"## Symptom\n{MARKER} "))
    h.run(["index"], root)
    index = root / ".ris" / "index.sqlite"
    database = sqlite3.connect(str(index))
    database.execute("UPDATE document SET auditRequired = 0")
    database.commit()
    database.close()
    os.chmod(index, 0o644)  # as a checkout of a committed file is
    before = len(events(h, root))
    found = h.run(["search", MARKER], root)
    logged = len(events(h, root)) > before
    ok = MARKER not in found.stdout or logged
    h.check(ok, f"committed index: audited content printed without an event: {found.stderr[-200:]}")
    h.row("security", "An index committed (or planted) saying no record is audited", "UPDATE document SET auditRequired = 0, mode 0644; ris search", 1,
          {"reads without an event": int(not ok)})


def unread_compliance_shapes(h):
    root = fresh(h, "shapes")
    folder = root / "docs" / "06-ris" / "resolutions"
    body = f"\n# RIS-09{{n}}: Shape {{n}}\n\n## Symptom\n{MARKER}\n"
    shapes = {
        "framework-named": "---\ncompliance:\n  framework: PHIPA\n  access-audit-required: true\n---" + body,
        "block-level": "---\ncompliance:\n  access-audit-required: true\n---" + body,
        "list-item": "---\ncompliance:\n  - hipaa:\n      access-audit-required: true\n---" + body,
        "merge-key": "---\nbase: &b {access-audit-required: true}\ncompliance:\n  hipaa:\n    <<: *b\n---" + body,
        "four-dashes": "----\ncompliance:\n  hipaa:\n    access-audit-required: true\n----" + body,
        "leading-blank": "\n---\ncompliance:\n  hipaa:\n    access-audit-required: true\n---" + body,
        "leading-space": " ---\ncompliance:\n  hipaa:\n    access-audit-required: true\n ---" + body,
        "cr-only": ("---\ncompliance:\n  hipaa:\n    access-audit-required: true\n---" + body).replace("\n", "\r"),
        "toml": "+++\n[compliance.hipaa]\naccess-audit-required = true\n+++" + body,
    }
    for number, (name, text) in enumerate(shapes.items()):
        (folder / f"shape-{name}.md").write_text(text.replace("{n}", str(number)))
    h.run(["index"], root)
    silent = []
    for number, name in enumerate(shapes):
        before = len(events(h, root))
        shown = h.run(["show", f"docs/06-ris/resolutions/shape-{name}.md"], root)
        if MARKER in shown.stdout and len(events(h, root)) == before:
            silent.append(name)
    h.check(not silent, f"compliance shapes read without an event: {silent}")
    h.row("security", "access-audit-required written in shapes ris does not read as a framework's (a named framework, the block, a list, a merge key, ----, a blank line first, CR line ends, TOML)",
          "ris show of each", len(shapes), {"reads without an event": len(silent)})


def nested_knowledge_base(h):
    root = fresh(h, "nested")
    folder = root / "docs" / "06-ris" / "resolutions"
    (folder / ".ris").mkdir()
    (folder / ".ris" / "config.yaml").write_text("version: 1\n")
    (folder / ".ris" / ".gitignore").write_text("*\n")
    show = h.run(["show", "RIS-0003"], folder)
    parse = h.run(["parse", str(folder / "RIS-RESOLUTION-0003.md")], root)
    inner = folder / ".ris" / "audit.sqlite"
    ok = show.code == 2 and "inside the knowledge base" in show.stderr and not inner.exists() and any(
        e.get("action") == "read:parse" for e in events(h, root))
    h.check(ok, f"nested .ris: {show.code} {show.stderr[-200:]} inner trail {inner.exists()}")
    h.row("security", "A .ris committed inside the records (a trail nobody checks)", "ris show there; ris parse of a record under it", 2,
          {"reads logged in the nested trail": int(inner.exists()), "commands that used it": int(show.code == 0)})


def audited_copies(h):
    root = fresh(h, "copies")
    folder = root / "docs" / "06-ris" / "resolutions"
    h.run(["index"], root)
    before = len(events(h, root))
    h.run(["pattern", "add", "RIS-0003"], root)
    logged = any(e.get("action") == "read:pattern-add" for e in events(h, root)[before:])
    two = folder / "RIS-RESOLUTION-0002.md"
    two.write_text(two.read_text().replace('controls: ["164.312(b)", "164.308(a)(1)(ii)(D)"]', 'controls: ["164.312(b)"'))
    h.run(["index"], root)
    article = h.run(["kb", "generate", "RIS-0002", "--output", "docs/05-kb/copy.md"], root)
    refused = article.code != 0 and not (root / "docs" / "05-kb" / "copy.md").exists()
    h.check(logged and refused, f"copies: pattern add logged {logged}; kb generate of an unreadable block refused {refused}: {article.stderr[-200:]}")
    h.row("security", "Audited text copied into files that are not audited (pattern add; kb generate of a record whose compliance block is broken)",
          "pattern add RIS-0003; kb generate RIS-0002 after breaking its controls list", 2,
          {"copies without an event": int(not logged), "articles without the compliance block": int(not refused)})


def swapped_after_scan(h):
    rounds = 15 if h.quick else 60
    root = fresh(h, "after-scan")
    outside = h.scratch / "security-second" / "after-scan-outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.md"
    secret.write_text(f"# RIS-0990: outside\n\n{MARKER}\n")
    victim = root / "docs" / "06-ris" / "resolutions" / "zz-notes.md"
    victim.write_text("# RIS-0991: notes\n\nplain\n")
    stop = threading.Event()

    def swap():
        while not stop.is_set():
            try:
                victim.unlink()
                os.symlink(str(secret), victim)
                victim.unlink()
                victim.write_text("# RIS-0991: notes\n\nplain\n")
            except OSError:
                pass

    thread = threading.Thread(target=swap, daemon=True)
    thread.start()
    leaked = 0
    try:
        for _ in range(rounds):
            h.run(["index", "--full"], root, timeout=120)
            if MARKER.encode() in (root / ".ris" / "index.sqlite").read_bytes():
                leaked += 1
    finally:
        stop.set()
        thread.join()
    h.check(leaked == 0, f"after scan: an outside file reached the index {leaked} times")
    h.row("security", "A record swapped for a link to an outside file between the scan and the read", "a thread swapping it as fast as it can during ris index --full",
          rounds, {"outside text in the index": leaked})


def stale_oracle(h):
    root = fresh(h, "stale")
    article = root / "docs" / "05-kb" / "oracle.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    hostname = pathlib.Path("/etc/hostname")
    digest = hashlib.sha256(hostname.read_bytes()).hexdigest() if hostname.exists() else "0" * 64
    article.write_text(f"---\nderived-from:\n  id: X\n  path: ../../../../../../../etc/hostname\n  sha256: {digest}\n---\n# x\n")
    stale = h.run(["stale", "--format", "json"], root)
    listed = [e.get("path") for e in json.loads(stale.stdout or "[]")]
    ok = "docs/05-kb/oracle.md" in listed
    h.check(ok, f"stale: an outside file was read to compare: {stale.stdout[-200:]}")
    h.row("security", "`ris stale` on an article derived from ../../etc/hostname (an oracle on outside files)", "ris stale", 1, {"outside files read": int(not ok)})


def bare_paths(h):
    root = fresh(h, "paths")
    three = root / "docs" / "06-ris" / "resolutions" / "RIS-RESOLUTION-0003.md"
    three.write_text(three.read_text().replace("## Symptom\n", f"## Symptom\n{MARKER} "))
    h.run(["index"], root)
    before = len(events(h, root))
    result = h.run(["search", "--format", "paths", "body:SECOND*"], root)
    logged = len(events(h, root)) > before
    ok = result.stdout.strip() == "" or logged
    h.check(ok, "paths: a match on audited text answered without an event")
    h.row("security", "`search --format paths 'body:SECR*'` answering word by word", "ris search --format paths", 1, {"answers without an event": int(not ok)})


def unreadable_repository(h):
    if os.geteuid() != 0:
        return
    root = fresh(h, "git")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "kb", env=env)
    h.run(["show", "RIS-0003"], root)
    h.run(["audit", "anchor"], root)
    subprocess.run(["chown", "-R", "54321", str(root / ".git")])
    verify = h.run(["audit", "verify"], root)
    for name in ("audit.sqlite", "audit.head"):
        (root / ".ris" / name).unlink()
    fresh_trail = h.run(["show", "RIS-0003"], root)
    ok = verify.code != 0 and fresh_trail.code != 0
    h.check(ok, f"git dubious ownership: verify {verify.code} {verify.stdout[-200:]}; new trail {fresh_trail.code}")
    subprocess.run(["chown", "-R", "0", str(root / ".git")])
    h.row("security", "A git repository ris may not read (dubious ownership) taken for none", "chown .git; audit verify; both trail files deleted, then show", 2,
          {"verifies passed": int(verify.code == 0), "fresh trails started": int(fresh_trail.code == 0)})


def tampered_rows(h):
    root = fresh(h, "rows")
    h.run(["show", "RIS-0003"], root)
    database = sqlite3.connect(str(root / ".ris" / "audit.sqlite"))
    database.executescript("""
        CREATE TABLE loose AS SELECT * FROM event;
        DROP TABLE event;
        CREATE TABLE event (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT, path TEXT, id TEXT, contentSha256 TEXT,
            note TEXT, previousHash TEXT, hash TEXT, format INTEGER, uid INTEGER, keyId TEXT);
        INSERT INTO event SELECT * FROM loose;
        DROP TABLE loose;
        UPDATE event SET at = NULL;
        """)
    database.commit()
    database.close()
    verify = h.run(["audit", "verify"], root)
    log = h.run(["audit", "log"], root)
    crashes = int(verify.crashed) + int(log.crashed)
    overflow = fresh(h, "overflow")
    h.run(["show", "RIS-0003"], overflow)
    database = sqlite3.connect(str(overflow / ".ris" / "audit.sqlite"))
    database.execute("UPDATE event SET seq = 9223372036854775807")
    database.commit()
    database.close()
    head = (overflow / ".ris" / "audit.head").read_text().replace("events 1", "events 9223372036854775807")
    (overflow / ".ris" / "audit.head").write_text(head)
    show = h.run(["show", "RIS-0003"], overflow)
    crashes += int(show.crashed)
    h.check(crashes == 0 and verify.code != 0, f"tampered rows: crashes {crashes}, verify {verify.code}")
    h.row("security", "Audit trail rows made NULL, and a sequence number at Int64.max", "audit verify, audit log, show", 3, {"crashes": crashes})


def exact_formats_on_a_terminal(h):
    root = fresh(h, "tty")
    one = root / "docs" / "06-ris" / "resolutions" / "RIS-RESOLUTION-0001.md"
    one.write_text(one.read_text().replace("# RIS-0001: ", "# RIS-0001: \x1b]0;PWN\x07\u009b31m\u202e"))
    h.run(["index"], root)
    raw = 0
    for args in (["review", "export", "--quarter", "2026-Q1"], ["search", "pod", "--format", "csv"], ["search", "pod", "--format", "paths"]):
        command = " ".join([os.path.abspath(h_ris(h))] + [f"'{a}'" for a in args])
        result = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=root, capture_output=True, env=dict(os.environ, NO_COLOR="1"))
        out = result.stdout.decode("utf-8", "replace")
        if "\x1b]0;PWN" in out or "\u009b" in out or "\u202e" in out:
            raw += 1
    h.check(raw == 0, f"terminal: exact formats sent record escapes to a terminal {raw} times")
    h.row("security", "Exact formats (review export csv, search csv and paths) on a terminal", "run under script(1) with OSC 0, C1 CSI and a bidi override in a title", 3,
          {"raw escapes on the terminal": raw})


def h_ris(h):
    """The binary under test: run.py runs as __main__ and sets RIS from --ris there."""
    import __main__
    return __main__.RIS


def csv_semicolons(h):
    root = fresh(h, "csv")
    one = root / "docs" / "06-ris" / "resolutions" / "RIS-RESOLUTION-0001.md"
    one.write_text(one.read_text().replace("# RIS-0001: ", "# RIS-0001: Outage;=cmd|' /C calc'!A0 ").replace("**Category**: ", "**Category**: ok\t=1+1 "))
    h.run(["index"], root)
    exported = h.run(["review", "export", "--quarter", "2026-Q1", "--format", "csv"], root).stdout
    searched = h.run(["search", "pod", "--format", "csv"], root).stdout
    unquoted = 0
    for text in (exported, searched):
        for line in text.splitlines():
            # A spreadsheet splitting on ; or tab ignores the comma quoting of cells mid-line.
            for piece in line.replace("\t", ";").split(";"):
                if piece.lstrip(' "').startswith(("=cmd", "=1+1")):
                    unquoted += 1
    h.check(unquoted == 0, f"csv: a cell split on ; starts a formula {unquoted} times")
    h.row("security", "CSV cells split on ; or tab by a spreadsheet (Outage;=cmd|...)", "review export and search csv, split on ;", 2,
          {"formula pieces": unquoted})


def ordinary_use(h):
    """The first fixes' regressions: a CRLF head, a head owned by a teammate, a root reached through a link."""
    problems = []
    root = fresh(h, "ordinary")
    h.run(["show", "RIS-0003"], root)
    head = root / ".ris" / "audit.head"
    head.write_bytes(head.read_bytes().replace(b"\n", b"\r\n"))
    if h.run(["show", "RIS-0003"], root).code != 0 or h.run(["audit", "verify"], root).code != 0:
        problems.append("a CRLF head")
    if os.geteuid() == 0:
        os.chown(head, 54321, 54321)
        if h.run(["show", "RIS-0003"], root).code != 0:
            problems.append("a head owned by a teammate")
    link = h.scratch / "security-second" / "kb-link"
    if link.exists() or link.is_symlink():
        link.unlink()
    os.symlink(str(root), link)
    real = root / "docs" / "real.md"
    real.write_text("---\nid: RIS-0950\n---\n# RIS-0950: Real\n")
    absolute = root / "docs" / "06-ris" / "resolutions" / "absolute-link.md"
    os.symlink(str(link / "docs" / "real.md"), absolute)
    h.run(["index"], link)
    review = h.run(["review", "record", "docs/06-ris/resolutions/absolute-link.md", "--reviewer", "Dana"], link)
    if review.code != 0 or "reviewed-by: Dana" not in real.read_text():
        problems.append("an absolute link through the root's link")
    h.check(not problems, f"ordinary use broken: {problems}")
    h.row("security", "Ordinary use the first fixes broke: a CRLF audit head, a head owned by a teammate, an absolute link through the root's own link",
          "show, verify, review record", 3, {"broken": len(problems)})
