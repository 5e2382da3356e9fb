#pragma once
#include <zmq.h>
#ifdef __linux__
// The kernel's timers are descriptors polled beside the sockets (Jupyter's OneShotTimer).
#include <sys/timerfd.h>
#endif
