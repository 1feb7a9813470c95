"""Security suite: the access-audit trail cannot be silently rewound.

Each attack of the review of the audit trail is replayed against the binary, on a knowledge
base of its own: the newest events and the head deleted, a lagging head, an older head, both
files deleted, older copies of both restored, an actor rewritten with the chain recomputed
(against a keyed trail, and against an anchored one), a multi-line note moving a field
boundary, and a git merge resolved with "ours". Each must be detected: `ris audit verify`
exits 1 (or, for the deleted trail, the next audited read refuses). Anchors are made by
committing `.ris/audit.head`, which is what `ris audit anchor` does, so an earlier ris can be
attacked the same way (every attack was seen to pass unnoticed there).
"""
import hashlib, json, os, pathlib, shutil, sqlite3, subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"
GIT_ENV = {"GIT_AUTHOR_NAME": "Auditor", "GIT_AUTHOR_EMAIL": "auditor@example.com", "GIT_COMMITTER_NAME": "Auditor",
           "GIT_COMMITTER_EMAIL": "auditor@example.com", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


class Attacks:
    def __init__(self, h):
        self.h = h
        self.env = dict(os.environ, RIS_ACTOR="reliability@example.com", NO_COLOR="1", **GIT_ENV)
        self.env.pop("RIS_KB", None)
        self.env.pop("RIS_AUDIT_KEY_FILE", None)
        self.number = 0

    # The knowledge base -------------------------------------------------------------------

    def knowledge_base(self, git=False):
        self.number += 1
        root = self.h.scratch / f"audit-{self.number}"
        if root.exists():
            shutil.rmtree(root)
        (root / SEED).parent.mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "kb" / SEED, root / SEED)
        self.ris(root, "init")
        if git:
            self.git(root, "init", "-q", "-b", "main")
            self.git(root, "add", "-A")
            self.git(root, "commit", "-q", "-m", "the knowledge base")
        return root

    def ris(self, root, *args, env=None, expect=(0,)):
        run = self.h.run(list(args), root, env=env or self.env)
        self.h.check(not run.crashed, f"security_audit: ris {' '.join(args)} crashed: {run.stderr[-300:]}")
        if expect is not None:
            self.h.check(run.code in expect, f"security_audit: ris {' '.join(args)} exited {run.code}: {run.stderr[-300:]}")
        return run

    def git(self, root, *args):
        result = subprocess.run(["git", *args], cwd=root, env=self.env, capture_output=True, text=True)
        self.h.check(result.returncode == 0, f"security_audit: git {' '.join(args)}: {result.stderr[-300:]}")
        return result.stdout.strip()

    def reads(self, root, count, env=None):
        for _ in range(count):
            self.ris(root, "show", "RIS-045", env=env)

    def anchor(self, root, message="anchor the audit head"):
        # What `ris audit anchor` does: commit .ris/audit.head alone.
        self.git(root, "add", "-f", ".ris/audit.head")
        self.git(root, "commit", "-q", "--only", "-m", message, "--", ".ris/audit.head")

    def verify(self, root, env=None):
        run = self.ris(root, "audit", "verify", env=env, expect=None)
        self.h.check(not run.crashed and run.code in (0, 1), f"security_audit: verify exited {run.code}: {run.stderr[-300:]}")
        if os.environ.get("SECURITY_AUDIT_VERBOSE"):
            print(f"    verify: exit {run.code}: {(run.stderr.strip() or run.stdout.strip()).splitlines()[-1:]}", flush=True)
        return run

    # The files, as an attacker with write access to .ris edits them -------------------------

    @staticmethod
    def db(root):
        return sqlite3.connect(str(root / ".ris" / "audit.sqlite"))

    @staticmethod
    def events(root):
        db = Attacks.db(root)
        db.row_factory = sqlite3.Row
        columns = {row[1] for row in db.execute("PRAGMA table_info(event)")}
        rows = [dict(row) for row in db.execute("SELECT * FROM event ORDER BY seq")]
        db.close()
        for row in rows:
            row.setdefault("format", 1)
            row.setdefault("uid", None)
            row.setdefault("keyId", "")
        return rows, columns

    @staticmethod
    def head_text(root, count, last):
        """A head in the format the binary under attack writes (the attacker copies it)."""
        current = (root / ".ris" / "audit.head").read_text() if (root / ".ris" / "audit.head").exists() else ""
        if current.startswith("ris-audit-head"):
            return f"ris-audit-head 2\nevents {count}\nlast {last}\n"
        return f"{count} {last}\n"

    def write_head(self, root, count, last):
        text = self.head_text(root, count, last)
        (root / ".ris" / "audit.head").write_text(text)

    @staticmethod
    def plain_hash(event):
        """The hash an attacker without the key recomputes: the event's own format, unkeyed."""
        if event["format"] == 1:
            fields = [event["previousHash"], str(event["seq"]), event["at"], event["actor"], event["action"], event["path"],
                      event["id"], event["contentSha256"], event["note"]]
            return hashlib.sha256("\n".join(fields).encode()).hexdigest()
        fields = ["ris-audit-event", "2", str(event["seq"]), event["at"], event["actor"],
                  "" if event["uid"] is None else str(event["uid"]), event["action"], event["path"], event["id"],
                  event["contentSha256"], event["note"], event["previousHash"], event["keyId"]]
        data = b"".join(f"{len(f.encode())}:".encode() + f.encode() for f in fields)
        return hashlib.sha256(data).hexdigest()

    def rewrite_and_recompute(self, root, change, strip_keys=True):
        """Applies `change` to the events, recomputes the plain chain (keys stripped, or their
        IDs kept with plain hashes) and the head."""
        rows, columns = self.events(root)
        previous = ""
        for event in rows:
            change(event)
            if strip_keys:
                event["keyId"] = ""
            event["previousHash"] = previous
            event["hash"] = self.plain_hash(event)
            previous = event["hash"]
        db = self.db(root)
        for event in rows:
            assignments = ["actor = ?", "note = ?", "contentSha256 = ?", "previousHash = ?", "hash = ?"]
            values = [event["actor"], event["note"], event["contentSha256"], event["previousHash"], event["hash"]]
            if "keyId" in columns:
                assignments.append("keyId = ?")
                values.append(event["keyId"])
            db.execute(f"UPDATE event SET {', '.join(assignments)} WHERE seq = ?", values + [event["seq"]])
        db.commit()
        db.close()
        self.write_head(root, len(rows), previous)

    def key_file(self):
        folder = self.h.scratch / "audit-keys"
        folder.mkdir(exist_ok=True)
        path = folder / "audit.key"
        if not path.exists():
            path.write_bytes(os.urandom(32))
            os.chmod(path, 0o600)
        return path

    # The attacks: each returns whether it was detected ----------------------------------

    def newest_and_head_deleted(self, n):
        root = self.knowledge_base()
        self.reads(root, 3 + n)
        db = self.db(root)
        db.execute("DELETE FROM event WHERE seq > 3")
        db.commit()
        db.close()
        (root / ".ris" / "audit.head").unlink()
        run = self.verify(root)
        recreated = (root / ".ris" / "audit.head").exists()
        self.h.check(not recreated, "security_audit: verify recreated the missing head")
        return run.code == 1 and not recreated

    def head_lagging(self, n):
        root = self.knowledge_base()
        self.reads(root, 2 + n)
        rows, _ = self.events(root)
        self.write_head(root, 2, rows[1]["hash"])
        return self.verify(root).code == 1

    def older_head(self, n):
        root = self.knowledge_base()
        self.reads(root, 2)
        rows = json.loads(self.ris(root, "audit", "log", "--format", "json").stdout)
        self.reads(root, n)
        # An older head, from the hashes that `audit log --format json` prints.
        self.write_head(root, rows[-1]["seq"], rows[-1]["hash"])
        return self.verify(root).code == 1

    def both_deleted(self, n):
        root = self.knowledge_base(git=True)
        self.reads(root, 1 + n)
        self.anchor(root)
        for name in ["audit.sqlite", "audit.head"]:
            (root / ".ris" / name).unlink()
        read = self.ris(root, "show", "RIS-045", expect=None)
        started = (root / ".ris" / "audit.sqlite").exists() or (root / ".ris" / "audit.head").exists()
        self.h.check(not started, "security_audit: a fresh trail was started where git shows one")
        verify = self.verify(root)
        return read.code == 1 and not started and verify.code == 1

    def older_copies_restored(self, n):
        root = self.knowledge_base(git=True)
        self.reads(root, 2)
        saved = {name: (root / ".ris" / name).read_bytes() for name in ["audit.sqlite", "audit.head"]}
        self.reads(root, n)
        self.anchor(root)
        self.reads(root, 1)
        for name, data in saved.items():
            (root / ".ris" / name).write_bytes(data)
        return self.verify(root).code == 1

    def actor_rewritten_keyed(self, n):
        root = self.knowledge_base()
        env = dict(self.env, RIS_AUDIT_KEY_FILE=str(self.key_file()))
        self.reads(root, 2 + n, env=env)
        target = 1 + n % 2

        def change(event):
            if event["seq"] == target:
                event["actor"] = "mallory@example.com"
        # Odd rounds strip the key from every event; even rounds keep the key IDs and put
        # plain SHA-256 where the HMACs were (without the key, nothing else can be computed).
        self.rewrite_and_recompute(root, change, strip_keys=n % 2 == 1)
        return self.verify(root, env=env).code == 1

    def actor_rewritten_anchored(self, n):
        root = self.knowledge_base(git=True)
        self.reads(root, 2 + n)
        self.anchor(root)
        target = 1 + n % 2

        def change(event):
            if event["seq"] == target:
                event["actor"] = "mallory@example.com"
        self.rewrite_and_recompute(root, change)
        return self.verify(root).code == 1

    def note_moves_field_boundary(self, n):
        root = self.knowledge_base()
        self.reads(root, n)
        self.ris(root, "review", "record", "RIS-045", "--reviewer", "Dana", "--date", "2026-03-01",
                 "--note", "controls still apply\nno PHI was exposed")
        rows, _ = self.events(root)
        last = rows[-1]
        first, rest = last["note"].split("\n", 1)
        # The first line of the note moves into contentSha256: the joined text is the same.
        db = self.db(root)
        db.execute("UPDATE event SET contentSha256 = ?, note = ? WHERE seq = ?", (last["contentSha256"] + "\n" + first, rest, last["seq"]))
        db.commit()
        db.close()
        return self.verify(root).code == 1

    def merge_resolved_with_ours(self, n):
        root = self.knowledge_base(git=True)
        self.reads(root, 1)
        self.git(root, "add", "-f", ".ris/audit.sqlite", ".ris/audit.head")
        self.git(root, "commit", "-q", "-m", "the audit trail")
        self.git(root, "checkout", "-q", "-b", "side")
        self.reads(root, 1 + n)
        self.git(root, "commit", "-q", "-am", "side: reads")
        self.git(root, "checkout", "-q", "main")
        self.reads(root, 1)
        self.git(root, "commit", "-q", "-am", "main: a read")
        merge = subprocess.run(["git", "merge", "-q", "side"], cwd=root, env=self.env, capture_output=True, text=True)
        self.h.check(merge.returncode != 0, "security_audit: the merge of two trails did not conflict")
        self.git(root, "checkout", "--ours", "--", ".ris/audit.sqlite", ".ris/audit.head")
        self.git(root, "add", ".ris/audit.sqlite", ".ris/audit.head")
        self.git(root, "commit", "-q", "--no-edit")
        return self.verify(root).code == 1


def run(h):
    attacks = Attacks(h)
    times = 2 if h.quick else 6
    table = [
        ("Audit trail: newest events and the head deleted", attacks.newest_and_head_deleted,
         "DELETE of the newest events, rm .ris/audit.head; `ris audit verify` (must not recreate the head)"),
        ("Audit trail: head lagging behind the events", attacks.head_lagging,
         "the head rewritten to an earlier count and hash, 1 to 6 events behind"),
        ("Audit trail: an older head", attacks.older_head,
         "a head made from the hashes `ris audit log --format json` prints, after more reads"),
        ("Audit trail: both files deleted where git's history holds the trail", attacks.both_deleted,
         "rm .ris/audit.sqlite .ris/audit.head after the head was committed; then `ris show` of an audited record and `ris audit verify`"),
        ("Audit trail: older copies of both files restored", attacks.older_copies_restored,
         "both files copied after 2 events, restored after more events and an anchor (a commit of the head)"),
        ("Audit trail: an actor rewritten, the chain recomputed, keyed trail", attacks.actor_rewritten_keyed,
         "UPDATE actor, keys stripped, every hash and the head recomputed as plain SHA-256; verify with RIS_AUDIT_KEY_FILE"),
        ("Audit trail: an actor rewritten, the chain recomputed, anchored trail", attacks.actor_rewritten_anchored,
         "UPDATE actor, every hash and the head recomputed in the event's format; verify against the committed head"),
        ("Audit trail: a multi-line note moving a field boundary", attacks.note_moves_field_boundary,
         "`review record --note` of two lines, its first line moved into contentSha256 (same newline-joined text)"),
        ("Audit trail: a git merge conflict on the trail resolved with ours", attacks.merge_resolved_with_ours,
         "both files committed on two branches, each with reads; `git checkout --ours` of both, merge committed"),
    ]
    for fault, attack, produced in table:
        detected = missed = 0
        for n in range(1, times + 1):
            try:
                found = attack(n)
            except Exception as error:  # a harness error is a failure, never a pass
                h.check(False, f"security_audit: {fault}: {error!r}")
                found = False
            detected += int(found)
            missed += int(not found)
            h.check(found, f"security_audit: not detected: {fault} (round {n})")
        h.row("security", fault, produced, times, {"detected": detected, "missed": missed})
