/* radx features: the feature registry as CSV or as the Markdown table of
 * docs/FEATURES.md. */
#include "cli/commands.h"
#include "radx/radx.h"

#include <stdio.h>
#include <string.h>

static void print_csv(void)
{
    printf("column,class,feature,ibsi_code,note\n");
    for (int c = 0; c < radx_feature_class_count(); c++) {
        const radx_feature_class *cls = radx_feature_class_at(c);
        for (int f = 0; f < cls->nfeatures; f++) {
            printf("original_%s_%s,%s,%s,%s,", cls->name, cls->features[f].name, cls->name,
                   cls->features[f].name, cls->features[f].ibsi_code);
            radx_csv_write_field(stdout, cls->features[f].note);
            putchar('\n');
        }
    }
}

static void print_markdown(void)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        const radx_feature_class *cls = radx_feature_class_at(c);
        printf("\n### %s (%d features)\n\n| # | PyRadiomics name | IBSI code | difference from IBSI |\n"
               "|---|---|---|---|\n", cls->name, cls->nfeatures);
        for (int f = 0; f < cls->nfeatures; f++)
            printf("| %d | `original_%s_%s` | %s | %s |\n", f + 1, cls->name, cls->features[f].name,
                   cls->features[f].ibsi_code[0] ? cls->features[f].ibsi_code : "—",
                   cls->features[f].note);
    }
}

int radx_cmd_features(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--markdown") != 0)) {
        fprintf(stderr, "usage: radx features [--markdown]\n");
        return strcmp(argv[argc - 1], "--help") == 0 ? 0 : 2;
    }
    if (argc == 2) print_markdown();
    else print_csv();
    return 0;
}
