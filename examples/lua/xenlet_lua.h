/* xenlet_lua.h - the guest's own Lua modules, preloaded by linit.c. */
#ifndef XENLET_LUA_H
#define XENLET_LUA_H

#include "lua.h"

int luaopen_xenlet(lua_State *L);

/* LuaSocket's C cores (build/lua-src/luasocket-3.1.0/src), linked in:
 * socket.lua and mime.lua require them by these names. */
int luaopen_socket_core(lua_State *L);
int luaopen_mime_core(lua_State *L);

#endif
