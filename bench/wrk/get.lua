-- GET the path wrk was given (health, live, the bare baseline).
dofile("bench/wrk/report.lua")
