/* SPDX-License-Identifier: Apache-2.0 */
/*
 * launcher.c: the "sriov" of the self-contained bundle (packaging/bundle.sh), linked statically.
 * It runs the real sriov binary with the dynamic loader and libraries that ship beside it in
 * BUNDLE_LIBDIR, so the plugin needs nothing from the node it is copied to (a DaemonSet copies
 * it into a CNI bin directory; the node may have another libc or no cJSON at all). The loader's
 * --library-path applies to that one program, not to the IPAM plugins it may run.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef BUNDLE_LIBDIR
#error "BUNDLE_LIBDIR (the library directory's name) must be defined"
#endif
#ifndef BUNDLE_LOADER
#error "BUNDLE_LOADER (the dynamic loader's file name) must be defined"
#endif

#define MAX_ARGS 4096

/* A CNI error on stdout, as the runtime expects from any plugin failure. */
static int fail(const char *what, const char *path, int e)
{
	printf("{\"code\":999,\"msg\":\"sriov: %s %s: %s\"}\n", what, path, strerror(e));
	return 1;
}

int main(int argc, char **argv)
{
	static char *args[MAX_ARGS + 8];
	char self[PATH_MAX], loader[2 * PATH_MAX], libs[2 * PATH_MAX], real[2 * PATH_MAX];
	ssize_t n;
	char *slash;
	int i = 0;

	/* Where this file is: /proc/self/exe, or argv[0] (runtimes run plugins by full path). */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
	} else if (argv[0] && strchr(argv[0], '/') && strlen(argv[0]) < sizeof(self)) {
		strcpy(self, argv[0]);
	} else {
		return fail("cannot find", "itself (no /proc/self/exe, no path in argv[0])",
			    ENOENT);
	}
	slash = strrchr(self, '/');
	*slash = '\0';
	if ((size_t)snprintf(libs, sizeof(libs), "%s/%s", self, BUNDLE_LIBDIR) >= sizeof(libs) ||
	    (size_t)snprintf(loader, sizeof(loader), "%s/%s", libs, BUNDLE_LOADER) >=
		    sizeof(loader) ||
	    (size_t)snprintf(real, sizeof(real), "%s/sriov", libs) >= sizeof(real))
		return fail("path too long:", self, ENAMETOOLONG);
	if (argc > MAX_ARGS)
		return fail("too many arguments for", real, E2BIG);

	args[i++] = loader;
	args[i++] = "--library-path";
	args[i++] = libs;
	args[i++] = "--argv0";
	args[i++] = argv[0] ? argv[0] : "sriov";
	args[i++] = real;
	for (int k = 1; k < argc; k++)
		args[i++] = argv[k];
	args[i] = NULL;
	execv(loader, args);
	return fail("cannot run", loader, errno);
}
