/*
 * "network": {"inject": [...]}: crafted segments, packetdrill-style. Each
 * is put on the wire at at_ms as if the peer of "to" had sent it on
 * connection "conn", with its sequence number counted from the sender's
 * ISN and its acknowledgment from the receiver's.
 */
#include <cjson/cJSON.h>

#include "base/xalloc.h"
#include "scenario_private.h"

static void
v_inject(struct ctx *c, const struct jpath *p, struct net_inject *in)
{
    static const char *const keys[] = {"at_ms", "to",  "conn",  "flags",
                                       "seq",   "ack", "bytes", NULL};
    static const char *const sides[] = {"client", "server"};
    struct jpath q;
    long long v;
    int to = SIDE_SERVER;

    in->conn = 1;
    if (!check_object(c, p, keys))
        return;
    if (require(c, p, "at_ms"))
        get_ms(c, p, "at_ms", false, &in->at_us, NULL);
    if (require(c, p, "to"))
        get_enum(c, p, "to", "side", sides, 2, NULL, &to);
    in->to = to;
    get_u32(c, p, "conn", 1, UINT32_MAX, &in->conn);
    if (require(c, p, "flags") && child(p, "flags", &q))
        flags_at(c, &q, &in->flags);
    v = 0;
    if (get_int(c, p, "seq", -(double)UINT32_MAX, UINT32_MAX, &v, NULL))
        in->seq = v;
    v = 0;
    if (get_int(c, p, "ack", -(double)UINT32_MAX, UINT32_MAX, &v, NULL))
        in->ack = v;
    get_u32(c, p, "bytes", 0, 65495, &in->bytes);
}

void
walk_injects(struct ctx *c, const struct jpath *network, struct net_params *n)
{
    struct jpath q;
    size_t i = 0;
    char g[96];

    if (!child(network, "inject", &q))
        return;
    if (!cJSON_IsArray(q.node)) {
        verr(c, &q, NULL, AT_VALUE, "expected an array, got %s",
             got(q.node, g, sizeof g));
        return;
    }
    n->ninjects = (size_t)cJSON_GetArraySize(q.node);
    n->injects = xcalloc(n->ninjects, sizeof *n->injects);
    for (const cJSON *e = q.node->child; e; e = e->next, i++) {
        struct jpath ep = {&q, e, NULL, i};
        v_inject(c, &ep, &n->injects[i]);
    }
}
