/* SPDX-License-Identifier: MIT */
/* hpck_py.h - what the hpckernels extension's files share
 *
 * Every function runs float32/float64 work on libhpckernels and hands anything else
 * (other dtypes, keyword arguments it does not implement, invalid arguments) to the
 * numpy function of the same name, unchanged: numpy's result, numpy's exception.
 */
#ifndef HPCK_PY_H
#define HPCK_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL hpck_ARRAY_API
#define PY_UFUNC_UNIQUE_SYMBOL hpck_UFUNC_API
#ifndef HPCK_PY_INIT
#define NO_IMPORT_ARRAY
#define NO_IMPORT_UFUNC
#endif
#include <numpy/arrayobject.h>
#include <numpy/ufuncobject.h>
#include <numpy/arrayscalars.h>

#include "hpckernels.h"

/* numpy's functions, for everything we do not compute ourselves */
enum hpck_np {
	NP_ADD, NP_SUBTRACT, NP_MULTIPLY, NP_DIVIDE, NP_NEGATIVE, NP_ABSOLUTE, NP_SQRT, NP_EXP,
	NP_LOG, NP_SUM, NP_MEAN, NP_AMIN, NP_AMAX, NP_ARGMIN, NP_ARGMAX, NP_DOT, NP_NORM,
	NP_COUNT
};
extern PyObject *hpck_np[NP_COUNT];

/* Call numpy's function with exactly the arguments we were given. */
PyObject *hpck_fallback(enum hpck_np f, PyObject *const *args, Py_ssize_t nargs,
			PyObject *kwnames);
/* Report floating-point exceptions (HPCK_FE_*) as numpy would under np.errstate:
 * warn, raise, call, ... "name" as in "overflow encountered in <name>". -1 if raised. */
int hpck_fpe(int fe, const char *name);
/* float32/float64 dtype of an array, or -1. */
int hpck_float_type(PyArrayObject *a);
/* Release the GIL for work on at least this many elements. numpy releases it from 500
 * on; for a call of a few microseconds the release and re-take (~50 ns) cost more
 * than another Python thread could gain. */
#define HPCK_NOGIL_MIN 4096

/* A keyword/positional argument parser for the reductions:
 * names[0..n) in order; returns -1 (no exception set) when an argument is unknown or
 * repeated, so the caller can hand the call to numpy, which raises properly. */
int hpck_parse(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
	       const char *const *names, int n, PyObject **slots);

/* elementwise.c */
PyObject *hpck_py_add(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_subtract(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_multiply(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_divide(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_negative(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_absolute(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_sqrt(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_exp(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_log(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_fma(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_axpy(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
/* reductions.c */
PyObject *hpck_py_sum(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_mean(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_amin(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_amax(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_argmin(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_argmax(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_dot(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);
PyObject *hpck_py_norm(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k);

#endif
