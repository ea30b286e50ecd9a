-- POST /votes/ on ten hot posts in turn with one user's token: each request toggles (added, removed, …).
dofile("bench/wrk/report.lua")
local counter = 0
function request()
  counter = counter + 1
  local body = string.format('{"post_id":%d,"vote_type":1}', 1 + (counter + thread_number) % 10)
  return wrk.format("POST", "/votes/", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_ACCESS_TOKEN")}, body)
end
