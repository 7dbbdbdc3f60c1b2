-- table: sort (with and without a comparator), concat, insert, remove,
-- move, pack, unpack; # of sequences; next order of integer keys.
local t = { 5, 2, 8, 1, 9, 3 }
table.sort(t)
print(table.concat(t, ","))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","))
local names = { "pear", "Apple", "fig", "banana", "apple" }
table.sort(names)
print(table.concat(names, " "))
table.sort(names, function(a, b) return a:lower() < b:lower() or
  (a:lower() == b:lower() and a < b) end)
print(table.concat(names, " "))
-- 10,000 numbers from a fixed LCG, sorted, then checked and summed.
local x, big = 12345, {}
for i = 1, 10000 do x = (x * 1103515245 + 12345) % 2147483648; big[i] = x end
table.sort(big)
local sorted = true
for i = 2, #big do if big[i - 1] > big[i] then sorted = false end end
print("sorted", sorted, big[1], big[5000], big[10000])
table.insert(t, 1, 0); table.insert(t, 7)
print(table.concat(t, ","), table.remove(t), table.remove(t, 1), #t)
print(table.concat(table.move({ 1, 2, 3 }, 1, 3, 2), ","), table.unpack({ 1, 2, 3 }, 2))
local p = table.pack(1, nil, 3)
print(p.n, #{ 1, 2, 3, nil }, select("#", table.unpack(p, 1, p.n)))
print(pcall(table.sort, { 1, "x" }))
print(pcall(table.insert, { 1 }, 5, 2))
local mt = setmetatable({}, { __index = function(_, k) return k * 2 end,
  __len = function() return 99 end })
print(mt[21], #mt, rawlen(mt), rawequal(mt, mt))
local gc = setmetatable({}, { __gc = function() print("gc ran") end })
gc = nil
collectgarbage()
print("collect", type(collectgarbage("count")))
