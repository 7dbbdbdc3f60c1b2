-- Integer and float arithmetic, overflow, conversions.
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
print(math.maxinteger * 2, math.mininteger // -1, math.mininteger % -1)
print(7 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2, -7.5 % 2)
print(1 / 0, -1 / 0, 0/0 ~= 0/0, 3 / 2, 4 / 2, math.type(4 / 2))
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(1e308 * 10, -1e308 * 10, 2^53 + 1, math.tointeger(2^53))
print(math.type(1), math.type(1.0), math.type("1"), 1 == 1.0, math.ult(1, -1))
print("10" + 5, "3.5" * 2, 10 .. 20, "0x10" + 0, tonumber("  0x1p4  "))
print(tonumber("z", 36), tonumber("777", 8), tonumber("1e1"), tonumber("abc"))
print(3 & 5, 3 | 5, 3 ~ 5, ~0, 1 << 63, 1 << 64, -1 >> 1, 2^-1074)
print(math.floor(-3.5), math.ceil(-3.5), math.fmod(-7, 3), math.fmod(7, -3))
print(math.abs(math.mininteger), math.max(1, 2.5, -1), math.min(3, 1, 2))
-- sqrt is correctly rounded by IEEE 754: all 17 digits. The other
-- functions to 15 digits: C lets a libm be 1 ulp off, and newlib's exp(1)
-- is (2.7182818284590455, glibc's 2.7182818284590451).
print(string.format("%.17g %.15g %.15g", math.sqrt(2), math.sin(1), math.exp(1)))
print(string.format("%.15g %.15g %.15g", math.log(10), math.log(8, 2), math.atan(1, 2)))
print(math.pi, -math.pi, math.huge, 255 // 0.0, -255 % math.huge)
print(5 // 0.0, -5 // 0.0, 0x7fffffffffffffff + 0.0, 9007199254740993)
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.1))
print(math.tointeger("8"), math.tointeger(3.5), 1e100, 123456789012 * 1000)
local acc = 0
for i = 1, 100000 do acc = acc + i * i % 7 end
print("sum", acc, #tostring(2^1000))
