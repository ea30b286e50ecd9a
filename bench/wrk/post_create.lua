-- POST /posts/ with one user's access token: a new discussion each request.
dofile("bench/wrk/report.lua")
local counter = 0
local body = '{"title":"Bench post %s-t%d-%d","content":"Seen at the library desk","department":"CSE","tags":"Notice"}'
function request()
  counter = counter + 1
  return wrk.format("POST", "/posts/", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_ACCESS_TOKEN")},
    string.format(body, os.getenv("BENCH_RUN_ID"), thread_number, counter))
end
