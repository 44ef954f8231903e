/* SPDX-License-Identifier: MIT */
/* table.c - one target's kernel table (compiled once per target, like the kernels) */
#include "kfuncs.h"

#define HPCK_STR_(x) #x
#define HPCK_STR(x) HPCK_STR_(x)
#define BOTH(name) { HPCK_FN(k_##name##_f64), HPCK_FN(k_##name##_f32) }

const struct hpck_isa HPCK_CAT(hpck_isa, HPCK_ISA_NAME) = {
	.name = HPCK_STR(HPCK_ISA_NAME),
	.binary = {
		[HPCK_ADD] = BOTH(add),
		[HPCK_SUB] = BOTH(subtract),
		[HPCK_MUL] = BOTH(multiply),
		[HPCK_DIV] = BOTH(divide),
	},
	.fma = BOTH(fma),
	.unary = {
		[HPCK_NEG] = BOTH(negative),
		[HPCK_ABS] = BOTH(absolute),
		[HPCK_SQRT] = BOTH(sqrt),
		[HPCK_EXP] = BOTH(exp),
		[HPCK_LOG] = BOTH(log),
	},
	.sum_f64 = HPCK_FN(k_sum_f64),
	.sum_f32 = HPCK_FN(k_sum_f32),
	.dot_f64 = HPCK_FN(k_dot_f64),
	.dot_f32 = HPCK_FN(k_dot_f32),
	.ssq_f64 = HPCK_FN(k_ssq_f64),
	.ssq_f32 = HPCK_FN(k_ssq_f32),
	.extreme_f64 = { HPCK_FN(k_min_f64), HPCK_FN(k_max_f64) },
	.extreme_f32 = { HPCK_FN(k_min_f32), HPCK_FN(k_max_f32) },
	.argextreme_f64 = { HPCK_FN(k_argmin_f64), HPCK_FN(k_argmax_f64) },
	.argextreme_f32 = { HPCK_FN(k_argmin_f32), HPCK_FN(k_argmax_f32) },
};
