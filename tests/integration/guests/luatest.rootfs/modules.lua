-- require: a module from the ramdisk through package.path, the default
-- ./?.lua, caching, and a missing module.
package.path = "./lib/?.lua;" .. package.path
local m, where = require("mymod")
print(m.name, m.twice(21), where)
print(require("mymod") == m, package.loaded.mymod == m, m.loads)
local top = require("toplevel")
print(top, package.loaded.toplevel)
local ok, err = pcall(require, "no.such.module")
print(ok, (err:match("^[^\n]*")))
package.path = "./lib/?.lua"
print(pcall(require, "broken"))
package.preload.fake = function(name, extra) return { name = name, extra = extra } end
local fake = require("fake")
print(fake.name, fake.extra)
