-- os: date with fixed times (known answers), time round trips, clock,
-- getenv; what a guest cannot do fails the Lua way.
print(os.date("!%Y-%m-%d %H:%M:%S %j %a %b %p", 0))
print(os.date("!%c", 1700000000), os.date("!%x %X %y %%", 86400 * 365))
local t = os.date("!*t", 1234567890)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
print(os.time({ year = 2000, month = 1, day = 1, hour = 0 }) -
      os.time({ year = 1999, month = 12, day = 31, hour = 0 }))
print(os.time({ year = 2024, month = 2, day = 30, hour = 12 }) ==
      os.time({ year = 2024, month = 3, day = 1, hour = 12 }))
print(math.type(os.time()), type(os.clock()), os.clock() >= 0)
print(os.getenv("XENLET_NO_SUCH_VARIABLE"), pcall(os.date, "%Ez"))
print(os.difftime(10, 4), pcall(os.time, { year = 2000 }))
if GUEST then
  print("env: time", os.time(), os.date("!%Y-%m-%d %H:%M:%S"))
  print("env: getenv", os.getenv("LUAENV"), os.getenv("HOME"))
  print("env: execute", os.execute("ls"))
  print("env: execute()", os.execute())
  print("env: remove", os.remove("data/poem.txt"))
  print("env: rename", os.rename("data/poem.txt", "x"))
  -- No file can be created here, so tmpnam has no name to give, and
  -- os.tmpname raises Lua's own error.
  print("env: tmpname", pcall(os.tmpname))
  print("env: tmpfile", io.tmpfile())
  print("env: popen", pcall(io.popen, "ls"))
  print("env: clock", os.clock() < 30)
  -- os.clock is the CPU time the guest used: half a second asleep
  -- (LuaSocket's sleep, a nanosleep) adds next to none.
  local xenlet, c0 = require("xenlet"), os.clock()
  local t0 = xenlet.now()
  require("socket.core").sleep(0.5)
  print("env: clock asleep", os.clock() - c0 < 0.1, xenlet.now() - t0 >= 5e8)
end
