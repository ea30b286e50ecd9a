-- POST /auth/register with a new email every request: run id, wrk thread and a counter.
dofile("bench/wrk/report.lua")
local counter = 0
local body = '{"email":"r-%s-t%d-%d@bench.edu","password":"%s"}'
function request()
  counter = counter + 1
  return wrk.format("POST", "/auth/register", {["Content-Type"] = "application/json"},
    string.format(body, os.getenv("BENCH_RUN_ID"), thread_number, counter, os.getenv("BENCH_PASSWORD")))
end
