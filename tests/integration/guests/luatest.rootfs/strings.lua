-- string.format's %a %g %q, patterns, pack.
-- (A subnormal's %a is only checked to read back: C99 leaves its first
-- digit to the library; newlib writes 0x1.2688b70e62bp-1030 for glibc's
-- 0x0.012688b70e62bp-1022.)
print(string.format("%a %a %a %a", 1.0, 0.1, -2.5, 2^-1022))
print(tonumber(string.format("%a", 1e-310)) == 1e-310, string.format("%.3a", 1/3))
print(string.format("%g %g %g %g %g", 1e20, 0.1, 100000, 1e-5, 2^63))
print(string.format("%.3g|%10.4f|%-8d|%+d|%x|%X|%o", math.pi, math.pi, 42, 7, 255, 255, 8))
print(string.format("%q", 'a "quoted"\n\0 string\r\\ \200'))
print(string.format("%q %q %q", 1/0, -1/0, math.mininteger))
print(string.format("%q", 0.1), string.format("%5.2s|", "abc"))
print(string.format("%s %s %s", nil, true, 12.0))
print(string.format("%c%c%c", 76, 117, 97), ("x"):rep(3, ","))
print(("hello world from lua"):find("o w"), ("hello"):find("l+"))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("THE (quick) fox"):find("%((%a+)%)"))
print(("f(a(b)c)d"):match("%b()"), ("THE quick"):gsub("%f[%a]%a+", string.lower))
print(("abc"):gsub("", "-"), ("hello world"):gsub("o", { o = "0" }))
print(("x = 1, y = 22"):gsub("(%w+) = (%d+)", "%2 = %1"))
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print(table.concat(words, "|"), ("%d"):len(), ("abc"):byte(1, -1))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|", ("a,b,,c"):gsub(",", ";", 2))
print(string.pack("<i4", 258):byte(1, -1), string.unpack(">I2", "\1\2"))
print(pcall(string.rep), select(2, pcall(string.format, "%d", 1.5)))
print(tostring(nil), tostring(1e15), tostring(1e16), tostring(-0.0), 2^63)
print(string.format("%.14g", 0.1 + 0.2), 0.1 + 0.2 == 0.3, 100 // 1e0)
