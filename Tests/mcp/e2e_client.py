"""Drives `ris mcp` with the official Python MCP SDK (an independent client), and prints what
it saw as one JSON object on stdout; Tests/risTests/MCPServerTests.swift checks it and the files.

    e2e_client.py RIS KB [--read-only | --show REF]
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


def plain(result):
    """A tool result as data: the structured content, the text, whether it is an error."""
    return {
        "isError": bool(result.is_error),
        "structured": result.structured_content,
        "text": "".join(c.text for c in result.content if getattr(c, "type", "") == "text"),
    }


async def error_of(call):
    """The protocol error a call raised, or the tool error it returned."""
    try:
        result = await call
    except Exception as error:  # the SDK raises MCPError for a JSON-RPC error
        return {"protocolError": str(error)}
    return {"toolError": plain(result)}


async def main():
    ris, kb = sys.argv[1], sys.argv[2]
    show = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--show" else None
    arguments = ["mcp", "--kb", kb] + ([] if show else sys.argv[3:])
    environment = {"RIS_ACTOR": "agent-test@example.com", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    params = StdioServerParameters(command=ris, args=arguments, env=environment)
    report = {}
    async with stdio_client(params) as (read, write):
        client = types.Implementation(name="ris-e2e-client", version="1.2.3")
        async with ClientSession(read, write, client_info=client) as session:
            init = await session.initialize()
            report["server"] = {"name": init.server_info.name, "version": init.server_info.version}
            tools = await session.list_tools()
            report["tools"] = {t.name: {"schema": t.input_schema, "description": t.description} for t in tools.tools}
            if show:
                report["show"] = plain(await session.call_tool("show", {"ref": show}))
                print(json.dumps(report))
                return
            if "--read-only" in sys.argv:
                report["add"] = await error_of(session.call_tool("add", {"title": "Not written"}))
                print(json.dumps(report))
                return
            call = session.call_tool
            report["search"] = plain(await call("search", {"query": "authorization token", "limit": 3}))
            report["searchWithheld"] = plain(await call("search", {"query": "macOS manifest"}))
            # Files changed by others while the server runs are seen at the next call.
            written = os.path.join(kb, "docs", "06-ris", "resolutions", "RIS-090-watched.md")
            with open(written, "w") as handle:
                handle.write("# RIS-090: Quokkafrost stalls the queue\n\n**Date:** 2026-03-01\n")
            report["afterWrite"] = plain(await call("search", {"query": "quokkafrost"}))
            os.makedirs(os.path.join(kb, "docs", "new-folder"))
            with open(os.path.join(kb, "docs", "new-folder", "RIS-091.md"), "w") as handle:
                handle.write("# RIS-091: Wallabyfrost in a new folder\n")
            report["afterNewFolder"] = plain(await call("search", {"query": "wallabyfrost"}))
            os.remove(written)
            os.remove(os.path.join(kb, "docs", "new-folder", "RIS-091.md"))
            report["afterRemove"] = plain(await call("search", {"query": "quokkafrost OR wallabyfrost"}))
            report["show"] = plain(await call("show", {"ref": "RIS-046"}))
            report["showAudited"] = plain(await call("show", {"ref": "RIS-RESOLUTION-047"}))
            report["showWithheld"] = plain(await call("show", {"ref": "RIS-045"}))
            with open(os.path.join(kb, "logs", "ecr-push.log")) as handle:
                report["match"] = plain(await call("match", {"log": handle.read()}))
            report["similar"] = plain(await call("similar", {"ref": "RIS-046"}))
            report["similarWithheld"] = plain(await call("similar", {"ref": "RIS-045"}))
            report["checkWithheld"] = plain(await call("check", {"ref": "RIS-045", "as_of": "2026-03-31"}))
            report["list"] = plain(await call("list", {"sort": "id", "limit": 3}))
            report["check"] = plain(await call("check", {"ref": "RIS-046", "as_of": "2026-03-31"}))
            report["add"] = plain(
                await call("add", {"title": "ECR push denied after token rotation", "severity": "high",
                                   "date": "2026-03-02", "symptom": "denied: token expired\nat push",
                                   "root_cause": "The token rotated mid-job.", "resolution": "Log in again."}))
            report["hit"] = plain(await call("pattern_hit", {"pattern": "authorization token", "date": "2026-03-03"}))
            report["hitAmbiguous"] = plain(await call("pattern_hit", {"pattern": "a"}))
            resources = await session.list_resources()
            report["resources"] = [str(r.uri) for r in resources.resources]
            contents = await session.read_resource("ris://record/RIS-046")
            report["resourceText"] = contents.contents[0].text
            withheld = await session.read_resource("ris://record/RIS-045")
            report["resourceWithheld"] = withheld.contents[0].text
            prompt = await session.get_prompt("diagnose", {"log": "denied: token expired"})
            report["prompt"] = prompt.messages[0].content.text
            report["errors"] = {
                "unknownTool": await error_of(call("nonsense", {})),
                "wrongType": await error_of(call("search", {"query": 42})),
                "unknownArgument": await error_of(call("search", {"query": "x", "colour": "red"})),
                "missingArgument": await error_of(call("show", {})),
                "hugeQuery": await error_of(call("search", {"query": "x" * 200_000})),
                "outOfRange": await error_of(call("search", {"query": "x", "limit": 100000})),
                "noSuchRecord": await error_of(call("show", {"ref": "RIS-999"})),
            }
            # Still serving after every error, and concurrent calls are answered.
            many = await asyncio.gather(*[call("search", {"query": "token"}) for _ in range(8)])
            report["concurrent"] = [plain(r)["isError"] for r in many]
    print(json.dumps(report))


asyncio.run(main())
