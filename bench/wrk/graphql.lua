-- wrk script for GraphQL over HTTP: POSTs JSON bodies read from a file (one per
-- line, picked at random per request), with an optional bearer token, and counts
-- as an error every response that is not HTTP 200 or whose body carries
-- "errors" (a GraphQL error with HTTP 200 is not a success).
--
--   wrk -c 50 -t 2 -d 10s -s graphql.lua http://127.0.0.1:8080/graphql -- BODIES [TOKEN]
--
-- A body may hold the placeholder __WEIGHT__ (a bare JSON number): each request
-- gets a fresh random number in its place, so no two requests are the same.
--
-- At the end it prints one line: RESULT {json}.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local path, token = args[1], args[2]
  bodies = {}
  weighted = {}
  for line in io.lines(path) do
    if #line > 0 then
      table.insert(bodies, line)
      table.insert(weighted, string.find(line, "__WEIGHT__", 1, true) ~= nil)
    end
  end
  assert(#bodies > 0, "no request bodies in " .. tostring(path))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  if token and #token > 0 then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  graphql_errors = 0
  http_errors = 0
  first_error = ""
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  local i = math.random(#bodies)
  local body = bodies[i]
  if weighted[i] then
    body = string.gsub(body, "__WEIGHT__", string.format("%.6f", 0.2 + math.random() * 0.3))
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    http_errors = http_errors + 1
    if first_error == "" then first_error = "HTTP " .. status .. ": " .. string.sub(body or "", 1, 300) end
  elseif string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
    if first_error == "" then first_error = string.sub(body, 1, 300) end
  end
end

local function escape(s)
  return (s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('[%c]', ' '))
end

function done(summary, latency, requests)
  local graphql, http, first = 0, 0, ""
  for _, t in ipairs(threads) do
    graphql = graphql + t:get("graphql_errors")
    http = http + t:get("http_errors")
    local f = t:get("first_error")
    if first == "" and f and f ~= "" then first = f end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"mean_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,'
      .. '"max_ms":%.3f,"graphql_errors":%d,"http_errors":%d,"socket_errors":%d,"first_error":"%s"}\n',
    summary.requests, summary.duration / 1e6, latency.mean / 1e3,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, graphql, http,
    e.connect + e.read + e.write + e.timeout, escape(first)))
end
