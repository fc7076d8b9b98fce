/* SPDX-License-Identifier: Apache-2.0 */
/* cni.h: the CNI protocol: CNI_* environment, versions, CNI_ARGS, error and VERSION JSON. */
#ifndef SRIOV_CNI_H
#define SRIOV_CNI_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/err.h"

enum cni_cmd {
	CNI_CMD_ADD,
	CNI_CMD_DEL,
	CNI_CMD_CHECK,
	CNI_CMD_VERSION,
	CNI_CMD_GC,
	CNI_CMD_STATUS,
};

#define CNI_ID_MAX 256 /* container IDs and network names; longer ones are refused */

struct cni_env {
	enum cni_cmd cmd;
	const char *container_id; /* NULL when not set */
	const char *netns; /* NULL or "" when not set */
	const char *ifname;
	const char *args;
	const char *path;
};

/* Versions this plugin speaks, oldest first, NULL-terminated. */
extern const char *const cni_versions[];
bool cni_version_supported(const char *v);
/*
 * Compare versions "major.minor.micro" numerically ("0.4.0" < "1.0.0", "0.10.0" > "0.4.0"):
 * <0, 0, >0. What is not exactly three dot-separated decimal numbers ("", "0.3", "1.0.0-rc")
 * sorts below every version and equal to another such string. The one version comparison of
 * the plugin and the embedded host-local.
 */
int cni_version_cmp(const char *a, const char *b);

const char *cni_cmd_name(enum cni_cmd cmd);
/* Read and validate CNI_* from @getenv_fn (getenv in production). Code 4 on failure. */
int cni_env_load(char *(*getenv_fn)(const char *), struct cni_env *ret, struct cni_err *err);

/* ^[A-Za-z0-9][A-Za-z0-9_.-]*$, at most CNI_ID_MAX bytes. */
bool cni_valid_id(const char *s);
/* 1-15 bytes, not "." or "..", no '/', ':' or whitespace. */
bool cni_valid_ifname(const char *s);

/* One "K=V" piece of CNI_ARGS, pointing into the string. */
struct cni_arg {
	const char *pair; /* the whole piece */
	size_t plen;
	const char *key;
	size_t klen;
	const char *val;
	size_t vlen;
};

/*
 * Split CNI_ARGS ("K=V;K2=V2") as Go's types.LoadArgs (used by libcni, sriov-cni and
 * host-local) does: pieces at ';', each must be exactly one '='. @fn gets each piece in order;
 * its negative return stops the walk and is returned. A piece that is not K=V stops the walk
 * too: -EINVAL with *@ret_bad set to it, for the caller's own wording of the error. NULL or
 * "" has no pieces. The one CNI_ARGS parser of the plugin and the embedded host-local.
 */
int cni_args_walk(const char *args, int (*fn)(const struct cni_arg *a, void *ctx), void *ctx,
		  struct cni_arg *ret_bad);
/* IgnoreUnknown's value as types.UnmarshallableBool reads it: "1"/"true", "0"/"false", any case. */
int cni_args_bool(const char *v, size_t n, bool *ret);

/*
 * CNI_ARGS ("K=V;K2=V2"): look up @key. Validates the whole string as libcni does: every
 * piece must be exactly K=V, and keys outside @known fail unless IgnoreUnknown is true.
 * Repeated keys are allowed, the last one wins. Returns 1 found (value copied into @buf),
 * 0 absent, negative errno on a malformed string (code 2/4).
 */
int cni_args_get(const char *args, const char *const *known, const char *key, char *buf, size_t len,
		 struct cni_err *err);

#endif
