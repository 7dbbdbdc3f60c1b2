-- utf8: char, codes, len, offset, codepoint, invalid input.
local s = utf8.char(72, 233, 8364, 128512, 0x7FFFFFFF)
print(#s, utf8.len(s), s:sub(1, 9))
for p, c in utf8.codes("aé€") do io.write(p, ":", c, " ") end
print()
print(utf8.len("\xff"), utf8.len("abc\xe4"), utf8.len("héllo", 3))
print(utf8.offset("aé€b", 3), utf8.offset("aé€b", -1), utf8.codepoint("héllo", 1, -1))
print(pcall(utf8.codepoint, "\xff"), ("%q"):format(utf8.charpattern))
print(("€uro"):match(utf8.charpattern), utf8.len("\u{7FF}\u{FFFF}"))
print(utf8.len("\xed\xa0\x80"), utf8.len("\xed\xa0\x80", 1, -1, true))
