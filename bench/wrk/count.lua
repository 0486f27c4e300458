-- Run by bench/load.py: wrk sends the body in WRK_BODY_FILE as a form POST (a GET when unset),
-- with the Cookie header in WRK_COOKIE, and counts the answers whose status is not one of
-- WRK_EXPECT (e.g. "200" or "302,303"): a form returned with errors is a 200, not a success.
local body_file = os.getenv("WRK_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("WRK_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

-- WRK_FRESH names a field (the form's "sent once" token) given a new value in every request.
local fresh = os.getenv("WRK_FRESH")
local sent = 0

function request()
  if wrk.method == "POST" and fresh and fresh ~= "" then
    sent = sent + 1
    local value = string.format("bench%08x%08x", math.random(0, 0x7fffffff), sent)
    -- the whole field only ("&token=", never the end of "&csrf_token=")
    local body = ("&" .. wrk.body):gsub("&" .. fresh .. "=[^&]*", "&" .. fresh .. "=" .. value)
    return wrk.format(nil, nil, nil, body:sub(2))
  end
  return wrk.format()
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time())
  expected = {}
  for code in string.gmatch(os.getenv("WRK_EXPECT") or "200", "%d+") do
    expected[tonumber(code)] = true
  end
  unexpected = 0
end

function response(status, headers, body)
  if not expected[status] then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("Unexpected status: %d\n", total))
end
