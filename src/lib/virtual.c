/* SPDX-License-Identifier: MIT */
/* virtual.c - virtual packages (CEP-30) the way conda's plugins compute them
 *
 * Probing reads the machine once; computing applies conda's rules for a target subdir
 * and the CONDA_OVERRIDE_* variables, so both halves can be tested apart.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

#include "hpcenv/archspec.h"
#include "hpcenv/buildinfo.h"
#include "hpcenv/cpu.h"
#include "hpcenv/error.h"
#include "hpcenv/record.h"
#include "hpcenv/util.h"
#include "hpcenv/virtual.h"
#include "version_int.h"

extern char **environ;

/* ---- probing ---- */

/* libcuda's driver API, as conda's cuda plugin uses it. */
typedef int (*cu_init_fn)(unsigned);
typedef int (*cu_version_fn)(int *);

static void probe_cuda(char *out, size_t len)
{
	static const char *const libs[] = {
		"libcuda.so.1", "libcuda.so", "/usr/lib64/nvidia/libcuda.so.1",
		"/usr/lib64/nvidia/libcuda.so", "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
		"/usr/lib/x86_64-linux-gnu/libcuda.so", "/usr/lib/wsl/lib/libcuda.so.1",
		"/usr/lib/wsl/lib/libcuda.so",
	};
	void *h = NULL;
	int version = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]) && !h; i++)
		h = dlopen(libs[i], RTLD_LAZY | RTLD_LOCAL);
	if (!h)
		return;
	cu_init_fn init = (cu_init_fn)dlsym(h, "cuInit");
	cu_version_fn ver = (cu_version_fn)dlsym(h, "cuDriverGetVersion");

	/* conda clears CUDA_VISIBLE_DEVICES before cuInit so that hidden devices still show
	 * the driver; without touching our environment, accept the driver's version when
	 * cuInit fails only because of that variable */
	if (init && ver && (init(0) == 0 || getenv("CUDA_VISIBLE_DEVICES")) && ver(&version) == 0 &&
	    version > 0)
		snprintf(out, len, "%d.%d", version / 1000, (version % 1000) / 10);
	dlclose(h);
}

void hpc_virtual_probe(struct hpc_virtual_host *host)
{
	struct utsname u;
	struct hpc_buildinfo bi;
	struct hpc_cpu cpu;
	const char *arch;

	memset(host, 0, sizeof(*host));
	if (uname(&u) == 0) {
		snprintf(host->sysname, sizeof(host->sysname), "%s", u.sysname);
		snprintf(host->release, sizeof(host->release), "%s", u.release);
		snprintf(host->machine, sizeof(host->machine), "%s", u.machine);
	}
	hpc_buildinfo_get(&bi);
	snprintf(host->native_subdir, sizeof(host->native_subdir), "%s", bi.platform);
#if defined(__GLIBC__)
	snprintf(host->libc_family, sizeof(host->libc_family), "glibc");
	snprintf(host->libc_version, sizeof(host->libc_version), "%s", gnu_get_libc_version());
#endif
	hpc_cpu_detect(&cpu);
	arch = hpc_archspec_name(&cpu);
	snprintf(host->archspec, sizeof(host->archspec), "%s", arch ? arch : host->machine);
	probe_cuda(host->cuda, sizeof(host->cuda));
}

/* ---- computing ---- */

static void add(struct hpc_vpkgs *vp, const char *name, const char *version, const char *build)
{
	struct hpc_vpkg *p;

	vp->v = hpc_xrealloc(vp->v, (vp->n + 1) * sizeof(*vp->v));
	p = &vp->v[vp->n++];
	p->name = hpc_xstrdup(name);
	p->version = hpc_xstrdup(version && *version ? version : "0");
	p->build = hpc_xstrdup(build && *build ? build : "0");
}

/* CONDA_OVERRIDE_<NAME> from envp, blanks trimmed; NULL when unset. Caller frees. */
static char *override(char **envp, const char *name)
{
	char key[64];
	size_t kl;

	kl = (size_t)snprintf(key, sizeof(key), "CONDA_OVERRIDE_%s=", name);
	for (char *k = key; *k; k++)
		*k = (char)toupper((unsigned char)*k);
	for (char **e = envp; e && *e; e++)
		if (!strncmp(*e, key, kl))
			return hpc_str_trim(hpc_xstrdup(*e + kl));
	return NULL;
}

static int check_version(const char *name, const char *value, struct hpc_error **err)
{
	const char *why;
	size_t col;
	struct hpc_version v;
	int r;

	hpc_version_init(&v);
	r = hpc_version_parse_n(&v, value, strlen(value), &why, &col);
	hpc_version_fini(&v);
	if (r < 0)
		return HPC_FAIL(err, CONFIG, "CONDA_OVERRIDE_%s='%s': invalid version: %s at "
			       "column %zu", name, value, why, col + 1);
	return 0;
}

/* A version override: unset leaves *value alone; empty removes the package (*keep). */
static int apply_override(char **envp, const char *name, const char **value, char **hold,
			  bool *keep, struct hpc_error **err)
{
	char upper[32];

	*hold = override(envp, name);
	if (!*hold)
		return 0;
	if (!**hold) {
		*keep = false;
		return 0;
	}
	*value = *hold;
	snprintf(upper, sizeof(upper), "%s", name);
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	return check_version(upper, *hold, err);
}

/* conda's linux_version_validate: the leading "N.N[.N[.N]]" of a kernel release. */
static void kernel_numeric(const char *release, char *out, size_t len)
{
	const char *p = release;
	int parts = 0;

	while (parts < 4 && isdigit((unsigned char)*p)) {
		while (isdigit((unsigned char)*p))
			p++;
		if (++parts == 4 || *p != '.' || !isdigit((unsigned char)p[1]))
			break;
		p++;
	}
	if (parts < 2)
		p = release; /* no "N.N": conda gives no version, i.e. 0 */
	snprintf(out, len, "%.*s", (int)(p - release), release);
}

/* conda's get_archspec_name: the host's name natively, else the subdir's machine. */
static const char *archspec_build(const struct hpc_virtual_host *host, const char *subdir,
				  const char *arch)
{
	static const char *const non_x86[] = { "armv6l", "armv7l", "aarch64", "arm64",
					       "ppc64", "ppc64le", "riscv64", "s390x" };
	bool known = false;

	for (size_t i = 0; i < sizeof(non_x86) / sizeof(non_x86[0]); i++)
		known = known || !strcmp(arch, non_x86[i]);
	if (!known && strcmp(arch, "64") && strcmp(arch, "32"))
		return NULL; /* zos, wasm32, ...: no __archspec */
	if (!strcmp(subdir, host->native_subdir) && host->archspec[0])
		return host->archspec;
	return !strcmp(arch, "64") ? "x86_64" : !strcmp(arch, "32") ? "x86" : arch;
}

static int add_archspec_cuda(const struct hpc_virtual_host *host, const char *subdir,
			     const char *arch, char **envp, struct hpc_vpkgs *out,
			     struct hpc_error **err)
{
	const char *build = archspec_build(host, subdir, arch), *cuda = host->cuda;
	char *ov = override(envp, "archspec"), *hold = NULL;
	bool keep = true;
	int r;

	if (ov)
		build = *ov ? ov : NULL;
	if (build)
		add(out, "__archspec", "1", build);
	free(ov);
	r = apply_override(envp, "cuda", &cuda, &hold, &keep, err);
	if (!r && keep && cuda[0])
		add(out, "__cuda", cuda, "0");
	free(hold);
	return r;
}

static int add_linux(const struct hpc_virtual_host *host, char **envp, struct hpc_vpkgs *out,
		     struct hpc_error **err)
{
	char kernel[128] = "", *ov = override(envp, "linux"), *hold = NULL, libc[32];
	const char *glibc = host->libc_version;
	bool keep = true;
	int r;

	/* conda keeps the leading "N.N[.N[.N]]" of the release, or of an override (an empty
	 * override, or none on another OS, gives 0) */
	if (ov)
		kernel_numeric(ov, kernel, sizeof(kernel));
	else if (!strcmp(host->sysname, "Linux"))
		kernel_numeric(host->release, kernel, sizeof(kernel));
	free(ov);
	add(out, "__unix", NULL, NULL);
	add(out, "__linux", kernel, NULL);
	r = apply_override(envp, "glibc", &glibc, &hold, &keep, err);
	snprintf(libc, sizeof(libc), "__%s", host->libc_family[0] ? host->libc_family : "glibc");
	if (!r && keep)
		add(out, libc, glibc, NULL);
	free(hold);
	return r;
}

/* __osx / __win: the host's version is only known natively, and hpcenv runs on Linux. */
static int add_os(const char *name, char **envp, struct hpc_vpkgs *out, struct hpc_error **err)
{
	char *hold = NULL, vpkg[40];
	const char *v = NULL;
	bool keep = true;
	int r = apply_override(envp, name, &v, &hold, &keep, err);

	snprintf(vpkg, sizeof(vpkg), "__%s", name);
	if (!r && keep)
		add(out, vpkg, v, NULL);
	free(hold);
	return r;
}

static int cmp_vpkg(const void *a, const void *b)
{
	return strcmp(((const struct hpc_vpkg *)a)->name, ((const struct hpc_vpkg *)b)->name);
}

int hpc_virtual_packages(const struct hpc_virtual_host *host, const char *subdir, char **envp,
			 struct hpc_vpkgs *out, struct hpc_error **err)
{
	const char *dash;
	char os[32];
	int r;

	memset(out, 0, sizeof(*out));
	if (!subdir)
		subdir = host->native_subdir;
	if (!envp)
		envp = environ;
	dash = strchr(subdir, '-');
	if (!dash || dash == subdir || !dash[1] || (size_t)(dash - subdir) >= sizeof(os))
		return HPC_FAIL(err, USAGE, "invalid platform '%s': expected OS-ARCH, e.g. "
			       "linux-64 or osx-arm64", subdir);
	snprintf(os, sizeof(os), "%.*s", (int)(dash - subdir), subdir);
	r = add_archspec_cuda(host, subdir, dash + 1, envp, out, err);
	if (!strcmp(os, "osx") || !strcmp(os, "freebsd"))
		add(out, "__unix", NULL, NULL);
	if (!r && !strcmp(os, "linux"))
		r = add_linux(host, envp, out, err);
	else if (!r && (!strcmp(os, "osx") || !strcmp(os, "win")))
		r = add_os(os, envp, out, err);
	if (r < 0) {
		hpc_vpkgs_fini(out);
		return r;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_vpkg);
	return 0;
}

void hpc_vpkgs_fini(struct hpc_vpkgs *vp)
{
	for (size_t i = 0; i < vp->n; i++) {
		free(vp->v[i].name);
		free(vp->v[i].version);
		free(vp->v[i].build);
	}
	free(vp->v);
	memset(vp, 0, sizeof(*vp));
}

char *hpc_vpkg_str(const struct hpc_vpkg *p)
{
	return hpc_xasprintf("%s=%s=%s", p->name, p->version, p->build);
}

void hpc_vpkg_record(const struct hpc_vpkg *p, const char *subdir, struct hpc_record *r)
{
	hpc_record_init(r);
	r->name = hpc_xstrdup(p->name);
	r->version = hpc_xstrdup(p->version);
	r->build = hpc_xstrdup(p->build);
	r->build_number = 0;
	r->channel = hpc_xstrdup("@");
	r->subdir = hpc_xstrdup(subdir);
	r->fn = hpc_xstrdup(p->name);
	r->md5 = hpc_xstrdup("12345678901234567890123456789012");
}
