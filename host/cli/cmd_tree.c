/* radx tree: CART (Gini) classification tree and its feature importances,
 * as scikit-learn's DecisionTreeClassifier grows it. */
#include "cli/commands.h"
#include "cli/options.h"
#include "radx/stats.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tree_cli_options {
    const char *in, *out, *label_col, *positive, *vars, *ignore, *nodes, *predictions;
    radx_tree_options tree;
} tree_cli_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx tree --in TABLE.csv --label-col Y --out importance.csv [--vars a,b,c] [options]\n\n"
            "CART classification tree (Gini impurity, depth first) and its feature importances\n"
            "(mean decrease in impurity), as scikit-learn's DecisionTreeClassifier(criterion=\"gini\").\n"
            "  --in F                 CSV table or radx HDF5 feature table (.h5)\n"
            "  --label-col Y          outcome column (two values); --positive V names the positive\n"
            "                         class (default 1)\n"
            "  --vars a,b,c           features (default: every feature column)\n"
            "  --ignore A,B           columns that are not features (with the default features)\n"
            "  --out F                feature, importance, importance_unnormalised\n"
            "  --max-depth D          maximum depth (default: none)\n"
            "  --min-samples-split N  smallest node that is split (default 2)\n"
            "  --min-samples-leaf N   smallest leaf (default 1)\n"
            "  --nodes F              node, depth, parent, is_leaf, left, right, feature, threshold,\n"
            "                         impurity, n, n_negative, n_positive, importance_term\n"
            "                         (preorder ids; left when value <= threshold)\n"
            "  --predictions F        the input's non-feature columns, then leaf, proba_positive,\n"
            "                         predicted (training rows, in input order)\n");
}

static int parse_count(const char *option, const char *text, int64_t minimum, int64_t *value)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || end == text || v < minimum) {
        fprintf(stderr, "radx tree: %s: '%s' is not an integer >= %lld\n", option, text, (long long)minimum);
        return 2;
    }
    *value = v;
    return 0;
}

static int parse_options(int argc, char **argv, tree_cli_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},        {"out", required_argument, 0, 'o'},
        {"label-col", required_argument, 0, 'y'}, {"positive", required_argument, 0, 'p'},
        {"vars", required_argument, 0, 'v'},      {"ignore", required_argument, 0, 'g'},
        {"nodes", required_argument, 0, 'n'},     {"predictions", required_argument, 0, 'P'},
        {"max-depth", required_argument, 0, 'd'}, {"min-samples-split", required_argument, 0, 's'},
        {"min-samples-leaf", required_argument, 0, 'l'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    radx_stats_tree_options_default(&o->tree);
    optind = 1;
    int c;
    int64_t v;
    while ((c = getopt_long(argc, argv, "i:o:y:p:v:g:n:P:d:s:l:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'y': o->label_col = optarg; break;
        case 'p': o->positive = optarg; break;
        case 'v': o->vars = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'n': o->nodes = optarg; break;
        case 'P': o->predictions = optarg; break;
        case 'd':
            if (parse_count("--max-depth", optarg, 1, &v)) return 2;
            o->tree.max_depth = v > 100000 ? 100000 : (int)v;
            break;
        case 's': if (parse_count("--min-samples-split", optarg, 2, &o->tree.min_samples_split)) return 2; break;
        case 'l': if (parse_count("--min-samples-leaf", optarg, 1, &o->tree.min_samples_leaf)) return 2; break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->out || !o->label_col) {
        fprintf(stderr, "radx tree: --in, --out and --label-col are required\n");
        usage(stderr);
        return 2;
    }
    return 0;
}

static void write_importance(FILE *f, const radx_csv *csv, const int *features, const radx_tree *t)
{
    fputs("feature,importance,importance_unnormalised\n", f);
    for (int j = 0; j < t->nfeatures; j++) {
        radx_csv_write_field(f, csv->header[features[j]]);
        fputc(',', f);
        radx_csv_write_number(f, t->importance[j]);
        fputc(',', f);
        radx_csv_write_number(f, t->importance_unnormalised[j]);
        fputc('\n', f);
    }
}

static void write_nodes(FILE *f, const radx_csv *csv, const int *features, const radx_tree *t)
{
    fputs("node,depth,parent,is_leaf,left,right,feature,threshold,impurity,n,n_negative,n_positive,importance_term\n", f);
    for (int i = 0; i < t->nnodes; i++) {
        const radx_tree_node *d = &t->nodes[i];
        fprintf(f, "%d,%d,%d,%d,%d,%d,", i, d->depth, d->parent, d->feature < 0, d->left, d->right);
        if (d->feature >= 0) radx_csv_write_field(f, csv->header[features[d->feature]]);
        fputc(',', f);
        if (d->feature >= 0) radx_csv_write_number(f, d->threshold);
        fputc(',', f);
        radx_csv_write_number(f, d->impurity);
        fprintf(f, ",%lld,%lld,%lld,", (long long)d->n, (long long)d->n_neg, (long long)d->n_pos);
        radx_csv_write_number(f, d->importance_term);
        fputc('\n', f);
    }
}

/* The input's non-feature columns, then leaf, proba_positive, predicted. */
static void write_predictions(FILE *f, const radx_csv *csv, const int *features, int nfeatures, const double *x,
                              const radx_tree *t)
{
    unsigned char *is_feature = calloc((size_t)csv->ncols, 1);
    if (!is_feature) return;
    for (int j = 0; j < nfeatures; j++) is_feature[features[j]] = 1;
    for (int c = 0; c < csv->ncols; c++)
        if (!is_feature[c]) radx_csv_write_field(f, csv->header[c]), fputc(',', f);
    fputs("leaf,proba_positive,predicted\n", f);
    for (int r = 0; r < csv->nrows; r++) {
        for (int c = 0; c < csv->ncols; c++)
            if (!is_feature[c]) radx_csv_write_field(f, csv->cells[r][c]), fputc(',', f);
        int leaf = radx_stats_tree_leaf(t, x + (int64_t)r * nfeatures);
        const radx_tree_node *d = &t->nodes[leaf];
        fprintf(f, "%d,", leaf);
        radx_csv_write_number(f, (double)d->n_pos / (double)d->n);
        fprintf(f, ",%d\n", d->n_pos > d->n_neg); /* sklearn: argmax, a tie goes to class 0 */
    }
    free(is_feature);
}

static int write_file(const char *path, void (*writer)(FILE *, void *), void *context)
{
    int rc = 0;
    FILE *f = cli_open_output("tree", path, &rc);
    if (!f) return 1;
    writer(f, context);
    return cli_close_output("tree", f, path);
}

typedef struct tree_outputs {
    const radx_csv *csv;
    const int *features;
    int nfeatures;
    const double *x;
    const radx_tree *tree;
} tree_outputs;

static void importance_writer(FILE *f, void *c)
{
    tree_outputs *o = c;
    write_importance(f, o->csv, o->features, o->tree);
}

static void nodes_writer(FILE *f, void *c)
{
    tree_outputs *o = c;
    write_nodes(f, o->csv, o->features, o->tree);
}

static void predictions_writer(FILE *f, void *c)
{
    tree_outputs *o = c;
    write_predictions(f, o->csv, o->features, o->nfeatures, o->x, o->tree);
}

/* Labels, features and the matrix; prints the error and returns 1 on failure. */
static int load(const tree_cli_options *o, radx_csv **csv, int **y, int **features, int *nfeatures, double **x)
{
    if (radx_csv_read(o->in, csv) != RADX_OK) goto fail;
    int label = radx_csv_column(*csv, o->label_col);
    if (label < 0) {
        fprintf(stderr, "radx tree: %s: no column '%s'\n", o->in, o->label_col);
        return 1;
    }
    *y = malloc((size_t)((*csv)->nrows ? (*csv)->nrows : 1) * sizeof **y);
    if (!*y) return 1;
    if (radx_stats_table_labels(*csv, label, o->positive, *y, NULL) != RADX_OK) goto fail;
    const char *exclude[] = {o->label_col};
    radx_status st = o->vars ? radx_stats_table_named(*csv, o->vars, features, nfeatures)
                             : radx_stats_table_features(*csv, exclude, 1, o->ignore, features, nfeatures);
    if (st != RADX_OK) goto fail;
    for (int j = 0; j < *nfeatures; j++)
        if ((*features)[j] == label) {
            fprintf(stderr, "radx tree: the outcome '%s' cannot be a feature\n", o->label_col);
            return 1;
        }
    *x = malloc((size_t)((*csv)->nrows ? (*csv)->nrows : 1) * (size_t)*nfeatures * sizeof **x);
    if (!*x) return 1;
    if (radx_stats_table_matrix(*csv, *features, *nfeatures, *x) != RADX_OK) goto fail;
    return 0;
fail:
    fprintf(stderr, "radx tree: %s\n", radx_last_error());
    return 1;
}

int radx_cmd_tree(int argc, char **argv)
{
    tree_cli_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    radx_csv *csv = NULL;
    int *y = NULL, *features = NULL, nfeatures = 0;
    double *x = NULL;
    radx_tree *tree = NULL;
    rc = load(&o, &csv, &y, &features, &nfeatures, &x);
    if (!rc && radx_stats_tree_fit(x, csv->nrows, nfeatures, y, &o.tree, &tree) != RADX_OK) {
        fprintf(stderr, "radx tree: %s\n", radx_last_error());
        rc = 1;
    }
    if (!rc) {
        tree_outputs out = {csv, features, nfeatures, x, tree};
        rc = write_file(o.out, importance_writer, &out);
        if (!rc && o.nodes) rc = write_file(o.nodes, nodes_writer, &out);
        if (!rc && o.predictions) rc = write_file(o.predictions, predictions_writer, &out);
    }
    radx_stats_tree_free(tree);
    free(x);
    free(features);
    free(y);
    radx_csv_free(csv);
    return rc;
}
