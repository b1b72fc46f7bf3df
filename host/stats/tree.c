/* CART classification tree with Gini impurity (Breiman et al. 1984), grown
 * as scikit-learn 1.2's DepthFirstTreeBuilder / BestSplitter / Gini do
 * (tree/_tree.pyx, _splitter.pyx, _criterion.pyx), with mean-decrease-in-
 * impurity importances (Tree.compute_feature_importances). */
#include "radx/stats.h"
#include "core/error.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void radx_stats_tree_options_default(radx_tree_options *o)
{
    o->max_depth = 0;
    o->min_samples_split = 2;
    o->min_samples_leaf = 1;
}

void radx_stats_tree_free(radx_tree *t)
{
    if (!t) return;
    free(t->nodes);
    free(t->importance);
    free(t->importance_unnormalised);
    free(t);
}

/* sklearn's Gini.node_impurity: 1 - sum_k count_k^2 / n^2. */
static double gini(int64_t n0, int64_t n1)
{
    double n = (double)(n0 + n1);
    return 1.0 - ((double)n0 * (double)n0 + (double)n1 * (double)n1) / (n * n);
}

typedef struct tree_builder {
    const double *x;
    const int *y;
    int64_t n;
    int p;
    radx_tree_options options;
    radx_tree *tree;
    int capacity;
    int64_t *order;      /* sample indices; a node owns a contiguous range */
    int64_t *scratch;
} tree_builder;

typedef struct split {
    int feature;
    double threshold, proxy;
    int64_t n_left;
} split;

/* Sort key for the samples of a node along one feature (qsort has no
 * context argument; thread-local, so fits on several threads do not mix);
 * equal values keep sample order. */
static _Thread_local const double *sort_column;
static _Thread_local int sort_stride;

static int compare_samples(const void *a, const void *b)
{
    double u = sort_column[*(const int64_t *)a * sort_stride], v = sort_column[*(const int64_t *)b * sort_stride];
    if (u < v) return -1;
    if (u > v) return 1;
    return (*(const int64_t *)a > *(const int64_t *)b) - (*(const int64_t *)a < *(const int64_t *)b);
}

/* Best threshold of feature j over samples[0..count): scan upwards; a
 * candidate replaces the best only when strictly better (sklearn). */
static void best_split_of_feature(tree_builder *b, const int64_t *samples, int64_t count, int j, split *best)
{
    int64_t *s = b->scratch;
    memcpy(s, samples, (size_t)count * sizeof *s);
    sort_column = b->x + j;
    sort_stride = b->p;
    qsort(s, (size_t)count, sizeof *s, compare_samples);
    int64_t total1 = 0;
    for (int64_t i = 0; i < count; i++) total1 += b->y[s[i]];
    int64_t left1 = 0, leaf = b->options.min_samples_leaf;
    for (int64_t pos = 1; pos < count; pos++) {
        left1 += b->y[s[pos - 1]];
        double lo = b->x[s[pos - 1] * b->p + j], hi = b->x[s[pos] * b->p + j];
        if (!(hi > lo) || pos < leaf || count - pos < leaf) continue;
        int64_t left0 = pos - left1, right1 = total1 - left1, right0 = count - pos - right1;
        /* proxy_impurity_improvement = -n_R imp_R - n_L imp_L */
        double proxy = -(double)(count - pos) * gini(right0, right1) - (double)pos * gini(left0, left1);
        if (best->feature < 0 || proxy > best->proxy) {
            double threshold = (lo + hi) / 2;
            if (isinf(threshold)) threshold = lo / 2 + hi / 2;
            if (threshold == hi) threshold = lo; /* adjacent doubles: keep lo on the left */
            best->feature = j;
            best->threshold = threshold;
            best->proxy = proxy;
            best->n_left = pos;
        }
    }
}

static int add_node(tree_builder *b, int depth, int parent, int64_t n0, int64_t n1)
{
    radx_tree *t = b->tree;
    if (t->nnodes == b->capacity) {
        int capacity = b->capacity ? 2 * b->capacity : 64;
        radx_tree_node *nodes = realloc(t->nodes, (size_t)capacity * sizeof *nodes);
        if (!nodes) return -1;
        t->nodes = nodes;
        b->capacity = capacity;
    }
    radx_tree_node *node = &t->nodes[t->nnodes];
    memset(node, 0, sizeof *node);
    node->depth = depth;
    node->parent = parent;
    node->left = node->right = node->feature = -1;
    node->threshold = NAN;
    node->n = n0 + n1;
    node->n_neg = n0;
    node->n_pos = n1;
    node->impurity = gini(n0, n1);
    return t->nnodes++;
}

/* Grow the subtree of order[start..end): node, then left, then right
 * (sklearn pushes right before left on its stack, so ids are preorder). */
static int grow(tree_builder *b, int64_t start, int64_t end, int depth, int parent)
{
    int64_t n1 = 0, count = end - start;
    for (int64_t i = start; i < end; i++) n1 += b->y[b->order[i]];
    int id = add_node(b, depth, parent, count - n1, n1);
    if (id < 0) return -1;
    double impurity = b->tree->nodes[id].impurity;
    int leaf = (b->options.max_depth > 0 && depth >= b->options.max_depth) || count < b->options.min_samples_split ||
               count < 2 * b->options.min_samples_leaf || impurity <= DBL_EPSILON;
    if (leaf) return id;
    split best = {-1, 0, 0, 0};
    for (int j = 0; j < b->p; j++) best_split_of_feature(b, b->order + start, count, j, &best);
    if (best.feature < 0) return id; /* every feature constant here */
    /* partition: left keeps x <= threshold, in sample order */
    int64_t *s = b->scratch, nl = 0, nr = 0;
    for (int64_t i = start; i < end; i++)
        if (b->x[b->order[i] * b->p + best.feature] <= best.threshold) b->order[start + nl++] = b->order[i];
        else s[nr++] = b->order[i];
    memcpy(b->order + start + nl, s, (size_t)nr * sizeof *s);
    b->tree->nodes[id].feature = best.feature;
    b->tree->nodes[id].threshold = best.threshold;
    int left = grow(b, start, start + nl, depth + 1, id);
    if (left < 0) return -1;
    int right = grow(b, start + nl, end, depth + 1, id);
    if (right < 0) return -1;
    radx_tree_node *node = &b->tree->nodes[id], *l = &b->tree->nodes[left], *r = &b->tree->nodes[right];
    node->left = left;
    node->right = right;
    node->importance_term = (double)node->n * node->impurity - (double)l->n * l->impurity - (double)r->n * r->impurity;
    return id;
}

/* sklearn's compute_feature_importances: per feature the sum of the
 * importance terms of its splits (node order), / n, then / their total. */
static void importances(radx_tree *t, int64_t n)
{
    for (int i = 0; i < t->nnodes; i++)
        if (t->nodes[i].feature >= 0) t->importance_unnormalised[t->nodes[i].feature] += t->nodes[i].importance_term;
    double total = 0;
    for (int j = 0; j < t->nfeatures; j++) {
        t->importance_unnormalised[j] /= (double)n;
        total += t->importance_unnormalised[j];
    }
    for (int j = 0; j < t->nfeatures; j++) t->importance[j] = total > 0 ? t->importance_unnormalised[j] / total : 0;
}

radx_status radx_stats_tree_fit(const double *x, int64_t n, int p, const int *y, const radx_tree_options *options,
                                radx_tree **out)
{
    *out = NULL;
    radx_tree_options o;
    if (options) o = *options;
    else radx_stats_tree_options_default(&o);
    if (n < 1 || p < 1) return radx_fail(RADX_ERR_PARAM, "tree: no cases or no features");
    if (o.max_depth < 0 || o.min_samples_split < 2 || o.min_samples_leaf < 1)
        return radx_fail(RADX_ERR_PARAM, "tree: max_depth >= 0, min_samples_split >= 2, min_samples_leaf >= 1");
    for (int64_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1) return radx_fail(RADX_ERR_PARAM, "tree: label %lld is %d, not 0 or 1", (long long)i + 1, y[i]);
        for (int j = 0; j < p; j++)
            if (!isfinite(x[i * p + j])) return radx_fail(RADX_ERR_PARAM, "tree: case %lld, feature %d: not finite", (long long)i + 1, j + 1);
    }
    tree_builder b = {x, y, n, p, o, calloc(1, sizeof(radx_tree)), 0, malloc((size_t)n * sizeof(int64_t)),
                      malloc((size_t)n * sizeof(int64_t))};
    if (b.tree) {
        b.tree->nfeatures = p;
        b.tree->importance = calloc((size_t)p, sizeof(double));
        b.tree->importance_unnormalised = calloc((size_t)p, sizeof(double));
    }
    radx_status st = RADX_OK;
    if (!b.tree || !b.order || !b.scratch || !b.tree->importance || !b.tree->importance_unnormalised) {
        st = radx_fail(RADX_ERR_NOMEM, "tree: out of memory");
    } else {
        for (int64_t i = 0; i < n; i++) b.order[i] = i;
        if (grow(&b, 0, n, 0, -1) < 0) st = radx_fail(RADX_ERR_NOMEM, "tree: out of memory");
        else importances(b.tree, n);
    }
    free(b.order);
    free(b.scratch);
    if (st != RADX_OK) {
        radx_stats_tree_free(b.tree);
        return st;
    }
    *out = b.tree;
    return RADX_OK;
}

int radx_stats_tree_leaf(const radx_tree *t, const double *row)
{
    int node = 0;
    while (t->nodes[node].feature >= 0)
        node = row[t->nodes[node].feature] <= t->nodes[node].threshold ? t->nodes[node].left : t->nodes[node].right;
    return node;
}
