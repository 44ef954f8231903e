/* SPDX-License-Identifier: MIT */
/* module.c - the hpckernels module: numpy-named functions on libhpckernels (docs/kernels.md) */
#define HPCK_PY_INIT
#include "hpck_py.h"

PyObject *hpck_np[NP_COUNT];

PyObject *hpck_fallback(enum hpck_np f, PyObject *const *args, Py_ssize_t nargs,
			PyObject *kwnames)
{
	return PyObject_Vectorcall(hpck_np[f], args, (size_t)nargs, kwnames);
}

int hpck_fpe(int fe, const char *name)
{
	int bufsize, errmask, first = 1, r;
	PyObject *errobj = NULL;

	if (!fe)
		return 0;
	if (PyUFunc_GetPyValues((char *)name, &bufsize, &errmask, &errobj) < 0)
		return -1;
	r = PyUFunc_handlefperr(errmask, errobj, fe, &first);
	Py_XDECREF(errobj);
	return r;
}

int hpck_float_type(PyArrayObject *a)
{
	int t = PyArray_TYPE(a);

	return t == NPY_DOUBLE || t == NPY_FLOAT ? t : -1;
}

int hpck_parse(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
	       const char *const *names, int n, PyObject **slots)
{
	Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;

	if (nargs > n)
		return -1;
	for (Py_ssize_t i = 0; i < nargs; i++)
		slots[i] = args[i];
	for (Py_ssize_t k = 0; k < nkw; k++) {
		const char *kw = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
		int i;

		if (!kw) {
			PyErr_Clear();
			return -1;
		}
		for (i = 0; i < n && strcmp(kw, names[i]); i++)
			;
		if (i == n || slots[i])
			return -1;
		slots[i] = args[nargs + k];
	}
	return 0;
}

static PyObject *py_dispatch_path(PyObject *m, PyObject *unused)
{
	return PyUnicode_FromString(hpck_dispatch_path());
}

static PyObject *py_supported_paths(PyObject *m, PyObject *unused)
{
	PyObject *s = PyUnicode_FromString(hpck_supported_paths()), *sep, *r;

	if (!s)
		return NULL;
	sep = PyUnicode_FromString(",");
	r = sep ? PyUnicode_Split(s, sep, -1) : NULL;
	Py_XDECREF(sep);
	Py_DECREF(s);
	return r;
}

static PyObject *py_get_num_threads(PyObject *m, PyObject *unused)
{
	return PyLong_FromLong(hpck_num_threads());
}

static PyObject *py_set_num_threads(PyObject *m, PyObject *arg)
{
	long n = PyLong_AsLong(arg);

	if (n == -1 && PyErr_Occurred())
		return NULL;
	if (n > 1024 || n < -1) {
		PyErr_Format(PyExc_ValueError, "set_num_threads: %ld threads (0 restores the default)", n);
		return NULL;
	}
	hpck_set_num_threads((int)n);
	Py_RETURN_NONE;
}

#define FAST(name, doc) \
	{ #name, (PyCFunction)(void (*)(void))hpck_py_##name, METH_FASTCALL | METH_KEYWORDS, doc }

static PyMethodDef methods[] = {
	FAST(add, "add(x1, x2, /, out=None): numpy.add"),
	FAST(subtract, "subtract(x1, x2, /, out=None): numpy.subtract"),
	FAST(multiply, "multiply(x1, x2, /, out=None): numpy.multiply"),
	FAST(divide, "divide(x1, x2, /, out=None): numpy.divide (true division)"),
	FAST(negative, "negative(x, /, out=None): numpy.negative"),
	FAST(absolute, "absolute(x, /, out=None): numpy.absolute"),
	FAST(sqrt, "sqrt(x, /, out=None): numpy.sqrt"),
	FAST(exp, "exp(x, /, out=None): numpy.exp (max error: docs/kernels.md)"),
	FAST(log, "log(x, /, out=None): numpy.log (max error: docs/kernels.md)"),
	FAST(fma, "fma(a, b, c, /, out=None): a * b + c rounded once (float32/float64 only)"),
	FAST(axpy, "axpy(alpha, x, y, /): y += alpha * x in place, fused; returns y"),
	FAST(sum, "sum(a, axis=None, dtype=None, out=None, keepdims=False): numpy.sum, pairwise"),
	FAST(mean, "mean(a, axis=None, dtype=None, out=None, keepdims=False): numpy.mean"),
	FAST(amin, "amin(a, axis=None, out=None, keepdims=False): numpy.amin"),
	FAST(amax, "amax(a, axis=None, out=None, keepdims=False): numpy.amax"),
	{ "min", (PyCFunction)(void (*)(void))hpck_py_amin, METH_FASTCALL | METH_KEYWORDS,
	  "min(a, axis=None, out=None, keepdims=False): numpy.min" },
	{ "max", (PyCFunction)(void (*)(void))hpck_py_amax, METH_FASTCALL | METH_KEYWORDS,
	  "max(a, axis=None, out=None, keepdims=False): numpy.max" },
	FAST(argmin, "argmin(a, axis=None, out=None, *, keepdims=False): numpy.argmin"),
	FAST(argmax, "argmax(a, axis=None, out=None, *, keepdims=False): numpy.argmax"),
	FAST(dot, "dot(a, b, out=None): numpy.dot; vectors are summed pairwise"),
	FAST(norm, "norm(x, ord=None, axis=None, keepdims=False): numpy.linalg.norm; the 2-norm "
		   "of vectors never overflows or underflows"),
	{ "dispatch_path", py_dispatch_path, METH_NOARGS,
	  "dispatch_path(): the kernels in use: 'avx512', 'avx2', 'sse2' or 'generic'" },
	{ "supported_paths", py_supported_paths, METH_NOARGS,
	  "supported_paths(): the paths this CPU can run, best first" },
	{ "get_num_threads", py_get_num_threads, METH_NOARGS,
	  "get_num_threads(): threads used for large arrays" },
	{ "set_num_threads", py_set_num_threads, METH_O,
	  "set_num_threads(n): threads for large arrays; 0 restores the default" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "hpckernels",
	"NumPy-style float32/float64 kernels with runtime CPU dispatch (libhpckernels).\n"
	"Other dtypes and arguments are passed to numpy unchanged. See docs/kernels.md.",
	-1, methods, NULL, NULL, NULL, NULL,
};

static int load_numpy(void)
{
	static const char *const names[NP_COUNT] = {
		"add", "subtract", "multiply", "true_divide", "negative", "absolute", "sqrt", "exp",
		"log", "sum", "mean", "amin", "amax", "argmin", "argmax", "dot", NULL,
	};
	PyObject *np = PyImport_ImportModule("numpy"), *linalg;

	if (!np)
		return -1;
	for (int i = 0; i < NP_COUNT; i++)
		if (names[i] && !(hpck_np[i] = PyObject_GetAttrString(np, names[i]))) {
			Py_DECREF(np);
			return -1;
		}
	Py_DECREF(np);
	linalg = PyImport_ImportModule("numpy.linalg");
	if (!linalg)
		return -1;
	hpck_np[NP_NORM] = PyObject_GetAttrString(linalg, "norm");
	Py_DECREF(linalg);
	return hpck_np[NP_NORM] ? 0 : -1;
}

PyMODINIT_FUNC PyInit_hpckernels(void)
{
	PyObject *m;

	import_array();
	import_umath();
	if (load_numpy() < 0)
		return NULL;
	m = PyModule_Create(&module);
	if (!m)
		return NULL;
	if (PyModule_AddStringConstant(m, "__version__", HPCK_VERSION) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
