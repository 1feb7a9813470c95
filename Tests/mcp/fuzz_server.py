"""Hostile and malformed messages to `ris mcp` on its stdin, raw (no SDK): after each, a ping
must still be answered. Prints one JSON object: what was sent and answered, whether every line
of stdout was a JSON-RPC message, and how the server exited once stdin closed.

    fuzz_server.py RIS KB [SEED]
"""
import json
import os
import random
import select
import subprocess
import sys
import time

ris, kb = sys.argv[1], sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
server = subprocess.Popen(
    [ris, "mcp", "--kb", kb], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    env={"RIS_ACTOR": "fuzz@example.com", "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
buffer = b""
stdout_lines = []


def send(raw):
    server.stdin.write(raw if raw.endswith(b"\n") else raw + b"\n")
    server.stdin.flush()


def read_until(predicate, timeout=20.0):
    """Lines of stdout until one satisfies `predicate` (returned), or None at the timeout."""
    global buffer
    deadline = time.time() + timeout
    while time.time() < deadline:
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            stdout_lines.append(line)
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if predicate(message):
                return message
        ready, _, _ = select.select([server.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(server.stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            buffer += chunk
    return None


def request(method, params=None, ident=None):
    ident = ident if ident is not None else rng.randrange(1 << 30)
    message = {"jsonrpc": "2.0", "id": ident, "method": method}
    if params is not None:
        message["params"] = params
    send(json.dumps(message).encode())
    return read_until(lambda m: m.get("id") == ident)


alive = []
answered = request("initialize", {
    "protocolVersion": "2025-06-18", "capabilities": {},
    "clientInfo": {"name": "fuzz-client", "version": "0"}})
send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode())

hostile = [
    b"not json at all",
    b"{",
    b"[]",
    b"[1, 2, 3]",
    b"null",
    b"\"a string\"",
    b"{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"ping\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 2}",
    b"{\"jsonrpc\": \"2.0\", \"id\": {\"nested\": true}, \"method\": \"ping\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"no/such/method\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"tools/call\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": \"tools/call\", \"params\": 7}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 6, \"method\": \"tools/call\", \"params\": {\"name\": 12}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"tools/call\", \"params\": {\"name\": \"search\", \"arguments\": []}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 8, \"method\": \"tools/call\", \"params\": {\"name\": \"search\", \"arguments\": {\"query\": null}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"tools/call\", \"params\": {\"name\": \"show\", \"arguments\": {\"ref\": \"../../etc/passwd\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 10, \"method\": \"tools/call\", \"params\": {\"name\": \"add\", \"arguments\": {\"title\": \"\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 11, \"method\": \"tools/call\", \"params\": {\"name\": \"add\", \"arguments\": {\"title\": \"x\", \"date\": \"2026-02-31\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 12, \"method\": \"resources/read\", \"params\": {\"uri\": \"file:///etc/passwd\"}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 13, \"method\": \"resources/read\", \"params\": {\"uri\": \"ris://record/%2e%2e%2f%2e%2e%2fetc%2fpasswd\"}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 14, \"method\": \"prompts/get\", \"params\": {\"name\": \"nope\"}}",
    b"\xff\xfe\x00garbage\x00",
    b"{\"jsonrpc\": \"2.0\", \"id\": 15, \"method\": \"ping\", \"params\": " + b"[" * 5000 + b"]" * 5000 + b"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 16, \"method\": \"tools/call\", \"params\": {\"name\": \"search\", \"arguments\": {\"query\": \""
    + b"A" * 300_000 + b"\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 17, \"method\": \"tools/call\", \"params\": {\"name\": \"match\", \"arguments\": {\"log\": \""
    + b"line\\n" * 220_000 + b"\"}}}",
]
for _ in range(40):
    length = rng.randrange(1, 300)
    hostile.append(bytes(rng.randrange(32, 127) for _ in range(length)).replace(b"\n", b" "))
for _ in range(20):
    method = rng.choice(["tools/call", "resources/read", "prompts/get", "tools/list", "initialize"])
    params = rng.choice([None, {}, {"name": rng.choice(["search", "show", "match", "add", "x"])},
                         {"name": "search", "arguments": {"query": rng.choice([1, 1.5, True, [], {}, "q"])}},
                         {"uri": rng.choice(["", "ris://", "ris://record/", "ris://record/RIS-0"])}])
    hostile.append(json.dumps({"jsonrpc": "2.0", "id": rng.randrange(1000, 2000), "method": method,
                               "params": params}).encode())

for raw in hostile:
    send(raw)
    pong = request("ping")
    alive.append(pong is not None and "result" in pong)
    if server.poll() is not None:
        break

# How messages arrive: a line ending in CRLF, one written in pieces with pauses between them,
# two in one write with empty lines around them; each must be answered.
framing = {}
server.stdin.write(b'{"jsonrpc": "2.0", "id": 901, "method": "ping"}\r\n')
server.stdin.flush()
framing["crlf"] = read_until(lambda m: m.get("id") == 901) is not None
for piece in [b'{"jsonrpc": "2.0", ', b'"id": 902, "meth', b'od": "ping"}', b"\n"]:
    server.stdin.write(piece)
    server.stdin.flush()
    time.sleep(0.05)
framing["pieces"] = read_until(lambda m: m.get("id") == 902) is not None
server.stdin.write(b'\n\n{"jsonrpc": "2.0", "id": 903, "method": "ping"}\n\n{"jsonrpc": "2.0", "id": 904, "method": "ping"}\n')
server.stdin.flush()
# The server may answer the two in either order (it handles requests concurrently).
answered_ids = set()
framing["twoInOneWrite"] = read_until(lambda m: answered_ids.add(m.get("id")) or {903, 904} <= answered_ids) is not None

server.stdin.close()
try:
    status = server.wait(timeout=20)
except subprocess.TimeoutExpired:
    server.kill()
    status = "hung"
read_until(lambda m: False, timeout=0.5)
if buffer:
    stdout_lines.append(buffer)


# A stdin left non-blocking by another program that shares it: the server waits for input.
def non_blocking_stdin():
    other = subprocess.Popen(
        [ris, "mcp", "--kb", kb], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={"RIS_ACTOR": "fuzz@example.com", "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        preexec_fn=lambda: os.set_blocking(0, False))
    time.sleep(0.5)
    try:
        other.stdin.write(b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}\n')
        other.stdin.flush()
        ready, _, _ = select.select([other.stdout], [], [], 20)
        return bool(ready) and b'"id":1' in other.stdout.readline().replace(b" ", b"")
    except BrokenPipeError:
        return False
    finally:
        other.kill()
        other.wait()


framing["nonBlockingStdin"] = non_blocking_stdin()


def is_message(line):
    try:
        message = json.loads(line)
    except ValueError:
        return False
    return isinstance(message, dict) and message.get("jsonrpc") == "2.0"


print(json.dumps({
    "initialized": answered is not None and "result" in answered,
    "sent": len(hostile),
    "aliveAfterEach": alive,
    "stdoutOnlyMessages": all(is_message(line) for line in stdout_lines if line.strip()),
    "framing": framing,
    "exitStatus": status,
}))
