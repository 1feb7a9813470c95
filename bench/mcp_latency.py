"""The latency of `ris mcp` tool calls once the server is warm: JSON-RPC over the server's
stdin and stdout, timed from the request written to the response read (raw, no SDK, so the
figure is the server's). Prints {"search": [seconds...], "match": [...], "show": [...]}.

    mcp_latency.py RIS FOLDER RUNS LOG...

The first log warms the server; each timed match is of the next log, in turn: another record's
error lines in other noise. The noise's words recur from log to log, as a CI runner's do, so
their document counts are the server's from an earlier call: the figure is a long-running
server's steady state, not a first call's. (Before the server kept any count, the bench timed
one log again and again: figures of those runs are of another workload.)
"""
import json
import os
import subprocess
import sys
import time

ris, folder, runs, log_paths = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
server = subprocess.Popen([ris, "mcp"], cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env={**os.environ, "RIS_ACTOR": "bench@example.com"})
counter = [0]


def call(method, params):
    counter[0] += 1
    message = {"jsonrpc": "2.0", "id": counter[0], "method": method, "params": params}
    started = time.perf_counter()
    server.stdin.write((json.dumps(message) + "\n").encode())
    server.stdin.flush()
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("the server closed its output")
        answer = json.loads(line)
        if answer.get("id") == counter[0]:
            return time.perf_counter() - started, answer


call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "bench", "version": "1"}})
server.stdin.write(b'{"jsonrpc": "2.0", "method": "notifications/initialized"}\n')
server.stdin.flush()
logs = [open(path, encoding="utf-8").read() for path in log_paths]
_, found = call("tools/call", {"name": "search", "arguments": {"query": "manifest", "limit": 50}})
shown = next(r["id"] for r in found["result"]["structuredContent"]["results"] if not r.get("withheld"))
calls = {
    "search": {"name": "search", "arguments": {"query": "manifest"}},
    "match": {"name": "match", "arguments": {"log": logs[0]}},
    "show": {"name": "show", "arguments": {"ref": shown}},
}
times = {}
for tool, params in calls.items():
    call("tools/call", params)  # warm: the first call of each reads what later ones reuse
    if tool == "match":
        timed = [{"name": "match", "arguments": {"log": logs[1 + run % (len(logs) - 1)]}} for run in range(runs)] \
            if len(logs) > 1 else [params] * runs
    else:
        timed = [params] * runs
    times[tool] = [call("tools/call", each)[0] for each in timed]
server.stdin.close()
server.wait(timeout=30)
print(json.dumps(times))
