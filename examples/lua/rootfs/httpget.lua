-- httpget.lua: fetch a URL with LuaSocket's socket.http and print what
-- came back: the status, the length, a header and the body's lines.
--   lua httpget.lua URL
local http = require("socket.http")

local url = arg[1] or "http://10.99.0.1/"
local body, code, headers, status = http.request(url)
if not body then
  io.stderr:write("httpget.lua: ", url, ": ", tostring(code), "\n")
  os.exit(1)
end
print("httpget.lua: status " .. tostring(status))
print("httpget.lua: " .. #body .. " bytes, content-length " ..
  tostring(headers["content-length"]))
for line in body:gmatch("[^\n]+") do print("body: " .. line) end
