-- POST /notifications/announcement with a faculty member's token, to the department BENCH_DEPARTMENT.
dofile("bench/wrk/report.lua")
local counter = 0
local body = '{"title":"Bench notice %s-t%d-%d","message":"Labs close early today.","department":"%s"}'
function request()
  counter = counter + 1
  return wrk.format("POST", "/notifications/announcement", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_ACCESS_TOKEN")},
    string.format(body, os.getenv("BENCH_RUN_ID"), thread_number, counter, os.getenv("BENCH_DEPARTMENT")))
end
