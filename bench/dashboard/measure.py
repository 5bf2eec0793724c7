#!/usr/bin/env python3
"""Signs in to a running PromptForge and measures every dashboard page (server time from the
Server-Timing header, and the time the client saw), plus the export's streaming rate.

    measure.py BASE_URL PROJECT PASSWORD REQUESTS WARMUP LABEL

Prints a Markdown section on stdout. Pages that answer 404 are skipped (not built yet).
"""
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, project, password, requests, warmup, label = sys.argv[1:7]
requests, warmup = int(requests), int(warmup)

jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def get(path, stream=False):
    """(status, server ms or None, client ms, body bytes or row count)."""
    started = time.perf_counter()
    try:
        response = opener.open(base + path, timeout=600)
    except urllib.error.HTTPError as e:
        return e.code, None, (time.perf_counter() - started) * 1000, b""
    if stream:
        rows = 0
        while True:
            chunk = response.read(1 << 20)
            if not chunk:
                break
            rows += chunk.count(b"\n")
        body = rows
    else:
        body = response.read()
    client = (time.perf_counter() - started) * 1000
    timing = response.headers.get("Server-Timing") or ""
    match = re.search(r"dur=([0-9.]+)", timing)
    return response.status, float(match.group(1)) if match else None, client, body


def sign_in():
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="_csrf"\s+value="([^"]+)"', page) or re.search(r'value="([^"]+)"\s+name="_csrf"', page)
    data = urllib.parse.urlencode({"username": "admin", "password": password, "_csrf": token.group(1)}).encode()
    try:
        opener.open(base + "/login", data=data)
    except urllib.error.HTTPError as e:
        if e.code != 302 or "error" in (e.headers.get("Location") or ""):
            raise SystemExit("sign-in failed: %s %s" % (e.code, e.headers.get("Location")))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


sign_in()
p = "/projects/" + urllib.parse.quote(project)


def api(method, path, payload):
    """Calls the API with the bench key; a 409 (already there) is fine."""
    request = urllib.request.Request(base + path, data=json.dumps(payload).encode(), method=method)
    request.add_header("Authorization", "Bearer " + os.environ["PROMPTFORGE_BENCH_KEY"])
    request.add_header("Content-Type", "application/json")
    try:
        urllib.request.urlopen(request).read()
    except urllib.error.HTTPError as e:
        if e.code not in (200, 201, 409):
            raise SystemExit("%s %s answered %s: %s" % (method, path, e.code, e.read()[:300]))


# The seeded records name prompts the registry does not have; the compare and prompt pages need them.
if os.environ.get("PROMPTFORGE_BENCH_KEY", "").startswith("pf_"):
    prompts = "/api/v1/projects/" + urllib.parse.quote(project) + "/prompts"
    api("POST", prompts, {"name": "support-reply", "description": "Seeded for the benchmark"})
    for n, text in enumerate(["Answer: {{question}}", "Answer briefly: {{question}}", "Answer politely: {{question}}"]):
        api("POST", prompts + "/support-reply/versions",
            {"template": text, "variables": ["question"], "model": "openai/gpt-4o-mini"})
status, _, _, body = get(p + "/records")
if status != 200:
    raise SystemExit("the records page answered %s" % status)
ids = re.findall(rb'/records/([0-9a-f-]{36})', body)
record = ids[len(ids) // 2].decode() if ids else None
pages = [
    ("overview 24h", p),
    ("overview 7d", p + "?range=7d"),
    ("overview 30d", p + "?range=30d"),
    ("records", p + "/records"),
    ("records, 2nd page (cursor)", None),
    ("records ?prompt", p + "/records?prompt=support-reply"),
    ("records ?prompt&version", p + "/records?prompt=support-reply&version=2"),
    ("records ?model", p + "/records?model=anthropic%2Fclaude-3-5-haiku"),
    ("records ?status=error", p + "/records?status=error"),
    ("records ?q (common text)", p + "/records?q=refund"),
    ("records ?q (rare text)", p + "/records?q=ticket+9971."),
    ("records ?minScore&maxScore", p + "/records?minScore=0&maxScore=0.3"),
    ("records ?range=1h", p + "/records?range=1h"),
    ("record detail", p + "/records/" + record if record else None),
    ("leaderboard 30d", p + "/leaderboard?range=30d"),
    ("annotations", p + "/annotations"),
    ("leaderboard 24h", p + "/leaderboard?range=24h"),
    ("compare (picker)", p + "/compare"),
    ("compare v1 vs v2", p + "/compare?prompt=support-reply&a=1&b=2"),
    ("prompts", p + "/prompts"),
    ("prompt", p + "/prompts/support-reply"),
    ("pipelines", p + "/pipelines"),
    ("runs", p + "/runs"),
    ("pii", p + "/pii"),
]
cursor = re.search(rb'cursor=([A-Za-z0-9_-]+)', body)
pages[[name for name, _ in pages].index("records, 2nd page (cursor)")] = ("records, 2nd page (cursor)", p + "/records?cursor=" + cursor.group(1).decode() if cursor else None)

print("#### %s\n" % label)
print("| page | server p50 ms | server p95 ms | client p50 ms | client p95 ms | ≤ 200 ms |")
print("| --- | ---: | ---: | ---: | ---: | :---: |")
misses = []
for name, path in pages:
    if path is None:
        print("| %s | – | – | – | – | not measured |" % name)
        continue
    status, _, _, _ = get(path)
    if status == 404:
        print("| %s | – | – | – | – | 404: page not built on this branch |" % name)
        continue
    if status != 200:
        print("| %s | – | – | – | – | HTTP %s |" % (name, status))
        misses.append(name)
        continue
    for _ in range(warmup):
        get(path)
    server, client = [], []
    for _ in range(requests):
        _, s, c, _ = get(path)
        client.append(c)
        if s is not None:
            server.append(s)
    sp50 = percentile(server, 0.5) if server else None
    sp95 = percentile(server, 0.95) if server else None
    ok = sp95 is not None and sp95 <= 200
    if not ok:
        misses.append(name)
    print("| %s | %s | %s | %.1f | %.1f | %s |" % (
        name,
        "%.1f" % sp50 if sp50 is not None else "–",
        "%.1f" % sp95 if sp95 is not None else "–",
        percentile(client, 0.5),
        percentile(client, 0.95),
        "yes" if ok else "**no**"))
print()
for fmt in ("csv", "jsonl"):
    path = p + "/export/records." + fmt
    started = time.perf_counter()
    status, _, client, rows = get(path, stream=True)
    if status == 404:
        print("- export %s: 404, the export route is not on this branch (see the JDBC streaming rate below)" % fmt)
        continue
    if status != 200:
        print("- export %s: HTTP %s" % (fmt, status))
        continue
    seconds = time.perf_counter() - started
    print("- export %s: %d lines in %.1f s = **%.0f rows/s**" % (fmt, rows, seconds, rows / seconds))
print()
print("Pages over 200 ms (server p95): " + (", ".join(misses) if misses else "none"))
