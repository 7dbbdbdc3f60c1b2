-- err.lua: an error deep in calls: lua prints the message and a stack
-- traceback to stderr and exits with status 1.
local function inner(x)
  if x > 2 then error("too deep at " .. x) end
  return inner(x + 1)
end
local function outer() print("err: calling"); inner(0) end
outer()
print("never printed")
