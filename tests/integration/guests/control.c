/*
 * control - waits to be told to stop by `xl shutdown` / `xl reboot`.
 * With the argument "handler" it registers a control handler that makes
 * main return; otherwise xenlet's default action ends it.
 */
#include <xenlet/control.h>
#include <xenlet/string.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

static struct semaphore stop;
static char request[16];

static void on_request(const char *req)
{
	size_t n = strlen(req);

	if (n >= sizeof(request))
		n = sizeof(request) - 1;
	memcpy(request, req, n);
	sem_up(&stop);
}

int main(int argc, char **argv)
{
	sem_init(&stop, 0);
	if (argc > 1 && strcmp(argv[1], "handler") == 0)
		control_set_handler(on_request);
	printk("control: ready\n");
	sem_down(&stop, 0);
	printk("control: handler got %s, cleaning up\n", request);
	return 0;
}
