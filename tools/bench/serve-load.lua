-- wrk script for tools/bench/serve-load.sh: GET one random user's top-k per request, then print a summary line.
-- Environment: USERS (user count; internal ids 0..USERS-1), K (items per request).
local users = tonumber(os.getenv("USERS") or "19445")
local k = tonumber(os.getenv("K") or "10")

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

function request()
    local user = math.random(0, users - 1)
    return wrk.format("GET", "/v1/users/" .. user .. "/recommendations?k=" .. k)
end

function done(summary, latency, requests)
    local e = summary.errors
    local errors = e.connect + e.read + e.write + e.timeout + e.status
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d seconds=%.1f req_per_s=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d (connect %d, read %d, write %d, timeout %d, non-2xx %d)\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        errors, e.connect, e.read, e.write, e.timeout, e.status))
end
