/*
 * linit.c - the libraries a Lua state of this guest starts with.
 *
 * Lua's own linit.c is left out of the build: its manual (and the file's
 * comment) make luaL_openlibs the embedder's to define. lua.c calls it
 * once per state. The standard libraries are opened as in lua.c's usual
 * build; the C modules linked in (ours, LuaSocket's cores) are only
 * preloaded, where a shared object would be searched for (a guest loads
 * none), so a script pays for what it requires: the network comes up
 * at its first socket.
 */
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "xenlet_lua.h"

static const luaL_Reg standard_libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_LOADLIBNAME, luaopen_package },
	{ LUA_COLIBNAME, luaopen_coroutine },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_IOLIBNAME, luaopen_io },
	{ LUA_OSLIBNAME, luaopen_os },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ LUA_DBLIBNAME, luaopen_debug },
	{ NULL, NULL },
};

/* require(name) finds these in package.preload, before any search. */
static const luaL_Reg preloaded_libs[] = {
	{ "xenlet", luaopen_xenlet },
	{ "socket.core", luaopen_socket_core },
	{ "mime.core", luaopen_mime_core },
	{ NULL, NULL },
};

void luaL_openlibs(lua_State *L)
{
	const luaL_Reg *lib;

	for (lib = standard_libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
	for (lib = preloaded_libs; lib->func; lib++) {
		lua_pushcfunction(L, lib->func);
		lua_setfield(L, -2, lib->name);
	}
	lua_pop(L, 1);
}
