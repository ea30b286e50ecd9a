-- Shared by every scenario: one JSON line with the run's numbers, read by bench/bench.py.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"seconds":%.3f,"rps":%.2f,"p50_ms":%.3f,"p99_ms":%.3f,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end

-- Each wrk thread gets a number (1, 2, …) so scenarios can keep threads apart.
local threads_made = 0
function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_number", threads_made)
  thread:set("thread_count", tonumber(os.getenv("BENCH_WRK_THREADS") or "1"))
end
