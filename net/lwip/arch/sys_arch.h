/*
 * arch/sys_arch.h - lwIP's OS types on xenlet threads (net/lwip/sys_arch.c).
 *
 * Semaphores, mutexes and mailboxes are pointers to xenlet objects made
 * by sys_*_new; NULL is "invalid". A thread is a struct thread.
 */
#ifndef XENLET_LWIP_ARCH_SYS_ARCH_H
#define XENLET_LWIP_ARCH_SYS_ARCH_H

struct semaphore;
struct mutex;
struct mbox;
struct thread;

typedef struct semaphore *sys_sem_t;
typedef struct mutex *sys_mutex_t;
typedef struct mbox *sys_mbox_t;
typedef struct thread *sys_thread_t;

#define sys_sem_valid(s)	 (*(s) != NULL)
#define sys_sem_set_invalid(s)	 (*(s) = NULL)
#define sys_mutex_valid(m)	 (*(m) != NULL)
#define sys_mutex_set_invalid(m) (*(m) = NULL)
#define sys_mbox_valid(m)	 (*(m) != NULL)
#define sys_mbox_set_invalid(m)	 (*(m) = NULL)

/* SYS_ARCH_PROTECT: see SYS_LIGHTWEIGHT_PROT in lwipopts.h. */

#endif
