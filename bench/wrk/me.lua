-- GET /auth/me with one user's access token.
dofile("bench/wrk/report.lua")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_ACCESS_TOKEN")
