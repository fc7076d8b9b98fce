/* SPDX-License-Identifier: Apache-2.0 */
/* ipam_delegate.c: run a non-embedded IPAM plugin from CNI_PATH, as pkg/invoke does; no shell. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "ipam_int.h"

#define DELEGATE_OUT_MAX (1024 * 1024)

extern char **environ;

int ipam_delegate_find(const char *type, const char *cni_path, char *buf, size_t size,
		       struct cni_err *err)
{
	char list[2048];
	size_t lo = 0;
	const char *p;

	if (!type || !*type)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "no plugin name provided");
	if (strchr(type, '/'))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "invalid plugin name: %s",
			       type);
	if (!cni_path || !*cni_path)
		return err_set(err, ENOENT, CNI_ERR_INVALID_CONFIG, "no paths provided");
	list[0] = '\0';
	p = cni_path;
	for (;;) {
		const char *e = strchrnul(p, ':');
		size_t n = (size_t)(e - p);

		if (lo < sizeof(list))
			lo += (size_t)snprintf(list + lo, sizeof(list) - lo, "%s%.*s",
					       lo ? " " : "", (int)n, p);
		/*
		 * An empty or relative element would be looked up from the current directory,
		 * wherever the runtime started us: never search it.
		 */
		if (n > 0 && p[0] == '/') {
			struct stat st;
			int w = snprintf(buf, size, "%.*s/%s", (int)n, p, type);

			if (w > 0 && (size_t)w < size && stat(buf, &st) == 0 && S_ISREG(st.st_mode))
				return 0;
		}
		if (!*e)
			break;
		p = e + 1;
	}
	return err_set(err, ENOENT, CNI_ERR_INVALID_CONFIG,
		       "failed to find plugin \"%s\" in path [%s]", type, list);
}

int ipam_delegate_check_self(const char *type, const char *path, struct cni_err *err)
{
	struct stat self, other;
	int r;

	if (stat("/proc/self/exe", &self) < 0 || stat(path, &other) < 0)
		return 0; /* no /proc: the environment mark still stops the recursion */
	if (self.st_dev != other.st_dev || self.st_ino != other.st_ino)
		return 0;
	r = err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
		    "ipam.type: \"%s\" (%s) is this plugin itself, not an IPAM plugin", type, path);
	err_details(err, "ipam.type");
	return r;
}

/*
 * environ with CNI_COMMAND replaced and IPAM_DELEGATE_MARK set; the strings are borrowed
 * except the two new ones.
 */
static char **build_env(const char *verb, char *cmd_buf, size_t cmd_size, char *mark_buf,
			size_t mark_size)
{
	size_t n = 0, o = 0, ml = strlen(IPAM_DELEGATE_MARK "=");
	char **env;

	while (environ && environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], "CNI_COMMAND=", 12) != 0 &&
		    strncmp(environ[i], IPAM_DELEGATE_MARK "=", ml) != 0)
			env[o++] = environ[i];
	}
	snprintf(cmd_buf, cmd_size, "CNI_COMMAND=%s", verb);
	env[o++] = cmd_buf;
	snprintf(mark_buf, mark_size, IPAM_DELEGATE_MARK "=%d", (int)getpid());
	env[o++] = mark_buf;
	env[o] = NULL;
	return env;
}

/* The time limit: IPAM_DELEGATE_TIMEOUT_MS, or less from SRIOV_DELEGATE_TIMEOUT_MS (tests). */
static long delegate_timeout_ms(void)
{
	const char *s = getenv("SRIOV_DELEGATE_TIMEOUT_MS");
	char *end;
	long v;

	if (!s || !*s)
		return IPAM_DELEGATE_TIMEOUT_MS;
	v = strtol(s, &end, 10);
	if (*end || v <= 0 || v > IPAM_DELEGATE_TIMEOUT_MS)
		return IPAM_DELEGATE_TIMEOUT_MS;
	return v;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Feed @in to the child and collect its stdout until EOF or the deadline. */
static int pump(int in_fd_arg, int out_fd, const char *in, size_t in_len, char *out,
		size_t *out_len, long timeout_ms)
{
	_cleanup_close_ int in_fd = in_fd_arg;
	struct timespec t0;
	size_t off = 0, got = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (in_len == 0)
		close(TAKE_FD(in_fd));
	while (out_fd >= 0) {
		struct pollfd pf[2];
		int npf = 0, r;
		long left = timeout_ms - ms_since(&t0);

		if (left <= 0)
			return -ETIMEDOUT;
		pf[npf++] = (struct pollfd){ .fd = out_fd, .events = POLLIN };
		if (in_fd >= 0)
			pf[npf++] = (struct pollfd){ .fd = in_fd, .events = POLLOUT };
		r = poll(pf, (nfds_t)npf, (int)left);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (npf > 1 && pf[1].revents) {
			ssize_t w = write(in_fd, in + off, in_len - off);

			if (w < 0 && errno != EAGAIN && errno != EINTR) {
				/* The child does not read stdin (EPIPE): nothing more to feed. */
				close(TAKE_FD(in_fd));
			} else if (w > 0) {
				off += (size_t)w;
				if (off == in_len)
					close(TAKE_FD(in_fd));
			}
		}
		if (pf[0].revents) {
			ssize_t n = read(out_fd, out + got, DELEGATE_OUT_MAX - got);

			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			if (n == 0)
				break;
			if (n > 0) {
				got += (size_t)n;
				if (got == DELEGATE_OUT_MAX)
					return -E2BIG;
			}
		}
	}
	*out_len = got;
	return 0;
}

static int reap(pid_t pid, int *ret_status)
{
	for (;;) {
		if (waitpid(pid, ret_status, 0) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int ipam_delegate_run(const struct ipam_request *req, const char *type, const char *verb,
		      struct cni_result *ret, struct cni_err *err)
{
	_cleanup_free_ char *out = NULL;
	_cleanup_free_ char **env = NULL;
	_cleanup_close_ int in_r = -1, in_w = -1, out_r = -1, out_w = -1;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t pipe_set, old_set;
	char path[PATH_MAX], cmd[64], mark[64], desc[64];
	long timeout_ms = delegate_timeout_ms();
	char *argv[2];
	size_t out_len = 0;
	int pin[2], pout[2], status = 0;
	pid_t pid;
	int r;

	r = ipam_delegate_find(type, req->cni_path, path, sizeof(path), err);
	if (r < 0)
		return r;
	r = ipam_delegate_check_self(type, path, err);
	if (r < 0)
		return r;
	out = malloc(DELEGATE_OUT_MAX);
	env = build_env(verb, cmd, sizeof(cmd), mark, sizeof(mark));
	if (!out || !env)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	if (pipe2(pin, O_CLOEXEC) < 0)
		return err_set(err, errno, CNI_ERR_INTERNAL, "pipe: %s", strerror(errno));
	in_r = pin[0];
	in_w = pin[1];
	if (pipe2(pout, O_CLOEXEC) < 0)
		return err_set(err, errno, CNI_ERR_INTERNAL, "pipe: %s", strerror(errno));
	out_r = pout[0];
	out_w = pout[1];
	(void)fcntl(in_w, F_SETFL, O_NONBLOCK);
	(void)fcntl(out_r, F_SETFL, O_NONBLOCK);

	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return err_set(err, r, CNI_ERR_INTERNAL, "spawn %s: %s", path, strerror(r));
	r = posix_spawn_file_actions_adddup2(&fa, in_r, STDIN_FILENO);
	if (r == 0)
		r = posix_spawn_file_actions_adddup2(&fa, out_w, STDOUT_FILENO);
	argv[0] = path;
	argv[1] = NULL;
	/* Its own process group, so that a timeout kills whatever it started, too. */
	if (r == 0)
		r = posix_spawnattr_init(&attr);
	if (r == 0) {
		r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
		if (r == 0)
			r = posix_spawnattr_setpgroup(&attr, 0);
		if (r == 0)
			r = posix_spawn(&pid, path, &fa, &attr, argv, env);
		posix_spawnattr_destroy(&attr);
	}
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return err_set(err, r, CNI_ERR_INTERNAL, "run %s: %s", path, strerror(r));
	close(TAKE_FD(in_r));
	close(TAKE_FD(out_w));

	/* A child that exits without reading stdin must not kill us with SIGPIPE. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	r = pump(TAKE_FD(in_w), out_r, req->conf_text ? req->conf_text : "",
		 req->conf_text ? req->conf_len : 0, out, &out_len, timeout_ms);
	if (!sigismember(&old_set, SIGPIPE)) {
		struct timespec zero = { 0 };

		while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	if (r < 0) {
		(void)kill(-pid, SIGKILL);
		(void)kill(pid, SIGKILL);
		(void)reap(pid, &status);
		if (r == -ETIMEDOUT)
			return err_set(
				err, ETIMEDOUT, CNI_ERR_TRY_AGAIN,
				"IPAM plugin %s %s: no answer within %ld ms; its process group was killed",
				type, verb, timeout_ms);
		return err_set(err, -r, CNI_ERR_INTERNAL, "IPAM plugin %s %s: %s", type, verb,
			       strerror(-r));
	}
	r = reap(pid, &status);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INTERNAL, "wait for %s: %s", path, strerror(-r));
	if (WIFEXITED(status))
		snprintf(desc, sizeof(desc), "exit status %d", WEXITSTATUS(status));
	else
		snprintf(desc, sizeof(desc), "signal: %s",
			 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "unknown");
	return ipam_conf_parse_delegate_output(out, out_len,
					       !(WIFEXITED(status) && WEXITSTATUS(status) == 0),
					       desc, req->cni_version, ret, err);
}
