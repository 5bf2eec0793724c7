-- wrk script of the gateway harness: POSTs the same chat completion to every leg.
-- The body is the file named by BENCH_BODY_FILE; extra request headers come after `--`, one
-- "Name: value" per argument. done() prints one machine-readable WRK_RESULT line.
local path = os.getenv("BENCH_BODY_FILE") or error("set BENCH_BODY_FILE to the request body file")
local file = io.open(path, "rb") or error("cannot read " .. path)
wrk.method = "POST"
wrk.body = file:read("*a"):gsub("%s+$", "")
file:close()
wrk.headers["Content-Type"] = "application/json"

function init(args)
  for i = 1, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    if not name then error("not a header (want 'Name: value'): " .. args[i]) end
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
