/* Output columns: fixed order from the registry, restricted to enabled
 * features of classes computed in at least one case. */
#include "radx/extract.h"
#include "radx/features.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int class_done_anywhere(int c, const radx_case_result *results, int nresults)
{
    for (int i = 0; i < nresults; i++)
        if (results[i].class_done[c]) return 1;
    return 0;
}

int radx_columns_select(const radx_params *params, const radx_case_result *results,
                        int nresults, int *slots, char **names)
{
    int count = 0;
    for (int c = 0; c < radx_feature_class_count(); c++) {
        const radx_feature_class *cls = radx_feature_class_at(c);
        if (!params->class_enabled[c] || !class_done_anywhere(c, results, nresults)) continue;
        for (int f = 0; f < cls->nfeatures; f++) {
            if (!params->feature_enabled[c][f]) continue;
            size_t length = strlen(cls->name) + strlen(cls->features[f].name) + 16;
            names[count] = malloc(length);
            if (!names[count]) {
                for (int i = 0; i < count; i++) free(names[i]);
                return -1;
            }
            snprintf(names[count], length, "original_%s_%s", cls->name, cls->features[f].name);
            slots[count++] = radx_feature_slot(c, f);
        }
    }
    return count;
}
