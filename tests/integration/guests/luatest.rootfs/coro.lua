-- Coroutines: generators, wrap, status, errors, yield across pcall.
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i * i) end
    return "done"
  end)
end
local g, out = gen(4), {}
for _ = 1, 5 do out[#out + 1] = g() end
print(table.concat(out, " "), pcall(g))
local co = coroutine.create(function(a, b)
  print("start", a, b, coroutine.isyieldable(), coroutine.running() ~= nil)
  local c = coroutine.yield(a + b)
  print("got", c)
  local ok, v = pcall(function() return coroutine.yield("in pcall") end)
  print("pcall yield", ok, v)
  error({ code = 42 })
end)
print(coroutine.status(co), coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.resume(co, "x"))
local ok, e = coroutine.resume(co, "y")
print(ok, type(e), e.code, coroutine.status(co), coroutine.resume(co))
local c2 = coroutine.create(function() coroutine.yield() end)
coroutine.resume(c2)
print(coroutine.close(c2), coroutine.status(c2), coroutine.isyieldable())
-- a producer/consumer pair through many switches
local prod = coroutine.wrap(function()
  for i = 1, 10000 do coroutine.yield(i) end
end)
local s = 0
for _ = 1, 10000 do s = s + prod() end
print("switches", s)
