-- cpu.lua - make bench's CPU-bound Lua script (issue 14): the same file
-- runs in the xenlet Lua guest (examples/lua) and under Debian's lua5.4
-- in the Linux guest, in one test-host run. Each part computes the same
-- thing in both, prints a check value (the two must agree, or the
-- timings compare different work) and its time by os.clock:
--   cpu: PART SECONDS CHECK
-- the best of ROUNDS runs of it (the least disturbed by the emulation
-- around both guests). arg[1] scales the work (default 1).
local scale = tonumber(arg and arg[1]) or 1
local ROUNDS = 3

-- A linear congruential generator of our own: math.random's sequence
-- is Lua's, but a script that names its numbers needs no seed rules.
local function lcg(seed)
  local x = seed
  return function()
    x = (x * 1103515245 + 12345) % 2147483648
    return x
  end
end

-- Integer arithmetic and loops: a sieve of Eratosthenes, then sums of
-- squares modulo a prime.
local function integers()
  local n = 500000 * scale
  local composite, count = {}, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  local s = 0
  for k = 1, 3000000 * scale do s = (s + k * k) % 1000003 end
  return count * 1000003 + s
end

-- Floating point: the Mandelbrot set on a grid, the points that stay.
local function floats()
  local w, h, inside = 240, 320 * scale, 0
  for y = 0, h - 1 do
    local ci = y * 2.0 / h - 1.0
    for x = 0, w - 1 do
      local cr, zr, zi, i = x * 3.0 / w - 2.0, 0.0, 0.0, 0
      while i < 100 and zr * zr + zi * zi < 4.0 do
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        i = i + 1
      end
      if i == 100 then inside = inside + 1 end
    end
  end
  return inside
end

-- String building: .. in a loop, string.format, table.concat,
-- gsub and find over what was built (allocation and copying).
local function strings()
  local parts, n = {}, 100000 * scale
  for i = 1, n do
    parts[#parts + 1] = string.format("%d:%x;", i, i * 7)
  end
  local s = table.concat(parts)
  local t = ""
  for i = 1, 5000 * scale do t = t .. (i % 10) end
  local replaced, k = s:gsub("(%d+):", "<%1>")
  local found, at = 0, 1
  while true do
    local a = s:find("77", at, true)
    if not a then break end
    found, at = found + 1, a + 1
  end
  return #s + #t + #replaced + k + found
end

-- Table sorting: integers with the default order, strings, and records
-- with a comparison function (Lua calls it for every comparison).
local function sorting()
  local n, r = 30000 * scale, lcg(42)
  local nums, strs, recs = {}, {}, {}
  for i = 1, n do
    nums[i] = r()
    strs[i] = tostring(r())
    recs[i] = { key = r() % 1000, id = i }
  end
  table.sort(nums)
  table.sort(strs)
  table.sort(recs, function(a, b)
    if a.key ~= b.key then return a.key < b.key end
    return a.id < b.id
  end)
  return nums[1] % 1000 + nums[n] % 1000 + #strs[n // 2] + recs[n].id
end

local parts = {
  { "integers", integers },
  { "floats", floats },
  { "strings", strings },
  { "sorting", sorting },
}

print(string.format("cpu: %s, scale %d, best of %d", _VERSION, scale, ROUNDS))
local total = 0
for _, p in ipairs(parts) do
  local best, check
  for _ = 1, ROUNDS do
    collectgarbage("collect")
    local t0 = os.clock()
    check = p[2]()
    local t = os.clock() - t0
    if not best or t < best then best = t end
  end
  total = total + best
  print(string.format("cpu: %s %.3f %d", p[1], best, check))
end
print(string.format("cpu: total %.3f", total))
