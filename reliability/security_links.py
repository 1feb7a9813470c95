"""Security suite: a cloned knowledge base cannot make ris touch files outside it.

Attacks of an author with write access to the repository (links are committed even under
ignored paths): symbolic links under `.ris/`, `.ris` itself a link, links from records and
templates to outside files, a folder swapped for a link while ris writes into it, and the
edits that must respect the files they change (permissions, owner, links inside the
knowledge base, an editor saving at the same moment, a hit whose log cannot be written).
"""
import ctypes, hashlib, os, pathlib, shutil, stat, threading, time



def digest(path: pathlib.Path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() and not path.is_symlink() else None


_libc = ctypes.CDLL(None, use_errno=True)


def exchange(first: pathlib.Path, second: pathlib.Path):
    """renameat2(RENAME_EXCHANGE): swaps two paths in one step, so the caller sees what it replaced."""
    if _libc.renameat2(-100, os.fsencode(first), -100, os.fsencode(second), 2) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def hit_count(text: str) -> int:
    line = [line for line in text.splitlines() if line.startswith("**Hit Count**")][0]
    return int(line.split(":", 1)[1].strip().strip("*").strip())


def fresh_kb(h, name, records=6):
    root = h.knowledge_base(f"security-links/{name}", records)
    outside = h.scratch / "security-links" / (name + "-outside")
    if outside.exists():
        shutil.rmtree(outside)
    outside.mkdir(parents=True)
    return root, outside


def victim(outside: pathlib.Path, name="victim.txt", mode=0o644):
    path = outside / name
    path.write_text("the victim's own bytes\n")
    os.chmod(path, mode)
    return path


def untouched(path: pathlib.Path, before_digest, before_mode):
    return path.exists() and digest(path) == before_digest and stat.S_IMODE(path.stat().st_mode) == before_mode


def run(h):
    links_under_ris(h)
    ris_folder_is_a_link(h)
    links_from_records_and_templates(h)
    folder_swapped_while_writing(h)
    edits_respect_their_files(h)


def links_under_ris(h):
    """Each file ris keeps under .ris/ replaced by a link to an outside file, then the commands that use it."""
    cases = [
        ("index.sqlite", [["search", "pod"]]),
        ("index.sqlite-wal", [["search", "pod"], ["index"]]),
        ("index.sqlite-shm", [["search", "pod"]]),
        ("index.sqlite-journal", [["index"]]),
        ("add.lock", [["add", "--title", "Linked lock"]]),
        ("hot-patterns.lock", [["pattern", "hit", "Pod OOMKilled after deploy"]]),
        ("review.lock", [["review", "record", "RIS-0001", "--reviewer", "Dana"]]),
        ("hits.jsonl", [["pattern", "hit", "Pod OOMKilled after deploy"]]),
        ("audit.sqlite", [["show", "RIS-0003"]]),
        ("audit.head", [["show", "RIS-0003"]]),
        ("audit.lock", [["show", "RIS-0003"]]),
        ("config.yaml", [["index"]]),
    ]
    touched = crashes = unclear = 0
    for name, commands in cases:
        root, outside = fresh_kb(h, "ris-" + name.replace(".", "-"))
        target = victim(outside)
        missing = outside / "created-by-ris"
        before = (digest(target), stat.S_IMODE(target.stat().st_mode))
        ris = root / ".ris"
        if name != "config.yaml" and name.startswith("index"):
            h.run(["index"], root)  # a real index first, then its file replaced
        link = ris / name
        if link.exists() or link.is_symlink():
            link.unlink()
        # Half point at an existing file (chmod, append, truncate), half at a new one (create).
        os.symlink(str(target if name not in ("add.lock", "audit.lock", "review.lock") else missing), link)
        for args in commands:
            result = h.run(args, root)
            crashes += int(result.crashed)
            if result.code != 0 and "ris: error:" not in result.stderr and "error:" not in result.stderr:
                unclear += 1
        hurt = not untouched(target, *before) or missing.exists()
        touched += int(hurt)
        h.check(not hurt, f"links: .ris/{name} -> outside: ris touched the outside file")
        h.check(os.path.islink(link), f"links: .ris/{name}: the link itself was replaced")
    h.check(crashes == 0, f"links: {crashes} crashes")
    h.row("security", "Symbolic links under .ris/ (index, WAL, journal, locks, hits log, audit trail and head, config) to outside files",
          "each planted as a clone would bring it, then search, index, add, pattern hit, review record, show", len(cases),
          {"outside files changed or created": touched, "crashes": crashes, "failures without a message": unclear})


def ris_folder_is_a_link(h):
    """`.ris` itself a link to an outside folder: the index and the audit trail must not be written there."""
    root, outside = fresh_kb(h, "ris-folder")
    real = outside / "real-ris"
    shutil.move(str(root / ".ris"), str(real))
    os.symlink(str(real), root / ".ris")
    before = {p.name for p in real.iterdir()}
    codes = []
    for args in [["index"], ["search", "pod"], ["show", "RIS-0003"], ["add", "--title", "Through the link"],
                 ["pattern", "hit", "Pod OOMKilled after deploy"]]:
        result = h.run(args, root)
        codes.append(result.code)
        h.check(not result.crashed, f".ris link: {args} crashed")
        h.check(result.code != 0 and "symbolic link" in result.stderr, f".ris link: {args}: exit {result.code}: {result.stderr[-300:]}")
    after = {p.name for p in real.iterdir()}
    h.check(after == before, f".ris link: files written into the outside folder: {sorted(after - before)}")
    h.row("security", "`.ris` itself a symbolic link to an outside folder", "index, search, show, add, pattern hit", len(codes),
          {"files written outside": len(after - before), "commands refused with a message": sum(1 for c in codes if c != 0)})


def links_from_records_and_templates(h):
    """A record that is a link to an outside file is not indexed; a template linked outside is not copied."""
    root, outside = fresh_kb(h, "records")
    secret = outside / "secret.md"
    secret.write_text("# RIS-0999: not yours\n\nOUTSIDE-SECRET-7731\n")
    os.symlink(str(secret), root / "docs" / "06-ris" / "resolutions" / "linked.md")
    os.symlink(str(outside), root / "docs" / "linked-folder")
    templates = root / ".ris" / "templates"
    templates.mkdir()
    os.symlink(str(secret), templates / "kb.mustache")
    # A record linked into .ris: neither read as a record nor written through.
    config = root / ".ris" / "config.yaml"
    config_before = config.read_bytes()
    os.symlink("../../../.ris/config.yaml", root / "docs" / "06-ris" / "resolutions" / "into-ris.md")
    index = h.run(["index"], root)
    found = h.run(["search", "OUTSIDE-SECRET-7731", "--format", "paths"], root)
    article = h.run(["kb", "generate", "RIS-0001"], root)
    copies = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.is_symlink()
              and p.suffix == ".md" and b"OUTSIDE-SECRET-7731" in p.read_bytes()]
    in_index = b"OUTSIDE-SECRET-7731" in (root / ".ris" / "index.sqlite").read_bytes()
    h.check("leading outside the knowledge base" in index.stderr, f"records: the outside link was not reported: {index.stderr[-300:]}")
    listed = h.run(["list", "--format", "paths", "--no-refresh"], root).stdout
    review = h.run(["review", "record", "docs/06-ris/resolutions/into-ris.md", "--reviewer", "x"], root)
    h.check("into-ris.md" not in listed and config.read_bytes() == config_before,
            f"records: a link into .ris was read or written: {review.code} {review.stderr[-200:]}")
    h.check(found.stdout.strip() == "" and not in_index, "records: an outside file reached the index")
    h.check(article.code != 0 and "symbolic link" in article.stderr, f"templates: a linked template was used: {article.code} {article.stderr[-200:]}")
    h.check(not copies, f"templates: the outside file was copied into {copies}")
    h.row("security", "Records and folders linked to outside files or into .ris; a template linked to an outside file",
          "ris index, search, kb generate", 3,
          {"outside text in the index": int(in_index), "copies of outside files": len(copies)})


def folder_swapped_while_writing(h):
    """`kb generate --output` and `ris add` while another process swaps their folder for a link outside."""
    rounds = 120 if h.quick else 300
    root, outside = fresh_kb(h, "swap")
    # New records go into the folder being swapped too (`ris add` wrote through the same race).
    config = root / ".ris" / "config.yaml"
    config.write_text(config.read_text().replace("resolutions: docs/06-ris/resolutions", "resolutions: docs/swap"))
    h.run(["index"], root)
    target = root / "docs" / "swap"
    stop = threading.Event()

    def swap():
        while not stop.is_set():
            try:
                if target.is_symlink():
                    target.unlink()
                    target.mkdir()
                else:
                    shutil.rmtree(target, ignore_errors=True)
                    os.symlink(str(outside), target)
            except OSError:
                pass

    thread = threading.Thread(target=swap, daemon=True)
    thread.start()
    try:
        for number in range(rounds):
            h.run(["kb", "generate", "RIS-0001", "--output", f"docs/swap/article-{number}.md", "--force"], root, timeout=60)
            if number % 3 == 0:
                h.run(["add", "--title", f"Swapped {number}"], root, timeout=60)
    finally:
        stop.set()
        thread.join()
    written = [p.name for p in outside.iterdir()]
    h.check(not written, f"swap: {len(written)} writes landed outside: {written[:5]}")
    h.row("security", "A folder swapped for a link leading outside while ris writes into it (check-then-write race)",
          "a thread swapping docs/swap between a folder and a link as fast as it can, during kb generate --output and ris add", rounds,
          {"writes outside": len(written)})


def edits_respect_their_files(h):
    """Read-only and foreign-owned records, a record that is a link inside the base, an editor saving during hits, a hit log that fails."""
    held = {}
    root, _ = fresh_kb(h, "edits")
    h.run(["index"], root)
    folder = root / "docs" / "06-ris" / "resolutions"
    # A read-only record: refused, unchanged.
    record = folder / "RIS-RESOLUTION-0001.md"
    os.chmod(record, 0o444)
    before = digest(record)
    result = h.run(["review", "record", "RIS-0001", "--reviewer", "Dana"], root)
    ok = result.code == 1 and "read-only" in result.stderr and digest(record) == before and stat.S_IMODE(record.stat().st_mode) == 0o444
    h.check(ok, f"edits: a 0444 record: {result.code} {result.stderr[-200:]}")
    held["read-only record replaced"] = int(not ok)
    # A record of another user: refused, owner kept (needs root to chown).
    other = folder / "RIS-RESOLUTION-0002.md"
    if os.geteuid() == 0:
        os.chown(other, 12345, 12345)
        before = digest(other)
        result = h.run(["review", "record", "RIS-0002", "--reviewer", "Dana"], root)
        ok = result.code == 1 and "another user" in result.stderr and digest(other) == before and other.stat().st_uid == 12345
        h.check(ok, f"edits: a foreign record: {result.code} {result.stderr[-200:]}")
        held["foreign-owned record replaced"] = int(not ok)
    # A record that is a link to another file inside the knowledge base: written through, the link kept.
    real = root / "docs" / "real"
    real.mkdir()
    shutil.move(str(folder / "RIS-RESOLUTION-0004.md"), str(real / "RIS-RESOLUTION-0004.md"))
    os.symlink("../../real/RIS-RESOLUTION-0004.md", folder / "RIS-RESOLUTION-0004.md")
    h.run(["index"], root)
    result = h.run(["review", "record", "docs/06-ris/resolutions/RIS-RESOLUTION-0004.md", "--reviewer", "Dana"], root)
    ok = result.code == 0 and os.path.islink(folder / "RIS-RESOLUTION-0004.md") and "reviewed-by: Dana" in (real / "RIS-RESOLUTION-0004.md").read_text()
    h.check(ok, f"edits: a linked record: {result.code} {result.stderr[-200:]}")
    held["linked record replaced by a copy"] = int(not ok)
    # The hot-patterns file a link to a file inside the knowledge base: hits write through it.
    hot_link = root / ".claude" / "memory" / "hot-patterns.md"
    shared = root / "docs" / "shared-hot-patterns.md"
    shutil.move(str(hot_link), str(shared))
    os.symlink("../../docs/shared-hot-patterns.md", hot_link)
    result = h.run(["pattern", "hit", "ECR token expired"], root)
    ok = result.code == 0 and os.path.islink(hot_link) and "**Hit Count**: 1" in shared.read_text()
    h.check(ok, f"edits: a linked hot-patterns file: {result.code} {result.stderr[-200:]}")
    held["linked hot-patterns file replaced by a copy"] = int(not ok)
    os.unlink(hot_link)
    shutil.move(str(shared), str(hot_link))
    # An editor saving the hot-patterns file (atomically, adding a note) while hits run.
    hot = root / ".claude" / "memory" / "hot-patterns.md"
    saves = 30 if h.quick else 200
    hits = 20 if h.quick else 100
    stop = threading.Event()
    notes = []

    # A plain editor has no lock: a hit landing between its read and its save is lost by the
    # editor, not by ris. The editor swaps its save in (renameat2) and reads what it replaced,
    # so the hits it overwrote are counted and only ris's own losses fail the check.
    overwritten = [0]

    def editor():
        number = 0
        while not stop.is_set() and number < saves:
            text = hot.read_text()
            note = f"\nEditor note {number}.\n"
            temporary = hot.with_name(".editor-save")
            temporary.write_text(text + note)
            exchange(temporary, hot)
            overwritten[0] += hit_count(temporary.read_text()) - hit_count(text)
            temporary.unlink()
            notes.append(note.strip())
            number += 1
            time.sleep(0.002)

    thread = threading.Thread(target=editor, daemon=True)
    start_count = 3
    thread.start()
    succeeded = 0
    for _ in range(hits):
        if h.run(["pattern", "hit", "Pod OOMKilled after deploy"], root).code == 0:
            succeeded += 1
    stop.set()
    thread.join()
    text = hot.read_text()
    lost_notes = sum(1 for note in notes if note not in text)
    count = hit_count(text)
    expected = start_count + succeeded - overwritten[0]
    h.check(lost_notes == 0, f"edits: {lost_notes} editor notes lost to pattern hit")
    h.check(count == expected, f"edits: hit count {count}, expected {expected} ({overwritten[0]} overwritten by the editor)")
    held["editor saves lost"] = lost_notes
    held["hits lost by ris"] = expected - count
    # A hit whose log cannot be written: the count does not move, so the retry counts once.
    log = root / ".ris" / "hits.jsonl"
    before_count = count
    if log.exists():
        log.unlink()
    log.mkdir()
    failed = h.run(["pattern", "hit", "Pod OOMKilled after deploy"], root)
    log.rmdir()
    retried = h.run(["pattern", "hit", "Pod OOMKilled after deploy"], root)
    count = hit_count(hot.read_text())
    ok = failed.code == 1 and retried.code == 0 and count == before_count + 1
    h.check(ok, f"edits: a failed hit log: {failed.code} {retried.code}, count {before_count} -> {count}")
    held["hits counted twice after a failed log"] = int(count > before_count + 1)
    h.row("security", "Edits of read-only, foreign-owned and linked records; an editor saving during hits; a hit log that cannot be written",
          f"review record on each; {hits} pattern hits while an editor saved {saves} times; a hit with .ris/hits.jsonl a folder, then a retry",
          4 + hits, held)
