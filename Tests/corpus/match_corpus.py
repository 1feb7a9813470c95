#!/usr/bin/env python3
"""Generate a knowledge base and pasted error logs for testing `ris match` and `ris search`.

usage: python3 Tests/corpus/match_corpus.py [--seed S] [--records N] OUTDIR

Writes, under OUTDIR:
  docs/ris/RIS-NNN-slug.md   N records (default 60): one per failure family (26 families,
                             each with a real-looking error log in its Symptom), the rest
                             prose-only fillers about other topics
  hot-patterns.md            one hot pattern for about half of the families
  .ris/config.yaml           `hot-patterns: hot-patterns.md`
  logs/NN-family.log         two pasted logs per family: one with the full error, one with
                             a partial error; every run-specific token (timestamps, IDs,
                             UUIDs, digests, IPs, ports, hosts, accounts, ARNs, image tags,
                             line numbers, PIDs, sizes, home paths, quoted values) differs
                             from the record's copy
  EXPECTED-MATCH.json        the right first answers of the logs, and 30 search queries
                             with their relevant record IDs

Standard library only, deterministic for a given seed. After writing, the generator checks
its own output (no account ID, UUID, IP or hex digest of a log appears in its record) and
exits 1 if that check fails. See MATCH.md next to this script.
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import string
import sys

# --------------------------------------------------------------------------------------
# run-specific tokens
#
# Templates write a token as {{kind}} or {{kindN}} (e.g. {{uuid}}, {{uuid2}}, {{line3}}).
# In a record or log template the same key always gives the same value within one run;
# {{ts...}} keys are clocks that move forward at every use.

POOLS = {  # identifying names: a record and its two logs never share one
    "home": ["/home/alice", "/Users/bob", "/home/runner/work", "/Users/carol", "/home/ubuntu", "/Users/dmitri", "/home/deploy",
             "/Users/erin.k"],
    "region": ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ca-central-1"],
    "repo": ["credmate-backend", "billing-api", "ingest-fn", "auth-service", "reports-svc", "portal-web"],
    "svc": ["billing-api", "exports-worker", "portal-api", "notifier", "ledger-sync", "intake-api"],
    "org": ["acme", "globex", "initech", "hooli", "vandelay", "umbrella"],
    "app": ["ingest-worker", "pdf-renderer", "etl-worker", "thumbnailer", "scheduler-api"],
    "ns": ["prod", "workers", "batch", "platform", "staging"],
    "appdir": ["/usr/src/app", "/app", "/srv/app", "/opt/service"],
    "nodever": ["18.19.0", "20.11.1", "18.17.1", "20.9.0", "21.6.2"],
    "user": ["alice", "bob", "ci-bot", "carol", "deploy", "dmitri"],
    "hostname": ["mbp-alice.local", "runner-7", "build-02", "ip-10-4-1-9", "carol-xps", "gha-runner-31"],
    "bucket": ["acme-tfstate", "globex-terraform-state", "tfstate-prod-eu", "infra-state-7"],
    "stack": ["network", "platform/ecs", "data/rds", "edge"],
    "cluster": ["prod-main", "apps-eu", "core", "shared-1"],
    "apihost": ["api.acme.example", "portal.globex.example", "reports.initech.example", "app.hooli.example"],
    "proj": ["portal", "ledger", "intake", "backoffice"],
    "appport": ["8080", "8081", "9090", "8443"],
    "env": ["prod", "production", "live", "prd"],
}
CHOICES = {  # decoration drawn afresh at each use
    "lvl": ["INFO", "INFO", "INFO", "DEBUG", "WARNING"],
    "lv": ["info", "info", "info", "debug", "warn"],
    "res": ["licenses", "invoices", "users", "reports", "sessions", "orders"],
    "task": ["reports.build_csv", "billing.sync", "emails.send_digest", "exports.cleanup"],
    "pkg": ["boto3", "requests", "urllib3", "pydantic", "sqlalchemy", "httpx", "orjson"],
    "npmpkg": ["react-dom", "lodash", "@babel%2fcore", "typescript", "eslint", "zod"],
    "depr": ["inflight@1.0.6: This module is not supported, and leaks memory.",
             "glob@7.2.3: Glob versions prior to v9 are no longer supported",
             "rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported"],
    "other": ["api", "web", "scheduler", "redis-exporter", "otel-collector"],
    "tfres": ["aws_iam_role.task", "aws_security_group.api", "aws_s3_bucket.artifacts", "aws_ecs_cluster.main",
              "aws_sqs_queue.jobs", "aws_cloudwatch_log_group.app"],
    "word": ["alpha", "jobs", "audit", "edge", "blue", "core", "sync"],
    "target": ["deploy", "push", "release", "image"],
}
NOT_UNIQUE = {"num", "d", "ms", "sec", "kb", "mb", "col"}  # small counters may repeat
FRESH_IN_NOISE = {"uuid", "ip", "pubip", "port", "sha", "git", "layer", "short", "big", "num", "d", "ms",
                  "sec", "kb", "mb", "line", "col", "podsfx", "ver"}
CLOCKS = {
    "tspy": lambda t: t.strftime("%Y-%m-%d %H:%M:%S,") + f"{t.microsecond // 1000:03d}",
    "tsiso": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z",
    "tsgha": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond * 10 + 7:07d}Z",
    "tsjava": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z",
    "tsgo": lambda t: t.strftime("%Y/%m/%d %H:%M:%S"),
    "tsclf": lambda t: t.strftime("%d/%b/%Y:%H:%M:%S +0000"),
    "tsrfc": lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ"),
    "tskube": lambda t: t.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    "tspg": lambda t: t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}",
    "tstf": lambda t: t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond:06d}{t.second:03d}",
    "tsnpm": lambda t: t.strftime("%Y-%m-%dT%H_%M_%S_") + f"{t.microsecond // 1000:03d}Z",
}
KEY = re.compile(r"\{\{([a-z]+)(\d*)\}\}")


def _hex(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _alnum(rng, n, alphabet=string.ascii_lowercase + string.digits):
    return "".join(rng.choice(alphabet) for _ in range(n))


GEN = {  # kind -> function(rng, tokens) giving a new value
    "acct": lambda r, t: str(r.randint(10 ** 11, 10 ** 12 - 1)),
    "uuid": lambda r, t: f"{_hex(r, 8)}-{_hex(r, 4)}-4{_hex(r, 3)}-{r.choice('89ab')}{_hex(r, 3)}-{_hex(r, 12)}",
    "ip": lambda r, t: f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}",
    "pubip": lambda r, t: f"{r.choice([3, 18, 34, 52, 54, 81, 92])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}",
    "dockip": lambda r, t: f"172.{r.randint(17, 30)}.0.{r.randint(2, 30)}",
    "port": lambda r, t: str(r.randint(30000, 65000)),
    "sha": lambda r, t: _hex(r, 64),
    "git": lambda r, t: _hex(r, 40),
    "layer": lambda r, t: _hex(r, 12),
    "rev": lambda r, t: _hex(r, 12),
    "short": lambda r, t: _hex(r, 7),
    "addr": lambda r, t: "1" + _hex(r, 6),
    "off": lambda r, t: _hex(r, 3).lstrip("0") or "1f",
    "smallhex": lambda r, t: _hex(r, 2).lstrip("0") or "8",
    "pid": lambda r, t: str(r.randint(1000, 65000)),
    "big": lambda r, t: str(r.randint(1000, 999999)),
    "line": lambda r, t: str(r.randint(10, 2999)),
    "col": lambda r, t: str(r.randint(2, 80)),
    "num": lambda r, t: str(r.randint(2, 99)),
    "d": lambda r, t: str(r.randint(0, 9)),
    "ms": lambda r, t: str(r.randint(3, 9999)),
    "sec": lambda r, t: str(r.randint(1, 300)),
    "kb": lambda r, t: str(r.randint(1, 9999)),
    "mb": lambda r, t: str(r.randint(10, 4000)),
    "mem": lambda r, t: r.choice(["256Mi", "384Mi", "512Mi", "640Mi", "1536Mi", "2Gi", "3Gi"]),
    "podsfx": lambda r, t: f"{_alnum(r, r.choice([9, 10]))}-{_alnum(r, 5)}",
    "bkid": lambda r, t: _alnum(r, 25),
    "ddbreq": lambda r, t: _alnum(r, 52, string.ascii_uppercase + string.digits),
    "tag": lambda r, t: r.choice([f"v{r.randint(1, 4)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
                                  f"sha-{_hex(r, 7)}", f"build-{r.randint(100, 9999)}",
                                  f"main-{_hex(r, 8)}", f"rc{r.randint(1, 9)}-{_hex(r, 6)}"]),
    "ver": lambda r, t: f"{r.randint(0, 3)}.{r.randint(0, 40)}.{r.randint(0, 20)}",
    "thread": lambda r, t: f"http-nio-{t.get('appport', '{{appport}}')}-exec-{r.randint(1, 40)}",
    "ipdash": lambda r, t: f"10-{r.randint(0, 255)}-{r.randint(0, 255)}-{r.randint(2, 254)}",
    "notafter": lambda r, t: (t.clock - dt.timedelta(days=r.randint(1, 40))).strftime("%Y-%m-%dT%H:%M:%SZ"),
}


class Tokens:
    """The run-specific values of one record or one pasted log.

    `used` is shared by a family's record and its logs, so no identifying value is drawn
    twice for the same family.
    """

    def __init__(self, rng, used, pools, start):
        self.rng, self.used, self.pools, self.clock = rng, used, pools, start
        self.cache = {}

    def new(self, kind):
        """A value of `kind` not used before in this family."""
        rng = self.rng
        for _ in range(500):
            if kind in self.pools or kind in POOLS:
                value = rng.choice(self.pools.get(kind) or POOLS[kind])
            elif kind in CHOICES:
                return rng.choice(CHOICES[kind])
            elif kind in GEN:
                value = GEN[kind](rng, self)
            else:
                raise KeyError(f"unknown token kind {kind!r}")
            if kind in NOT_UNIQUE or value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError(f"token pool {kind!r} exhausted")

    def get(self, kind, key, local=None):
        """The value for a template key. With `local` (a noise snippet's own cache), IDs,
        counters and choices are new for the snippet; names (hosts, accounts ...) stay."""
        if kind in CLOCKS:
            self.clock += dt.timedelta(milliseconds=self.rng.randint(3, 1800))
            return CLOCKS[kind](self.clock)
        cache = local if local is not None and (kind in FRESH_IN_NOISE or kind in CHOICES) else self.cache
        if key not in cache:
            cache[key] = self.new(kind)
        return cache[key]

    def fill(self, template, local=None):
        """Replace every {{key}} of a template."""
        return KEY.sub(lambda m: self.get(m.group(1), m.group(0), local), template)


# --------------------------------------------------------------------------------------
# noise: the lines around an error in a pasted log. Each style has a line prefix and
# snippets (one or more lines) drawn at random; within a snippet a key keeps its value,
# across snippets IDs and counters are new. A line starting with "!" gets no prefix.

NOISE = {
    "py": ("{{tspy}} {{lvl}} [{{svc}}] ", [
        "GET /api/v1/{{res}}/{{uuid}} 200 {{ms}}ms", "POST /api/v1/{{res}} 201 {{ms}}ms",
        "task {{task}}[{{uuid}}] received\ntask {{task}}[{{uuid}}] succeeded in {{sec}}.{{num}}s: None",
        "healthcheck ok db={{ms}}ms cache={{num}}ms", "pool stats: size=10 checked_out={{d}} overflow=0",
        "retrying request {{uuid}} in {{d}}s (attempt 2/5)", "loaded {{big}} rows from staging in {{ms}}ms",
        "user {{big}} logged in from {{ip}}", "cache miss for key tenant:{{big}}:settings"]),
    "node": ("{{tsiso}} {{lv}}: ", [
        "GET /health 200 {{ms}} ms - {{num}}b", "POST /v1/{{res}} 201 {{ms}} ms - {{kb}}b",
        "request {{uuid}} completed in {{ms}}ms", "queue depth {{num}}, in-flight {{d}}",
        "loaded config for tenant {{big}}", "upstream {{ip}}:{{port}} responded in {{ms}}ms"]),
    "lambda": ("{{tsiso}} ", [
        "START RequestId: {{uuid}} Version: $LATEST\n[INFO]\t{{uuid}}\tprocessed invoice batch {{big}} ({{num}} items)\n"
        "END RequestId: {{uuid}}\nREPORT RequestId: {{uuid}}\tDuration: {{ms}}.{{num}} ms\tBilled Duration: {{ms}} ms\t"
        "Memory Size: 512 MB\tMax Memory Used: {{num}} MB",
        "[INFO]\t{{uuid}}\tfetched tenant settings in {{ms}} ms"]),
    "k8s": ("", [
        "{{num}}m   Normal   Pulled   pod/{{other}}-{{podsfx}}   Container image \"{{other}}:{{tag}}\" already present on machine\n"
        "{{num}}m   Normal   Started   pod/{{other}}-{{podsfx}}   Started container {{other}}",
        "$ kubectl get pods -n {{ns}}\nNAME                          READY   STATUS    RESTARTS   AGE\n"
        "{{other}}-{{podsfx}}   1/1     Running   0          {{num}}h\n{{other}}-{{podsfx2}}   1/1     Running   0          {{num}}h",
        "$ kubectl get events -n {{ns}} --sort-by=.lastTimestamp | tail -n 3\n"
        "{{num}}m   Normal   Scheduled   pod/{{other}}-{{podsfx}}   Successfully assigned {{ns}}/{{other}}-{{podsfx}} to ip-{{ipdash}}.{{region}}.compute.internal\n"
        "{{num}}m   Normal   Pulled   pod/{{other}}-{{podsfx}}   Container image \"{{other}}:{{tag}}\" already present on machine\n"
        "{{num}}m   Normal   Started   pod/{{other}}-{{podsfx}}   Started container {{other}}",
        "$ kubectl top pod -n {{ns}}\nNAME                          CPU(cores)   MEMORY(bytes)\n{{other}}-{{podsfx}}   {{num}}m   {{mb}}Mi",
        "$ kubectl rollout status deployment/{{other}} -n {{ns}}\n"
        "Waiting for deployment \"{{other}}\" rollout to finish: 1 of 3 updated replicas are available...\n"
        "deployment \"{{other}}\" successfully rolled out",
        "$ kubectl apply -f k8s/{{other}}.yaml\ndeployment.apps/{{other}} configured\nservice/{{other}} unchanged"]),
    "ci": ("{{tsgha}} ", [
        "Collecting {{pkg}}=={{ver}} (from -r requirements.txt (line {{num}}))\n"
        "  Downloading {{pkg}}-{{ver}}-py3-none-any.whl ({{kb}} kB)\n"
        "     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {{kb}}.{{d}}/{{kb}}.{{d}} kB {{num}}.{{d}} MB/s eta 0:00:00",
        "##[group]Run actions/checkout@v4\nwith:\n  repository: {{org}}/{{repo}}\n  fetch-depth: 1\n##[endgroup]\n"
        "Syncing repository: {{org}}/{{repo}}",
        "Download action repository 'actions/setup-python@v5' (SHA:{{git}})",
        "##[group]Run actions/setup-python@v5\nInstalled versions\n  Successfully set up CPython (3.12.{{d}})\n##[endgroup]",
        "Cache restored from key: setup-python-Linux-pip-{{sha}}"]),
    "docker": ("", [
        " => [{{d}}/9] RUN pip install --no-cache-dir {{pkg}}=={{ver}}                 {{sec}}.{{d}}s",
        " => [internal] load build context                                   0.{{d}}s\n"
        " => => transferring context: {{kb}}kB                                  0.{{d}}s",
        " => CACHED [{{d}}/9] RUN apt-get update && apt-get install -y --no-install-recommends gcc   0.0s",
        " => => resolve docker.io/library/python:3.11-slim@sha256:{{sha}}   0.0s",
        "$ docker images | head -2\nREPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n{{repo}}   {{tag}}   {{layer}}   {{num}} minutes ago   {{mb}}MB",
        "$ git log --oneline -3\n{{short}} Bump dependencies\n{{short2}} Update CI cache keys\n{{short3}} Fix healthcheck path"]),
    "shell": ("", [
        "{{layer}}: Pushed",
        "$ git pull --rebase\nAlready up to date.", "$ aws sts get-caller-identity --query Account --output text\n{{acct}}",
        "$ make {{target}}\nmake: Entering directory '{{home}}/src/{{repo}}'",
        "{{layer}}: Pushed\n{{layer2}}: Layer already exists\n{{tag}}: digest: sha256:{{sha}} size: {{kb}}",
        "$ cd {{home}}/src/{{repo}}\n$ git status -sb\n## main...origin/main",
        "$ docker images | head -2\nREPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n{{repo}}   {{tag}}   {{layer}}   {{num}} minutes ago   {{mb}}MB"]),
    "tf": ("", [
        "{{tfres}}: Refreshing state... [id={{word}}-{{short}}]",
        "data.aws_caller_identity.current: Reading...\ndata.aws_caller_identity.current: Read complete after 0s [id={{acct}}]",
        "module.vpc.aws_subnet.private[{{d}}]: Refreshing state... [id=subnet-{{layer}}]",
        "Initializing the backend...\nInitializing provider plugins...\n- Reusing previous version of hashicorp/aws from the dependency lock file\n"
        "- Using previously-installed hashicorp/aws v5.{{num}}.0\n\nTerraform has been successfully initialized!",
        "{{tfres}}: Modifying... [id={{word}}-{{short}}]\n{{tfres}}: Modifications complete after {{d}}s [id={{word}}-{{short}}]"]),
    "java": ("{{tsjava}}  {{lvl}} {{pid}} --- [{{thread}}] ", [
        "c.{{org}}.reports.ReportController      : GET /reports/{{big}} completed in {{ms}} ms",
        "o.s.web.servlet.DispatcherServlet        : Completed initialization in {{num}} ms",
        "com.zaxxer.hikari.HikariPool             : HikariPool-1 - Pool stats (total=10, active={{d}}, idle={{d}}, waiting=0)",
        "c.{{org}}.reports.ExcelExportService    : exporting report {{uuid}} ({{big}} rows)",
        "![{{sec}}.{{num}}s][info][gc] GC({{big}}) Pause Young (Normal) (G1 Evacuation Pause) {{mb}}M->{{mb2}}M({{mb3}}M) {{num}}.{{num2}}ms"]),
    "go": ("{{tsgo}} ", [
        'level=info msg="request completed" method=GET path=/v1/{{res}}/{{uuid}} status=200 duration={{ms}}ms',
        'level=debug msg="cache hit" key=tenant:{{big}}', 'level=warn msg="slow query" duration={{ms}}ms table=invoices',
        'level=info msg="worker heartbeat" worker={{big}} queue=webhooks depth={{num}}']),
    "nginx": ("", [
        '{{pubip}} - - [{{tsclf}}] "GET /api/v1/{{res}}/{{big}} HTTP/1.1" 200 {{big2}} "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)" rt=0.{{num}} uct=0.000 uht=0.{{num}} urt=0.{{num}}',
        '{{pubip}} - - [{{tsclf}}] "GET /static/js/main.{{layer}}.js HTTP/1.1" 304 0 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" rt=0.000',
        "{{tsgo}} [warn] {{pid}}#{{pid}}: *{{big}} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{{d}}/{{num}}/{{big2}} while reading upstream"]),
    "npm": ("", [
        "npm WARN deprecated {{depr}}",
        "npm http fetch GET 200 https://registry.npmjs.org/{{npmpkg}} {{ms}}ms (cache revalidated)",
        "npm timing idealTree:#root Completed in {{ms}}ms",
        "added {{big}} packages, and audited {{big2}} packages in {{sec}}s\n\n{{num}} packages are looking for funding\n  run `npm fund` for details",
        "npm notice New minor version of npm available! 10.{{d}}.0 -> 10.{{num}}.{{d2}}"]),
}


def noise(tokens, style, count):
    """`count` lines of the log style: half of the snippets are the style's first (everyday)
    snippet, the others come from a shuffled deck of the rest; the last one is cut short."""
    prefix, snippets = NOISE[style]
    out, deck = [], []
    while len(out) < count:
        if tokens.rng.random() < 0.5 or len(snippets) == 1:
            snippet = snippets[0]
        else:
            deck = deck or tokens.rng.sample(snippets[1:], len(snippets) - 1)
            snippet = deck.pop()
        local = {}
        for line in snippet.split("\n"):
            text = line[1:] if line.startswith("!") else (prefix + line if line else "")
            out.append(tokens.fill(text, local))
    return out[:count]


# --------------------------------------------------------------------------------------
# failure families: one record each, two pasted logs each

PY = "{{home}}/.venv/lib/python3.11/site-packages"
FAMILIES = [
    dict(slug="lambda-manifest", sev="CRITICAL", style="shell", title="Lambda rejected image pushed from Docker Desktop (OCI manifest)",
         context="Deploying the image built on a Mac failed at `update-function-code`:",
         core="""$ docker buildx build --platform linux/amd64 -t {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}} --push .
#{{num}} exporting to image
#{{num}} exporting layers {{d}}.{{num2}}s done
#{{num}} pushing manifest for {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}}@sha256:{{sha}} 0.{{num3}}s done
#{{num}} DONE {{sec}}.{{d2}}s
$ aws lambda update-function-code --function-name {{repo}} --image-uri {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}}

An error occurred (InvalidParameterValueException) when calling the UpdateFunctionCode operation: The image manifest or layer media type for the source image {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}} is not supported.""",
         partial="An error occurred (InvalidParameterValueException) when calling the UpdateFunctionCode operation: The image manifest or layer media type for the source image {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}} is not supported.",
         cause="BuildKit in Docker Desktop pushed an OCI image index with provenance and SBOM attestations. Lambda accepts only Docker v2 schema 2 manifests.",
         fix="Rebuild with `docker buildx build --platform linux/amd64 --provenance=false --sbom=false --oci-mediatypes=false` and push again.\nThen run `aws lambda update-function-code` with the new tag.",
         prevent="The build script sets the three flags, and the deploy job checks the manifest mediaType in ECR before calling Lambda.",
         hp=('Lambda Deployment: "manifest media type not supported"',
             "lambda, manifest, media type, OCI, docker v2, InvalidParameterValueException",
             "The image manifest or layer media type for the source image is not supported.")),
    dict(slug="ecr-token-expired", sev="HIGH", style="shell", title="ECR push denied: authorization token expired on the deploy runner",
         context="The deploy job on the self-hosted runner stopped at the push:",
         core="""$ docker push {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}}
The push refers to repository [{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}]
{{layer}}: Preparing
{{layer2}}: Preparing
{{layer3}}: Preparing
{{layer}}: Waiting
{{layer2}}: Waiting
denied: Your authorization token has expired. Reauthenticate and try again.""",
         partial="denied: Your authorization token has expired. Reauthenticate and try again.",
         cause="The runner reused a docker config.json holding an ECR login from the day before; ECR authorization tokens are valid for 12 hours.",
         fix="Run `aws ecr get-login-password --region <region> | docker login --username AWS --password-stdin <registry>` in the job, right before the push.",
         prevent="Every job that pushes logs in itself; the runner image no longer keeps ~/.docker/config.json between jobs.",
         hp=('ECR: "authorization token has expired"', "ecr, docker login, docker push, token expired, denied",
             "denied: Your authorization token has expired. Reauthenticate and try again.")),
    dict(slug="redis-refused", sev="HIGH", style="py", title="Session cache down: Redis connection refused after node replacement",
         pools={"rhost": ["redis-primary.internal", "redis-cache-2.prod.internal",
                          "cache.staging.svc.cluster.local", "redis.sessions.internal"],
                "rport": ["6379", "6380", "16379", "6390"]},
         context="Every login failed with a 500; the API log showed:",
         core=f"""Traceback (most recent call last):
  File "{PY}/redis/connection.py", line {{{{line}}}}, in connect
    sock = self.retry.call_with_retry(
  File "{PY}/redis/retry.py", line {{{{line2}}}}, in call_with_retry
    return do()
  File "{PY}/redis/connection.py", line {{{{line3}}}}, in _connect
    raise err
ConnectionRefusedError: [Errno 111] Connection refused

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "{{{{home}}}}/src/{{{{repo}}}}/app/sessions.py", line {{{{line4}}}}, in load_session
    raw = client.get(f"session:{{sid}}")
  File "{PY}/redis/commands/core.py", line {{{{line5}}}}, in get
    return self.execute_command("GET", name)
redis.exceptions.ConnectionError: Error 111 connecting to {{{{rhost}}}}:{{{{rport}}}}. Connection refused.""",
         partial="redis.exceptions.ConnectionError: Error 111 connecting to {{rhost}}:{{rport}}. Connection refused.",
         cause="The Redis node was replaced during maintenance, but the service still pointed at the old node through a hard-coded REDIS_HOST; nothing listened there any more.",
         fix="Point REDIS_URL at the replication group's primary endpoint in the service environment and redeploy.",
         prevent="Services get the Redis endpoint from the parameter store; maintenance runbooks list the services to restart.",
         hp=('Redis: "Error 111 connecting ... Connection refused"', "redis, ConnectionError, Error 111, connection refused, REDIS_URL",
             "redis.exceptions.ConnectionError: Error 111 connecting to <host>:<port>. Connection refused.")),
    dict(slug="k8s-oomkilled", sev="HIGH", style="k8s", title="Ingest worker in CrashLoopBackOff, OOMKilled on large exports",
         context="The worker pod kept restarting and the queue backed up:",
         core="""$ kubectl get pods -n {{ns}}
NAME                          READY   STATUS             RESTARTS        AGE
{{app}}-{{podsfx}}   0/1     CrashLoopBackOff   {{num}} ({{num2}}s ago)   {{num3}}m
$ kubectl describe pod {{app}}-{{podsfx}} -n {{ns}}
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      {{tskube}}
      Finished:     {{tskube}}
    Restart Count:  {{num}}
    Limits:
      memory:  {{mem}}
Events:
  Type     Reason   Age                   From     Message
  ----     ------   ----                  ----     -------
  Warning  BackOff  {{num4}}s (x{{num5}} over {{num3}}m)  kubelet  Back-off restarting failed container {{app}} in pod {{app}}-{{podsfx}}_{{ns}}({{uuid}})""",
         partial="""    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137""",
         cause="The worker loaded each export file into memory; a 1.8 GB customer file pushed it past the container's memory limit and the kernel OOM killer ended it (exit code 137).",
         fix="Stream the file in 8 MB chunks instead of reading it whole.\nRaise the memory limit to 1Gi with a request of 768Mi.",
         prevent="A load test with the largest customer file runs before each release; memory usage above 80% of the limit pages the on-call.",
         hp=("Kubernetes: CrashLoopBackOff with OOMKilled (exit code 137)", "kubernetes, crashloopbackoff, oomkilled, 137, memory limit, back-off restarting",
             "Back-off restarting failed container / Last State: Terminated, Reason: OOMKilled, Exit Code: 137")),
    dict(slug="pg-connection-slots", sev="CRITICAL", style="py", title="Postgres ran out of connection slots after scaling the API",
         pools={"pghost": ["db-prod.cluster-abc.internal", "pg-main.internal", "postgres-1.prod.internal",
                           "orders-db.internal"], "pgport": ["5432", "5433", "6432", "5434"]},
         context="After the API was scaled from 3 to 6 pods, half the requests failed:",
         core=f"""Traceback (most recent call last):
  File "{PY}/django/db/backends/base/base.py", line {{{{line}}}}, in ensure_connection
    self.connect()
  File "{PY}/django/db/backends/postgresql/base.py", line {{{{line2}}}}, in get_new_connection
    connection = Database.connect(**conn_params)
  File "{PY}/psycopg2/__init__.py", line {{{{line3}}}}, in connect
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
psycopg2.OperationalError: connection to server at "{{{{pghost}}}}" ({{{{ip}}}}), port {{{{pgport}}}} failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections

The above exception was the direct cause of the following exception:

django.db.utils.OperationalError: connection to server at "{{{{pghost}}}}" ({{{{ip}}}}), port {{{{pgport}}}} failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections""",
         partial="{{tspg}} UTC [{{pid}}] FATAL:  remaining connection slots are reserved for non-replication superuser connections",
         cause="Each gunicorn worker kept its own persistent connections (CONN_MAX_AGE=None); with 6 pods x 24 workers the total passed max_connections=100.",
         fix="Put PgBouncer in transaction pooling mode in front of Postgres and point DATABASE_URL at it.\nSet CONN_MAX_AGE=60.",
         prevent="Connection count per pod is part of the scaling checklist; an alarm fires at 80% of max_connections.",
         hp=('Postgres: "remaining connection slots are reserved"', "postgres, max_connections, too many connections, pgbouncer, FATAL",
             "FATAL:  remaining connection slots are reserved for non-replication superuser connections")),
    dict(slug="psycopg2-connect", sev="MEDIUM", style="shell", title="API container starts before Postgres is ready in docker compose",
         pools={"pghost": ["db", "postgres", "pg", "database"], "pgport": ["5432", "5433", "5434", "15432"]},
         context="`docker compose up` on a fresh checkout left the API exited:",
         core="""$ docker compose up api
[+] Running 2/2
 ✔ Container {{proj}}-db-1   Running
 ✔ Container {{proj}}-api-1  Created
Attaching to {{proj}}-api-1
{{proj}}-api-1  | Traceback (most recent call last):
{{proj}}-api-1  |   File "{{appdir}}/app/db.py", line {{line}}, in <module>
{{proj}}-api-1  |     conn = psycopg2.connect(DATABASE_URL)
{{proj}}-api-1  |   File "/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py", line {{line2}}, in connect
{{proj}}-api-1  |     conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
{{proj}}-api-1  | psycopg2.OperationalError: could not connect to server: Connection refused
{{proj}}-api-1  | 	Is the server running on host "{{pghost}}" ({{dockip}}) and accepting
{{proj}}-api-1  | 	TCP/IP connections on port {{pgport}}?
{{proj}}-api-1 exited with code 1""",
         partial="psycopg2.OperationalError: could not connect to server: Connection refused",
         cause="The api service started as soon as the db container was created, before Postgres accepted connections; depends_on waited only for the container to start.",
         fix="Add a `pg_isready` healthcheck to the db service and `depends_on: db: condition: service_healthy` to the api service.",
         prevent="The compose file is started from scratch in CI on every change to it.", hp=None),
    dict(slug="node-missing-module", sev="HIGH", style="node",
         title="Upload service crashes on start: @aws-sdk/client-s3 missing from image",
         context="The new upload service task stopped right after start; its log:",
         core="""node:internal/modules/cjs/loader:{{line}}
  throw err;
  ^

Error: Cannot find module '@aws-sdk/client-s3'
Require stack:
- {{appdir}}/dist/storage/upload.js
- {{appdir}}/dist/server.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:{{line}}:15)
    at Module._load (node:internal/modules/cjs/loader:{{line2}}:27)
    at Module.require (node:internal/modules/cjs/loader:{{line3}}:19)
    at require (node:internal/modules/cjs/helpers:{{line4}}:18)
    at Object.<anonymous> ({{appdir}}/dist/storage/upload.js:{{line5}}:{{col}})
    at Module._compile (node:internal/modules/cjs/loader:{{line6}}:14) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [ '{{appdir}}/dist/storage/upload.js', '{{appdir}}/dist/server.js' ]
}

Node.js v{{nodever}}""",
         partial="Error: Cannot find module '@aws-sdk/client-s3'\nRequire stack:\n- {{appdir}}/dist/storage/upload.js",
         cause="The image runs `npm ci --omit=dev`, and @aws-sdk/client-s3 had been added under devDependencies, so the production image did not contain it.",
         fix="Move @aws-sdk/client-s3 to dependencies, commit the lockfile and rebuild the image.",
         prevent="The image's smoke test starts the server and requires every entry point.", hp=None),
    dict(slug="node-openssl-legacy", sev="MEDIUM", style="npm", title="Frontend build fails on Node 18 with ERR_OSSL_EVP_UNSUPPORTED",
         context="`npm run build` broke after the CI image moved to Node 18:",
         core="""$ npm run build

> {{repo}}@{{ver}} build
> webpack --mode production

node:internal/crypto/hash:{{line}}
  const hash = new _Hash(algorithm, xofLen);
               ^

Error: error:0308010C:digital envelope routines::unsupported
    at new Hash (node:internal/crypto/hash:{{line2}}:19)
    at Object.createHash (node:crypto:{{line3}}:10)
    at module.exports ({{home}}/src/{{repo}}/node_modules/webpack/lib/util/createHash.js:{{line4}}:53)
    at NormalModule._initBuildHash ({{home}}/src/{{repo}}/node_modules/webpack/lib/NormalModule.js:{{line5}}:16)
    at handleParseError ({{home}}/src/{{repo}}/node_modules/webpack/lib/NormalModule.js:{{line6}}:10) {
  opensslErrorStack: [ 'error:03000086:digital envelope routines::initialization error' ],
  library: 'digital envelope routines',
  reason: 'unsupported',
  code: 'ERR_OSSL_EVP_UNSUPPORTED'
}

Node.js v{{nodever}}""",
         partial="  reason: 'unsupported',\n  code: 'ERR_OSSL_EVP_UNSUPPORTED'\n}",
         cause="Node 17 and later ship OpenSSL 3, which disables the md4 hash that webpack 4 uses for module hashes.",
         fix="Upgrade to webpack 5.61 or later, which has its own md4.\nAs a stopgap, set `NODE_OPTIONS=--openssl-legacy-provider`.",
         prevent="The Node version is pinned in .nvmrc and in the CI image, and bumped in its own pull request.",
         hp=('Node: "ERR_OSSL_EVP_UNSUPPORTED" in webpack build', "node 17, node 18, openssl 3, webpack 4, md4, digital envelope routines",
             "Error: error:0308010C:digital envelope routines::unsupported ... code: 'ERR_OSSL_EVP_UNSUPPORTED'")),
    dict(slug="java-heap-space", sev="HIGH", style="java", title="Report export runs out of Java heap space on large workbooks",
         context="Downloading the yearly report returned a 500; the service log:",
         core="""{{tsjava}} ERROR {{pid}} --- [{{thread}}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception
java.lang.OutOfMemoryError: Java heap space
\tat java.base/java.util.Arrays.copyOf(Arrays.java:{{line}})
\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:{{line2}})
\tat java.base/java.io.ByteArrayOutputStream.write(ByteArrayOutputStream.java:{{line3}})
\tat org.apache.poi.xssf.streaming.SXSSFWorkbook.write(SXSSFWorkbook.java:{{line4}})
\tat com.{{org}}.reports.ExcelExportService.export(ExcelExportService.java:{{line5}})
\tat com.{{org}}.reports.ReportController.download(ReportController.java:{{line6}})
\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:{{line7}})
[{{sec}}.{{num}}s][info][gc] GC({{big}}) Pause Full (G1 Compaction Pause) {{mb}}M->{{mb2}}M({{mb3}}M) {{ms}}.{{num2}}ms""",
         partial='Exception in thread "{{thread}}" java.lang.OutOfMemoryError: Java heap space',
         cause="The Excel export built the whole workbook in a ByteArrayOutputStream; a 400k-row report needed more than the 1 GB heap (-Xmx1g).",
         fix="Stream the workbook straight to the response output stream instead of buffering it.",
         prevent="Exports above 100k rows run as background jobs that write to object storage.", hp=None),
    dict(slug="go-nil-pointer", sev="HIGH", style="go",
         title="Billing API panics with nil pointer dereference when the Stripe key is unset",
         context="The billing API restarted on every invoice request in the new environment:",
         core="""panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x{{smallhex}} pc=0x{{addr}}]

goroutine {{big}} [running]:
github.com/{{org}}/{{repo}}/internal/billing.(*Client).Invoice(0x0, {0x{{addr2}}, 0xc000{{short}}}, 0xc000{{short2}})
\t{{home}}/go/src/github.com/{{org}}/{{repo}}/internal/billing/client.go:{{line}} +0x{{off}}
github.com/{{org}}/{{repo}}/internal/api.(*Server).handleInvoice(0xc000{{short3}}, {0x{{addr3}}, 0xc000{{short4}}}, 0xc000{{short5}})
\t{{home}}/go/src/github.com/{{org}}/{{repo}}/internal/api/invoice.go:{{line2}} +0x{{off2}}
net/http.HandlerFunc.ServeHTTP(0x0?, {0x{{addr4}}?, 0xc000{{short6}}?}, 0x0?)
\t/usr/local/go/src/net/http/server.go:{{line3}} +0x{{off3}}
exit status 2""",
         partial="panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x{{smallhex}} pc=0x{{addr}}]",
         cause="billing.NewClient returned (nil, err) when STRIPE_API_KEY was unset; main logged the error and went on, so the handler called a method on a nil *Client.",
         fix="Exit at startup when NewClient returns an error.",
         prevent="Required settings are validated in one place before the server starts.", hp=None),
    dict(slug="terraform-state-lock", sev="MEDIUM", style="tf", title="Terraform apply blocked by stale DynamoDB state lock",
         context="Every plan and apply on the stack failed after a cancelled CI run:",
         core="""$ terraform apply -auto-approve
Acquiring state lock. This may take a few moments...
╷
│ Error: Error acquiring the state lock
│
│ Error message: operation error DynamoDB: PutItem, https response error StatusCode: 400, RequestID:
│ {{ddbreq}}, ConditionalCheckFailedException: The conditional request failed
│ Lock Info:
│   ID:        {{uuid}}
│   Path:      {{bucket}}/{{stack}}/terraform.tfstate
│   Operation: OperationTypeApply
│   Who:       {{user}}@{{hostname}}
│   Version:   1.{{d}}.{{d2}}
│   Created:   {{tstf}} +0000 UTC
│   Info:
│
│
│ Terraform acquires a state lock to protect the state from being written
│ by multiple users at the same time. Please resolve the issue above and try
│ again. For most commands, you can disable locking with the "-lock=false"
│ flag, but this is not recommended.
╵""",
         partial="│ Error: Error acquiring the state lock\n│ {{ddbreq}}, ConditionalCheckFailedException: The conditional request failed",
         cause="A CI apply was cancelled mid-run and the runner was killed before Terraform released its DynamoDB lock, so the stale lock blocked every later run.",
         fix="Check that no apply is running, then `terraform force-unlock <LOCK_ID>`.",
         prevent="CI jobs of one stack share a concurrency group and are never cancelled during apply.",
         hp=('Terraform: "Error acquiring the state lock"', "terraform, state lock, dynamodb, ConditionalCheckFailedException, force-unlock",
             "Error: Error acquiring the state lock ... ConditionalCheckFailedException: The conditional request failed")),
    dict(slug="terraform-inconsistent-plan", sev="MEDIUM", style="tf",
         title="Terraform apply fails: provider produced inconsistent final plan for the ECS task definition",
         pools={"svcname": ["api", "worker", "web", "cron"]},
         context="The deploy pipeline failed in the apply step:",
         core="""aws_ecs_task_definition.{{svcname}}: Refreshing state... [id={{svcname}}]
aws_ecs_service.{{svcname}}: Refreshing state... [id=arn:aws:ecs:{{region}}:{{acct}}:service/{{cluster}}/{{svcname}}]
Plan: 0 to add, {{d}} to change, 0 to destroy.
aws_ecs_task_definition.{{svcname}}: Modifying... [id={{svcname}}]
╷
│ Error: Provider produced inconsistent final plan
│
│ When expanding the plan for aws_ecs_task_definition.{{svcname}} to include new values learned so far
│ during apply, provider "registry.terraform.io/hashicorp/aws" produced an invalid new value for
│ .container_definitions: was cty.StringVal("[{\\"image\\":\\"{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag}}\\"}]"),
│ but now cty.StringVal("[{\\"image\\":\\"{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{repo}}:{{tag2}}\\"}]").
│
│ This is a bug in the provider, which should be reported in the provider's own issue tracker.
╵""",
         partial="│ Error: Provider produced inconsistent final plan",
         cause="The image tag came from an `aws_ecr_image` data source with most_recent = true, read again during apply while CI pushed a newer image, so the value changed between plan and apply.",
         fix="Pass the image digest from the build job as a variable and re-run the apply.",
         prevent="Deploy inputs are fixed before plan; no data source reads moving tags.", hp=None),
    dict(slug="npm-eresolve", sev="LOW", style="npm", title="npm install fails with ERESOLVE after the React 18 upgrade",
         context="Installing after the React upgrade stopped with:",
         core="""$ npm install
npm ERR! code ERESOLVE
npm ERR! ERESOLVE unable to resolve dependency tree
npm ERR!
npm ERR! While resolving: {{repo}}@{{ver}}
npm ERR! Found: react@18.2.0
npm ERR! node_modules/react
npm ERR!   react@"^18.2.0" from the root project
npm ERR!
npm ERR! Could not resolve dependency:
npm ERR! peer react@"^16.8.5 || ^17.0.0" from react-beautiful-dnd@13.1.1
npm ERR! node_modules/react-beautiful-dnd
npm ERR!   react-beautiful-dnd@"^13.1.1" from the root project
npm ERR!
npm ERR! Fix the upstream dependency conflict, or retry
npm ERR! this command with --force or --legacy-peer-deps
npm ERR! to accept an incorrect (and potentially broken) dependency resolution.
npm ERR!
npm ERR! A complete log of this run can be found in: {{home}}/.npm/_logs/{{tsnpm}}-debug-0.log""",
         partial="npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree",
         cause="react-beautiful-dnd 13 declares a peer range that stops at React 17.",
         fix="Replace react-beautiful-dnd with @hello-pangea/dnd (same API, React 18 peer range) and regenerate package-lock.json.",
         prevent="Major upgrades run `npm ls --all` in CI to list peer conflicts before merge.", hp=None),
    dict(slug="celery-sigkill", sev="HIGH", style="py", title="Celery CSV export tasks killed with SIGKILL (WorkerLostError)",
         context="Large tenant exports never finished; the Celery worker logged:",
         core=f"""[{{{{tspy}}}}: INFO/MainProcess] Task reports.build_csv[{{{{uuid}}}}] received
[{{{{tspy}}}}: ERROR/MainProcess] Process 'ForkPoolWorker-{{{{num}}}}' pid:{{{{pid}}}} exited with 'signal 9 (SIGKILL)'
[{{{{tspy}}}}: ERROR/MainProcess] Task handler raised error: WorkerLostError('Worker exited prematurely: signal 9 (SIGKILL) Job: {{{{big}}}}.')
Traceback (most recent call last):
  File "{PY}/billiard/pool.py", line {{{{line}}}}, in mark_as_worker_lost
    raise WorkerLostError(
billiard.exceptions.WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL) Job: {{{{big}}}}.""",
         partial="billiard.exceptions.WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL) Job: {{big}}.",
         cause="The kernel's out-of-memory killer ended the pool process: reports.build_csv collected all of a tenant's rows in a list (about 3 GB) on a host with 2 GB per process.",
         fix="Iterate with `yield_per(1000)` and write rows to the file as they arrive.\nSet `worker_max_memory_per_child`.",
         prevent="Task memory is graphed per task name; exports are tested with the largest tenant.",
         hp=('Celery: "WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL)"', "celery, billiard, WorkerLostError, SIGKILL, signal 9, oom killer",
             "billiard.exceptions.WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL)")),
    dict(slug="s3-putobject-denied", sev="HIGH", style="py",
         title="Export upload to S3 denied after the bucket switched to KMS encryption",
         pools={"xbucket": ["acme-exports-prod", "globex-data-exports", "exports-eu-1", "tenant-exports"]},
         context="Nightly exports failed at the upload step:",
         core=f"""{{{{tspy}}}} INFO [{{{{svc}}}}] uploading {{{{big}}}} bytes to s3://{{{{xbucket}}}}/exports/{{{{uuid}}}}.csv.gz
Traceback (most recent call last):
  File "{{{{home}}}}/src/{{{{svc}}}}/exports/upload.py", line {{{{line}}}}, in upload_export
    s3.put_object(Bucket=bucket, Key=key, Body=body)
  File "{PY}/botocore/client.py", line {{{{line2}}}}, in _api_call
    return self._make_api_call(operation_name, kwargs)
  File "{PY}/botocore/client.py", line {{{{line3}}}}, in _make_api_call
    raise error_class(parsed_response, operation_name)
botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied""",
         partial="botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
         cause="The bucket's default encryption moved to a customer-managed KMS key; the task role could s3:PutObject but had no kms:GenerateDataKey on that key.",
         fix="Grant `kms:GenerateDataKey` and `kms:Decrypt` on the bucket key to the export task role.",
         prevent="Bucket encryption changes list the roles that write to the bucket and are tested with them.", hp=None),
    dict(slug="ssm-throttling", sev="MEDIUM", style="py", title="Service boot fails with SSM ThrottlingException after scale-out",
         context="After a deploy started 40 tasks at once, most of them exited during boot:",
         core=f"""{{{{tspy}}}} INFO [{{{{svc}}}}] loading configuration from SSM path /{{{{env}}}}/{{{{svc}}}}/
Traceback (most recent call last):
  File "{{{{appdir}}}}/config.py", line {{{{line}}}}, in load
    page = ssm.get_parameters_by_path(Path=prefix, WithDecryption=True, NextToken=token)
  File "{PY}/botocore/client.py", line {{{{line2}}}}, in _api_call
    return self._make_api_call(operation_name, kwargs)
  File "{PY}/botocore/client.py", line {{{{line3}}}}, in _make_api_call
    raise error_class(parsed_response, operation_name)
botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the GetParametersByPath operation (reached max retries: 4): Rate exceeded
{{{{tspy}}}} ERROR [{{{{svc}}}}] boot failed, exiting with status 1""",
         partial="botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the GetParametersByPath operation (reached max retries: 4): Rate exceeded",
         cause="Each task read about 200 parameters page by page at boot; 40 tasks starting together went far over the SSM API's default throughput.",
         fix="Use adaptive retries (`retries={'mode': 'adaptive', 'max_attempts': 10}`) and read one JSON parameter per service instead of 200.",
         prevent="Deploys roll out in batches of 10 tasks.", hp=None),
    dict(slug="tls-cert-expired", sev="CRITICAL", style="go", title="Webhook deliveries fail: x509 certificate expired on the ingress",
         pools={"whhost": ["hooks.partner-a.example", "events.internal.example.net", "notify.globex.example",
                           "ingest.hooli.example"]},
         context="No webhook had been delivered for six hours; the dispatcher logged:",
         core="""{{tsgo}} level=info msg="delivering webhook" id={{uuid}} attempt=1
{{tsgo}} level=error msg="delivery failed" id={{uuid}} err="Post \\"https://{{whhost}}/hooks/{{uuid2}}\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {{tsrfc}} is after {{notafter}}"
{{tsgo}} level=info msg="delivering webhook" id={{uuid}} attempt=2
{{tsgo}} level=error msg="delivery failed" id={{uuid}} err="Post \\"https://{{whhost}}/hooks/{{uuid2}}\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {{tsrfc}} is after {{notafter}}"
{{tsgo}} level=warn msg="giving up" id={{uuid}} attempts=5""",
         partial="x509: certificate has expired or is not yet valid: current time {{tsrfc}} is after {{notafter}}",
         cause="cert-manager could not renew the ingress certificate because the ClusterIssuer's account secret had been deleted; the old certificate expired.",
         fix="Recreate the ClusterIssuer secret, force renewal with `cmctl renew`, and restart the ingress pods.",
         prevent="Certificates expiring within 14 days raise an alert.",
         hp=('TLS: "x509: certificate has expired or is not yet valid"', "tls, x509, certificate expired, cert-manager, ingress",
             "x509: certificate has expired or is not yet valid")),
    dict(slug="nginx-upstream-timeout", sev="HIGH", style="nginx", title="Report rendering returns 504 from nginx (upstream timed out)",
         context="Large reports failed with 504 Gateway Time-out after exactly 60 seconds:",
         core="""$ curl -sS -o /dev/null -w '%{http_code} %{time_total}\\n' -X POST https://{{apihost}}/api/v1/reports/{{uuid}}/render
504 60.0{{num}}
$ sudo tail -n 2 /var/log/nginx/error.log
{{tsgo}} [error] {{pid}}#{{pid}}: *{{big}} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {{pubip}}, server: {{apihost}}, request: "POST /api/v1/reports/{{uuid}}/render HTTP/1.1", upstream: "http://{{ip}}:{{port}}/api/v1/reports/{{uuid}}/render", host: "{{apihost}}"
{{pubip}} - - [{{tsclf}}] "POST /api/v1/reports/{{uuid}}/render HTTP/1.1" 504 {{num2}} "-" "curl/8.{{d}}.1" rt=60.00{{d2}} uct=0.001 uht=- urt=60.00{{d2}}""",
         partial='{{tsgo}} [error] {{pid}}#{{pid}}: *{{big}} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {{pubip}}, server: {{apihost}}, request: "POST /api/v1/reports/{{uuid}}/render HTTP/1.1", upstream: "http://{{ip}}:{{port}}/api/v1/reports/{{uuid}}/render", host: "{{apihost}}"',
         cause="Rendering a large report takes 70-90 s, longer than nginx's proxy_read_timeout of 60 s, and the request waited for it synchronously.",
         fix="Render reports in a background job and return 202 with a polling URL.\nUntil then, proxy_read_timeout is 120s for /render only.",
         prevent="Endpoints whose p99 passes 10 s are moved to background jobs.",
         hp=('nginx: "upstream timed out (110: Connection timed out)" / 504', "nginx, 504, gateway timeout, upstream timed out, proxy_read_timeout",
             "upstream timed out (110: Connection timed out) while reading response header from upstream")),
    dict(slug="pydantic-core-import", sev="CRITICAL", style="lambda",
         title="Lambda import fails after deploy: No module named pydantic_core._pydantic_core",
         context="Right after the deploy every invocation failed during init:",
         core="""{{tsiso}} INIT_START Runtime Version: python:3.11.v{{num}}\tRuntime Version ARN: arn:aws:lambda:{{region}}::runtime:{{sha}}
[ERROR] Runtime.ImportModuleError: Unable to import module 'app.handler': No module named 'pydantic_core._pydantic_core'
Traceback (most recent call last):
  File "/var/task/app/handler.py", line {{line}}, in <module>
    from app.schemas import Invoice
  File "/var/task/app/schemas.py", line {{line2}}, in <module>
    from pydantic import BaseModel, Field
  File "/var/task/pydantic_core/__init__.py", line {{line3}}, in <module>
    from ._pydantic_core import (
ModuleNotFoundError: No module named 'pydantic_core._pydantic_core'
{{tsiso}} INIT_REPORT Init Duration: {{ms}}.{{num2}} ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError
{{tsiso}} END RequestId: {{uuid}}
{{tsiso}} REPORT RequestId: {{uuid}}\tDuration: {{ms2}}.{{num3}} ms\tBilled Duration: {{ms3}} ms\tMemory Size: 512 MB\tMax Memory Used: {{mb}} MB""",
         partial="ModuleNotFoundError: No module named 'pydantic_core._pydantic_core'",
         cause="The deployment zip was built on an Apple Silicon Mac with `pip install -t`, so it held the macOS arm64 wheel of pydantic-core; the function runs on linux x86_64.",
         fix="Build the package with `pip install --platform manylinux2014_x86_64 --only-binary=:all: -t package/ -r requirements.txt`.",
         prevent="Lambda packages are built only in CI, inside the Lambda base image.",
         hp=('Lambda: "No module named pydantic_core._pydantic_core"', "lambda, pydantic, pydantic_core, ModuleNotFoundError, wheel, platform, arm64",
             "ModuleNotFoundError: No module named 'pydantic_core._pydantic_core'")),
    dict(slug="gha-pip-no-matching-distribution", sev="MEDIUM", style="ci",
         title="CI job fails at pip install after the runner moved to Python 3.12",
         context="The test job failed in the install step (raw log):",
         core="""{{tsgha}} ##[group]Run pip install -r requirements.txt
{{tsgha}} pip install -r requirements.txt
{{tsgha}} shell: /usr/bin/bash -e {0}
{{tsgha}} env:
{{tsgha}}   pythonLocation: /opt/hostedtoolcache/Python/3.12.{{d}}/x64
{{tsgha}} ##[endgroup]
{{tsgha}} Collecting boto3==1.34.{{num}} (from -r requirements.txt (line {{num2}}))
{{tsgha}}   Downloading boto3-1.34.{{num}}-py3-none-any.whl.metadata ({{d2}}.{{d3}} kB)
{{tsgha}} ERROR: Ignored the following versions that require a different python version: 1.24.4 Requires-Python >=3.8,<3.12
{{tsgha}} ERROR: Could not find a version that satisfies the requirement numpy==1.24.4 (from versions: 1.26.0, 1.26.1, 1.26.2, 1.26.3, 1.26.4, 2.0.0)
{{tsgha}} ERROR: No matching distribution found for numpy==1.24.4
{{tsgha}} ##[error]Process completed with exit code 1.""",
         partial="ERROR: No matching distribution found for numpy==1.24.4\nError: Process completed with exit code 1.",
         cause="setup-python was not pinned and picked Python 3.12; numpy 1.24.4 requires Python below 3.12.",
         fix="Pin `python-version: '3.11'` in actions/setup-python; upgrade numpy in a separate change.",
         prevent="Tool versions are pinned in the workflow and bumped by Dependabot.", hp=None),
    dict(slug="docker-cache-key", sev="LOW", style="docker",
         title="Docker build fails: requirements file not found in the build context",
         pools={"reqpath": ["/requirements.txt", "/app/requirements.txt", "/requirements/prod.txt",
                            "/src/requirements.txt"]},
         context="The image build broke on every machine after the .dockerignore change:",
         core="""$ docker build -t {{repo}}:{{tag}} .
[+] Building {{d}}.{{num}}s (7/9)                                        docker:desktop-linux
 => [internal] load build definition from Dockerfile                             0.0s
 => => transferring dockerfile: {{num2}}B                                         0.0s
 => [internal] load .dockerignore                                                0.0s
 => [internal] load metadata for docker.io/library/python:3.11-slim              0.{{d2}}s
 => [1/5] FROM docker.io/library/python:3.11-slim@sha256:{{sha}}    0.0s
 => [internal] load build context                                                0.0s
 => => transferring context: {{kb}}kB                                            0.1s
 => CACHED [2/5] WORKDIR /app                                                    0.0s
 => ERROR [3/5] COPY {{reqpath}} ./                                              0.0s
------
 > [3/5] COPY {{reqpath}} ./:
------
ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref {{bkid}}::{{bkid2}}: "{{reqpath}}": not found""",
         partial='ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref {{bkid}}::{{bkid2}}: "{{reqpath}}": not found',
         cause="The new .dockerignore starts with `*` and allow-lists directories, and the requirements files were not on the list, so they were not in the build context.",
         fix="Add `!requirements*.txt` (and the requirements folder) to the .dockerignore allow-list.",
         prevent="CI builds the image on every change to .dockerignore or the Dockerfile.", hp=None),
    dict(slug="dns-enotfound", sev="HIGH", style="node", title="Payment capture fails with getaddrinfo ENOTFOUND after the VPC move",
         pools={"dnshost": ["payments.internal", "ledger.svc.internal", "pay-gw.prod.internal",
                            "capture-api.corp.internal"]},
         context="Captures failed for every order once the service ran in the new VPC:",
         core="""{{tsiso}} error: payment capture failed for order {{uuid}}
Error: getaddrinfo ENOTFOUND {{dnshost}}
    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:{{line}}:26)
    at AxiosError.from ({{appdir}}/node_modules/axios/dist/node/axios.cjs:{{line2}}:14)
    at RedirectableRequest.handleRequestError ({{appdir}}/node_modules/axios/dist/node/axios.cjs:{{line3}}:11) {
  errno: -3008,
  code: 'ENOTFOUND',
  syscall: 'getaddrinfo',
  hostname: '{{dnshost}}'
}""",
         partial="Error: getaddrinfo ENOTFOUND {{dnshost}}",
         cause="The Route 53 private hosted zone was not associated with the new VPC, so the internal names did not resolve from its subnets.",
         fix="Associate the private hosted zone with the new VPC (`aws route53 associate-vpc-with-hosted-zone`).",
         prevent="The VPC module associates every private zone; a smoke test resolves the internal names from each subnet.", hp=None),
    dict(slug="jwt-expired-signature", sev="HIGH", style="py",
         title="Fresh logins rejected with ExpiredSignatureError because of clock drift",
         context="Users were logged out right after logging in, only on requests served by new hosts:",
         core=f"""{{{{tspy}}}} WARNING [{{{{svc}}}}] rejecting bearer token for request {{{{uuid}}}}
Traceback (most recent call last):
  File "{{{{home}}}}/src/{{{{svc}}}}/app/auth.py", line {{{{line}}}}, in current_user
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=AUDIENCE)
  File "{PY}/jwt/api_jwt.py", line {{{{line2}}}}, in decode
    decoded = self.decode_complete(
  File "{PY}/jwt/api_jwt.py", line {{{{line3}}}}, in decode_complete
    self._validate_claims(
  File "{PY}/jwt/api_jwt.py", line {{{{line4}}}}, in _validate_exp
    raise ExpiredSignatureError("Signature has expired")
jwt.exceptions.ExpiredSignatureError: Signature has expired""",
         partial="jwt.exceptions.ExpiredSignatureError: Signature has expired",
         cause="chrony was not running on the new AMI and the hosts' clocks drifted 9 minutes ahead, so 5-minute tokens looked expired on arrival.",
         fix="Enable chronyd in the AMI and allow `leeway=30` seconds in `jwt.decode`.",
         prevent="Clock offset is monitored on every host.",
         hp=('JWT: "ExpiredSignatureError: Signature has expired"', "jwt, pyjwt, ExpiredSignatureError, token expired, clock skew, leeway",
             "jwt.exceptions.ExpiredSignatureError: Signature has expired")),
    dict(slug="alembic-missing-revision", sev="MEDIUM", style="py", title="alembic upgrade fails on staging: can't locate revision",
         context="The staging deploy stopped at the migration step:",
         core="""$ alembic upgrade head
INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.
INFO  [alembic.runtime.migration] Will assume transactional DDL.
Traceback (most recent call last):
  File "{{home}}/.venv/bin/alembic", line {{num}}, in <module>
    sys.exit(main())
  File "{{home}}/.venv/lib/python3.11/site-packages/alembic/script/base.py", line {{line}}, in _catch_revision_errors
    raise util.CommandError(resolution) from re
alembic.util.exc.CommandError: Can't locate revision identified by '{{rev}}'""",
         partial="FAILED: Can't locate revision identified by '{{rev}}'",
         cause="Staging had been migrated from a feature branch whose migration was later squashed; alembic_version pointed at a revision that no longer exists on main.",
         fix="`alembic stamp <last common revision>` on staging, then `alembic upgrade head`.",
         prevent="Only main is deployed to staging; branch databases are disposable.", hp=None),
    dict(slug="sqlalchemy-queuepool", sev="HIGH", style="py",
         title="API requests time out waiting for SQLAlchemy QueuePool connections",
         context="Under load the API answered 500 after 30 s:",
         core=f"""Traceback (most recent call last):
  File "{PY}/sqlalchemy/engine/base.py", line {{{{line}}}}, in _connection_for_bind
    conn = bind.connect()
  File "{PY}/sqlalchemy/pool/base.py", line {{{{line2}}}}, in checkout
    rec = pool._do_get()
  File "{PY}/sqlalchemy/pool/impl.py", line {{{{line3}}}}, in _do_get
    raise exc.TimeoutError(
sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)""",
         partial="sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)",
         cause="Sessions were opened in a dependency without being closed, and a slow report query held connections for about 40 s, so 15 concurrent requests took the whole pool.",
         fix="Close sessions in a dependency with `yield` and `finally`.\nRun the report query on a replica engine with its own pool.",
         prevent="Pool checkouts and wait time are exported as metrics with an alert.",
         hp=('SQLAlchemy: "QueuePool limit of size 5 overflow 10 reached"', "sqlalchemy, QueuePool, pool exhausted, TimeoutError, connection timed out",
             "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out")),
    dict(slug="k8s-imagepullbackoff", sev="HIGH", style="k8s", title="Deployment stuck in ImagePullBackOff: image tag not found in ECR",
         context="The rollout never finished; the new pods did not start:",
         core="""$ kubectl get pods -n {{ns}}
NAME                          READY   STATUS             RESTARTS   AGE
{{app}}-{{podsfx}}   0/1     ImagePullBackOff   0          {{num}}m
$ kubectl describe pod {{app}}-{{podsfx}} -n {{ns}} | tail -n 5
  Normal   Pulling    {{num2}}m (x4 over {{num}}m)   kubelet  Pulling image "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}"
  Warning  Failed     {{num2}}m (x4 over {{num}}m)   kubelet  Failed to pull image "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}": rpc error: code = NotFound desc = failed to pull and unpack image "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}": failed to resolve reference "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}": {{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}: not found
  Warning  Failed     {{num2}}m (x4 over {{num}}m)   kubelet  Error: ErrImagePull
  Normal   BackOff    {{num3}}s (x{{num4}} over {{num}}m)  kubelet  Back-off pulling image "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}"
  Warning  Failed     {{num3}}s (x{{num4}} over {{num}}m)  kubelet  Error: ImagePullBackOff""",
         partial='  Warning  Failed     {{num2}}m (x4 over {{num}}m)   kubelet  Failed to pull image "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}": rpc error: code = NotFound desc = failed to pull and unpack image "{{acct}}.dkr.ecr.{{region}}.amazonaws.com/{{app}}:{{tag}}": not found',
         cause="The Helm values named the tag of a build that had failed, so that tag was never pushed to ECR.",
         fix="`helm rollback` to the previous release; deploy by the image digest the build job prints.",
         prevent="The deploy job reads the tag from the build job's output, never from a hand-edited values file.", hp=None),
]

# --------------------------------------------------------------------------------------
# fillers: records about other topics, prose only (title, symptom, root cause, fix, prevention)

FILLERS = [
    ("Quarterly access review found stale IAM users", "The SOC 2 access review listed 14 IAM users who had left the company.",
     "Offboarding removed SSO access but not the IAM users created for old scripts.",
     "Deleted the users and moved the scripts to roles.",
     "Offboarding checklist includes IAM users; a monthly report lists unused credentials."),
    ("Feature flag left enabled in staging after release", "QA saw the old checkout page in staging for a week.",
     "The release removed the code path but the flag stayed on, masking a second path.",
     "Removed the flag and the dead branch.", "Flags carry an owner and an expiry date."),
    ("On-call handover missed a paging escalation", "A low-priority alert was not acknowledged over a weekend.",
     "The rota export skipped the Saturday shift after a time zone change.", "Fixed the rota and paged the secondary.",
     "The handover note lists open alerts."),
    ("NAT gateway data transfer cost spike", "The monthly bill showed triple the usual data processing charge.",
     "Backups to a bucket in the same region went through the NAT gateway instead of a VPC endpoint.",
     "Added an S3 gateway endpoint.", "Cost anomaly alerts per service."),
    ("Invoice PDFs showed UTC dates instead of local time", "Customers in Sydney saw invoices dated the previous day.",
     "The PDF template formatted the timestamp without the tenant's time zone.", "Format dates with the tenant's zone.",
     "Template tests cover a tenant east of UTC."),
    ("CSV export mangled accented names", "Names like Zoë and José came out garbled in spreadsheet apps.",
     "The file was written as UTF-8 without a byte order mark, which the spreadsheet app read as Latin-1.",
     "Write a BOM for CSV downloads.", "Export fixtures include non-ASCII names."),
    ("Password reset emails landed in spam", "Support tickets about missing reset emails doubled.",
     "The new sending domain lacked a DMARC record and its DKIM key was not published.", "Published DKIM and DMARC records.",
     "Deliverability dashboard reviewed weekly."),
    ("Slow dashboard because of a missing index on the audit table", "The compliance dashboard took 20 s to load.",
     "A query filtered audit events by tenant and date without a matching index.", "Added a composite index.",
     "Query plans of dashboard queries are checked in review."),
    ("Flaky checkout end-to-end test", "The checkout test failed about one run in eight.",
     "The test waited a fixed 2 s for the payment iframe instead of waiting for it to be ready.",
     "Wait for the iframe's ready event.", "Fixed sleeps are rejected by the lint rule."),
    ("Log retention set to 30 days instead of 7 years", "An auditor asked for last year's access logs and they were gone.",
     "The log group was created by hand with the default retention.", "Set retention by Terraform for every log group.",
     "A compliance check lists log groups with short retention."),
    ("Backup restore drill took longer than the recovery time objective",
     "The quarterly restore drill needed 5 hours against a 2 hour objective.",
     "Restores ran from cold storage and the runbook had stale steps.",
     "Keep the last week of snapshots warm and update the runbook.", "Restore drills are timed and tracked."),
    ("Broken links in the onboarding runbook", "New engineers could not find the local setup guide.",
     "The wiki migration changed every page path.", "Rewrote the links and added redirects.", "A link checker runs nightly."),
    ("Self-hosted runner disk filled by build cache", "Builds queued for an hour on the self-hosted runners.",
     "BuildKit cache grew to 180 GB because nothing pruned it.", "Prune the cache nightly, keeping 20 GB.",
     "Disk usage alert at 80%."),
    ("Refunds rounded to the wrong cent", "Finance found refunds off by one cent on some invoices.",
     "Refund amounts were computed with floats.", "Use integer cents everywhere.", "Property tests on money arithmetic."),
    ("Analytics events duplicated after the SDK upgrade", "Daily active users doubled overnight in the dashboard.",
     "The new SDK sent events itself and the old wrapper still sent them too.", "Removed the wrapper.",
     "SDK upgrades compare event counts in staging."),
    ("Nightly cron job ran twice after the daylight saving change", "Customers received the digest email twice.",
     "The cron schedule used local time and the clock change repeated the hour.", "Schedule in UTC.",
     "All schedules are written in UTC."),
    ("New products missing from search results", "Products created after noon did not show up in the shop search.",
     "The reindex job had been removed from the scheduler in a cleanup.", "Restored the job and reindexed.",
     "An alert fires when the search index is older than one hour."),
    ("Terraform plan showed drift after a manual console change", "The weekly drift check flagged security group rules.",
     "An engineer had added a rule in the console during an incident.", "Imported the rule into code.",
     "Console write access is limited to break-glass roles."),
    ("Websocket connections dropped by the load balancer idle timeout",
     "Live dashboards stopped updating after a minute without events.",
     "The load balancer closed idle connections after 60 s and the client sent no pings.", "Send a ping every 25 s.",
     "Client heartbeat is part of the socket library."),
    ("Error budget alert fired on the wrong service", "The payments team was paged for the search service's error budget.",
     "The alert rule copied from another service kept its label selector.", "Fixed the selector.",
     "Alert rules are generated from one template."),
    ("Container image size grew to 3 GB", "Deploys took twice as long because of image pulls.",
     "Debug tools and the test fixtures were copied into the final stage.", "Multi-stage build with a slim final stage.",
     "Image size is reported in every pull request."),
    ("Customer data export request missed its deadline", "A data subject access request was answered after 35 days.",
     "The request sat in a shared inbox without an owner.", "Routed requests to a ticket queue with a due date.",
     "Weekly review of open privacy requests."),
]

# --------------------------------------------------------------------------------------
# search queries as engineers type them, with the families a careful engineer would accept

QUERIES = [
    ("worker container keeps restarting", ["k8s-oomkilled"]),
    ("lambda rejects docker image", ["lambda-manifest"]),
    ("redis connection refused", ["redis-refused"]),
    ("terraform lock stuck", ["terraform-state-lock"]),
    ("ExpiredSignatureError", ["jwt-expired-signature"]),
    ("InvalidParameterValue", ["lambda-manifest"]),
    ("crashloop", ["k8s-oomkilled"]),
    ("lamda deploy", ["lambda-manifest", "pydantic-core-import"]),
    ("too many connections postgres", ["pg-connection-slots"]),
    ("database connection timeout", ["sqlalchemy-queuepool"]),
    ("certificate expired", ["tls-cert-expired"]),
    ("token expired", ["ecr-token-expired", "jwt-expired-signature"]),
    ("OutOfMemoryError", ["java-heap-space"]),
    ("nil pointer panic", ["go-nil-pointer"]),
    ("npm peer dependency conflict", ["npm-eresolve"]),
    ("webpack digital envelope", ["node-openssl-legacy"]),
    ("s3 upload access denied", ["s3-putobject-denied"]),
    ("rate exceeded", ["ssm-throttling"]),
    ("504 gateway timeout", ["nginx-upstream-timeout"]),
    ("pydantic_core", ["pydantic-core-import"]),
    ("cannot find module aws sdk", ["node-missing-module"]),
    ("celery worker killed", ["celery-sigkill"]),
    ("alembic revision missing", ["alembic-missing-revision"]),
    ("dns lookup fails", ["dns-enotfound"]),
    ("docker build requirements.txt not found", ["docker-cache-key"]),
    ("github actions exit code 1", ["gha-pip-no-matching-distribution"]),
    ("out of memory", ["k8s-oomkilled", "java-heap-space", "celery-sigkill"]),
    ("inconsistent final plan", ["terraform-inconsistent-plan"]),
    ("ImagePullBackOff", ["k8s-imagepullbackoff"]),
    ("connection refused", ["redis-refused", "psycopg2-connect"]),
]

# --------------------------------------------------------------------------------------
# writing


def yaml_quote(text):
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def record_text(rid, title, day, severity, symptom, cause, fix, prevent, rng):
    """One record in the format of examples/kb."""
    controls = sorted(rng.sample(["CC6.1", "CC7.2", "CC7.3", "CC7.4", "CC8.1"], 2))
    created = day + dt.timedelta(days=rng.randint(0, 6))
    return (f"---\ncompliance:\n  soc2:\n    controls:\n    - {controls[0]}\n    - {controls[1]}\n"
            f"    evidence-type: documentation\n    retention-period: 7-years\n"
            f"created: '{created.isoformat()}'\nris_id: {rid}\ntitle: {yaml_quote(title)}\n---\n\n"
            f"# {title}\n\n**Date:** {day.isoformat()}\n**Severity:** {severity}\n**Status:** resolved\n\n"
            f"## Symptom\n\n{symptom}\n\n## Root Cause\n\n{cause}\n\n## Resolution\n\n{fix}\n\n"
            f"## Prevention\n\n{prevent}\n")


def random_day(rng, year, taken, span=365):
    """A day among the first `span` days of `year`, not in `taken` while free days remain."""
    while True:
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span - 1))
        if day not in taken or len(taken) >= span:
            taken.add(day)
            return day


def pasted_log(rng, fam, used, day, partial, long):
    """One pasted log of a family: noise, the (full or partial) error, noise."""
    start = dt.datetime.combine(day, dt.time(rng.randint(6, 18), rng.randint(0, 59), rng.randint(0, 59)))
    tokens = Tokens(rng, used, fam.get("pools", {}), start)
    template = fam["partial"] if partial else fam["core"]
    size = template.count("\n") + 1
    if long:
        rest = rng.randint(max(50, size + 10), 200) - size
        before = rest // 2 + rng.randint(-5, 5) if rng.random() < 0.5 else rest - rng.randint(0, 3)
    else:
        before = 2 if partial and rng.random() < 0.5 else rng.randint(2, 10)
        rest = before + (0 if partial and before == 2 else rng.randint(0, 5))
    lines = noise(tokens, fam["style"], before)
    lines += tokens.fill(template).split("\n")
    lines += noise(tokens, fam["style"], rest - before)
    return "\n".join(lines) + "\n"


def generate(outdir, seed, count):
    """Write the knowledge base, the logs and EXPECTED-MATCH.json; return the expectations."""
    rng = random.Random(seed)
    families = FAMILIES[:count]
    fillers = [FILLERS[i % len(FILLERS)] + (i // len(FILLERS),) for i in range(count - len(families))]
    entries = [("family", f) for f in families] + [("filler", f) for f in fillers]
    rng.shuffle(entries)
    for sub in ("docs", "logs", ".ris"):
        shutil.rmtree(os.path.join(outdir, sub), ignore_errors=True)
    for sub in ("docs/ris", "logs", ".ris"):
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)
    with open(os.path.join(outdir, ".ris", "config.yaml"), "w") as f:
        f.write("hot-patterns: hot-patterns.md\n")

    days, ids, hot = set(), {}, []
    services = POOLS["svc"] + POOLS["app"]
    for number, (kind, item) in enumerate(entries, 1):
        rid = f"RIS-{number:03d}"
        day = random_day(rng, 2025, days)
        if kind == "family":
            fam = item
            fam_used = set()
            start = dt.datetime.combine(day, dt.time(rng.randint(6, 18), rng.randint(0, 59)))
            symptom_log = Tokens(rng, fam_used, fam.get("pools", {}), start).fill(fam["core"])
            assert 5 <= len(symptom_log.split("\n")) <= 25, fam["slug"]
            symptom = f"{fam['context']}\n\n```\n{symptom_log}\n```"
            text = record_text(rid, fam["title"], day, fam["sev"], symptom, fam["cause"], fam["fix"],
                               fam["prevent"], rng)
            name = f"{rid}-{fam['slug']}.md"
            ids[fam["slug"]] = (rid, name, fam_used)
            if fam["hp"]:
                hot.append((fam, rid, day))
        else:
            title, symptom, cause, fix, prevent, round_ = item
            if round_:
                title = f"{title} ({services[(number + round_) % len(services)]})"
            text = record_text(rid, title, day, rng.choice(["LOW", "MEDIUM"]), symptom, cause, fix, prevent, rng)
            name = f"{rid}-{re.sub(r'[^a-z0-9]+', '-', title.lower())[:48].strip('-')}.md"
        with open(os.path.join(outdir, "docs", "ris", name), "w") as f:
            f.write(text)

    write_hot_patterns(outdir, hot, rng)
    hp_titles = {fam["slug"]: fam["hp"][0] for fam, _, _ in hot}
    expectations = {"logs": [], "queries": []}
    ordered = sorted(families, key=lambda fam: ids[fam["slug"]][0])
    width = max(2, len(str(2 * len(ordered))))
    log_days = set()
    for index, fam in enumerate(ordered):
        rid, _, fam_used = ids[fam["slug"]]
        for partial in (False, True):
            number = 2 * index + (2 if partial else 1)
            long = (index % 3 != 2) if not partial else (index % 4 == 0)
            text = pasted_log(rng, fam, fam_used, random_day(rng, 2026, log_days, 300), partial, long)
            rel = f"logs/{number:0{width}d}-{fam['slug']}.log"
            with open(os.path.join(outdir, rel), "w") as f:
                f.write(text)
            expected = [rid] + ([hp_titles[fam["slug"]]] if fam["slug"] in hp_titles else [])
            expectations["logs"].append({"log": rel, "family": fam["slug"], "kind": "partial" if partial else "full",
                                         "lines": text.count("\n"), "expected": expected})
    for query, slugs in QUERIES:
        relevant = sorted(ids[s][0] for s in slugs if s in ids)
        if relevant:
            expectations["queries"].append({"query": query, "relevant": relevant})
    with open(os.path.join(outdir, "EXPECTED-MATCH.json"), "w") as f:
        json.dump(expectations, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return expectations


def write_hot_patterns(outdir, hot, rng):
    """hot-patterns.md in the format of examples/kb/.claude/memory/hot-patterns.md."""
    parts = ["# Hot Patterns\n\nKnown-error signatures. Look here first when an error appears.\n"]
    for fam, rid, day in sorted(hot, key=lambda h: h[1]):
        title, keywords, symptom = fam["hp"]
        last = day + dt.timedelta(days=rng.randint(1, 40))
        parts.append(f"## {title}\n\n**Keywords:** {keywords}\n\n**Symptom:**\n```\n{symptom}\n```\n\n"
                     f"**Root Cause:** {fam['cause']}\n\n**Solution:** {fam['fix']}\n\n"
                     f"**Related:** {rid}\n**Hit Count:** {rng.randint(1, 9)}\n**Last Used:** {last.isoformat()}\n")
    with open(os.path.join(outdir, "hot-patterns.md"), "w") as f:
        f.write("\n".join(parts))


# --------------------------------------------------------------------------------------
# self-check

TOKEN_PATTERNS = {
    "account": re.compile(r"(?<!\d)\d{12}(?!\d)"),
    "uuid": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"),
    "ip": re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"),
    "hex": re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}\b"),
}


def check(outdir, expectations):
    """Every log is 3-200 lines, >= 1/3 are long, and no account ID, UUID, IP or hex digest
    of a log appears in the text of its record. Returns a list of problems."""
    problems, records = [], {}
    for name in os.listdir(os.path.join(outdir, "docs", "ris")):
        with open(os.path.join(outdir, "docs", "ris", name)) as f:
            records[re.match(r"RIS-\d+", name).group(0)] = f.read()
    long = 0
    for entry in expectations["logs"]:
        with open(os.path.join(outdir, entry["log"])) as f:
            log = f.read()
        lines = log.count("\n")
        long += lines >= 50
        if not 3 <= lines <= 200:
            problems.append(f"{entry['log']}: {lines} lines")
        record = records[entry["expected"][0]]
        for kind, pattern in TOKEN_PATTERNS.items():
            for token in sorted(set(pattern.findall(log))):
                if token in record:
                    problems.append(f"{entry['log']}: {kind} {token} also in {entry['expected'][0]}")
    if long * 3 < len(expectations["logs"]):
        problems.append(f"only {long} of {len(expectations['logs'])} logs have 50 lines or more")
    return problems, long


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("outdir")
    args = parser.parse_args()
    if args.records < 1:
        parser.error("--records must be at least 1")
    if os.path.isdir(args.outdir) and os.listdir(args.outdir) and \
            not os.path.exists(os.path.join(args.outdir, "EXPECTED-MATCH.json")):
        parser.error(f"{args.outdir} is not empty and holds no earlier corpus; give a new folder")
    expectations = generate(args.outdir, args.seed, args.records)
    problems, long = check(args.outdir, expectations)
    families = len(expectations["logs"]) // 2
    print(f"{args.records} records ({families} families, {args.records - families} fillers), "
          f"{len(expectations['logs'])} logs ({long} of 50+ lines), {len(expectations['queries'])} queries "
          f"-> {args.outdir}")
    for problem in problems:
        print("check:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
