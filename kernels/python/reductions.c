/* SPDX-License-Identifier: MIT */
/* reductions.c - sum, mean, amin, amax, argmin, argmax, dot, norm
 *
 * Ours: a float32/float64 array, axis None/int/tuple (argmin/argmax: None/int),
 * dtype None/float32/float64, keepdims, out= an array of the result's shape the result
 * can be cast to. Everything else, and every case numpy answers with an exception or
 * a warning (empty min/max/argmin/argmax/mean), is numpy's.
 * The reduced axes are moved last and, when their strides do not merge into one, the
 * data is copied; each output element is then one kernel call over one strided run.
 */
#include "hpck_py.h"

enum rop { R_SUM, R_MEAN, R_MIN, R_MAX, R_ARGMIN, R_ARGMAX };

struct rspec {
	const char *name;
	enum rop op;
	enum hpck_np np;
};

/* one reduction of n elements at x (stride s elements) into *res (dtype t, or intp) */
static int reduce1(enum rop op, int t, size_t n, const char *x, ptrdiff_t s, char *res)
{
	int fe = 0;

	if (t == NPY_DOUBLE) {
		const double *p = (const double *)x;
		switch (op) {
		case R_SUM:
			*(double *)res = hpck_sum_f64(n, p, s, &fe);
			break;
		case R_MEAN:
			*(double *)res = hpck_mean_f64(n, p, s, &fe);
			break;
		case R_MIN:
			*(double *)res = hpck_min_f64(n, p, s);
			break;
		case R_MAX:
			*(double *)res = hpck_max_f64(n, p, s);
			break;
		case R_ARGMIN:
			*(npy_intp *)res = hpck_argmin_f64(n, p, s);
			break;
		case R_ARGMAX:
			*(npy_intp *)res = hpck_argmax_f64(n, p, s);
			break;
		}
		return fe;
	}
	const float *p = (const float *)x;
	switch (op) {
	case R_SUM:
		*(float *)res = hpck_sum_f32(n, p, s, &fe);
		break;
	case R_MEAN:
		*(float *)res = hpck_mean_f32(n, p, s, &fe);
		break;
	case R_MIN:
		*(float *)res = hpck_min_f32(n, p, s);
		break;
	case R_MAX:
		*(float *)res = hpck_max_f32(n, p, s);
		break;
	case R_ARGMIN:
		*(npy_intp *)res = hpck_argmin_f32(n, p, s);
		break;
	case R_ARGMAX:
		*(npy_intp *)res = hpck_argmax_f32(n, p, s);
		break;
	}
	return fe;
}

/* Reduced-axis flags from axis=None/int/tuple; -1 for anything numpy should judge. */
static int axes(PyObject *axis, int ndim, int tuple_ok, int *red)
{
	Py_ssize_t n;

	for (int d = 0; d < ndim; d++)
		red[d] = !axis || axis == Py_None;
	if (!axis || axis == Py_None)
		return 0;
	if (PyTuple_Check(axis) && tuple_ok) {
		n = PyTuple_GET_SIZE(axis);
	} else if (PyLong_Check(axis)) {
		n = 1;
	} else {
		return -1;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *o = PyTuple_Check(axis) ? PyTuple_GET_ITEM(axis, i) : axis;
		long d = PyLong_Check(o) ? PyLong_AsLong(o) : LONG_MIN;
		if (d == -1 && PyErr_Occurred()) {
			PyErr_Clear();
			return -1;
		}
		if (d < 0)
			d += ndim;
		if (d < 0 || d >= ndim || red[d])
			return -1; /* out of bounds or repeated: numpy's AxisError/ValueError */
		red[d] = 1;
	}
	return 0;
}

struct rcall {
	const struct rspec *sp;
	PyArrayObject *a, *out;
	int t, rt, keepdims, all;
	int red[NPY_MAXDIMS];
};

/* One reduction per index of the kept (leading) axes of v, whose trailing nd - nk axes
 * form one strided run of R elements; results to out, in C order. */
static int reduce_rows(struct rcall *c, PyArrayObject *v, int nk, npy_intp K, npy_intp R,
		       char *out)
{
	int nd = PyArray_NDIM(v), fe = 0;
	ptrdiff_t s = nd > nk ? PyArray_STRIDE(v, nd - 1) / (ptrdiff_t)PyArray_ITEMSIZE(v) : 1;
	int rsz = c->rt == NPY_INTP ? (int)sizeof(npy_intp) : (int)PyArray_ITEMSIZE(v);
	npy_intp idx[NPY_MAXDIMS] = { 0 };
	const char *base = PyArray_BYTES(v);
	NPY_BEGIN_THREADS_DEF;

	if (K * R >= HPCK_NOGIL_MIN)
		NPY_BEGIN_THREADS;
	for (npy_intp k = 0; k < K; k++) {
		fe |= reduce1(c->sp->op, c->t, (size_t)R, base, s, out + k * rsz);
		for (int d = nk - 1; d >= 0; d--) { /* odometer over the kept axes */
			base += PyArray_STRIDE(v, d);
			if (++idx[d] < PyArray_DIM(v, d))
				break;
			base -= PyArray_STRIDE(v, d) * PyArray_DIM(v, d);
			idx[d] = 0;
		}
	}
	NPY_END_THREADS;
	return fe;
}

/* The reduced result as an array of the kept (or keepdims) shape; NULL on error. */
static PyArrayObject *compute(struct rcall *c, int *fe)
{
	int nd = PyArray_NDIM(c->a), nk = 0;
	npy_intp perm_d[NPY_MAXDIMS];
	npy_intp rshape[NPY_MAXDIMS], kshape[NPY_MAXDIMS];
	npy_intp K = 1, R = 1;
	PyArray_Dims perm = { perm_d, nd };
	PyArrayObject *v, *res;

	for (int d = 0; d < nd; d++) {
		rshape[d] = c->red[d] ? 1 : PyArray_DIM(c->a, d);
		if (!c->red[d]) {
			kshape[nk] = PyArray_DIM(c->a, d);
			K *= kshape[nk];
			perm_d[nk++] = d;
		}
	}
	for (int d = 0, j = nk; d < nd; d++)
		if (c->red[d]) {
			perm_d[j++] = d;
			R *= PyArray_DIM(c->a, d);
		}
	res = (PyArrayObject *)PyArray_SimpleNew(c->keepdims ? nd : nk,
						 c->keepdims ? rshape : kshape, c->rt);
	if (!res)
		return NULL;
	v = (PyArrayObject *)PyArray_Transpose(c->a, &perm);
	if (!v)
		goto fail;
	/* one stride for the reduced run? (argmin/argmax need logical C order) */
	for (int d = nk; d + 1 < nd; d++)
		if (PyArray_STRIDE(v, d) != PyArray_STRIDE(v, d + 1) * PyArray_DIM(v, d + 1)) {
			PyArrayObject *cp = (PyArrayObject *)PyArray_NewCopy(v, NPY_CORDER);
			Py_DECREF(v);
			if (!(v = cp))
				goto fail;
			break;
		}
	*fe |= reduce_rows(c, v, nk, K, R, PyArray_BYTES(res));
	Py_DECREF(v);
	return res;
fail:
	Py_DECREF(res);
	return NULL;
}

/* Check the arguments; 1 when the call is ours. */
static int take(struct rcall *c, PyObject **slot, int has_dtype, int tuple_ok)
{
	PyObject *axis = slot[1], *dtype = has_dtype ? slot[2] : NULL;
	PyObject *out = slot[has_dtype ? 3 : 2], *keep = slot[has_dtype ? 4 : 3];
	npy_intp R = 1, K = 1;

	if (!PyArray_Check(slot[0]) || (c->t = hpck_float_type((PyArrayObject *)slot[0])) < 0)
		return 0;
	c->a = (PyArrayObject *)slot[0];
	if (!PyArray_ISALIGNED(c->a) || !PyArray_ISNOTSWAPPED(c->a))
		return 0;
	for (int d = 0; d < PyArray_NDIM(c->a); d++)
		if (PyArray_STRIDE(c->a, d) % (npy_intp)PyArray_ITEMSIZE(c->a))
			return 0;
	if (dtype && dtype != Py_None) {
		PyArray_Descr *dd = NULL;
		if (!PyArray_DescrConverter2(dtype, &dd) || !dd) {
			PyErr_Clear();
			return 0;
		}
		c->t = dd->type_num;
		Py_DECREF(dd);
		if (c->t != NPY_FLOAT && c->t != NPY_DOUBLE)
			return 0;
	}
	if (keep && keep != Py_False && keep != Py_True)
		return 0;
	c->keepdims = keep == Py_True;
	if (axes(axis, PyArray_NDIM(c->a), tuple_ok, c->red) < 0)
		return 0;
	c->all = !axis || axis == Py_None;
	for (int d = 0; d < PyArray_NDIM(c->a); d++)
		if (c->red[d])
			R *= PyArray_DIM(c->a, d);
		else
			K *= PyArray_DIM(c->a, d);
	/* numpy raises (min/max/arg) or warns (mean) on empty reductions */
	if (R == 0 && c->sp->op != R_SUM && (K > 0 || c->sp->op == R_MEAN || c->all))
		return 0;
	c->rt = c->sp->op == R_ARGMIN || c->sp->op == R_ARGMAX ? NPY_INTP : c->t;
	if (out && out != Py_None) {
		PyArray_Descr *d = PyArray_DescrFromType(c->rt);
		int ok = PyArray_Check(out) && PyArray_ISWRITEABLE((PyArrayObject *)out) &&
			 PyArray_CanCastTypeTo(d, PyArray_DESCR((PyArrayObject *)out),
					       NPY_SAME_KIND_CASTING);
		Py_DECREF(d);
		if (!ok)
			return 0;
		c->out = (PyArrayObject *)out;
	}
	return 1;
}

/* The common case: everything, one strided run, no out=: no arrays to make. */
static PyObject *reduce_flat(struct rcall *c)
{
	npy_intp n = PyArray_SIZE(c->a);
	ptrdiff_t s = PyArray_NDIM(c->a) == 1
			      ? PyArray_STRIDE(c->a, 0) / (ptrdiff_t)PyArray_ITEMSIZE(c->a) : 1;
	union {
		double d;
		float f;
		npy_intp i;
	} v;
	PyArray_Descr *rd;
	PyObject *r;
	int fe;
	NPY_BEGIN_THREADS_DEF;

	if (n >= HPCK_NOGIL_MIN)
		NPY_BEGIN_THREADS;
	fe = reduce1(c->sp->op, c->t, (size_t)n, PyArray_BYTES(c->a), s, (char *)&v);
	NPY_END_THREADS;
	if (hpck_fpe(fe, "reduce") < 0)
		return NULL;
	rd = PyArray_DescrFromType(c->rt);
	r = PyArray_Scalar(&v, rd, NULL);
	Py_DECREF(rd);
	return r;
}

static PyObject *reduction(const struct rspec *sp, PyObject *const *args, Py_ssize_t nargs,
			   PyObject *kwnames)
{
	static const char *const names_d[] = { "a", "axis", "dtype", "out", "keepdims" };
	static const char *const names[] = { "a", "axis", "out", "keepdims" };
	int has_dtype = sp->op == R_SUM || sp->op == R_MEAN;
	int arg = sp->op == R_ARGMIN || sp->op == R_ARGMAX, fe = 0;
	PyObject *slot[5] = { NULL };
	struct rcall c = { .sp = sp };
	PyArrayObject *a, *res;
	PyObject *r;

	if (hpck_parse(args, nargs, kwnames, has_dtype ? names_d : names, has_dtype ? 5 : 4,
		       slot) < 0 || !slot[0] || !take(&c, slot, has_dtype, !arg))
		return hpck_fallback(sp->np, args, nargs, kwnames);
	if (c.all && !c.keepdims && !c.out && PyArray_TYPE(c.a) == c.t &&
	    (PyArray_NDIM(c.a) == 1 || PyArray_IS_C_CONTIGUOUS(c.a)))
		return reduce_flat(&c);
	/* dtype= another float type: convert first (numpy casts every element too) */
	a = c.a;
	if (PyArray_TYPE(a) != c.t) {
		a = (PyArrayObject *)PyArray_Cast(a, c.t);
		if (!a)
			return NULL;
	} else {
		Py_INCREF(a);
	}
	c.a = a;
	res = compute(&c, &fe);
	Py_DECREF(a);
	if (!res)
		return NULL;
	if (hpck_fpe(fe, "reduce") < 0) {
		Py_DECREF(res);
		return NULL;
	}
	if (c.out) {
		if (!PyArray_SAMESHAPE(res, c.out) || PyArray_CopyInto(c.out, res) < 0) {
			Py_DECREF(res);
			if (PyErr_Occurred())
				PyErr_Clear();
			return hpck_fallback(sp->np, args, nargs, kwnames);
		}
		Py_DECREF(res);
		Py_INCREF(c.out);
		return (PyObject *)c.out;
	}
	if (c.all && !c.keepdims) {
		r = PyArray_Scalar(PyArray_DATA(res), PyArray_DESCR(res), (PyObject *)res);
		Py_DECREF(res);
		return r;
	}
	return (PyObject *)res;
}

#define RSPEC(fn, OP, NP)                                                                   \
	static const struct rspec rspec_##fn = { #fn, OP, NP };                            \
	PyObject *hpck_py_##fn(PyObject *m, PyObject *const *a, Py_ssize_t n, PyObject *k)   \
	{                                                                                    \
		return reduction(&rspec_##fn, a, n, k);                                      \
	}
RSPEC(sum, R_SUM, NP_SUM)
RSPEC(mean, R_MEAN, NP_MEAN)
RSPEC(amin, R_MIN, NP_AMIN)
RSPEC(amax, R_MAX, NP_AMAX)
RSPEC(argmin, R_ARGMIN, NP_ARGMIN)
RSPEC(argmax, R_ARGMAX, NP_ARGMAX)

/* an aligned, native array of dtype t with the same data, or NULL (no error) */
static PyArrayObject *as_type(PyArrayObject *a, int t)
{
	PyObject *r = PyArray_FROM_OTF((PyObject *)a, t, NPY_ARRAY_ALIGNED | NPY_ARRAY_NOTSWAPPED);

	if (!r)
		PyErr_Clear();
	return (PyArrayObject *)r;
}

PyObject *hpck_py_dot(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
	static const char *const names[] = { "a", "b", "out" };
	PyObject *slot[3] = { NULL }, *r;
	PyArrayObject *in[2], *x = NULL, *y = NULL;
	PyArray_Descr *rd;
	int t, fe = 0;
	double d;
	float f;

	if (hpck_parse(args, nargs, kwnames, names, 3, slot) < 0 || !slot[0] || !slot[1] ||
	    (slot[2] && slot[2] != Py_None) || !PyArray_Check(slot[0]) || !PyArray_Check(slot[1]))
		return hpck_fallback(NP_DOT, args, nargs, kwnames);
	in[0] = (PyArrayObject *)slot[0];
	in[1] = (PyArrayObject *)slot[1];
	if (PyArray_NDIM(in[0]) != 1 || PyArray_NDIM(in[1]) != 1 ||
	    PyArray_DIM(in[0], 0) != PyArray_DIM(in[1], 0))
		return hpck_fallback(NP_DOT, args, nargs, kwnames);
	rd = PyArray_ResultType(2, in, 0, NULL);
	if (!rd) {
		PyErr_Clear();
		return hpck_fallback(NP_DOT, args, nargs, kwnames);
	}
	t = rd->type_num;
	Py_DECREF(rd);
	if ((t != NPY_DOUBLE && t != NPY_FLOAT) || !(x = as_type(in[0], t)) ||
	    !(y = as_type(in[1], t))) {
		Py_XDECREF(x);
		return hpck_fallback(NP_DOT, args, nargs, kwnames);
	}
	{
		size_t n = (size_t)PyArray_DIM(x, 0);
		ptrdiff_t sx = PyArray_STRIDE(x, 0) / (ptrdiff_t)PyArray_ITEMSIZE(x);
		ptrdiff_t sy = PyArray_STRIDE(y, 0) / (ptrdiff_t)PyArray_ITEMSIZE(y);
		NPY_BEGIN_THREADS_DEF;

		if (n >= HPCK_NOGIL_MIN)
			NPY_BEGIN_THREADS;
		if (t == NPY_DOUBLE)
			d = hpck_dot_f64(n, PyArray_DATA(x), sx, PyArray_DATA(y), sy, &fe);
		else
			f = hpck_dot_f32(n, PyArray_DATA(x), sx, PyArray_DATA(y), sy, &fe);
		NPY_END_THREADS;
	}
	Py_DECREF(x);
	Py_DECREF(y);
	/* numpy.dot reports no floating-point exceptions (BLAS does not): neither do we */
	rd = PyArray_DescrFromType(t);
	r = PyArray_Scalar(t == NPY_DOUBLE ? (void *)&d : (void *)&f, rd, NULL);
	Py_DECREF(rd);
	return r;
}

PyObject *hpck_py_norm(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
	static const char *const names[] = { "x", "ord", "axis", "keepdims" };
	PyObject *slot[4] = { NULL }, *r;
	PyArrayObject *x, *a;
	PyArray_Descr *rd;
	double d;
	float f;
	int t;

	if (hpck_parse(args, nargs, kwnames, names, 4, slot) < 0 || !slot[0] ||
	    (slot[1] && slot[1] != Py_None) || (slot[2] && slot[2] != Py_None) ||
	    (slot[3] && slot[3] != Py_False) || !PyArray_Check(slot[0]) ||
	    (t = hpck_float_type((PyArrayObject *)slot[0])) < 0)
		return hpck_fallback(NP_NORM, args, nargs, kwnames);
	x = (PyArrayObject *)slot[0];
	/* one stride over all elements, aligned and native; else a contiguous copy */
	if (PyArray_ISALIGNED(x) && PyArray_ISNOTSWAPPED(x) &&
	    (PyArray_NDIM(x) == 1 ? PyArray_STRIDE(x, 0) % (npy_intp)PyArray_ITEMSIZE(x) == 0
				  : PyArray_IS_C_CONTIGUOUS(x))) {
		Py_INCREF(x);
		a = x;
	} else {
		a = (PyArrayObject *)PyArray_FROM_OTF((PyObject *)x, t,
						      NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED |
							      NPY_ARRAY_NOTSWAPPED | NPY_ARRAY_ENSURECOPY);
		if (!a)
			return NULL;
	}
	{
		size_t n = (size_t)PyArray_SIZE(a);
		ptrdiff_t s = PyArray_NDIM(a) == 1
				      ? PyArray_STRIDE(a, 0) / (ptrdiff_t)PyArray_ITEMSIZE(a) : 1;
		NPY_BEGIN_THREADS_DEF;

		if (n >= HPCK_NOGIL_MIN)
			NPY_BEGIN_THREADS;
		if (t == NPY_DOUBLE)
			d = hpck_nrm2_f64(n, PyArray_DATA(a), s);
		else
			f = hpck_nrm2_f32(n, PyArray_DATA(a), s);
		NPY_END_THREADS;
	}
	Py_DECREF(a);
	rd = PyArray_DescrFromType(t);
	r = PyArray_Scalar(t == NPY_DOUBLE ? (void *)&d : (void *)&f, rd, NULL);
	Py_DECREF(rd);
	return r;
}
