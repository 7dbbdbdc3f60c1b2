/*
 * xenlet_lua.c - the `xenlet` Lua module: what the guest under a script
 * has received from Xen, so that a script can see that nothing
 * interrupted a stretch of computation.
 *
 *   local xenlet = require("xenlet")
 *   xenlet.now()      Xen system time, ns (monotonic; no hypercall)
 *   xenlet.settle()   let what is in flight arrive and be handled
 *   xenlet.stats()    { now, upcalls, received, dispatched, pending,
 *                       first_pending, console_port, timer_fired,
 *                       timer_deadline }
 *
 * stats() only reads memory (<xenlet/evtchn.h>, <xenlet/time.h>): it
 * enters neither the scheduler nor Xen, so reading does not disturb
 * what it measures. settle() is for before a stretch: a port's events
 * coalesce into one pending bit, so a port left pending would hide
 * every later event on it; and what the script printed last is still
 * to be acknowledged by xenconsoled (it notifies the console port after
 * it has read the ring), which would otherwise arrive during the
 * stretch.
 */
#include <stdio.h>
#include <unistd.h>
#include <xenlet/arch.h>
#include <xenlet/console.h>
#include <xenlet/evtchn.h>
#include <xenlet/time.h>

#include "lauxlib.h"
#include "lua.h"
#include "xenlet_lua.h"

/*
 * How long settle() waits for xenconsoled's acknowledgement once the
 * ring is empty: the notification follows its read of the ring at
 * once, and 50 ms covers an emulated, busy dom0 (the integration test
 * host) many times over. The flush itself has the console's deadline.
 */
#define SETTLE_US 50000

static int l_now(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)xen_system_time_ns());
	return 1;
}

static int l_settle(lua_State *L)
{
	(void)L;
	fflush(NULL);
	console_flush(NSEC_PER_SEC);
	usleep(SETTLE_US); /* the scheduler dispatches what arrives */
	return 0;
}

static void set_field(lua_State *L, const char *name, int64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, name);
}

static int l_stats(lua_State *L)
{
	struct evtchn_stats s;
	uint64_t now = xen_system_time_ns();

	evtchn_get_stats(&s);
	lua_createtable(L, 0, 9);
	set_field(L, "now", (int64_t)now);
	set_field(L, "upcalls", (int64_t)s.upcalls);
	set_field(L, "received", (int64_t)(s.dispatched + s.pending));
	set_field(L, "dispatched", (int64_t)s.dispatched);
	set_field(L, "pending", (int64_t)s.pending);
	set_field(L, "first_pending", s.first_pending);
	set_field(L, "console_port", boot_info.console_evtchn);
	set_field(L, "timer_fired", (int64_t)timer_fired_count());
	set_field(L, "timer_deadline", (int64_t)timer_armed_ns());
	return 1;
}

static const luaL_Reg xenlet_funcs[] = {
	{ "now", l_now },
	{ "settle", l_settle },
	{ "stats", l_stats },
	{ NULL, NULL },
};

int luaopen_xenlet(lua_State *L)
{
	luaL_newlib(L, xenlet_funcs);
	return 1;
}
