"""Security suite: no audited content is read without an event.

Replays finding 3 of the attack: `ris similar` (snippets), `ris pattern list` (symptom and
solution) and `ris parse` (the whole record) showed an access-audit-required record and
logged nothing; one bad byte in its front matter made the compliance block unreadable, so
`show` logged nothing and the record vanished from the review export.
"""
import json


MARKER = "AUDITED-CONTENT-MARKER-3318"


def run(h):
    root = h.knowledge_base("security-policy/kb", 6)
    folder = root / "docs" / "06-ris" / "resolutions"
    # RIS-0003 requires auditing (the corpus audits every third record); its body and its
    # hot pattern carry a marker. RIS-0005 gets a bad byte in the front matter.
    three = folder / "RIS-RESOLUTION-0003.md"
    three.write_text(three.read_text().replace("## Symptom\n", f"## Symptom\n{MARKER} ").replace("**Symptom**: ", f"**Symptom**: {MARKER} "))
    five = folder / "RIS-RESOLUTION-0005.md"
    five.write_bytes(five.read_bytes().replace(b"retention-period: 7-years", b"retention-period: 7-ye\x01ars", 1).replace(
        b"## Symptom\n", f"## Symptom\n{MARKER} ".encode()))
    h.run(["index"], root)

    def events():
        return h.audit_events(root)

    silent = []
    attempts = [["similar", "RIS-0001", "--format", "json"], ["similar", "RIS-0001"], ["pattern", "list", "--format", "json"],
                ["parse", "--format", "json", str(three)], ["parse", str(three)], ["show", "RIS-0005"], ["search", MARKER],
                ["pattern", "show", "RIS-0003"]]
    for args in attempts:
        before = len(events())
        result = h.run(args, root)
        h.check(not result.crashed, f"policy: {args} crashed")
        new = events()[before:]
        if MARKER in result.stdout and not any(e.get("action", "").startswith("read") for e in new):
            silent.append(" ".join(args[:2]))
    h.check(not silent, f"policy: audited content printed without an event by: {silent}")
    export = h.run(["review", "export", "--quarter", "2026-Q1", "--format", "json"], root)
    records = json.loads(export.stdout or "{}").get("records", [])
    kept = any(r.get("id") == "RIS-0005" for r in records)
    h.check(kept, "policy: the record with a bad byte in its compliance block vanished from the review export")
    h.row("security", "Audited content read without an event: similar, pattern list and show, parse, search; a bad byte in the compliance block",
          f"{len(attempts)} commands printing a marker from audited records; the quarterly review export", len(attempts) + 1,
          {"reads without an event": len(silent), "records missing from the review": int(not kept)})
