/*
 * quickack: set TCP_QUICKACK (and TCP_NODELAY) on a socket file descriptor.
 *
 * Why: Debian 12's vpcd (libifdvpcd 0.8) sends each APDU's 2-byte length and its payload in two
 * send() calls. With Nagle on vpcd's side, the payload waits until the card ACKs the length, and
 * Linux's delayed ACK makes the card wait ~40 ms before doing so. Setting TCP_QUICKACK after every
 * read makes the card ACK at once. Linux clears the flag on its own (see tcp(7)), so the caller
 * re-arms it after each read. Node exposes neither option, hence this addon.
 *
 * Written against Node-API (not NAN) so the same binary loads in plain Node and in Electron.
 */
#include <node_api.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>

static napi_value throw_errno(napi_env env, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  napi_throw_error(env, "ERR_QUICKACK_SETSOCKOPT", msg);
  return NULL;
}

static int get_fd(napi_env env, napi_callback_info info, int *fd) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    napi_throw_type_error(env, "ERR_QUICKACK_ARG", "expected a file descriptor");
    return 0;
  }
  if (napi_get_value_int32(env, argv[0], fd) != napi_ok || *fd < 0) {
    napi_throw_type_error(env, "ERR_QUICKACK_ARG", "expected a non-negative file descriptor");
    return 0;
  }
  return 1;
}

/* quickAck(fd): re-arm TCP_QUICKACK. Cheap enough to call after every read. */
static napi_value quick_ack(napi_env env, napi_callback_info info) {
  int fd, one = 1;
  if (!get_fd(env, info, &fd)) return NULL;
  if (setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one) != 0)
    return throw_errno(env, "setsockopt(TCP_QUICKACK)");
  return NULL;
}

/* noDelay(fd): TCP_NODELAY, so our own replies leave in one segment without waiting. */
static napi_value no_delay(napi_env env, napi_callback_info info) {
  int fd, one = 1;
  if (!get_fd(env, info, &fd)) return NULL;
  if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
    return throw_errno(env, "setsockopt(TCP_NODELAY)");
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"quickAck", NULL, quick_ack, NULL, NULL, NULL, napi_default, NULL},
    {"noDelay", NULL, no_delay, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
