-- echo.lua: a TCP echo server in Lua (LuaSocket), many clients at once
-- through socket.select.
--   lua echo.lua [PORT [CONNECTIONS]]
-- serves PORT (7), and ends after CONNECTIONS clients (default: never).
local socket = require("socket")

local port = tonumber(arg[1]) or 7
local limit = tonumber(arg[2])
local server = assert(socket.bind("*", port))
server:settimeout(0)
print(string.format("echo.lua: serving tcp port %d (%s)", port, socket._VERSION))

local clients, served, bytes = {}, 0, 0

local function drop(c)
  for i, x in ipairs(clients) do
    if x == c then table.remove(clients, i) break end
  end
  c:close()
  served = served + 1
end

while not limit or served < limit do
  local ready = socket.select({ server, table.unpack(clients) }, nil, 60)
  for _, s in ipairs(ready) do
    if s == server then
      local c = server:accept()
      if c then c:settimeout(0); clients[#clients + 1] = c end
    else
      -- whatever has arrived, up to 8 KiB, goes straight back
      local data, err, partial = s:receive(8192)
      data = data or partial
      if data and #data > 0 then
        bytes = bytes + #data
        s:settimeout(10)
        local ok = s:send(data)
        s:settimeout(0)
        if not ok then drop(s) end
      end
      if err == "closed" then drop(s) end
    end
  end
end
print(string.format("echo.lua: served %d connections, %d bytes", served, bytes))
