/* A fork server for an unmodified, dynamically linked compiler (clang, wasm-ld).
 *
 * Why: clang-14 and wasm-ld-14 each spend ~18 ms of a ~30 ms patch compile
 * starting up (LLVM's static initialisers), before doing ~10 ms of real work.
 * Loaded with LD_PRELOAD and JHR_FORKSERVER_SOCKET set, this shim lets the tool
 * initialise once, then, instead of running main() once, serves requests on a
 * Unix socket: each request forks a fresh copy of the initialised process that
 * runs the tool's real main() with the request's argv. Without the variable set
 * the tool runs normally.
 *
 * Request (one per connection): u32 LE length, then NUL-terminated fields:
 *   cwd, stderr path, timeout seconds, file-size limit bytes, argc, argv...
 * Reply: i32 LE status: the exit code, or 128 + signal number, or -1 if the
 * request could not be run.
 *
 * Each request is handled by a forked handler that forks the worker and waits
 * for it, so the server keeps accepting while compiles run, and a tool that
 * calls exit() or crashes still gets its status reported. The worker runs
 * under alarm() (time limit) and RLIMIT_FSIZE (output limit). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*main_fn)(int, char **, char **);
typedef int (*libc_start_main_fn)(main_fn, int, char **, void (*)(void), void (*)(void),
                                  void (*)(void), void *);

static main_fn real_main;

enum { MAX_REQUEST = 1 << 20, MAX_ARGS = 4096 };

static int read_full(int fd, void *buf, size_t len)
{
  char *p = buf;
  while(len > 0)
  {
    ssize_t n = read(fd, p, len);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static void reply(int fd, int32_t status)
{
  unsigned char out[4] = { (unsigned char)status, (unsigned char)(status >> 8),
                           (unsigned char)(status >> 16), (unsigned char)(status >> 24) };
  ssize_t ignored = write(fd, out, sizeof out);
  (void)ignored;
}

/* Runs in the worker: never returns. */
static void run_worker(char **fields, int nfields, char **envp)
{
  /* fields: cwd, stderr, timeout, fsize, argc, argv... */
  int argc = atoi(fields[4]);
  if(argc <= 0 || argc != nfields - 5)
    _exit(127);
  if(chdir(fields[0]) != 0)
    _exit(127);
  int devnull = open("/dev/null", O_RDWR);
  int err = open(fields[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if(devnull < 0 || err < 0)
    _exit(127);
  dup2(devnull, 0);
  dup2(err, 1);
  dup2(err, 2);
  close(devnull);
  close(err);

  struct rlimit fsize = { (rlim_t)strtoull(fields[3], NULL, 10), (rlim_t)strtoull(fields[3], NULL, 10) };
  setrlimit(RLIMIT_FSIZE, &fsize);
  signal(SIGXFSZ, SIG_IGN); /* an oversized write fails instead of killing silently */
  signal(SIGALRM, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  alarm((unsigned)atoi(fields[2]));

  char **argv = &fields[5];
  argv[argc] = NULL;
  _exit(real_main(argc, argv, envp));
}

/* Runs in the handler: forks the worker, waits, replies. Never returns. */
static void handle(int conn, char **envp)
{
  unsigned char len_bytes[4];
  if(read_full(conn, len_bytes, 4) != 0)
    _exit(1);
  uint32_t len = (uint32_t)len_bytes[0] | ((uint32_t)len_bytes[1] << 8)
    | ((uint32_t)len_bytes[2] << 16) | ((uint32_t)len_bytes[3] << 24);
  if(len == 0 || len > MAX_REQUEST)
  {
    reply(conn, -1);
    _exit(1);
  }
  char *buf = malloc(len + 1);
  if(!buf || read_full(conn, buf, len) != 0)
  {
    reply(conn, -1);
    _exit(1);
  }
  buf[len] = '\0';

  static char *fields[MAX_ARGS + 6];
  int nfields = 0;
  for(uint32_t at = 0; at < len && nfields < MAX_ARGS + 5;)
  {
    fields[nfields++] = buf + at;
    at += (uint32_t)strlen(buf + at) + 1;
  }
  if(nfields < 6)
  {
    reply(conn, -1);
    _exit(1);
  }

  signal(SIGCHLD, SIG_DFL);
  pid_t worker = fork();
  if(worker < 0)
  {
    reply(conn, -1);
    _exit(1);
  }
  if(worker == 0)
  {
    close(conn);
    run_worker(fields, nfields, envp);
  }
  int status = 0;
  while(waitpid(worker, &status, 0) < 0 && errno == EINTR)
  {
  }
  reply(conn, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  _exit(0);
}

static int serve(char const *path, char **envp)
{
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if(listener < 0 || strlen(path) >= sizeof addr.sun_path)
    return 126;
  strcpy(addr.sun_path, path);
  unlink(path);
  if(bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 64) != 0)
    return 126;
  signal(SIGCHLD, SIG_IGN); /* handlers are reaped automatically */
  /* The server that started this one normally kills it when done; if that
   * server dies first (killed, crashed, a test process that exits without
   * dropping it), the fork server is reparented and must not wait forever. */
  pid_t const parent = getppid();
  for(;;)
  {
    struct pollfd ready = { .fd = listener, .events = POLLIN };
    int const polled = poll(&ready, 1, 1000);
    if(polled == 0 || (polled < 0 && errno == EINTR))
    {
      if(getppid() != parent)
        return 0;
      continue;
    }
    int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if(conn < 0)
    {
      if(errno == EINTR || errno == ECONNABORTED)
        continue;
      return 125;
    }
    pid_t handler = fork();
    if(handler == 0)
    {
      close(listener);
      handle(conn, envp);
    }
    close(conn);
  }
}

static int forkserver_main(int argc, char **argv, char **envp)
{
  char const *path = getenv("JHR_FORKSERVER_SOCKET");
  if(path == NULL || *path == '\0')
    return real_main(argc, argv, envp);
  char *owned = strdup(path);
  /* Workers must not start fork servers of their own (clang may run tools). */
  unsetenv("JHR_FORKSERVER_SOCKET");
  unsetenv("LD_PRELOAD");
  return serve(owned, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
  libc_start_main_fn real = (libc_start_main_fn)dlsym(RTLD_NEXT, "__libc_start_main");
  real_main = main;
  return real(forkserver_main, argc, argv, init, fini, rtld_fini, stack_end);
}
