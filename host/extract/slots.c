/* Feature slots: one index per (class, feature) of the registry, so that a
 * case result is a flat vector whatever the enabled set is. */
#include "radx/extract.h"
#include "radx/features.h"

int radx_feature_slot(int class_index, int feature_index)
{
    int slot = 0;
    for (int c = 0; c < class_index; c++) slot += radx_feature_class_at(c)->nfeatures;
    return slot + feature_index;
}

int radx_feature_slot_count(void)
{
    return radx_feature_slot(radx_feature_class_count(), 0);
}
