-- main.lua: the known-answer scripts, run by the guest (tests/integration/
-- cases/lua.sh) and by Debian's lua5.4 on the build machine: their
-- output between "== begin" and "== end" must be the same, except the
-- lines starting with "env:", which depend on where it runs (the guest
-- sets GUEST with -e; the case checks those lines itself).
print("== begin")
print("arg", arg[0], #arg, arg[1], arg[2], arg[-1] ~= nil)
print("...", select("#", ...), ...)
for _, name in ipairs({ "strings", "arith", "coro", "utf8s", "tables",
                        "files", "modules", "oslib" }) do
  print("== " .. name)
  dofile(name .. ".lua")
end
if GUEST then dofile("compute.lua") end
print("== end")
os.exit(3)
