#!/usr/bin/env python3
"""Writes Sources/RISKit/ControlCatalogData.swift from a controls.json (`make catalog`).

usage: tools/gen_catalog.py CONTROLS_JSON OUTPUT_SWIFT

The catalog is embedded in the binary (an installed ris needs no resource file): one JSON
object per line inside a Swift raw string, in the order of the source file.
"""
import json
import sys


def main(source: str, output: str) -> None:
    with open(source, encoding="utf-8") as handle:
        controls = json.load(handle)
    lines = [json.dumps(control, ensure_ascii=False, separators=(",", ":")) for control in controls]
    if any('"#' in line for line in lines):
        sys.exit("a control holds \"#, which would end the Swift raw string")
    text = (
        "// Generated from ../shared/catalog/controls.json (sources in its SOURCES.md) by\n"
        "// `make catalog`; do not edit. Embedded so that the installed binary needs no resource files.\n"
        "\n"
        "/// The control catalog as JSON: HIPAA Security Rule, SOC 2 (2017 TSC), ISO/IEC 27001 2013\n"
        "/// (with `mapsTo` 2022 IDs) and 2022.\n"
        'let controlCatalogJSON = #"""\n'
        "[\n" + ",\n".join(lines) + "\n]\n"
        '"""#\n'
    )
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {output}: {len(controls)} controls")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
