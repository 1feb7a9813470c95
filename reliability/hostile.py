"""The hostile-file set: every encoding, size, YAML attack, markdown torture and file name
that real repositories (and attackers) produce. `generate(folder)` writes them and returns
what it wrote, so the harness can account for every file."""
import os, pathlib

RECORD = """---
compliance:
  hipaa:
    controls: ["164.312(b)"]
    retention-period: 7-years
    review-frequency: quarterly
---
# RIS-{n}: Hostile neighbour {n}

**Severity**: LOW
**Status**: RESOLVED

## Symptom
A well-formed record beside the hostile files.
"""


def generate(root: pathlib.Path, big: bool = True) -> dict:
    """Writes the set under `root` (a knowledge base). Returns {relative path: class}."""
    made = {}
    base = root / "hostile"
    base.mkdir(parents=True, exist_ok=True)

    def put(name, data, kind):
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        made[str(path.relative_to(root))] = kind

    text = RECORD.format(n="900")
    # Encodings.
    put("utf16-le-bom.md", b"\xff\xfe" + text.encode("utf-16-le"), "encoding")
    put("utf16-be-bom.md", b"\xfe\xff" + text.encode("utf-16-be"), "encoding")
    put("utf16-no-bom.md", text.encode("utf-16-le"), "encoding")
    put("utf8-bom.md", b"\xef\xbb\xbf" + text.encode(), "encoding")
    put("invalid-utf8.md", text.encode().replace(b"Hostile", b"Host\xff\xfeile\xc3"), "encoding")
    put("invalid-utf8-in-yaml.md", text.encode().replace(b"7-years", b"7-\xe9years"), "encoding")
    put("nul-bytes.md", text.encode() + b"\x00\x00binary\x00", "encoding")
    put("crlf.md", text.replace("\n", "\r\n"), "encoding")
    put("cr-only.md", text.replace("\n", "\r"), "encoding")
    put("latin1.md", text.replace("Hostile", "Hôstile").encode("latin-1"), "encoding")
    # Sizes.
    put("empty.md", b"", "size")
    put("only-bom.md", b"\xef\xbb\xbf", "size")
    put("only-dashes.md", "---\n", "size")
    put("only-newlines.md", "\n" * 100_000, "size")
    if big:
        paragraph = ("The pod crashed with exit code 137 because the memory limit was too low. " * 8 + "\n\n")
        body = text + "\n## Resolution\n" + paragraph * (50 * 1024 * 1024 // len(paragraph))
        put("big-50mb.md", body, "size")
        put("one-10mb-line.md", text + "\n" + "x" * (10 * 1024 * 1024) + "\n", "size")
        put("one-10mb-yaml-line.md", "---\ntitle: " + "y" * (10 * 1024 * 1024) + "\n---\n# RIS-901: t\n", "size")
    # YAML attacks.
    laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    previous = "a"
    for letter in "bcdefghijklmnop":
        laughs += f"{letter}: &{letter} [" + ",".join(f"*{previous}" for _ in range(9)) + "]\n"
        previous = letter
    put("yaml-alias-bomb.md", "---\n" + laughs + "---\n# RIS-902: bomb\n", "yaml")
    put("yaml-alias-bomb.yaml", laughs, "yaml")
    put("yaml-deep-flow.md", "---\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n# RIS-903: deep\n", "yaml")
    put("yaml-deep-flow-unclosed.md", "---\nx: " + "{a: " * 50_000 + "\n---\n# RIS-904: deep\n", "yaml")
    put("yaml-deep-block.md", "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(3000)) + "---\n# RIS-905: deep\n", "yaml")
    put("yaml-huge-key.md", "---\n" + "k" * 1_000_000 + ": v\n---\n# RIS-906: key\n", "yaml")
    put("yaml-huge-complex-key.md", "---\n? " + "[" + ",".join(["x"] * 100_000) + "]\n: v\n---\n# RIS-907: key\n", "yaml")
    put("yaml-duplicate-keys.md", "---\nid: RIS-908\nid: RIS-909\ncompliance:\n  hipaa: {}\ncompliance: 3\n---\n# RIS-908: dup\n", "yaml")
    put("yaml-python-tag.md", "---\nx: !!python/object/apply:os.system ['touch /tmp/ris-pwned']\ny: !!binary aGVsbG8=\nz: !custom {a: 1}\n---\n# RIS-910: tags\n", "yaml")
    put("yaml-many-anchors.md", "---\n" + "".join(f"k{i}: &a{i} v{i}\n" for i in range(20_000)) + "---\n# RIS-911: anchors\n", "yaml")
    put("yaml-merge-bomb.md", "---\nbase: &b {" + ",".join(f"k{i}: {i}" for i in range(1000)) + "}\n" + "".join(f"m{i}: {{<<: *b}}\n" for i in range(1000)) + "---\n# RIS-912: merge\n", "yaml")
    put("yaml-not-a-mapping.md", "---\n- just\n- a list\n---\n# RIS-913: list\n", "yaml")
    # Layouts read with a guess (heading then keys, keys around YAML errors, timelines as
    # lists and code): every guess must stay linear.
    put("layout-heading-keys-blank-run.md", "# RIS-914: T\n\nid: RIS-914\nstatus: open\n" + "\n" * 100_000 + "    x\n", "layout")
    put("layout-heading-keys-blank-run.yaml", "# RIS-915: T\n\nid: RIS-915\nbad: `x`\n" + "\n" * 100_000 + "    x\n", "layout")
    put("layout-many-yaml-errors.yaml", "".join(f"k{i}: ok\nbad{i}: `x`\n" for i in range(10_000)), "layout")
    put("layout-unclosed-quotes.yaml", "".join(f"k{i}: \"open\n" for i in range(10_000)), "layout")
    put("layout-hash-lines.yaml", "# RIS-916: T\n" + "".join(f"k{i}: v\n# c{i}\n" for i in range(20_000)) + "bad: `x`\n", "layout")
    put("layout-timeline-list.md", "# RIS-917: T\n\n## Timeline\n\n" + "".join(f"- **{i % 24:02d}:{i % 60:02d}**: event {i}\n" for i in range(50_000)), "layout")
    put("layout-timeline-code.md", "# RIS-918: T\n\n## Timeline\n\n```\n" + "".join(f"{i % 24:02d}:{i % 60:02d}  event {i}\n" for i in range(50_000)) + "```\n", "layout")
    put("layout-nested-md-fences.md", "## Hot Pattern Entry\n\n```markdown\n" + "```\nx\n" * 20_000 + "```\n\n### Timeline\n", "layout")
    put("yaml-tabs-and-junk.md", "---\n\tkey: value\n: : :\n---\n# RIS-914: junk\n", "yaml")
    put("yaml-unclosed-quote.md", "---\ntitle: \"never closed\n---\n# RIS-915: quote\n", "yaml")
    put("yaml-wrong-types.md", "---\ncompliance:\n  hipaa:\n    retention-period: [1, 2]\n    review-frequency: {a: b}\n    controls: 42\n---\n# RIS-916: types\n", "yaml")
    put("yaml-documents.yaml", "a: 1\n---\nb: 2\n---\nc: 3\n", "yaml")
    # Markdown torture.
    put("md-nested-lists.md", text + "".join(" " * (2 * (i % 64)) + "- item\n" for i in range(100_000)), "markdown")
    put("md-nested-quotes.md", text + ">" * 100_000 + " deep\n", "markdown")
    put("md-nested-list-markers.md", text + "- " * 100_000 + "x\n", "markdown")
    put("md-unterminated-fence.md", text + "\n## Resolution\n```bash\nkubectl get pods\n" + "line\n" * 1000, "markdown")
    put("md-nested-fences.md", text + "\n## Hot Pattern Entry\n```markdown\n### Pattern\n```bash\nx\n```\n" * 2000, "markdown")
    table = "| " + " | ".join(f"c{i}" for i in range(50)) + " |\n|" + "---|" * 50 + "\n"
    table += ("| " + " | ".join("v" for _ in range(50)) + " |\n") * 10_000
    put("md-giant-table.md", text + "\n## Timeline\n" + table, "markdown")
    put("md-deep-emphasis.md", text + "*" * 50_000 + "x" + "*" * 50_000 + "\n" + "[" * 50_000 + "\n", "markdown")
    put("md-many-headings.md", text + "".join(f"## Section {i}\ntext\n" for i in range(50_000)), "markdown")
    put("md-html.md", text + "<script>alert(1)</script>\n<div>\n" * 5000, "markdown")
    put("md-heading-only.md", "#", "markdown")
    # Names.
    put("with space and (parens).md", RECORD.format(n="920"), "name")
    put("ünïcødé-事件-🔥.md", RECORD.format(n="921"), "name")
    put("-leading-dash.md", RECORD.format(n="922"), "name")
    put("--help.md", RECORD.format(n="923"), "name")
    put("n" * 240 + ".md", RECORD.format(n="924"), "name")
    put("quote\"and'apostrophe.md", RECORD.format(n="925"), "name")
    put("semi;colon$(touch x)`id`.md", RECORD.format(n="926"), "name")
    put("new\nline.md", RECORD.format(n="927"), "name")
    put("tab\there.md", RECORD.format(n="928"), "name")
    put("UPPER-CASE.md", RECORD.format(n="929"), "name")
    deep = "/".join(["d"] * 60)
    put(f"{deep}/deep-folder.md", RECORD.format(n="930"), "name")
    raw = base / "raw-bytes"
    raw.mkdir(exist_ok=True)
    (raw / os.fsdecode(b"bad-\xff\xfe-name.md")).write_bytes(RECORD.format(n="931").encode())
    made[str((raw / os.fsdecode(b"bad-\xff\xfe-name.md")).relative_to(root))] = "name"
    # Links and special files: not regular files, reported and skipped.
    special = {}
    links = base / "links"
    links.mkdir(exist_ok=True)
    os.symlink("..", links / "loop-to-parent")
    os.symlink("self.md", links / "self.md")
    os.symlink("nowhere.md", links / "broken.md")
    os.symlink("a.md", links / "b.md"); os.symlink("b.md", links / "a.md")
    (links / "dir-loop").mkdir()
    os.symlink("../dir-loop", links / "dir-loop" / "again")
    os.mkfifo(base / "fifo.md")
    (base / "folder.md").mkdir()  # a folder with a record's name: walked into, not read
    for name in ["links/loop-to-parent", "links/self.md", "links/broken.md", "links/a.md", "links/b.md",
                 "links/dir-loop/again", "fifo.md"]:
        special["hostile/" + name] = "special"
    for i in range(20):
        put(f"neighbours/RIS-RESOLUTION-{800 + i}.md", RECORD.format(n=str(800 + i)), "neighbour")
    return made, special
