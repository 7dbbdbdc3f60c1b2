-- echo.lua: a TCP echo server in Lua (LuaSocket), many clients at once
-- through socket.select. `xl shutdown` ends it.
--   lua echo.lua [PORT]      (PORT 7 unless given)
local socket = require("socket")

local port = tonumber(arg[1]) or 7
local server = assert(socket.bind("*", port))
server:settimeout(0)
print(string.format("echo.lua: serving tcp port %d (%s)", port, socket._VERSION))

local clients, count = {}, {}

local function drop(c, why)
  for i, x in ipairs(clients) do
    if x == c then table.remove(clients, i) break end
  end
  print(string.format("echo.lua: connection %s after %d bytes", why, count[c]))
  count[c] = nil
  c:close()
end

while true do
  local ready = socket.select({ server, table.unpack(clients) }, nil)
  for _, s in ipairs(ready) do
    if s == server then
      local c = server:accept()
      if c then
        c:settimeout(0)
        clients[#clients + 1], count[c] = c, 0
      end
    else
      -- whatever has arrived, up to 8 KiB, goes straight back
      local data, err, partial = s:receive(8192)
      data = data or partial
      if data and #data > 0 then
        count[s] = count[s] + #data
        s:settimeout(10)
        local ok, serr, sent = s:send(data)
        s:settimeout(0)
        if not ok then
          print(string.format("echo.lua: send: %s after %d of %d bytes", serr, sent, #data))
          err = "closed"
        end
      end
      if err == "closed" then drop(s, "closed") end
    end
  end
end
