/*
 * The lineage graph: nodes (systems, models, datasets, runs, jobs) and W3C
 * PROV edges pointing from the effect to its cause (run used dataset,
 * model wasGeneratedBy run, model wasDerivedFrom dataset, run
 * wasAssociatedWith job, system used model). Upstream follows edges
 * forward, downstream backward, breadth-first in a fixed order so equal
 * graphs print equally. Drawn as Graphviz DOT or as SVG with a layered
 * layout of our own.
 */
#include <string.h>

#include "inventory_internal.h"

void aims_lineage_graph_free(aims_lineage_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nnodes; i++) {
		aims__free(g->nodes[i].ref);
		aims__free(g->nodes[i].type);
		aims__free(g->nodes[i].ns);
		aims__free(g->nodes[i].name);
		aims__free(g->nodes[i].version);
	}
	for (size_t i = 0; i < g->nedges; i++) {
		aims__free(g->edges[i].relation);
		aims__free(g->edges[i].from);
		aims__free(g->edges[i].to);
	}
	aims__free(g->nodes);
	aims__free(g->edges);
	aims__free(g);
}

typedef struct {
	aims_lineage_graph *g;
	char **keys;           /* node keys, parallel to g->nodes */
	size_t cap_nodes, cap_keys, cap_edges;
} builder;

static long find_key(const builder *b, const char *key)
{
	for (size_t i = 0; b->keys && i < b->g->nnodes; i++)
		if (strcmp(b->keys[i], key) == 0)
			return (long)i;
	return -1;
}

/* add the node with `key` (if new); *idx its index; *added whether it was new */
static int add_node(builder *b, aims_store *store, const char *key, size_t *idx, int *added)
{
	aims__stmt *st = NULL;
	long at = find_key(b, key);
	int err;
	*added = 0;
	if (at >= 0) {
		*idx = (size_t)at;
		return 0;
	}
	if ((err = aims__grow(&b->g->nodes, &b->cap_nodes, b->g->nnodes + 1, sizeof(*b->g->nodes))) < 0 ||
	    (err = aims__grow(&b->keys, &b->cap_keys, b->g->nnodes + 1, sizeof(*b->keys))) < 0)
		return err;
	aims_lineage_node *n = &b->g->nodes[b->g->nnodes];
	memset(n, 0, sizeof(*n));
	if (!(b->keys[b->g->nnodes] = aims__strdup(key)))
		return aims__oom();
	b->g->nnodes++;
	if ((err = aims__stmt_prepare(&st, store, "SELECT type, namespace, name, version FROM lineage_nodes "
				      "WHERE key = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ERROR, "lineage: node %s has no row", key);
		goto done;
	}
	if ((err = aims__stmt_text_dup(&n->type, st, 0)) < 0 || (err = aims__stmt_text_dup(&n->ns, st, 1)) < 0 ||
	    (err = aims__stmt_text_dup(&n->name, st, 2)) < 0 || (err = aims__stmt_text_dup(&n->version, st, 3)) < 0 ||
	    (err = aims__inv_node_ref(&n->ref, n->type, n->ns, n->name, n->version)) < 0)
		goto done;
	*idx = b->g->nnodes - 1;
	*added = 1;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

static int add_edge(builder *b, const char *relation, size_t from, size_t to)
{
	aims_lineage_graph *g = b->g;
	int err;
	for (size_t i = 0; i < g->nedges; i++)
		if (strcmp(g->edges[i].relation, relation) == 0 && strcmp(g->edges[i].from, g->nodes[from].ref) == 0 &&
		    strcmp(g->edges[i].to, g->nodes[to].ref) == 0)
			return 0;
	if ((err = aims__grow(&g->edges, &b->cap_edges, g->nedges + 1, sizeof(*g->edges))) < 0)
		return err;
	aims_lineage_edge *e = &g->edges[g->nedges];
	memset(e, 0, sizeof(*e));
	g->nedges++;
	if (!(e->relation = aims__strdup(relation)) || !(e->from = aims__strdup(g->nodes[from].ref)) ||
	    !(e->to = aims__strdup(g->nodes[to].ref)))
		return aims__oom();
	return 0;
}

static int traverse(builder *b, aims_store *store, size_t start, int up)
{
	aims__stmt *st = NULL;
	size_t *queue = NULL, qcap = 0, qn = 0, qi = 0, seen_cap = 0;
	unsigned char *seen = NULL;
	int err;
	if ((err = aims__grow(&queue, &qcap, 1, sizeof(*queue))) < 0)
		return err;
	queue[qn++] = start;
	if ((err = aims__stmt_prepare(&st, store, up ? "SELECT relation, dst FROM lineage_edges WHERE src = ? "
				      "ORDER BY relation, dst" : "SELECT relation, src FROM lineage_edges WHERE dst = ? "
				      "ORDER BY relation, src")) < 0)
		goto done;
	/* visited in this direction (a node reached upstream is walked again downstream) */
	while (qi < qn) {
		size_t cur = queue[qi++];
		char *key = NULL;
		if ((err = aims__inv_dup(&key, b->keys[cur])) < 0)
			break;
		if ((err = aims__stmt_reset(st)) < 0 || (err = aims__stmt_bind_text(st, 1, key)) < 0) {
			aims__free(key);
			break;
		}
		aims__free(key);
		/* collect the rows first: add_node runs its own statement */
		char **rels = NULL, **others = NULL;
		size_t nr = 0, rcap = 0, ocap = 0;
		while ((err = aims__stmt_step(st)) == 1) {
			if ((err = aims__grow(&rels, &rcap, nr + 1, sizeof(*rels))) < 0 ||
			    (err = aims__grow(&others, &ocap, nr + 1, sizeof(*others))) < 0)
				break;
			rels[nr] = others[nr] = NULL;
			nr++;
			if ((err = aims__stmt_text_dup(&rels[nr - 1], st, 0)) < 0 || (err = aims__stmt_text_dup(&others[nr - 1], st, 1)) < 0)
				break;
		}
		for (size_t i = 0; err >= 0 && i < nr; i++) {
			size_t idx;
			int added;
			if ((err = add_node(b, store, others[i], &idx, &added)) < 0 ||
			    (err = up ? add_edge(b, rels[i], cur, idx) : add_edge(b, rels[i], idx, cur)) < 0)
				break;
			if (idx >= seen_cap) {
				size_t old = seen_cap;
				if ((err = aims__grow(&seen, &seen_cap, idx + 1, 1)) < 0)
					break;
				memset(seen + old, 0, seen_cap - old);
			}
			if (!seen[idx] && idx != start) {
				seen[idx] = 1;
				if ((err = aims__grow(&queue, &qcap, qn + 1, sizeof(*queue))) < 0)
					break;
				queue[qn++] = idx;
			}
		}
		for (size_t i = 0; i < nr; i++) {
			aims__free(rels[i]);
			aims__free(others[i]);
		}
		aims__free(rels);
		aims__free(others);
		if (err < 0)
			break;
	}
	if (err > 0)
		err = 0;
done:
	aims__free(seen);
	aims__free(queue);
	aims__stmt_free(st);
	return err;
}

int aims_lineage_query(aims_lineage_graph **out, aims_store *store, const char *ref, int direction)
{
	builder b;
	char *key = NULL;
	size_t start;
	int err, added;
	*out = NULL;
	memset(&b, 0, sizeof(b));
	if (direction < AIMS_LINEAGE_UPSTREAM || direction > AIMS_LINEAGE_BOTH)
		return aims__err(AIMS_EUSAGE, "aims_lineage_query: bad direction");
	if ((err = aims__inv_resolve(&key, store, ref)) < 0)
		return err;
	if (!(b.g = aims__calloc(1, sizeof(*b.g)))) {
		err = aims__oom();
		goto done;
	}
	/* a system, run or dataset without any edge still has its node */
	if ((err = add_node(&b, store, key, &start, &added)) < 0)
		goto done;
	if ((direction & AIMS_LINEAGE_UPSTREAM) && (err = traverse(&b, store, start, 1)) < 0)
		goto done;
	if ((direction & AIMS_LINEAGE_DOWNSTREAM) && (err = traverse(&b, store, start, 0)) < 0)
		goto done;
	*out = b.g;
	b.g = NULL;
	err = 0;
done:
	if (b.g) {
		for (size_t i = 0; i < b.g->nnodes; i++)
			aims__free(b.keys[i]);
	} else if (*out) {
		for (size_t i = 0; i < (*out)->nnodes; i++)
			aims__free(b.keys[i]);
	}
	aims__free(b.keys);
	aims_lineage_graph_free(b.g);
	aims__free(key);
	return err;
}

/* ---- drawing ---- */

static int dot_str(aims_buf *out, const char *s)
{
	int err = aims_buf_putc(out, '"');
	for (; err == 0 && *s; s++) {
		if (*s == '"' || *s == '\\')
			err = aims_buf_putc(out, '\\');
		if (err == 0)
			err = *s == '\n' ? aims_buf_puts(out, "\\n") : aims_buf_putc(out, *s);
	}
	return err ? err : aims_buf_putc(out, '"');
}

static const char *shape_of(const char *type)
{
	if (strcmp(type, "run") == 0)
		return "box";        /* activities */
	if (strcmp(type, "job") == 0 || strcmp(type, "system") == 0)
		return "house";      /* agents */
	return "ellipse";            /* entities */
}

static const char *colour_of(const char *type)
{
	if (strcmp(type, "dataset") == 0)
		return "#fff3c4";
	if (strcmp(type, "model") == 0)
		return "#d6e8ff";
	if (strcmp(type, "run") == 0)
		return "#e3f4e1";
	if (strcmp(type, "system") == 0)
		return "#f6d9e6";
	return "#eeeeee";
}

int aims_lineage_dot(aims_buf *out, const aims_lineage_graph *g)
{
	int err;
	if ((err = aims_buf_puts(out, "digraph lineage {\n  rankdir=RL;\n  node [style=filled, fontname=\"Helvetica\", "
				 "fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")) < 0)
		return err;
	for (size_t i = 0; i < g->nnodes; i++) {
		const aims_lineage_node *n = &g->nodes[i];
		if ((err = aims_buf_puts(out, "  ")) < 0 || (err = dot_str(out, n->ref)) < 0 ||
		    (err = aims_buf_printf(out, " [shape=%s, fillcolor=\"%s\", label=", shape_of(n->type),
					   colour_of(n->type))) < 0 ||
		    (err = dot_str(out, n->ref)) < 0 || (err = aims_buf_puts(out, "];\n")) < 0)
			return err;
	}
	for (size_t i = 0; i < g->nedges; i++) {
		const aims_lineage_edge *e = &g->edges[i];
		if ((err = aims_buf_puts(out, "  ")) < 0 || (err = dot_str(out, e->from)) < 0 ||
		    (err = aims_buf_puts(out, " -> ")) < 0 || (err = dot_str(out, e->to)) < 0 ||
		    (err = aims_buf_puts(out, " [label=")) < 0 || (err = dot_str(out, e->relation)) < 0 ||
		    (err = aims_buf_puts(out, "];\n")) < 0)
			return err;
	}
	return aims_buf_puts(out, "}\n");
}

static long node_index(const aims_lineage_graph *g, const char *ref)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (strcmp(g->nodes[i].ref, ref) == 0)
			return (long)i;
	return -1;
}

static int esc(aims_buf *out, const char *s)
{
	int err = 0;
	for (; err == 0 && *s; s++) {
		switch (*s) {
		case '&': err = aims_buf_puts(out, "&amp;"); break;
		case '<': err = aims_buf_puts(out, "&lt;"); break;
		case '>': err = aims_buf_puts(out, "&gt;"); break;
		case '"': err = aims_buf_puts(out, "&quot;"); break;
		default: err = aims_buf_putc(out, *s); break;
		}
	}
	return err;
}

/* the label shown in a box: at most `max` bytes of text, cut at a UTF-8 boundary with an ellipsis */
static int label(aims_buf *out, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return esc(out, s);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	char *cut = aims__strndup(s, max);
	int err;
	if (!cut)
		return aims__oom();
	err = esc(out, cut);
	aims__free(cut);
	return err ? err : aims_buf_puts(out, "\xe2\x80\xa6");
}

#define BOX_W 210
#define BOX_H 44
#define GAP_X 90
#define GAP_Y 22
#define MARGIN 20

int aims_lineage_svg(aims_buf *out, const aims_lineage_graph *g)
{
	size_t n = g->nnodes;
	int *layer = NULL, *row = NULL, *count = NULL, err = 0, maxl = 0, maxr = 0;
	long *from = NULL, *to = NULL;

	if (n == 0)
		return aims_buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>\n");
	layer = aims__calloc(n, sizeof(*layer));
	row = aims__calloc(n, sizeof(*row));
	count = aims__calloc(n + 1, sizeof(*count));
	from = aims__calloc(g->nedges + 1, sizeof(*from));
	to = aims__calloc(g->nedges + 1, sizeof(*to));
	if (!layer || !row || !count || !from || !to) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < g->nedges; i++) {
		from[i] = node_index(g, g->edges[i].from);
		to[i] = node_index(g, g->edges[i].to);
	}
	/* longest-path layering: a node sits one layer right of everything it came from
	 * (edges point effect -> cause, so the cause is on the left); n rounds bound cycles */
	for (size_t round = 0; round < n; round++) {
		int changed = 0;
		for (size_t i = 0; i < g->nedges; i++) {
			if (from[i] < 0 || to[i] < 0 || from[i] == to[i])
				continue;
			if (layer[from[i]] < layer[to[i]] + 1 && layer[to[i]] + 1 < (int)n) {
				layer[from[i]] = layer[to[i]] + 1;
				changed = 1;
			}
		}
		if (!changed)
			break;
	}
	/* an agent (job, no cause of its own) sits one layer left of its first run, not far left */
	for (size_t i = 0; i < n; i++) {
		int best = -1;
		if (strcmp(g->nodes[i].type, "job") != 0)
			continue;
		for (size_t k = 0; k < g->nedges; k++)
			if (to[k] == (long)i && from[k] >= 0 && (best < 0 || layer[from[k]] - 1 < best))
				best = layer[from[k]] - 1;
		if (best > layer[i])
			layer[i] = best;
	}
	for (size_t i = 0; i < n; i++) {
		row[i] = count[layer[i]]++;
		if (layer[i] > maxl)
			maxl = layer[i];
		if (row[i] > maxr)
			maxr = row[i];
	}
	int width = MARGIN * 2 + (maxl + 1) * BOX_W + maxl * GAP_X;
	int height = MARGIN * 2 + (maxr + 1) * BOX_H + maxr * GAP_Y;
	if ((err = aims_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				   "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" "
				   "role=\"img\" aria-label=\"lineage graph\">\n"
				   "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
				   "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
				   "fill=\"#555\"/></marker></defs>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
				   width, height, width, height)) < 0)
		goto done;
	for (size_t i = 0; i < g->nedges; i++) {
		if (from[i] < 0 || to[i] < 0)
			continue;
		int fx = MARGIN + layer[from[i]] * (BOX_W + GAP_X), fy = MARGIN + row[from[i]] * (BOX_H + GAP_Y) + BOX_H / 2;
		int tx = MARGIN + layer[to[i]] * (BOX_W + GAP_X) + BOX_W, ty = MARGIN + row[to[i]] * (BOX_H + GAP_Y) + BOX_H / 2;
		if (layer[from[i]] <= layer[to[i]]) {
			/* same layer or backwards (a cycle): leave from the right side */
			fx += BOX_W;
			tx -= BOX_W;
		}
		if ((err = aims_buf_printf(out, "<g class=\"edge\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
					   "stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>"
					   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\" font-size=\"9\">",
					   fx, fy, tx, ty, (fx + tx) / 2, (fy + ty) / 2 - 4)) < 0 ||
		    (err = esc(out, g->edges[i].relation)) < 0 || (err = aims_buf_puts(out, "</text></g>\n")) < 0)
			goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const aims_lineage_node *nd = &g->nodes[i];
		int x = MARGIN + layer[i] * (BOX_W + GAP_X), y = MARGIN + row[i] * (BOX_H + GAP_Y);
		int rx = strcmp(nd->type, "run") == 0 ? 2 : 14;
		if ((err = aims_buf_printf(out, "<g class=\"node %s\"><title>", nd->type)) < 0 || (err = esc(out, nd->ref)) < 0 ||
		    (err = aims_buf_printf(out, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"%d\" "
					   "fill=\"%s\" stroke=\"#444\"%s/>"
					   "<text x=\"%d\" y=\"%d\" font-size=\"9\" fill=\"#555\">", x, y, BOX_W, BOX_H, rx,
					   colour_of(nd->type), i == 0 ? " stroke-width=\"2.5\"" : "", x + 8, y + 14)) < 0 ||
		    (err = esc(out, nd->type)) < 0 ||
		    (nd->ns && *nd->ns && ((err = aims_buf_puts(out, " \xc2\xb7 ")) < 0 || (err = label(out, nd->ns, 26)) < 0)) ||
		    (err = aims_buf_printf(out, "</text><text x=\"%d\" y=\"%d\" font-weight=\"bold\">", x + 8, y + 32)) < 0 ||
		    (err = label(out, nd->name, nd->version && *nd->version ? 18 : 28)) < 0 ||
		    (nd->version && *nd->version && ((err = aims_buf_puts(out, "@")) < 0 || (err = label(out, nd->version, 10)) < 0)) ||
		    (err = aims_buf_puts(out, "</text></g>\n")) < 0)
			goto done;
	}
	err = aims_buf_puts(out, "</svg>\n");
done:
	aims__free(layer);
	aims__free(row);
	aims__free(count);
	aims__free(from);
	aims__free(to);
	return err;
}
