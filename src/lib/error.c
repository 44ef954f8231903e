/* SPDX-License-Identifier: MIT */
/* error.c - error objects with a cause chain (see include/hpcenv/error.h) */
#include <stdio.h>
#include <stdlib.h>

#include "hpcenv/error.h"
#include "hpcenv/util.h"

static const char *const code_names[] = {
#define HPC_ERR_NAME(NAME, name, text) #name,
	HPC_ERROR_TABLE(HPC_ERR_NAME)
#undef HPC_ERR_NAME
};

static const char *const code_texts[] = {
#define HPC_ERR_TEXT(NAME, name, text) text,
	HPC_ERROR_TABLE(HPC_ERR_TEXT)
#undef HPC_ERR_TEXT
};

static struct hpc_error *error_new(int code, const char *file, const char *func, int line,
				   const char *fmt, va_list ap)
{
	struct hpc_error *e = hpc_xcalloc(1, sizeof(*e));
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	e->msg = hpc_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(e->msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	e->code = code;
	e->file = file;
	e->func = func;
	e->line = line;
	return e;
}

int hpc_error_vset(struct hpc_error **err, int code, const char *file, const char *func,
		   int line, const char *fmt, va_list ap)
{
	struct hpc_error *e;

	if (code <= 0 || code >= HPC_E__COUNT)
		code = HPC_E_BUG;
	if (!err)
		return -code;
	e = error_new(code, file, func, line, fmt, ap);
	e->cause = *err;
	*err = e;
	return -code;
}

int hpc_error_set(struct hpc_error **err, int code, const char *file, const char *func,
		  int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = hpc_error_vset(err, code, file, func, line, fmt, ap);
	va_end(ap);
	return r;
}

int hpc_error_wrap_at(struct hpc_error **err, int rc, const char *file, const char *func,
		      int line, const char *fmt, ...)
{
	int code = rc < 0 ? -rc : HPC_E_BUG;
	va_list ap;

	if (err && *err)
		code = (*err)->code;
	va_start(ap, fmt);
	hpc_error_vset(err, code, file, func, line, fmt, ap);
	va_end(ap);
	return rc < 0 ? rc : -code;
}

void hpc_error_free(struct hpc_error *e)
{
	while (e) {
		struct hpc_error *next = e->cause;

		free(e->msg);
		free(e);
		e = next;
	}
}

void hpc_error_clear(struct hpc_error **err)
{
	if (!err)
		return;
	hpc_error_free(*err);
	*err = NULL;
}

int hpc_error_code(const struct hpc_error *e)
{
	return e ? e->code : 0;
}

const struct hpc_error *hpc_error_root(const struct hpc_error *e)
{
	while (e && e->cause)
		e = e->cause;
	return e;
}

const char *hpc_errcode_name(int code)
{
	if (code < 0)
		code = -code;
	return code < HPC_E__COUNT ? code_names[code] : "unknown";
}

const char *hpc_errcode_text(int code)
{
	if (code < 0)
		code = -code;
	return code < HPC_E__COUNT ? code_texts[code] : "unknown error";
}
