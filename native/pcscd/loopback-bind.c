/*
 * Preloaded into the pcscd this project starts (LD_PRELOAD; see loopback-bind.ts): an IPv4 socket
 * bound to the wildcard address is bound to 127.0.0.1 instead.
 *
 * Why: Debian's vpcd driver (vsmartcard-vpcd 3.3, libifdvpcd.so.0.8) waits for virtual cards on
 * INADDR_ANY, ports 35963 and 35964, with no setting to change it, so anyone who can reach this
 * machine could put a card into its readers. Its other mode (DEVICENAME "host:port", vpcd
 * connecting out to the card) is no way out: once no card answers, it calls select() on socket -1
 * and glibc aborts pcscd. pcscd itself listens on a Unix socket only, so the wildcard binds it
 * makes are vpcd's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  static bind_fn real_bind;
  if (!real_bind) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
  if (!real_bind) {
    errno = ENOSYS;
    return -1;
  }
  if (addr && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in in;
    memcpy(&in, addr, sizeof in);
    if (in.sin_addr.s_addr == htonl(INADDR_ANY)) {
      in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      return real_bind(fd, (const struct sockaddr *)&in, sizeof in);
    }
  }
  return real_bind(fd, addr, len);
}
