/* Bare-metal stand-in for <pthread.h>, used only by tinydtls'
 * dtls_mutex.h (its POSIX build): one thread, so a lock is a no-op. */
#ifndef CERTCOST_PORT_PTHREAD_H
#define CERTCOST_PORT_PTHREAD_H
typedef int pthread_mutex_t;
#define PTHREAD_MUTEX_INITIALIZER 0
#define pthread_mutex_lock(m) ((void)(m))
#define pthread_mutex_trylock(m) 0
#define pthread_mutex_unlock(m) ((void)(m))
#endif
