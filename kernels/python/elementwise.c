/* SPDX-License-Identifier: MIT */
/* elementwise.c - add, subtract, multiply, divide, negative, absolute, sqrt, exp, log, fma
 *
 * A call is ours when every input is a numpy array or a Python/numpy number, numpy's
 * type promotion gives float32 or float64, and the only keyword is out= (an array the
 * result can be cast to under 'same_kind'); anything else goes to numpy unchanged.
 * Same-shaped 1-D or C-contiguous operands go straight to one kernel call (scalars as
 * stride 0); broadcasting, casting, misaligned or byte-swapped data and other layouts
 * go through numpy's iterator, which also copies inputs that partly overlap the output.
 */
#include <float.h>
#include <math.h>

#include "hpck_py.h"

struct spec {
	const char *name; /* numpy's, for "overflow encountered in <name>" */
	int np;		  /* numpy fallback, -1 for none */
	int nin;
	int promote;	  /* integer inputs give floats: 1 like true_divide, 2 like sqrt */
	void *k64, *k32;
};

typedef int (*un64)(size_t, const double *, ptrdiff_t, double *, ptrdiff_t);
typedef int (*un32)(size_t, const float *, ptrdiff_t, float *, ptrdiff_t);
typedef int (*bin64)(size_t, const double *, ptrdiff_t, const double *, ptrdiff_t, double *,
		     ptrdiff_t);
typedef int (*bin32)(size_t, const float *, ptrdiff_t, const float *, ptrdiff_t, float *,
		     ptrdiff_t);
typedef int (*ter64)(size_t, const double *, ptrdiff_t, const double *, ptrdiff_t,
		     const double *, ptrdiff_t, double *, ptrdiff_t);
typedef int (*ter32)(size_t, const float *, ptrdiff_t, const float *, ptrdiff_t,
		     const float *, ptrdiff_t, float *, ptrdiff_t);

/* operands p[0..nin] (the last is the output), strides in elements */
static int kernel(const struct spec *sp, int t, size_t n, char *const *p, const ptrdiff_t *s)
{
	if (t == NPY_DOUBLE)
		switch (sp->nin) {
		case 1:
			return ((un64)sp->k64)(n, (double *)p[0], s[0], (double *)p[1], s[1]);
		case 2:
			return ((bin64)sp->k64)(n, (double *)p[0], s[0], (double *)p[1], s[1],
						(double *)p[2], s[2]);
		default:
			return ((ter64)sp->k64)(n, (double *)p[0], s[0], (double *)p[1], s[1],
						(double *)p[2], s[2], (double *)p[3], s[3]);
		}
	switch (sp->nin) {
	case 1:
		return ((un32)sp->k32)(n, (float *)p[0], s[0], (float *)p[1], s[1]);
	case 2:
		return ((bin32)sp->k32)(n, (float *)p[0], s[0], (float *)p[1], s[1], (float *)p[2],
					s[2]);
	default:
		return ((ter32)sp->k32)(n, (float *)p[0], s[0], (float *)p[1], s[1], (float *)p[2],
					s[2], (float *)p[3], s[3]);
	}
}

/* numpy's loop dtype for these inputs when it is one of ours, else -1 */
static int resolve(const struct spec *sp, PyArrayObject **in)
{
	PyArray_Descr *r = PyArray_ResultType(sp->nin, in, 0, NULL), *half;
	int t;

	if (!r) {
		PyErr_Clear();
		return -1;
	}
	t = r->type_num;
	if (sp->promote && (PyTypeNum_ISINTEGER(t) || PyTypeNum_ISBOOL(t))) {
		/* true_divide: float64; unary float functions: the first of e, f, d the input
		 * casts to safely (int8 -> float16, which is numpy's, int16 -> float32) */
		half = PyArray_DescrFromType(NPY_HALF);
		if (sp->promote == 1)
			t = NPY_DOUBLE;
		else if (PyArray_CanCastTypeTo(r, half, NPY_SAFE_CASTING))
			t = NPY_HALF;
		else
			t = PyArray_CanCastSafely(t, NPY_FLOAT) ? NPY_FLOAT : NPY_DOUBLE;
		Py_DECREF(half);
	}
	Py_DECREF(r);
	return t == NPY_DOUBLE || t == NPY_FLOAT ? t : -1;
}

/* aligned, native, element-multiple strides, of dtype t */
static int plain(PyArrayObject *a, int t)
{
	int isz = (int)PyArray_ITEMSIZE(a);

	if (PyArray_TYPE(a) != t || !PyArray_ISALIGNED(a) || !PyArray_ISNOTSWAPPED(a))
		return 0;
	for (int d = 0; d < PyArray_NDIM(a); d++)
		if (PyArray_STRIDE(a, d) % isz)
			return 0;
	return 1;
}

/* one flat stride for the whole array (1-D, or C-contiguous), in elements; 0 if none */
static int flat(PyArrayObject *a, ptrdiff_t *s)
{
	if (PyArray_NDIM(a) == 1) {
		*s = PyArray_STRIDE(a, 0) / (ptrdiff_t)PyArray_ITEMSIZE(a);
		return 1;
	}
	*s = 1;
	return PyArray_IS_C_CONTIGUOUS(a);
}

/* the byte range an array touches */
static void extent(PyArrayObject *a, char **lo, char **hi)
{
	*lo = *hi = PyArray_BYTES(a);
	for (int d = 0; d < PyArray_NDIM(a); d++) {
		npy_intp span = (PyArray_DIM(a, d) - 1) * PyArray_STRIDE(a, d);
		if (span < 0)
			*lo += span;
		else
			*hi += span;
	}
	*hi += PyArray_ITEMSIZE(a);
}

/* Must input a be copied before writing o? (overlapping, and not the very same layout) */
static int overlaps(PyArrayObject *a, PyArrayObject *o)
{
	char *alo, *ahi, *olo, *ohi;

	if (!PyArray_SIZE(a) || !PyArray_SIZE(o))
		return 0;
	extent(a, &alo, &ahi);
	extent(o, &olo, &ohi);
	if (ahi <= olo || ohi <= alo)
		return 0;
	return !(PyArray_BYTES(a) == PyArray_BYTES(o) && PyArray_NDIM(a) == PyArray_NDIM(o) &&
		 PyArray_CompareLists(PyArray_STRIDES(a), PyArray_STRIDES(o), PyArray_NDIM(a)) &&
		 PyArray_CompareLists(PyArray_DIMS(a), PyArray_DIMS(o), PyArray_NDIM(a)));
}

struct call {
	const struct spec *sp;
	int t;
	PyArrayObject *in[3], *out;
	PyObject *outobj;
	int itfail;	  /* numpy's iterator refused the operands */
	int quick[3];	  /* input i is a Python/numpy number kept as qv[i] (in[i] NULL) */
	double qv[3];
};

/* A 0-d input's value as dtype t (numpy casts scalars to the loop's type too). */
static int scalar_as(PyArrayObject *a, int t, void *dst)
{
	const char *p = PyArray_BYTES(a);
	double v;

	if (!PyArray_ISALIGNED(a) || !PyArray_ISNOTSWAPPED(a))
		return 0;
	switch (PyArray_TYPE(a)) {
	case NPY_DOUBLE:
		v = *(const double *)p;
		break;
	case NPY_FLOAT:
		v = *(const float *)p;
		break;
	case NPY_LONG:
		v = (double)*(const long *)p;
		break;
	case NPY_BOOL:
		v = *(const npy_bool *)p ? 1.0 : 0.0;
		break;
	default:
		return 0;
	}
	if (t == NPY_DOUBLE)
		*(double *)dst = v;
	else
		*(float *)dst = (float)v;
	return 1;
}

/* Is this the same-shape, flat-strided case? Fills the strides (elements) and the 0-d
 * and number inputs' values as the loop's type; *shape: a non-0-d input, or NULL. */
static int direct_layout(struct call *c, PyArrayObject **shape, ptrdiff_t *s, double (*scal)[1])
{
	const struct spec *sp = c->sp;

	*shape = NULL;
	for (int i = 0; i < sp->nin; i++) {
		if (c->quick[i]) {
			if (c->t == NPY_DOUBLE)
				scal[i][0] = c->qv[i];
			else
				*(float *)scal[i] = (float)c->qv[i];
			s[i] = 0;
			continue;
		}
		if (PyArray_NDIM(c->in[i]) == 0) {
			/* copied as the loop's type: the output may overwrite it */
			s[i] = 0;
			if (!scalar_as(c->in[i], c->t, scal[i]))
				return 0;
			continue;
		}
		if (!plain(c->in[i], c->t) || (*shape && !PyArray_SAMESHAPE(*shape, c->in[i])) ||
		    !flat(c->in[i], &s[i]))
			return 0;
		*shape = c->in[i];
	}
	s[sp->nin] = 1;
	return !c->out || (plain(c->out, c->t) && flat(c->out, &s[sp->nin]) &&
			   (*shape ? PyArray_SAMESHAPE(*shape, c->out) : PyArray_NDIM(c->out) == 0));
}

/* The same-shape, flat-strided case: one kernel call. NULL with no error: not this case. */
static PyObject *direct(struct call *c)
{
	const struct spec *sp = c->sp;
	PyArrayObject *shape, *res, *tmp[3] = { NULL };
	char *p[4];
	ptrdiff_t s[4];
	double scal[3][1];
	npy_intp n;
	int fe = 0, i;

	if (!direct_layout(c, &shape, s, scal))
		return NULL;
	res = c->out ? c->out
		     : (PyArrayObject *)PyArray_SimpleNew(shape ? PyArray_NDIM(shape) : 0,
							  shape ? PyArray_DIMS(shape) : NULL, c->t);
	if (!res)
		return NULL;
	Py_XINCREF(c->out);
	p[sp->nin] = PyArray_BYTES(res);
	for (i = 0; i < sp->nin; i++) {
		if (!s[i] && (c->quick[i] || PyArray_NDIM(c->in[i]) == 0)) {
			p[i] = (char *)scal[i];
		} else if (c->out && overlaps(c->in[i], c->out)) {
			/* numpy's semantics: as if every input were read before any write */
			tmp[i] = (PyArrayObject *)PyArray_NewCopy(c->in[i], NPY_CORDER);
			if (!tmp[i])
				break;
			p[i] = PyArray_BYTES(tmp[i]);
			s[i] = 1;
		} else {
			p[i] = PyArray_BYTES(c->in[i]);
		}
	}
	n = PyArray_SIZE(res);
	if (i == sp->nin) {
		NPY_BEGIN_THREADS_DEF;
		if (n >= HPCK_NOGIL_MIN)
			NPY_BEGIN_THREADS;
		fe = kernel(sp, c->t, (size_t)n, p, s);
		NPY_END_THREADS;
	}
	for (int k = 0; k < 3; k++)
		Py_XDECREF(tmp[k]);
	if (i < sp->nin || hpck_fpe(fe, sp->name) < 0) {
		Py_DECREF(res);
		return NULL;
	}
	return (PyObject *)res;
}

/* Everything else through numpy's iterator (broadcasting, casting, buffering, overlap). */
static PyObject *iterated(struct call *c)
{
	const struct spec *sp = c->sp;
	PyArrayObject *ops[4], *res;
	npy_uint32 opf[4];
	PyArray_Descr *dts[4];
	NpyIter *it;
	int nop = sp->nin + 1, fe = 0, isz = c->t == NPY_DOUBLE ? 8 : 4;

	for (int i = 0; i < nop; i++) {
		ops[i] = i < sp->nin ? c->in[i] : c->out;
		opf[i] = NPY_ITER_NBO | NPY_ITER_ALIGNED | NPY_ITER_OVERLAP_ASSUME_ELEMENTWISE |
			 (i < sp->nin ? NPY_ITER_READONLY
				      : NPY_ITER_WRITEONLY | NPY_ITER_ALLOCATE | NPY_ITER_NO_SUBTYPE);
		dts[i] = PyArray_DescrFromType(c->t);
	}
	it = NpyIter_MultiNew(nop, ops, NPY_ITER_EXTERNAL_LOOP | NPY_ITER_BUFFERED |
				  NPY_ITER_GROWINNER | NPY_ITER_ZEROSIZE_OK |
				  NPY_ITER_COPY_IF_OVERLAP,
			      NPY_KEEPORDER, NPY_SAME_KIND_CASTING, opf, dts);
	for (int i = 0; i < nop; i++)
		Py_DECREF(dts[i]);
	if (!it) {
		c->itfail = 1;
		return NULL;
	}
	if (NpyIter_GetIterSize(it) > 0) {
		NpyIter_IterNextFunc *next = NpyIter_GetIterNext(it, NULL);
		char **ptr = NpyIter_GetDataPtrArray(it);
		npy_intp *st = NpyIter_GetInnerStrideArray(it), *sz = NpyIter_GetInnerLoopSizePtr(it);
		ptrdiff_t s[4];
		NPY_BEGIN_THREADS_DEF;

		if (!next) {
			NpyIter_Deallocate(it);
			return NULL;
		}
		if (!NpyIter_IterationNeedsAPI(it))
			if (NpyIter_GetIterSize(it) >= HPCK_NOGIL_MIN)
				NPY_BEGIN_THREADS;
		do {
			for (int i = 0; i < nop; i++)
				s[i] = st[i] / isz;
			fe |= kernel(sp, c->t, (size_t)*sz, ptr, s);
		} while (next(it));
		NPY_END_THREADS;
	}
	res = NpyIter_GetOperandArray(it)[sp->nin];
	Py_INCREF(res);
	if (NpyIter_Deallocate(it) != NPY_SUCCEED || hpck_fpe(fe, sp->name) < 0) {
		Py_DECREF(res);
		return NULL;
	}
	return (PyObject *)res;
}

/* numpy 1.24's value-based promotion when the arrays are float32/float64 of one dtype
 * and the other inputs are real Python/numpy numbers, without making 0-d arrays for
 * them: a number changes float32 to float64 only if it does not fit (a float beyond
 * FLT_MAX, an integer outside int16/uint16). The dtype, or -1 for "ask numpy". */
static int quick(struct call *c, PyObject *const *args)
{
	int t = -1, big = 0;

	for (int i = 0; i < c->sp->nin; i++) {
		PyArrayObject *a = (PyArrayObject *)args[i];
		int tt;
		if (!PyArray_Check(args[i]))
			continue;
		tt = hpck_float_type(a);
		if (PyArray_NDIM(a) == 0 || tt < 0 || (t >= 0 && tt != t))
			return -1;
		t = tt;
	}
	if (t < 0)
		return -1;
	for (int i = 0; i < c->sp->nin; i++) {
		PyObject *o = args[i];
		double v;
		if (PyArray_Check(o))
			continue;
		if (PyFloat_Check(o)) { /* Python float, numpy.float64 */
			v = PyFloat_AS_DOUBLE(o);
			big |= isfinite(v) && fabs(v) >= FLT_MAX;
		} else if (PyLong_Check(o)) { /* int, bool */
			int ovf;
			long long l = PyLong_AsLongLongAndOverflow(o, &ovf);
			if (ovf || l > (1LL << 53) || l < -(1LL << 53))
				return -1;
			v = (double)l;
			big |= l < -32768 || l > 65535;
		} else if (PyArray_IsScalar(o, Float)) {
			v = PyArrayScalar_VAL(o, Float);
		} else {
			return -1;
		}
		c->quick[i] = 1;
		c->qv[i] = v;
	}
	return big ? NPY_DOUBLE : t;
}

/* Make the 0-d arrays the quick path skipped (numpy's iterator wants arrays). */
static int quick_arrays(struct call *c, PyObject *const *args)
{
	for (int i = 0; i < c->sp->nin; i++)
		if (c->quick[i] && !c->in[i]) {
			c->in[i] = (PyArrayObject *)PyArray_FromAny(args[i], NULL, 0, 0, 0, NULL);
			if (!c->in[i])
				return -1;
		}
	return 0;
}

/* Is o a number numpy turns into a 0-d array as it would for a ufunc? */
static int number(PyObject *o)
{
	return PyFloat_Check(o) || PyLong_Check(o) || PyArray_IsScalar(o, Number);
}

/* Arguments: x1..xnin [, out] and out=; 1 when they are ours, 0 to hand to numpy. */
static int take_args(struct call *c, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
	Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
	PyObject *out = nargs == c->sp->nin + 1 ? args[c->sp->nin] : NULL;

	if (nargs < c->sp->nin || nargs > c->sp->nin + 1 || nkw > 1)
		return 0;
	if (nkw) {
		/* keyword names come interned: compare pointers before characters */
		static PyObject *out_name;
		PyObject *kw = PyTuple_GET_ITEM(kwnames, 0);
		if (!out_name)
			out_name = PyUnicode_InternFromString("out");
		if (out || (kw != out_name && (!PyUnicode_Check(kw) ||
					       PyUnicode_CompareWithASCIIString(kw, "out"))))
			return 0;
		out = args[nargs];
	}
	if (out && PyTuple_Check(out) && PyTuple_GET_SIZE(out) == 1)
		out = PyTuple_GET_ITEM(out, 0);
	if (out == Py_None)
		out = NULL;
	if (out && (!PyArray_Check(out) || !PyArray_ISWRITEABLE((PyArrayObject *)out)))
		return 0;
	c->outobj = out;
	c->out = (PyArrayObject *)out;
	if ((c->t = quick(c, args)) >= 0) {
		for (int i = 0; i < c->sp->nin; i++)
			if (!c->quick[i]) {
				Py_INCREF(args[i]);
				c->in[i] = (PyArrayObject *)args[i];
			}
		goto check_out;
	}
	memset(c->quick, 0, sizeof(c->quick));
	for (int i = 0; i < c->sp->nin; i++) {
		if (PyArray_Check(args[i])) {
			Py_INCREF(args[i]);
			c->in[i] = (PyArrayObject *)args[i];
		} else if (number(args[i])) {
			c->in[i] = (PyArrayObject *)PyArray_FromAny(args[i], NULL, 0, 0, 0, NULL);
			if (!c->in[i]) {
				PyErr_Clear();
				return 0;
			}
		} else {
			return 0;
		}
	}
	c->t = resolve(c->sp, c->in);
	if (c->t < 0)
		return 0;
check_out:
	if (c->out && PyArray_TYPE(c->out) != c->t) {
		PyArray_Descr *d = PyArray_DescrFromType(c->t);
		int ok = PyArray_CanCastTypeTo(d, PyArray_DESCR(c->out), NPY_SAME_KIND_CASTING);
		Py_DECREF(d);
		return ok;
	}
	return 1;
}

static PyObject *elementwise(const struct spec *sp, PyObject *const *args, Py_ssize_t nargs,
			     PyObject *kwnames)
{
	struct call c = { .sp = sp };
	PyObject *r = NULL;

	if (!take_args(&c, args, nargs, kwnames)) {
		for (int i = 0; i < 3; i++)
			Py_XDECREF(c.in[i]);
		if (sp->np >= 0)
			return hpck_fallback(sp->np, args, nargs, kwnames);
		PyErr_Format(PyExc_TypeError, "%s: float32/float64 numbers or arrays only "
			     "(and out= a writeable array they can be cast to)", sp->name);
		return NULL;
	}
	r = direct(&c);
	if (!r && !PyErr_Occurred() && quick_arrays(&c, args) == 0)
		r = iterated(&c);
	for (int i = 0; i < 3; i++)
		Py_XDECREF(c.in[i]);
	if (!r) {
		/* a shape or cast numpy rejects: let numpy say so in its own words */
		if (sp->np >= 0 && c.itfail) {
			PyErr_Clear();
			return hpck_fallback(sp->np, args, nargs, kwnames);
		}
		return NULL;
	}
	if (c.outobj) {
		Py_DECREF(r);
		Py_INCREF(c.outobj);
		return c.outobj;
	}
	return PyArray_Return((PyArrayObject *)r);
}

#define SPEC(fn, numpy, nin, promote)                                                        \
	static const struct spec spec_##fn = { #fn, numpy, nin, promote, (void *)hpck_##fn##_f64, \
					       (void *)hpck_##fn##_f32 };                     \
	PyObject *hpck_py_##fn(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k)    \
	{                                                                                     \
		return elementwise(&spec_##fn, a, n, k);                                      \
	}
SPEC(add, NP_ADD, 2, 0)
SPEC(subtract, NP_SUBTRACT, 2, 0)
SPEC(multiply, NP_MULTIPLY, 2, 0)
SPEC(divide, NP_DIVIDE, 2, 1)
SPEC(negative, NP_NEGATIVE, 1, 0)
SPEC(absolute, NP_ABSOLUTE, 1, 0)
SPEC(sqrt, NP_SQRT, 1, 2)
SPEC(exp, NP_EXP, 1, 2)
SPEC(log, NP_LOG, 1, 2)
SPEC(fma, -1, 3, 0)

PyObject *hpck_py_axpy(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k)
{
	PyObject *args[4];

	if (n != 3 || k) {
		PyErr_SetString(PyExc_TypeError, "axpy(alpha, x, y): three positional arguments");
		return NULL;
	}
	if (!PyArray_Check(a[2]) || hpck_float_type((PyArrayObject *)a[2]) < 0 ||
	    !PyArray_ISWRITEABLE((PyArrayObject *)a[2])) {
		PyErr_SetString(PyExc_TypeError, "axpy: y must be a writeable float32 or float64 array");
		return NULL;
	}
	args[0] = a[0];
	args[1] = a[1];
	args[2] = a[2];
	args[3] = a[2];
	return elementwise(&spec_fma, args, 4, NULL);
}
