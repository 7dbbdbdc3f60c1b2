-- compute.lua (guest only): a second of pure computation, and what the
-- guest received from Xen meanwhile (the xenlet module's counters).
-- Twice: right after printing (shown, not judged: xenconsoled's
-- acknowledgement of the lines just printed is on its way, and the
-- console port is seen pending after it), then after xenlet.settle(),
-- from a quiet start (judged: nothing may arrive).
local xenlet = require("xenlet")

local function second(label)
  local before = xenlet.stats()
  local n, rounds = 0, 0
  repeat
    for k = 1, 20000 do n = (n + k * k) % 1000003 end
    rounds = rounds + 1
  until xenlet.now() - before.now >= 1000000000
  local after = xenlet.stats()
  local due = before.timer_deadline ~= 0 and before.timer_deadline <= after.now
  print(string.format("env: %s %.3f s %d rounds: events %d upcalls %d timer %d due %s",
    label, (after.now - before.now) / 1e9, rounds, after.received - before.received,
    after.upcalls - before.upcalls, after.timer_fired - before.timer_fired, due))
  print(string.format("env: %s pending port %d (console %d) check %d",
    label, after.first_pending, after.console_port, n))
end

print("env: computing")
second("unsettled")
xenlet.settle()
second("compute")
