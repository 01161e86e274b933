-- wrk script: GET limit=1000 pages of the main series from a random start_time each time.
-- The main series spans 2019-01-01 .. 2024-07-16 (1546300800000 .. 1721116800000 ms).
local first = 1546300800000
local last = 1721116800000 - 1000 * 3600000
local path = os.getenv("BENCH_PATH") or "/api/v1/kline/BTCUSDT/1h"
local limit = os.getenv("BENCH_LIMIT") or "1000"

math.randomseed(os.time())

request = function()
  local hour = math.random(0, (last - first) / 3600000)
  return wrk.format("GET", path .. "?limit=" .. limit .. "&start_time=" .. (first + hour * 3600000))
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
