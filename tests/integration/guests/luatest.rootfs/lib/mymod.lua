-- a module of the ramdisk, found through package.path
local M = { name = "mymod", loads = (LOADS or 0) + 1 }
LOADS = M.loads
function M.twice(x) return 2 * x end
return M
