-- POST /auth/refresh, each request spending a different session's refresh token (a refresh token is
-- single-use), from a file of tokens minted for the run; threads take every n-th line.
dofile("bench/wrk/report.lua")
local tokens, next_token = {}, 1
function init(args)
  local line_number = 0
  for token in io.lines(os.getenv("BENCH_REFRESH_TOKENS")) do
    if line_number % thread_count == thread_number - 1 then tokens[#tokens + 1] = token end
    line_number = line_number + 1
  end
end
function request()
  local token = tokens[next_token]
  next_token = next_token % #tokens + 1
  return wrk.format("POST", "/auth/refresh", {["Content-Type"] = "application/json"},
    '{"refresh_token":"' .. token .. '"}')
end
