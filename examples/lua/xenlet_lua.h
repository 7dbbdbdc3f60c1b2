/* xenlet_lua.h - the guest's own Lua modules, preloaded by linit.c. */
#ifndef XENLET_LUA_H
#define XENLET_LUA_H

#include "lua.h"

int luaopen_xenlet(lua_State *L);

#endif
