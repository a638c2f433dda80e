/*
 * The Chinese of the engine's English strings that the front end shows: the
 * rule behind a state change or a discard (a trace event's why), the cause
 * of a drop, and the event and action of each arc of the state diagram.
 * Keyed by the exact English text, so the engine stays monolingual.
 * tests/ui/test_rules.c reads src/tcp/, src/net/net.c and src/world/world.c
 * and fails when one of their strings is missing here (or when an entry
 * here is no longer in them): a new why string needs its line below.
 */
#include <stdio.h>
#include <string.h>

#include "ui/narrate.h"

static const struct narrate_rule_entry rules[] = {
    /* src/tcp/tcp_input.c: Segment arrival (§3.10.7). */
    {"§3.10.7.2 LISTEN: RST ignored", "§3.10.7.2 LISTEN：忽略 RST"},
    {"§3.10.7.2 LISTEN: an ACK here acknowledges nothing; answer with RST",
     "§3.10.7.2 LISTEN：这里的 ACK 确认不了任何东西；回复 RST"},
    {"§3.10.7.2 LISTEN: no SYN, dropped", "§3.10.7.2 LISTEN：不是 SYN，丢弃"},
    {"§3.10.7.2 LISTEN: SYN received, send SYN,ACK",
     "§3.10.7.2 LISTEN：收到 SYN，发送 SYN,ACK"},
    {"WHAT-IF two-way handshake: the server counts the connection as open as "
     "soon as it answers the SYN",
     "假如只握手两次：服务器一回应 SYN 就认为连接已经打开"},
    {"§3.10.7.3 SYN-SENT: ACK does not acknowledge our SYN; answer with RST",
     "§3.10.7.3 SYN-SENT：这个 ACK 没有确认本方的 SYN；回复 RST"},
    {"§3.10.7.3 SYN-SENT: RST without an acceptable ACK, dropped",
     "§3.10.7.3 SYN-SENT：RST 没有带可接受的 ACK，丢弃"},
    {"§3.10.7.3 SYN-SENT: RST acknowledges our SYN: connection refused",
     "§3.10.7.3 SYN-SENT：RST 确认了本方的 SYN：连接被拒绝"},
    {"§3.10.7.3 SYN-SENT: neither SYN nor RST, dropped",
     "§3.10.7.3 SYN-SENT：既不是 SYN 也不是 RST，丢弃"},
    {"WHAT-IF two-way handshake: SYN,ACK received, open without sending the "
     "third segment",
     "假如只握手两次：收到 SYN,ACK 就打开连接，不发第三个报文段"},
    {"§3.10.7.3 SYN-SENT: SYN,ACK acknowledges our SYN, send ACK",
     "§3.10.7.3 SYN-SENT：SYN,ACK 确认了本方的 SYN，发送 ACK"},
    {"§3.10.7.3 SYN-SENT: SYN without ACK (simultaneous open), send SYN,ACK",
     "§3.10.7.3 SYN-SENT：收到不带 ACK 的 SYN（同时打开），发送 SYN,ACK"},
    {"TIME-WAIT: in-window ACK: nothing to answer, the TIME-WAIT timer "
     "restarts",
     "TIME-WAIT：窗口内的 ACK：无需回应，TIME-WAIT 定时器重新开始"},
    {"RFC 1337: RST ignored in TIME-WAIT (no assassination)",
     "RFC 1337：TIME-WAIT 中忽略 RST（不让 TIME-WAIT 被“暗杀”）"},
    {"RST in TIME-WAIT ends it at once (Linux tcp_rfc1337=0: TIME-WAIT "
     "assassination)",
     "TIME-WAIT 中收到 RST 立即结束（Linux tcp_rfc1337=0：TIME-WAIT "
     "被“暗杀”）"},
    {"RFC 6191: new SYN above the old sequence space ends TIME-WAIT",
     "RFC 6191：序号高于旧连接序号空间的新 SYN 结束 TIME-WAIT"},
    {"RFC 6191: new SYN above the old sequence space ends TIME-WAIT; Linux "
     "starts the new SYN,ACK 65537 above the old SND.NXT",
     "RFC 6191：序号高于旧连接序号空间的新 SYN 结束 TIME-WAIT；Linux "
     "让新的 SYN,ACK 从旧 SND.NXT 加 65537 处开始"},
    {"RFC 6191: a new SYN with a newer timestamp (its sequence number is not "
     "above the old ones) ends TIME-WAIT; Linux starts the new SYN,ACK 65537 "
     "above the old SND.NXT",
     "RFC 6191：时间戳更新的新 SYN（序号并不高于旧连接）结束 TIME-WAIT；"
     "Linux 让新的 SYN,ACK 从旧 SND.NXT 加 65537 处开始"},
    {"RFC 7323 PAWS: its timestamp is older than the last one seen: an old "
     "duplicate, send ACK",
     "RFC 7323 PAWS：它的时间戳比上次见到的更旧：是旧的重复报文段，回复 ACK"},
    {"TIME-WAIT: RFC 7323 PAWS: an older timestamp than the last one seen: "
     "answer with an ACK and restart the TIME-WAIT timer",
     "TIME-WAIT：RFC 7323 PAWS：时间戳比上次见到的更旧：回复 ACK，并重启 "
     "TIME-WAIT 定时器"},
    {"tcp_twsk_unique: connect() takes this 4-tuple over from TIME-WAIT "
     "(timestamps keep old duplicates out)",
     "tcp_twsk_unique：connect() 从 TIME-WAIT 手里接管这个四元组"
     "（时间戳能挡住旧的重复报文段）"},
    {"TIME-WAIT: RST outside the window, ignored",
     "TIME-WAIT：窗口外的 RST，忽略"},
    {"TIME-WAIT: out of window, but it answered one less than "
     "tcp_invalid_ratelimit ago: no ACK this time (Linux "
     "tcp_oow_rate_limited)",
     "TIME-WAIT：窗口外的报文段，但距上次回应还不到 tcp_invalid_ratelimit："
     "这次不回 ACK（Linux tcp_oow_rate_limited）"},
    {"TIME-WAIT: retransmitted FIN: ACK it again and restart the TIME-WAIT "
     "timer",
     "TIME-WAIT：重传的 FIN：再次确认，并重启 TIME-WAIT 定时器"},
    {"TIME-WAIT: old or unexpected segment: answer with an ACK and restart the "
     "TIME-WAIT timer",
     "TIME-WAIT：旧的或意外的报文段：回复 ACK，并重启 TIME-WAIT 定时器"},
    {"TIME-WAIT: old SYN, answered with an ACK",
     "TIME-WAIT：旧的 SYN，以 ACK 回应"},
    {"Linux tcp_data_queue: nothing new, a retransmission: ACK at once",
     "Linux tcp_data_queue：没有新内容，是重传：立即回复 ACK"},
    {"Linux tcp_check_req: retransmitted SYN in SYN-RECEIVED, send the "
     "SYN,ACK again",
     "Linux tcp_check_req：SYN-RECEIVED 状态收到重传的 SYN，再次发送 SYN,ACK"},
    {"§3.10.7.4 first: RST outside the window, dropped",
     "§3.10.7.4 第一步：窗口外的 RST，丢弃"},
    {"§3.10.7.4 first: not acceptable (old duplicate or outside the window), "
     "send ACK",
     "§3.10.7.4 第一步：不可接受（旧的重复报文段或在窗口外），发送 ACK"},
    {"RFC 5961: RST in the window but not at RCV.NXT: send a challenge ACK",
     "RFC 5961：RST 在窗口内但不等于 RCV.NXT：发送挑战 ACK"},
    {"§3.10.7.4 second: RST in SYN-RECEIVED from a passive open: back to "
     "LISTEN",
     "§3.10.7.4 第二步：被动打开后在 SYN-RECEIVED 收到 RST：回到 LISTEN"},
    {"§3.10.7.4 second: RST in SYN-RECEIVED from an active open: connection "
     "refused",
     "§3.10.7.4 第二步：主动打开后在 SYN-RECEIVED 收到 RST：连接被拒绝"},
    {"§3.10.7.4 second: RST received: connection reset",
     "§3.10.7.4 第二步：收到 RST：连接被重置"},
    {"§3.10.7.4 second: RST received while closing",
     "§3.10.7.4 第二步：关闭过程中收到 RST"},
    {"§3.10.7.4 fourth: SYN in SYN-RECEIVED from a passive open: back to "
     "LISTEN",
     "§3.10.7.4 第四步：被动打开后在 SYN-RECEIVED 收到 SYN：回到 LISTEN"},
    {"§3.10.7.4 fourth: SYN in a synchronized state: send a challenge ACK (RFC "
     "5961)",
     "§3.10.7.4 第四步：已同步状态下收到 SYN：发送挑战 ACK（RFC 5961）"},
    {"§3.10.7.4 fifth: ACK bit off, dropped",
     "§3.10.7.4 第五步：ACK 标志未置位，丢弃"},
    {"§3.10.7.4 fifth: SYN-RECEIVED: unacceptable ACK, answer with RST",
     "§3.10.7.4 第五步：SYN-RECEIVED：不可接受的 ACK，回复 RST"},
    {"§3.10.7.4 fifth: ACK of our SYN: connection established",
     "§3.10.7.4 第五步：本方 SYN 被确认：连接建立"},
    {"§3.10.7.4 fifth: ACK for data never sent, send ACK",
     "§3.10.7.4 第五步：确认了从未发送过的数据，发送 ACK"},
    {"WHAT-IF FIN without a sequence number: this ACK may cover only the data, "
     "but it looks like the ACK of our FIN",
     "假如 FIN 不占序号：这个 ACK 可能只确认了数据，看起来却像是确认了本方的 "
     "FIN"},
    {"§3.10.7.4 fifth: our FIN is ACKed, enter FIN-WAIT-2",
     "§3.10.7.4 第五步：本方 FIN 已被确认，进入 FIN-WAIT-2"},
    {"§3.10.7.4 fifth: CLOSING: our FIN is ACKed, enter TIME-WAIT",
     "§3.10.7.4 第五步：CLOSING：本方 FIN 已被确认，进入 TIME-WAIT"},
    {"§3.10.7.4 fifth: LAST-ACK: our FIN is ACKed, connection closed",
     "§3.10.7.4 第五步：LAST-ACK：本方 FIN 已被确认，连接关闭"},
    {"out of order: a hole before this segment, send a duplicate ACK",
     "乱序：这个报文段之前有空缺，发送重复 ACK"},
    {"out of order: a hole before this FIN, send a duplicate ACK",
     "乱序：这个 FIN 之前有空缺，发送重复 ACK"},
    {"data arrived after close(): nobody will read it, answer with RST (RFC "
     "1122 §4.2.2.13)",
     "close() 之后又到达数据：没有人会读取它，回复 RST（RFC 1122 §4.2.2.13）"},
    {"§3.10.7.4 eighth: FIN received: enter CLOSE-WAIT, the peer will send no "
     "more",
     "§3.10.7.4 第八步：收到 FIN：进入 CLOSE-WAIT，对端不会再发送数据"},
    {"§3.10.7.4 eighth: FIN that also ACKs our FIN: enter TIME-WAIT",
     "§3.10.7.4 第八步：这个 FIN 同时确认了本方的 FIN：进入 TIME-WAIT"},
    {"§3.10.7.4 eighth: FIN before our FIN was ACKed (simultaneous close): "
     "enter CLOSING",
     "§3.10.7.4 第八步：本方 FIN 被确认之前收到 FIN（同时关闭）：进入 CLOSING"},
    {"§3.10.7.4 eighth: FIN received in FIN-WAIT-2: enter TIME-WAIT",
     "§3.10.7.4 第八步：在 FIN-WAIT-2 收到 FIN：进入 TIME-WAIT"},
    {"§3.10.7.1 CLOSED: no connection and no listener on this port",
     "§3.10.7.1 CLOSED：没有连接，这个端口上也没有监听"},
    {"§3.10.7.1 CLOSED", "§3.10.7.1 CLOSED：没有连接"},
    /* src/tcp/tcp_output.c: Sending (§3.10.4). */
    {"§3.10.4 CLOSE in CLOSE-WAIT: send FIN, enter LAST-ACK",
     "§3.10.4 在 CLOSE-WAIT 中 CLOSE：发送 FIN，进入 LAST-ACK"},
    {"§3.10.4 CLOSE: send FIN, enter FIN-WAIT-1",
     "§3.10.4 CLOSE：发送 FIN，进入 FIN-WAIT-1"},
    /* src/tcp/tcp_state.c: The arcs of the state diagram (event and action),
       shown by the diagram view. */
    {"passive OPEN (listen)", "被动 OPEN（listen）"},
    {"create TCB", "创建 TCB"},
    {"active OPEN (connect)", "主动 OPEN（connect）"},
    {"snd SYN", "发 SYN"},
    {"rcv SYN", "收到 SYN"},
    {"snd SYN,ACK", "发 SYN,ACK"},
    {"delete TCB", "删除 TCB"},
    {"rcv SYN,ACK", "收到 SYN,ACK"},
    {"snd ACK", "发 ACK"},
    {"rcv SYN (simultaneous open)", "收到 SYN（同时打开）"},
    {"CLOSE, RST or timeout", "CLOSE、RST 或超时"},
    {"rcv ACK of SYN", "收到对 SYN 的 ACK"},
    {"snd FIN", "发 FIN"},
    {"rcv RST (passive open)", "收到 RST（被动打开）"},
    {"rcv RST or timeout", "收到 RST 或超时"},
    {"rcv FIN", "收到 FIN"},
    {"rcv RST, ABORT or timeout", "收到 RST、ABORT 或超时"},
    {"rcv ACK of FIN", "收到对 FIN 的 ACK"},
    {"rcv FIN that ACKs our FIN", "收到确认本方 FIN 的 FIN"},
    {"rcv RST, ABORT or orphan timeout", "收到 RST、ABORT 或孤儿超时"},
    {"timeout = 2MSL, or RST", "超时 = 2MSL，或 RST"},
    /* src/tcp/tcp_timer.c: Timers (§3.10.8). */
    {"SYN,ACK retries exhausted: half-open connection dropped",
     "SYN,ACK 重试次数用尽：丢弃半开连接"},
    {"retransmission limit reached: ETIMEDOUT", "达到重传次数上限：ETIMEDOUT"},
    {"WHAT-IF no TIME-WAIT: the connection is forgotten the moment it is "
     "closed",
     "假如没有 TIME-WAIT：连接一关闭就被遗忘"},
    {"time-wait timeout (2MSL) expired", "TIME-WAIT 超时（2MSL）到期"},
    {"time-wait timeout expired (Linux: a fixed length, TCP_TIMEWAIT_LEN, not "
     "2MSL)",
     "TIME-WAIT 定时器到期（Linux：长度固定为 TCP_TIMEWAIT_LEN，而不是 2MSL）"},
    {"Linux tcp_fin_timeout: orphaned FIN-WAIT-2 dropped silently",
     "Linux tcp_fin_timeout：孤儿 FIN-WAIT-2 连接被悄悄丢弃"},
    {"keepalive: no answer to any probe, ETIMEDOUT",
     "保活：所有探测都没有回应，ETIMEDOUT"},
    /* src/tcp/tcp_tlp.c: how long the tail-loss probe waits. */
    {"no RTT sample yet, so the initial RTO",
     "还没有 RTT 样本，所以用初始 RTO"},
    {"one segment in flight, so 2 x SRTT plus the minimum RTO, time for a "
     "delayed ACK",
     "只有一个报文段在途，所以是 2 × SRTT 加上最小 RTO，给对端的延迟确认留出"
     "时间"},
    {"several segments in flight, so 2 x SRTT + 2 ms",
     "有多个报文段在途，所以是 2 × SRTT + 2 ms"},
    {"the RTO would fire no later, so the probe takes its place",
     "重传定时器不会更晚到期，所以由探测取代它"},
    /* src/tcp/tcp_user.c: User calls (§3.10.1-6). */
    {"§3.10.1 OPEN (passive): listen() waits for a SYN",
     "§3.10.1 OPEN（被动）：listen() 等待 SYN"},
    {"§3.10.1 OPEN (active): connect() sends SYN, enter SYN-SENT",
     "§3.10.1 OPEN（主动）：connect() 发送 SYN，进入 SYN-SENT"},
    {"§3.10.4 CLOSE in SYN-SENT: delete the TCB",
     "§3.10.4 在 SYN-SENT 中 CLOSE：删除 TCB"},
    {"close() with SO_LINGER {on, 0}: abort with RST, no TIME-WAIT",
     "设置 SO_LINGER {on, 0} 后 close()：用 RST 中止连接，没有 TIME-WAIT"},
    {"close() with unread data: abort with RST (RFC 1122 §4.2.2.13, Linux)",
     "还有未读数据时 close()：用 RST 中止连接（RFC 1122 §4.2.2.13，Linux）"},
    {"listening socket closed during the handshake",
     "握手期间监听套接字被关闭"},
    {"§3.10.4 CLOSE in LISTEN: delete the TCB",
     "§3.10.4 在 LISTEN 中 CLOSE：删除 TCB"},
    /* src/net/net.c: The network: drop causes. */
    {"ICMP Time Exceeded (type 11, code 0): TTL reached 0",
     "ICMP 超时（类型 11，代码 0）：TTL 降到 0"},
    {"host is down (crashed): nothing answers",
     "主机已宕机（崩溃）：没有任何应答"},
    {"dropped by scenario rule 1", "被场景规则 1 丢弃"},
    {"dropped by scenario rule 2", "被场景规则 2 丢弃"},
    {"dropped by scenario rule 3", "被场景规则 3 丢弃"},
    {"dropped by scenario rule 4", "被场景规则 4 丢弃"},
    {"dropped by scenario rule 5", "被场景规则 5 丢弃"},
    {"dropped by scenario rule 6", "被场景规则 6 丢弃"},
    {"dropped by scenario rule 7", "被场景规则 7 丢弃"},
    {"dropped by scenario rule 8", "被场景规则 8 丢弃"},
    {"dropped by a scenario rule", "被场景规则丢弃"},
    {"random loss", "随机丢包"},
    {"TTL reached 0 at a router (ICMP Time Exceeded sent back)",
     "TTL 在路由器上降到 0（回送 ICMP 超时）"},
    {"older than MSL: expired in the network", "超过 MSL：在网络中过期"},
    {"the network duplicated this packet", "网络复制了这个报文"},
    /* src/world/world.c: Hosts and applications. */
    {"host crashed: the TCB is lost, no segment sent",
     "主机崩溃：TCB 丢失，没有发出任何报文段"},
    {"host crashed: the listener is lost", "主机崩溃：监听丢失"},
    {"listening socket", "监听套接字"},
    {"host crash, restarts later", "主机崩溃，稍后重启"},
    {"host crash", "主机崩溃"},
    {"no accepted connection", "没有已接受的连接"},
    {"stale data: an earlier connection on the same ports sent these bytes, "
     "and this one took them as its own",
     "过时数据：同一对端口上更早的连接发出了这些字节，而这个连接把它们当成了自"
     "己的"},
};

const struct narrate_rule_entry *
narrate_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}

const char *
narrate_rule_zh(const char *en)
{
    if (!en)
        return NULL;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].en, en) == 0)
            return rules[i].zh;
    return NULL;
}

const char *
narrate_rule(const char *en, const char *lang, char *buf, size_t size)
{
    const char *zh;
    unsigned a, b;
    int k = 0;

    if (!en || !narrate_is_zh(lang))
        return en;
    if ((zh = narrate_rule_zh(en)) != NULL)
        return zh;
    /* The labels of the viewer's own what-if edits (session.c). */
    if (sscanf(en, "dropped by you (edit %u)%n", &a, &k) == 1 && k > 0 &&
        en[k] == '\0') {
        snprintf(buf, size, "被你丢弃（第 %u 处修改）", a);
        return buf;
    }
    k = 0;
    if (sscanf(en, "random loss %u%% (edit %u)%n", &a, &b, &k) == 2 && k > 0 &&
        en[k] == '\0') {
        snprintf(buf, size, "随机丢包 %u%%（第 %u 处修改）", a, b);
        return buf;
    }
    return en;
}

const char *
narrate_why(const struct draw_view *v, const char *en, char *buf, size_t size)
{
    if (en && v->scn && narrate_is_zh(v->lang))
        for (size_t i = 0; i < v->scn->net.nrules; i++) {
            const struct net_rule *r = &v->scn->net.rules[i];
            if (r->label && r->label_zh && strcmp(r->label, en) == 0)
                return r->label_zh;
        }
    return narrate_rule(en, v->lang, buf, size);
}
