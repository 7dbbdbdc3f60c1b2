-- io over the read-only root file system (the ramdisk in the guest).
local n, total = 0, 0
for line in io.lines("data/numbers.txt") do n = n + 1; total = total + tonumber(line) end
print("lines", n, total)
for a, b in io.lines("data/numbers.txt", 1, "n") do print("first", a, b); break end
local f = assert(io.open("data/poem.txt"))
print(f:read("l"))
print(f:read("L"))
print(f:read(5), f:seek("cur"), f:seek("end"), f:read("a") == "", f:read("l"))
f:seek("set", 0)
local all = f:read("a")
print(#all, select(2, all:gsub("\n", "")), io.type(f), f:close(), io.type(f))
print(pcall(f.read, f))
print(io.open("data/missing.txt"))
print(pcall(io.open, "data/poem.txt", "rz"))
print(io.type(io.stdout), io.type(io.stdin), io.type(42))
io.write("io.write ", 1, " ", 2.5, "\n")
io.stdout:write("stdout:write\n")
if GUEST then
  print("env:", io.open("data/new.txt", "w"))
  print("env:", io.open("data/poem.txt", "a"))
end
