/*
 * What a socket call's errno tells the application, in words, for the
 * narration of a failed call and of an error the application is told of.
 * The errno's own name comes from the trace (trace_errno_name).
 */
#include <errno.h>
#include <stddef.h>

#include "ui/narrate.h"

const char *
narrate_errno_meaning(int err, const char *lang)
{
    static const struct {
        int err;
        const char *en, *zh;
    } m[] = {
        {ECONNRESET, "the peer reset the connection", "对端重置了连接"},
        {EPIPE,
         "this side can send no more: it was shut down or the "
         "connection is gone",
         "这一方向已不能再发送：已被关闭，或连接已不存在"},
        {ENOTCONN, "the socket has no connection", "套接字没有连接"},
        {ECONNREFUSED, "nobody listens on that port: the SYN met a RST",
         "该端口无人监听：SYN 收到了 RST"},
        {ETIMEDOUT, "the peer did not answer in time", "对端没有及时应答"},
        {ECONNABORTED,
         "the connection being made is gone, with no error "
         "left to report",
         "正在建立的连接已不存在，也没有待报告的错误"},
        {EALREADY, "a connect() is still under way",
         "之前的 connect() 仍在进行中"},
        {EISCONN, "the socket is connected already", "套接字已经连接"},
        {EADDRINUSE, "the port is taken", "端口已被占用"},
        {EADDRNOTAVAIL, "no free port for that address",
         "该地址没有可用的端口"},
        {EINVAL, "not a call for this socket now",
         "此时不能对这个套接字这样调用"},
        {ENOBUFS, "no room for another listener", "没有空间再放一个监听套接字"},
        {EHOSTDOWN, "the host is down", "主机已宕机"},
    };
    int zh = lang && lang[0] == 'z';

    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i].err == err)
            return zh ? m[i].zh : m[i].en;
    return zh ? "出错" : "an error";
}
