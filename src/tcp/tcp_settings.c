/*
 * The TCP settings a script may change during a run: their keys (the
 * --set names), Linux sysctls and ranges (those of the "tcp" object,
 * src/scenario/scenario_walk.c v_tcp), and how each lands in struct
 * tcp_params. Only settings that Linux reads when it uses them are here:
 * the TIME-WAIT length, the RTO bounds or the window are fixed once a
 * connection exists, or are not sysctls at all.
 */
#include <string.h>

#include "synfin/tcp.h"

static const struct tcp_setting_info settings[SET__COUNT] = {
    [SET_FIN_TIMEOUT] = {"tcp.fin_timeout_ms", "tcp_fin_timeout", SETTING_MS, 0,
                         1e12, false, true},
    [SET_RFC1337] = {"tcp.rfc1337", "tcp_rfc1337", SETTING_BOOL, 0, 1, false,
                     false},
    [SET_SYN_RETRIES] = {"tcp.syn_retries", "tcp_syn_retries", SETTING_COUNT, 0,
                         255, false, false},
    [SET_SYNACK_RETRIES] = {"tcp.synack_retries", "tcp_synack_retries",
                            SETTING_COUNT, 0, 255, false, false},
    [SET_RETRIES2] = {"tcp.retries2", "tcp_retries2", SETTING_COUNT, 0, 255,
                      false, false},
    [SET_ORPHAN_RETRIES] = {"tcp.orphan_retries", "tcp_orphan_retries",
                            SETTING_COUNT, 0, 255, false, false},
    [SET_KEEPALIVE_TIME] = {"tcp.keepalive_time_ms", "tcp_keepalive_time",
                            SETTING_MS, 0, 1e12, true, true},
    [SET_KEEPALIVE_INTVL] = {"tcp.keepalive_intvl_ms", "tcp_keepalive_intvl",
                             SETTING_MS, 0, 1e12, true, true},
    [SET_KEEPALIVE_PROBES] = {"tcp.keepalive_probes", "tcp_keepalive_probes",
                              SETTING_COUNT, 1, 255, false, false},
    /* Read at each connect() (tcp_twsk_unique). */
    [SET_TW_REUSE] = {"tcp.tw_reuse", "tcp_tw_reuse", SETTING_COUNT, 0, 2,
                      false, false},
};

const struct tcp_setting_info *
tcp_setting_info(enum tcp_setting s)
{
    return (unsigned)s < SET__COUNT ? &settings[s] : NULL;
}

int
tcp_setting_parse(const char *key)
{
    for (int i = 0; i < SET__COUNT; i++)
        if (strcmp(settings[i].key, key) == 0)
            return i;
    return -1;
}

void
tcp_setting_apply(struct tcp_params *p, enum tcp_setting s, uint64_t value)
{
    switch (s) {
    case SET_FIN_TIMEOUT: p->fin_timeout_us = value; break;
    case SET_RFC1337: p->rfc1337 = value != 0; break;
    case SET_SYN_RETRIES: p->syn_retries = (uint32_t)value; break;
    case SET_SYNACK_RETRIES: p->synack_retries = (uint32_t)value; break;
    case SET_RETRIES2: p->retries2 = (uint32_t)value; break;
    case SET_ORPHAN_RETRIES: p->orphan_retries = (uint32_t)value; break;
    case SET_KEEPALIVE_TIME: p->keepalive_time_us = value; break;
    case SET_KEEPALIVE_INTVL: p->keepalive_intvl_us = value; break;
    case SET_KEEPALIVE_PROBES: p->keepalive_probes = (uint32_t)value; break;
    case SET_TW_REUSE: p->tw_reuse = (uint32_t)value; break;
    case SET__COUNT: break;
    }
}
