/* SPDX-License-Identifier: Apache-2.0 */
/* json.c: Go-compatible key lookup and typed getters over cJSON. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "sriov/cleanup.h"
#include "sriov/json.h"

cJSON *json_get(const cJSON *obj, const char *key)
{
	cJSON *found = NULL;
	cJSON *it;

	if (!cJSON_IsObject(obj))
		return NULL;
	/* Go assigns every key that folds to the field name in turn, so the last one wins. */
	cJSON_ArrayForEach(it, obj) {
		if (it->string && strcasecmp(it->string, key) == 0)
			found = it;
	}
	return found;
}

int json_get_string(const cJSON *obj, const char *key, const char *what, const char **ret,
		    struct cni_err *err)
{
	cJSON *j = json_get(obj, key);

	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsString(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be a string", what);
	*ret = j->valuestring;
	return 1;
}

int json_get_int(const cJSON *obj, const char *key, const char *what, long long min, long long max,
		 long long *ret, struct cni_err *err)
{
	cJSON *j = json_get(obj, key);
	double d;

	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsNumber(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be a number", what);
	d = j->valuedouble;
	if (d != floor(d) || !isfinite(d))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be an integer", what);
	if (d < (double)min || d > (double)max) {
		err_set(err, ERANGE, CNI_ERR_INVALID_CONFIG, "%s: %.0f is out of range %lld-%lld",
			what, d, min, max);
		return err_ret(err);
	}
	*ret = (long long)d;
	return 1;
}

int json_get_bool(const cJSON *obj, const char *key, const char *what, bool *ret,
		  struct cni_err *err)
{
	cJSON *j = json_get(obj, key);

	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsBool(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be true or false", what);
	*ret = cJSON_IsTrue(j);
	return 1;
}

int json_print(FILE *f, const cJSON *j)
{
	_cleanup_free_ char *s = cJSON_PrintUnformatted(j);

	if (!s)
		return -ENOMEM;
	if (fputs(s, f) == EOF || fputc('\n', f) == EOF || fflush(f) == EOF)
		return -EIO;
	return 0;
}
