# Build configuration for xenlet guests. Included by the top-level Makefile.

# The host gcc builds freestanding x86_64 code: Debian has no x86_64
# bare-metal cross compiler, and none is needed.
CC      ?= gcc
AR      ?= ar
HOSTCC  ?= gcc

# The flags below ask the compiler where its own headers are, as the
# Makefile is read: on a fresh machine, with no compiler yet, the build
# packages are installed first (tools/setup-deps says what it does).
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(CC) 2>/dev/null),)
$(shell tools/setup-deps build >&2)
ifeq ($(shell command -v $(CC) 2>/dev/null),)
$(error no C compiler '$(CC)': tools/setup-deps build could not install it)
endif
endif
endif

# Xen's public headers (Debian libxen-dev) are seen through a symlink
# under $(BUILD)/include: putting -I/usr/include on a freestanding line
# would let glibc's headers shadow ours.
XEN_HEADERS ?= /usr/include/xen

# Without this the Xen headers assume interface version 0 and map
# sched_op and event_channel_op to old compat hypercalls.
XEN_INTERFACE_VERSION := 0x00040e00

# Kernel code: no red zone (traps and event upcalls push onto the
# interrupted stack), no PIE (linked at a fixed address), no SSE in the
# kernel (trap handlers must not clobber a program's FP state), frame
# pointers for the crash backtrace, and -fsplit-stack for its
# per-function stack-limit check (arch/x86/stack_check.S).
KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small \
	-fno-pie -fno-pic -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-fno-common -ffunction-sections -fdata-sections -fsplit-stack \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
	-U__linux__ -Uunix -U__unix__

KERNEL_ASFLAGS := -Wa,--noexecstack -D__ASSEMBLY__ \
	-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION)

KERNEL_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack

# Host unit tests: the same sources, built for Linux against cmocka.
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-omit-frame-pointer

# --- the C library (newlib) and the programs built on it -------------------
# newlib is built by tools/build-newlib into $(BUILD)/newlib. Its code,
# the POSIX layer (lib/posix) and guest programs share these flags; they
# may use SSE (PV guests have it; xenlet switches threads only at calls,
# where the ABI lets SSE registers be clobbered). -fsplit-stack gives
# them the kernel's stack-overflow report. __DYNAMIC_REENT__ with
# GETREENT_PROVIDED makes newlib ask __getreent() for its per-thread
# state: every unit that includes newlib's headers must agree on it.
NEWLIB := $(BUILD)/newlib/x86_64-xen-elf

LIBC_CODEGEN := -O2 -g -mno-red-zone -mcmodel=small -fno-pie -fno-pic \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-ffunction-sections -fdata-sections -fsplit-stack \
	-U__linux__ -Uunix -U__unix__ -D__DYNAMIC_REENT__ -DGETREENT_PROVIDED

NEWLIB_CFLAGS := $(LIBC_CODEGEN) -Wa,--noexecstack

# What newlib's headers declare only when the system says it has it.
LIBC_FEATURES := -D_POSIX_THREADS=1 -D_POSIX_TIMERS=1 \
	-D_POSIX_MONOTONIC_CLOCK=200112L -D_UNIX98_THREAD_MUTEX_ATTRIBUTES

# Guest programs: newlib's headers, then xenlet's additions (poll.h,
# sys/utsname.h...), then gcc's own (stddef.h, stdarg.h).
PROGRAM_CFLAGS := -std=gnu11 -nostdinc $(LIBC_CODEGEN) $(LIBC_FEATURES) \
	-isystem include/posix -isystem $(NEWLIB)/include \
	-isystem $(shell $(CC) -print-file-name=include) \
	-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
	-Wall -Wextra -Werror

LIBC_LIBS := $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a
