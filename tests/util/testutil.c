#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int radx_test_close(double a, double b, double rel_tol, double abs_tol)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b)) return a == b;
    double diff = fabs(a - b);
    double scale = fmax(fabs(a), fabs(b));
    return diff <= abs_tol || diff <= rel_tol * scale;
}

char *radx_test_read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (length) *length = (size_t)n;
    }
    return buf;
}

char *radx_test_temp_file(const char *suffix, const char *text)
{
    char *path = malloc(512);
    snprintf(path, 512, "/tmp/radx_test_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) {
        free(path);
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

#include "reference.h"

int radx_test_feature_slot(const char *class_and_feature)
{
    const char *underscore = strchr(class_and_feature, '_');
    if (!underscore) return -1;
    char class_name[64];
    size_t length = (size_t)(underscore - class_and_feature);
    if (length >= sizeof class_name) return -1;
    memcpy(class_name, class_and_feature, length);
    class_name[length] = '\0';
    for (int c = 0; c < radx_feature_class_count(); c++) {
        const radx_feature_class *cls = radx_feature_class_at(c);
        if (strcmp(cls->name, class_name) != 0) continue;
        int f = radx_feature_index(cls, underscore + 1);
        return f < 0 ? -1 : radx_feature_slot(c, f);
    }
    return -1;
}

char *radx_test_params_file(const char *yaml) { return radx_test_temp_file(".yaml", yaml); }

void radx_test_pin_host_reduction(void)
{
    setenv("RADX_CL_REDUCE", "host", 1);
}
