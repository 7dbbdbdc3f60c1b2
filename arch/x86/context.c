/*
 * context.c - the initial context of a new thread.
 *
 * The new stack is laid out as if the thread had called arch_switch
 * itself: arch_switch pops the callee-saved registers (all zero: rbp 0
 * ends backtraces), the FPU control words, and returns into entry().
 * entry then runs with %rsp = 8 (mod 16), as at any function's start,
 * above a zero "return address".
 */
#include <xenlet/arch.h>

#define FPU_CONTROL_DEFAULT 0x037fULL /* x87: all exceptions masked */
#define MXCSR_DEFAULT	    0x1f80ULL /* SSE: all exceptions masked */

void arch_context_init(struct arch_context *c, uintptr_t lo, uintptr_t hi,
		       void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)(hi & ~15UL);
	int i;

	*--sp = 0;		  /* entry's return address: none */
	*--sp = (uintptr_t)entry; /* where arch_switch returns to */
	for (i = 0; i < 6; i++)	  /* rbp rbx r12 r13 r14 r15 */
		*--sp = 0;
	*--sp = (MXCSR_DEFAULT << 32) | FPU_CONTROL_DEFAULT;
	c->rsp = (uintptr_t)sp;
	c->stack_limit = lo + STACK_LIMIT_MARGIN;
}
