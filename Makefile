# xenlet - the one build entry point.
#
#   make            build libxenlet.a and every guest image
#   make check      all tests: host unit tests, then integration tests
#                   under the real Xen (tools/xenhost); ends with
#                   "N passed, N failed"
#   make run        build examples/hello and launch it with xl
#                   (EXAMPLE=name for another example)
#   make bench      benchmarks against a Linux PV guest on the same host
#   make clean      remove build/
#
# Everything is built under build/ (git-ignored). Missing Debian
# packages are installed by tools/setup-deps, which says what it does.

BUILD := build
include config/build.mk

V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# --- the library -----------------------------------------------------------

LIB_SRCS := $(wildcard arch/x86/*.S arch/x86/*.c xen/*.c net/*.c blk/*.c) \
	    $(filter-out lib/progname.c,$(wildcard lib/*.c)) \
	    $(wildcard lib/posix/*.c lib/rootfs/*.c)
LIB_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(LIB_SRCS)))
LIB := $(BUILD)/libxenlet.a
LINK_SCRIPT := arch/x86/link_pv.ld
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

INCLUDES := -Iinclude -I$(BUILD)/include

# --- guest programs --------------------------------------------------------
# An example is a folder examples/NAME/ of .c files -> build/examples/NAME.elf
# A test guest is one file tests/integration/guests/NAME.c
#   -> build/tests/guests/NAME.elf

EXAMPLES := $(notdir $(wildcard examples/*))
TEST_GUESTS := $(basename $(notdir $(wildcard tests/integration/guests/*.c)))
EXAMPLE_ELFS := $(EXAMPLES:%=$(BUILD)/examples/%.elf)
TEST_GUEST_ELFS := $(TEST_GUESTS:%=$(BUILD)/tests/guests/%.elf)

# A program's root file system (the xl ramdisk, see <xenlet/rootfs.h>)
# is a cpio archive of a folder:
#   examples/NAME/rootfs/ -> build/examples/NAME.cpio
#     (config/NAME.cfg: ramdisk = "build/examples/NAME.cpio")
#   tests/integration/guests/NAME.rootfs/ -> build/tests/guests/NAME.cpio
EXAMPLE_CPIOS := $(patsubst examples/%/rootfs,$(BUILD)/examples/%.cpio,\
	$(wildcard examples/*/rootfs))
TEST_GUEST_CPIOS := $(patsubst tests/integration/guests/%.rootfs,\
	$(BUILD)/tests/guests/%.cpio,$(wildcard tests/integration/guests/*.rootfs))

.PHONY: all check unit integration run bench clean deps-build FORCE
all: $(LIB) $(LWIP_LIB) $(EXAMPLE_ELFS) $(TEST_GUEST_ELFS) $(EXAMPLE_CPIOS) \
	$(TEST_GUEST_CPIOS)

deps-build:
	$(Q)tools/setup-deps build

# newlib: fetched and built once; again only when the compiler or the
# flags change (tools/build-newlib keeps a stamp and leaves it alone
# otherwise, so nothing depending on it is rebuilt).
NEWLIB_STAMP := $(BUILD)/newlib/stamp
$(NEWLIB_STAMP): FORCE | deps-build
	$(Q)tools/build-newlib $(BUILD) $(CC) '$(NEWLIB_CFLAGS)'
$(LIBC_LIBS): $(NEWLIB_STAMP)

# The Xen headers, visible alone (see config/build.mk).
$(BUILD)/include/xen: | deps-build
	$(Q)mkdir -p $(dir $@)
	$(Q)ln -sfn $(XEN_HEADERS) $@

# Code that runs once at boot, or only to report a crash, is compiled for
# size: the stripped image has a budget (make bench), and speed there
# buys nothing.
SIZE_SRCS := arch/x86/pv_setup.c arch/x86/pvh_setup.c arch/x86/pv_mm.c \
	arch/x86/pvh_mm.c arch/x86/idt.c arch/x86/traps.c
SIZE_SRCS += arch/x86/pv_start_info.c arch/x86/pvh_start_info.c \
	arch/x86/setup.c
# So is XenStore's: each call waits for a round trip through dom0.
SIZE_SRCS += xen/xenstore.c xen/xenbus.c lib/environ_xs.c
# So is code that runs once per (rare) request: the toolstack's shutdown
# requests, the environment's few lookups.
SIZE_SRCS += xen/control.c lib/environ.c
$(patsubst %.c,$(BUILD)/obj/%.o,$(SIZE_SRCS)): OBJ_CFLAGS := -Os

# Objects are rebuilt when the flags change, not only the sources.
$(BUILD)/flags: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)echo '$(CC) $(KERNEL_CFLAGS) $(KERNEL_ASFLAGS) -Os: $(SIZE_SRCS)' | cmp -s - $@ || \
		echo '$(CC) $(KERNEL_CFLAGS) $(KERNEL_ASFLAGS) -Os: $(SIZE_SRCS)' > $@

$(BUILD)/obj/%.o: %.c $(BUILD)/flags | $(BUILD)/include/xen
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(OBJ_CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: %.S $(BUILD)/flags | $(BUILD)/include/xen
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KERNEL_ASFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

# The POSIX layer and guest programs see newlib's headers.
$(BUILD)/program-flags: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)echo '$(CC) $(PROGRAM_CFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(PROGRAM_CFLAGS)' > $@

PROGRAM_DEPS := $(BUILD)/program-flags $(NEWLIB_STAMP)

$(BUILD)/obj/lib/posix/%.o: lib/posix/%.c $(PROGRAM_DEPS) | $(BUILD)/include/xen
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(PROGRAM_CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(BUILD)/obj/examples/%.o: examples/%.c $(PROGRAM_DEPS) | $(BUILD)/include/xen
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(PROGRAM_CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(BUILD)/obj/tests/integration/guests/%.o: tests/integration/guests/%.c \
		$(PROGRAM_DEPS) | $(BUILD)/include/xen
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(PROGRAM_CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(BUILD)/obj/progname/%.o: lib/progname.c $(BUILD)/flags
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_CFLAGS) -DPROGNAME='"$*"' -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# lwIP 2.1.3: fetched from Debian's source package by tools/build-lwip
# (hash-pinned) and compiled with newlib's headers and the port in
# net/lwip into its own archive. Every program links it in the group
# below, but only one that uses sockets (lib/posix/socket.c) pulls any
# of it in: hello does not grow.
LWIP_DIR := $(BUILD)/lwip-src/lwip-2.1.3/src
LWIP_STAMP := $(BUILD)/lwip-src/stamp
LWIP_CORE := init def dns inet_chksum ip mem memp netif pbuf raw stats sys \
	tcp tcp_in tcp_out timeouts udp ipv4/dhcp ipv4/etharp ipv4/icmp \
	ipv4/ip4_frag ipv4/ip4 ipv4/ip4_addr
LWIP_API := api_lib api_msg err netbuf netdb sockets tcpip
LWIP_SRCS := $(LWIP_CORE:%=$(LWIP_DIR)/core/%.c) $(LWIP_API:%=$(LWIP_DIR)/api/%.c) \
	$(LWIP_DIR)/netif/ethernet.c
LWIP_PORT_SRCS := $(wildcard net/lwip/*.c)
LWIP_OBJS := $(patsubst $(LWIP_DIR)/%.c,$(BUILD)/lwip/obj/%.o,$(LWIP_SRCS)) \
	$(patsubst %.c,$(BUILD)/obj/%.o,$(LWIP_PORT_SRCS))
LWIP_LIB := $(BUILD)/liblwip.a
# lwIP wants select()'s FD_SETSIZE to cover its sockets (MEMP_NUM_NETCONN);
# programs keep newlib's.
LWIP_CFLAGS := $(PROGRAM_CFLAGS) -DFD_SETSIZE=256 -Inet/lwip \
	-I$(LWIP_DIR)/include $(INCLUDES)

$(LWIP_STAMP): tools/build-lwip | deps-build
	$(Q)tools/build-lwip $(BUILD)
$(LWIP_SRCS): | $(LWIP_STAMP)

# lwIP's own code is not ours to fix: its warnings are shown, not errors.
$(BUILD)/lwip/obj/%.o: $(LWIP_DIR)/%.c $(PROGRAM_DEPS) | $(BUILD)/include/xen
	@echo "  CC      lwip/$*.c"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -Werror,$(LWIP_CFLAGS)) -MMD -MP -c -o $@ $<

$(BUILD)/obj/net/lwip/%.o: net/lwip/%.c $(PROGRAM_DEPS) $(LWIP_STAMP) | $(BUILD)/include/xen
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LWIP_CFLAGS) -MMD -MP -c -o $@ $<

$(LWIP_LIB): $(LWIP_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# Lua 5.4: fetched from Debian's source package lua5.4 by tools/build-lua
# (hash-pinned, Debian's two security fixes applied, nothing of ours) and
# compiled with the guest's flags into its own archive. lua.c, Lua's own
# standalone interpreter, is examples/lua's main; linit.c is left out:
# examples/lua/linit.c is the embedder's list of libraries Lua's
# manual describes. Lua's generic (ISO C) configuration: LUA_USE_POSIX
# would ask for _setjmp, sigaction, flockfile and popen, which newlib
# lacks; a guest loads no shared objects (no dlopen) either.
LUA_SRC := $(BUILD)/lua-src
LUA_DIR := $(LUA_SRC)/lua-5.4.4/src
LUA_STAMP := $(LUA_SRC)/stamp
LUA_CORE := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject \
	lopcodes lparser lstate lstring ltable ltm lundump lvm lzio lauxlib \
	lbaselib lcorolib ldblib liolib lmathlib loadlib loslib lstrlib ltablib \
	lutf8lib
LUA_OBJS := $(LUA_CORE:%=$(BUILD)/lua/obj/%.o)
LUA_LIB := $(BUILD)/liblua.a
LUA_CFLAGS := $(filter-out -Werror,$(PROGRAM_CFLAGS))

$(LUA_STAMP): tools/build-lua | deps-build
	$(Q)tools/build-lua $(BUILD)
# Named, so that make never takes them for intermediate files to delete.
$(LUA_CORE:%=$(LUA_DIR)/%.c) $(LUA_DIR)/lua.c: | $(LUA_STAMP)

# Lua's own code is not ours to fix: its warnings are shown, not errors.
$(BUILD)/lua/obj/%.o: $(LUA_DIR)/%.c $(PROGRAM_DEPS) | $(LUA_STAMP)
	@echo "  CC      lua/$*.c"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LUA_CFLAGS) -MMD -MP -c -o $@ $<

$(LUA_LIB): $(LUA_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# LuaSocket 3.1.0 from Debian's source package luasocket (fetched by
# tools/build-lua, unchanged): its C cores socket.core and mime.core,
# over xenlet's sockets, into their own archive; its Lua modules go into
# examples/lua's ramdisk where lua looks first (LUA_PATH_DEFAULT's
# /usr/local/share/lua/5.4/).
LUASOCKET_DIR := $(LUA_SRC)/luasocket-3.1.0/src
LUASOCKET_CORE := luasocket timeout buffer io auxiliar compat options inet \
	except select tcp udp usocket mime
LUASOCKET_OBJS := $(LUASOCKET_CORE:%=$(BUILD)/luasocket/obj/%.o)
LUASOCKET_LIB := $(BUILD)/libluasocket.a
LUASOCKET_LUA := socket.lua ltn12.lua mime.lua
LUASOCKET_LUA_SOCKET := http.lua url.lua headers.lua tp.lua ftp.lua smtp.lua
$(LUASOCKET_CORE:%=$(LUASOCKET_DIR)/%.c): | $(LUA_STAMP)
$(BUILD)/luasocket/obj/%.o: $(LUASOCKET_DIR)/%.c $(PROGRAM_DEPS) | $(LUA_STAMP) \
		$(BUILD)/include/xen
	@echo "  CC      luasocket/$*.c"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LUA_CFLAGS) -I$(LUA_DIR) -MMD -MP -c -o $@ $<
$(LUASOCKET_LIB): $(LUASOCKET_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# examples/lua: Lua's lua.c and the files of the folder, over liblua and
# LuaSocket (examples/lua/linit.c preloads socket.core and mime.core).
EXTRA_OBJS_lua := $(BUILD)/lua/obj/lua.o $(LUASOCKET_LIB) $(LUA_LIB)
$(BUILD)/obj/examples/lua/%.o: INCLUDES += -I$(LUA_DIR)
$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard examples/lua/*.c)): | $(LUA_STAMP)

# Its ramdisk: examples/lua/rootfs/ with LuaSocket's Lua modules added,
# staged in build/lua/rootfs, then packed as make_cpio does.
LUA_ROOTFS := $(BUILD)/lua/rootfs
LUA_SHARE := $(LUA_ROOTFS)/usr/local/share/lua/5.4
$(BUILD)/examples/lua.cpio: $(shell find examples/lua/rootfs) | $(LUA_STAMP) deps-build
	@echo "  CPIO    $@"
	$(Q)rm -rf $(LUA_ROOTFS) && mkdir -p $(LUA_SHARE)/socket $(dir $@)
	$(Q)cp -a examples/lua/rootfs/. $(LUA_ROOTFS)/
	$(Q)cp -p $(LUASOCKET_LUA:%=$(LUASOCKET_DIR)/%) $(LUA_SHARE)/
	$(Q)cp -p $(LUASOCKET_LUA_SOCKET:%=$(LUASOCKET_DIR)/%) $(LUA_SHARE)/socket/
	$(Q)(cd $(LUA_ROOTFS) && find . -print0 | LC_ALL=C sort -z | \
		cpio --quiet --null -o -H newc -R 0:0 --reproducible) >$@.tmp
	$(Q)mv $@.tmp $@

# link_program(elf, objects, name)
# libxenlet and newlib call each other (newlib's stdio calls write(),
# the POSIX layer calls newlib's exit()), hence the group. The kernel's
# lib/string.c comes first, so its memcpy & co. (no SSE: safe in any
# context) serve newlib too and newlib's are never linked.
define link_program
$(1): $(2) $(BUILD)/obj/progname/$(3).o $(LIB) $(LWIP_LIB) $(LIBC_LIBS) $(LINK_SCRIPT)
	@echo "  LD      $$@"
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(CC) $(KERNEL_LDFLAGS) -T $(LINK_SCRIPT) -Wl,-u,_start -Wl,-u,pvh_start32 \
		-o $$@ $(2) $(BUILD)/obj/progname/$(3).o \
		-Wl,--start-group $(LIB) $(LWIP_LIB) $(LIBC_LIBS) -Wl,--end-group $(LIBGCC)
endef

$(foreach e,$(EXAMPLES),$(eval $(call link_program,$(BUILD)/examples/$(e).elf,\
	$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard examples/$(e)/*.c)) \
	$(EXTRA_OBJS_$(e)),$(e))))
$(foreach t,$(TEST_GUESTS),$(eval $(call link_program,$(BUILD)/tests/guests/$(t).elf,\
	$(BUILD)/obj/tests/integration/guests/$(t).o,$(t))))

# make_cpio(archive, folder): GNU cpio's newc (what Linux's initramfs
# reads), names sorted, owner root, inodes renumbered (--reproducible):
# the same folder gives the same archive; mtimes are the files' own
# (an HTTP server's Last-Modified). Remade when a file or folder in it
# changes (a folder's mtime moves when a file comes or goes).
define make_cpio
$(1): $(shell find $(2) 2>/dev/null) | deps-build
	@echo "  CPIO    $$@"
	$(Q)mkdir -p $$(dir $$@)
	$(Q)(cd $(2) && find . -print0 | LC_ALL=C sort -z | \
		cpio --quiet --null -o -H newc -R 0:0 --reproducible) >$$@.tmp
	$(Q)mv $$@.tmp $$@
endef
$(foreach c,$(filter-out $(BUILD)/examples/lua.cpio,$(EXAMPLE_CPIOS)),\
	$(eval $(call make_cpio,$(c),\
	examples/$(basename $(notdir $(c)))/rootfs)))
$(foreach c,$(TEST_GUEST_CPIOS),$(eval $(call make_cpio,$(c),\
	tests/integration/guests/$(basename $(notdir $(c))).rootfs)))

# A program of your own, outside this tree (a folder of .c files):
#   make -C /path/to/xenlet app APP=/path/to/myprog
# builds build/app/myprog.elf. Warnings are not errors there.
# Its objects live under build/app/obj/ followed by the folder's own
# absolute path, so that two folders of the same name never share
# objects or dependency files (and one deleted leaves no stale rule).
.PHONY: app
ifdef APP
APP_DIR := $(abspath $(APP))
APP_NAME := $(notdir $(APP_DIR))
APP_OBJ_DIR := $(BUILD)/app/obj$(APP_DIR)
APP_OBJS := $(patsubst $(APP_DIR)/%.c,$(APP_OBJ_DIR)/%.o,\
	$(wildcard $(APP_DIR)/*.c))
$(APP_OBJ_DIR)/%.o: $(APP_DIR)/%.c $(PROGRAM_DEPS) | $(BUILD)/include/xen
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -Werror,$(PROGRAM_CFLAGS)) $(INCLUDES) -MMD -MP -c -o $@ $<
$(eval $(call link_program,$(BUILD)/app/$(APP_NAME).elf,$(APP_OBJS),$(APP_NAME)))
app: $(BUILD)/app/$(APP_NAME).elf
	@echo "  built   $<  (xl: kernel = \"$(abspath $<)\")"
else
app:
	@echo "usage: make app APP=/path/to/folder-with-main.c" >&2; exit 2
endif

# Dependency files: the tree's, and those of the program of APP= only.
-include $(shell find $(BUILD)/obj $(BUILD)/lwip/obj $(BUILD)/lua/obj \
	$(BUILD)/luasocket/obj $(APP_OBJ_DIR) -name '*.d' 2>/dev/null)

# --- tests -----------------------------------------------------------------
# Host unit tests: tests/unit/test_X.c tests lib/X.c, with cmocka.
# A test that needs more of lib/ lists the extra sources as prerequisites
# of its binary (they join $^), like test_heap below.

UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/tests/unit/%)

$(BUILD)/tests/unit/test_%: tests/unit/test_%.c lib/%.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $^ -lcmocka

$(BUILD)/tests/unit/test_heap: lib/page_alloc.c

# lib/string.c's functions under other names: the host's own memcpy &
# co. stay glibc's (and ASan's).
STRING_RENAME := $(foreach f,memcpy memmove memset memcmp strlen strcmp,\
	-D$(f)=xenlet_$(f))
$(BUILD)/tests/unit/test_string: tests/unit/test_string.c lib/string.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -fno-builtin -Iinclude $(STRING_RENAME) \
		-o $@ $^ -lcmocka

# The root file system's archive checks, paths and tree.
ROOTFS_SRCS := lib/rootfs/cpio.c lib/rootfs/path.c lib/rootfs/index.c
$(BUILD)/tests/unit/test_rootfs: tests/unit/test_rootfs.c $(ROOTFS_SRCS) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# Tests of xen/ files: the pure parts that need no hypervisor.
$(BUILD)/tests/unit/test_xs_wire: tests/unit/test_xs_wire.c xen/xs_wire.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# Tests of code that reads Xen's structures see the interface version
# the guest is built for.
HOST_XEN_CFLAGS := $(HOST_CFLAGS) -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION)

# The XenStore client, xenbus and environ_xs on the real scheduler, over
# a simulated Xen (tests/unit/xen_host.c).
XS_HOST_SRCS := tests/unit/xen_host.c xen/xenstore.c xen/xs_wire.c \
	lib/sched.c lib/sync.c lib/printf.c lib/printk.c
$(BUILD)/tests/unit/test_xenstore: tests/unit/test_xenstore.c tests/unit/xsd_sim.c \
		$(XS_HOST_SRCS) xen/xenbus.c lib/environ_xs.c lib/environ.c \
		| deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# The console and event channels against a crafted ring and shared_info:
# tests/unit/shim stands in for the hypercall page, the test plays Xen.
XEN_UNIT_CFLAGS := $(HOST_XEN_CFLAGS) -Itests/unit/shim -Iinclude
$(BUILD)/tests/unit/test_evtchn: tests/unit/test_evtchn.c xen/evtchn.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(XEN_UNIT_CFLAGS) -o $@ $^ -lcmocka
$(BUILD)/tests/unit/test_console: tests/unit/test_console.c xen/console.c \
		xen/evtchn.c lib/printk.c lib/printf.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(XEN_UNIT_CFLAGS) -o $@ $^ -lcmocka

# netfront's rings, against a backend the test plays.
NETFRONT_RING_SRCS := net/netfront_tx.c net/netfront_rx.c net/frag.c
$(BUILD)/tests/unit/test_netfront: tests/unit/test_netfront.c \
		$(NETFRONT_RING_SRCS) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# netdev_open_next (hot attach), facing the xenstored of xsd_sim.c.
$(BUILD)/tests/unit/test_attach: tests/unit/test_attach.c net/attach.c \
		tests/unit/xsd_sim.c $(XS_HOST_SRCS) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# A vif's link loss (net/link.c), facing the xenstored of xsd_sim.c.
$(BUILD)/tests/unit/test_link: tests/unit/test_link.c net/link.c \
		xen/xenbus.c tests/unit/xsd_sim.c $(XS_HOST_SRCS) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# examples/arpping's frame answers.
$(BUILD)/tests/unit/test_arpping: tests/unit/test_arpping.c \
		examples/arpping/reply.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ -lcmocka

$(BUILD)/tests/unit/test_time: tests/unit/test_time.c xen/time.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

$(BUILD)/tests/unit/test_control: tests/unit/test_control.c xen/control.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# The pure checks of the boot code (arch/x86/start_info.h).
START_INFO_SRCS := arch/x86/pvh_start_info.c arch/x86/pv_start_info.c
$(BUILD)/tests/unit/test_start_info: tests/unit/test_start_info.c \
		$(START_INFO_SRCS) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -Iarch/x86 -o $@ $^ -lcmocka

# Tests of blk/ files: the ring checks, against crafted rings.
$(BUILD)/tests/unit/test_blk_ring: tests/unit/test_blk_ring.c blk/ring.c \
		lib/printf.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

$(BUILD)/tests/unit/test_blk_discard: tests/unit/test_blk_discard.c \
		blk/discard.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

$(BUILD)/tests/unit/test_blk_vdev: tests/unit/test_blk_vdev.c blk/vdev.c \
		xen/xs_wire.c lib/printf.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# The socket headers against glibc's: each side's figures come from
# its own translation unit (tests/unit/sock_abi.h); xenlet's is built
# with a guest program's include path, for the host.
SOCK_ABI_CFLAGS := -std=gnu11 -nostdinc -isystem include/posix \
	-isystem $(NEWLIB)/include -isystem $(shell $(CC) -print-file-name=include) \
	$(LIBC_FEATURES) -U__linux__ -Uunix -U__unix__ \
	-D__DYNAMIC_REENT__ -DGETREENT_PROVIDED \
	-O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined
$(BUILD)/tests/unit/sock_abi_xenlet.o: tests/unit/sock_abi_xenlet.c \
		$(wildcard tests/unit/sock_abi*.h include/posix/*.h \
		include/posix/*/*.h) $(NEWLIB_STAMP) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(SOCK_ABI_CFLAGS) -c -o $@ $<
$(BUILD)/tests/unit/test_sock_abi: tests/unit/test_sock_abi.c \
		tests/unit/sock_abi_glibc.c $(BUILD)/tests/unit/sock_abi_xenlet.o \
		$(wildcard tests/unit/sock_abi*.h) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^) -lcmocka

# The address text functions, built for the host under xenlet_ names
# (tests/unit/inet_xenlet.h) so the tests can compare them with glibc's.
INET_SRCS := lib/posix/inet_pton.c lib/posix/inet_ntop.c \
	lib/posix/inet_aton.c lib/posix/gai_strerror.c lib/posix/getnameinfo.c
# (_GNU_SOURCE: glibc shows EAI_NODATA and EAI_ADDRFAMILY only then.)
INET_RENAME := $(foreach f,inet_pton inet_ntop inet_aton inet_addr \
	inet_ntoa gai_strerror getnameinfo,-D$(f)=xenlet_$(f))
INET_HOST_OBJS := $(INET_SRCS:lib/posix/%.c=$(BUILD)/tests/inet/%.o)
INET_FUZZ_OBJS := $(INET_SRCS:lib/posix/%.c=$(BUILD)/tests/inet/fuzz_%.o)
$(BUILD)/tests/inet/%.o: lib/posix/%.c | deps-test
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -D_GNU_SOURCE $(INET_RENAME) \
		-c -o $@ $<
$(BUILD)/tests/unit/test_inet: tests/unit/test_inet.c $(INET_HOST_OBJS) \
		tests/unit/inet_xenlet.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^) -lcmocka

# The network stack's pure parts: the static address settings, frame
# checksums, the socket ABI translation (against glibc's headers, whose
# values programs expect), and lwIP's mailboxes on the real scheduler.
$(BUILD)/tests/unit/test_ipconf: tests/unit/test_ipconf.c net/ipconf.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ -lcmocka
$(BUILD)/tests/unit/test_frame_csum: tests/unit/test_frame_csum.c \
		net/lwip/frame_csum.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ -lcmocka
# TCP initial sequence numbers (SipHash), against lwIP's own headers.
$(BUILD)/tests/unit/test_isn: tests/unit/test_isn.c net/lwip/isn.c \
		| deps-test $(LWIP_STAMP)
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Inet/lwip -I$(LWIP_DIR)/include -Iinclude \
		-o $@ $^ -lcmocka
# The TIME_WAIT hook, against lwIP's own headers (the test plays the
# few lwIP functions it calls).
$(BUILD)/tests/unit/test_timewait: tests/unit/test_timewait.c \
		net/lwip/timewait.c | deps-test $(LWIP_STAMP)
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Inet/lwip -I$(LWIP_DIR)/include -Iinclude \
		-o $@ $^ -lcmocka
$(BUILD)/tests/unit/test_sock_xlate: tests/unit/test_sock_xlate.c \
		lib/posix/sock_xlate.c | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $^ -lcmocka
$(BUILD)/tests/unit/test_mbox: tests/unit/test_mbox.c net/lwip/mbox.c \
		$(XS_HOST_SRCS) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_XEN_CFLAGS) -Iinclude -o $@ $^ -lcmocka

# examples/httpd's pure parts: the request parser, paths, dates, types.
HTTPD_PARSE_SRCS := examples/httpd/http_parse.c examples/httpd/http_path.c \
	examples/httpd/http_date.c
$(BUILD)/tests/unit/test_http_parse: tests/unit/test_http_parse.c \
		$(HTTPD_PARSE_SRCS) examples/httpd/http.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/unit/test_http_date: tests/unit/test_http_date.c \
		examples/httpd/http_date.c examples/httpd/http.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/unit/test_mime: tests/unit/test_mime.c examples/httpd/mime.c \
		examples/httpd/http.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

# examples/kv's pure parts: the RESP parser; the data set, commands and
# log over an in-memory disk (tests/unit/kv_memdisk.h).
KV := examples/kv
KV_LOG_SRCS := $(KV)/log.c $(KV)/log_rewrite.c $(KV)/replay.c $(KV)/crc32c.c
KV_CMD_SRCS := $(KV)/db.c $(KV)/store.c $(KV)/commit.c $(KV)/rewrite.c \
	$(KV)/cmd.c \
	$(KV)/cmd_string.c \
	$(KV)/cmd_keys.c $(KV)/cmd_server.c $(KV)/glob.c $(KV)/info.c \
	$(KV)/reply.c $(KV)/resp.c $(KV_LOG_SRCS)
$(BUILD)/tests/unit/test_resp: tests/unit/test_resp.c $(KV)/resp.c \
		$(KV)/resp.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/unit/test_kvdb: tests/unit/test_kvdb.c $(KV_CMD_SRCS) \
		$(wildcard $(KV)/*.h) tests/unit/kv_memdisk.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/unit/test_kvrewrite: tests/unit/test_kvrewrite.c $(KV_CMD_SRCS) \
		$(wildcard $(KV)/*.h) tests/unit/kv_memdisk.h tests/unit/kv_exec.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/unit/test_kvcommit: tests/unit/test_kvcommit.c $(KV_CMD_SRCS) \
		$(wildcard $(KV)/*.h) tests/unit/kv_memdisk.h tests/unit/kv_exec.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $(filter %.c,$^) -lcmocka
# kv's client input (conn.c) cut at every byte, over a socketpair.
$(BUILD)/tests/unit/test_kvconn: tests/unit/test_kvconn.c $(KV)/conn.c \
		$(KV)/resp.c $(KV)/reply.c $(wildcard $(KV)/*.h) | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iinclude -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/unit/test_kvlog: tests/unit/test_kvlog.c $(KV_LOG_SRCS) \
		$(KV)/log.h tests/unit/kv_memdisk.h | deps-test
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

# libFuzzer targets: tests/fuzz/fuzz_X.c, built with clang; tests/check
# runs each for a bounded number of inputs.
FUZZ_BINS := $(BUILD)/tests/fuzz/fuzz_xs_wire
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_xenstore
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_arpping
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_pvh_start $(BUILD)/tests/fuzz/fuzz_pv_start
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_blk_ring
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_inet
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_ipconf
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_cpio
$(BUILD)/tests/fuzz/fuzz_cpio: tests/fuzz/fuzz_cpio.c $(ROOTFS_SRCS) | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $^
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_resp $(BUILD)/tests/fuzz/fuzz_kvlog
$(BUILD)/tests/fuzz/fuzz_resp: tests/fuzz/fuzz_resp.c $(KV)/resp.c \
		$(KV)/resp.h | deps-test
$(BUILD)/tests/fuzz/fuzz_kvlog: tests/fuzz/fuzz_kvlog.c $(KV_LOG_SRCS) \
		$(KV)/log.h tests/unit/kv_memdisk.h | deps-test
$(BUILD)/tests/fuzz/fuzz_resp $(BUILD)/tests/fuzz/fuzz_kvlog:
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)
FUZZ_BINS += $(BUILD)/tests/fuzz/fuzz_http_parse
$(BUILD)/tests/fuzz/fuzz_http_parse: tests/fuzz/fuzz_http_parse.c \
		$(HTTPD_PARSE_SRCS) examples/httpd/http.h | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)
$(BUILD)/tests/fuzz/fuzz_ipconf: tests/fuzz/fuzz_ipconf.c net/ipconf.c | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $^
$(BUILD)/tests/fuzz/fuzz_xs_wire: tests/fuzz/fuzz_xs_wire.c xen/xs_wire.c | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-fsanitize=fuzzer,address,undefined -o $@ $^

# The client over the simulated Xen of the unit tests; the target
# includes xen/xenstore.c itself (to reset its state between inputs).
$(BUILD)/tests/fuzz/fuzz_xenstore: tests/fuzz/fuzz_xenstore.c xen/xenstore.c \
		$(filter-out xen/xenstore.c,$(XS_HOST_SRCS)) | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
		-fsanitize=fuzzer,address,undefined -o $@ \
		$(filter-out xen/xenstore.c,$^)

$(BUILD)/tests/fuzz/fuzz_arpping: tests/fuzz/fuzz_arpping.c \
		examples/arpping/reply.c | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -o $@ $^

# The boot checks, with undefined behaviour fatal: an oversized shift or
# a misaligned read of a value from Xen is a finding like a crash.
$(BUILD)/tests/fuzz/fuzz_pvh_start: tests/fuzz/fuzz_pvh_start.c \
		arch/x86/pvh_start_info.c | deps-test
$(BUILD)/tests/fuzz/fuzz_pv_start: tests/fuzz/fuzz_pv_start.c \
		arch/x86/pv_start_info.c | deps-test
$(BUILD)/tests/fuzz/fuzz_pvh_start $(BUILD)/tests/fuzz/fuzz_pv_start:
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Iarch/x86 \
		-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)

$(BUILD)/tests/fuzz/fuzz_blk_ring: tests/fuzz/fuzz_blk_ring.c blk/ring.c \
		lib/printf.c | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
		-fsanitize=fuzzer,address,undefined -o $@ $^

# The address text functions against glibc's (their objects are built
# apart, under xenlet_ names: see INET_RENAME).
$(BUILD)/tests/inet/fuzz_%.o: lib/posix/%.c | deps-test
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude \
		-D_GNU_SOURCE $(INET_RENAME) \
		-fsanitize=fuzzer-no-link,address,undefined \
		-c -o $@ $<
$(BUILD)/tests/fuzz/fuzz_inet: tests/fuzz/fuzz_inet.c $(INET_FUZZ_OBJS) \
		tests/unit/inet_xenlet.h | deps-test
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -o $@ $(filter %.c %.o,$^)

.PHONY: deps-test deps-xenhost deps-linuxguest
deps-test:
	$(Q)tools/setup-deps test
deps-xenhost:
	$(Q)tools/setup-deps xenhost
deps-linuxguest:
	$(Q)tools/setup-deps linuxguest

# dom0 helpers of the integration tests: tests/integration/helpers/X.c,
# static (dom0 has no compiler and few libraries).
HELPERS := $(patsubst tests/integration/helpers/%.c,$(BUILD)/tests/helpers/%,\
	$(wildcard tests/integration/helpers/*.c))
$(BUILD)/tests/helpers/%: tests/integration/helpers/%.c | deps-build
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -static -O2 -Wall -Wextra -Werror -o $@ $<
$(BUILD)/tests/helpers/blkpat: tests/integration/pattern.h

# The Linux baseline guest of make bench, also booted by the integration
# case linuxguest: Debian's kernel and two initramfs images, rebuilt by
# mkguest only when its inputs changed.
LINUX_GUEST := $(BUILD)/linux-guest/stamp
$(BUILD)/linux-guest/services: tests/bench/linux-guest/services.c | deps-build
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -static -O2 -Wall -Wextra -Werror -o $@ $<
$(LINUX_GUEST): $(BUILD)/linux-guest/services FORCE | deps-xenhost deps-linuxguest
	$(Q)tests/bench/linux-guest/mkguest $(BUILD)/linux-guest $<

check: all $(UNIT_BINS) $(FUZZ_BINS) $(HELPERS) $(LINUX_GUEST) | deps-xenhost
	$(Q)tests/check $(UNIT_BINS) $(FUZZ_BINS)

unit: $(UNIT_BINS) $(FUZZ_BINS)
	$(Q)tests/check --unit-only $(UNIT_BINS) $(FUZZ_BINS)

integration: all $(HELPERS) $(LINUX_GUEST) | deps-xenhost
	$(Q)tests/check --integration-only

# make run: the HTTP appliance by default (make run EXAMPLE=hello...).
EXAMPLE ?= httpd
run: $(BUILD)/examples/$(EXAMPLE).elf \
	$(filter $(BUILD)/examples/$(EXAMPLE).cpio,$(EXAMPLE_CPIOS))
	$(Q)tools/xl-run $(EXAMPLE)

bench: all $(HELPERS) $(LINUX_GUEST) | deps-xenhost
	$(Q)tests/bench/run

clean:
	rm -rf $(BUILD)
