#!/bin/sh
# L switches the language live: the state meanings, the narration and the
# key bar turn Chinese, and back. LANG=zh_CN.UTF-8 starts in Chinese (even
# where that locale is not installed: the terminal is still UTF-8).
. "$(dirname "$0")/lib.sh"
start "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "step 0/"
step_until "FIN-WAIT-1" 60
wait_for "sent FIN, waiting for it to be ACKed"
k=$(step_now)
keys L
wait_for "已发送 FIN，等待对端确认"
wait_for "连接已建立：双向都可传数据"
wait_for "── 讲解 "
wait_for "第 $k/"
wait_for "n → 下一步"
wait_gone "What is happening"
# Stepping keeps the language; so does stepping back.
keys n
wait_for "第 $((k + 1))/"
keys p
wait_for "第 $k/"
wait_for "已发送 FIN，等待对端确认"
# The help follows.
keys '?'
wait_for "帮助：按键"
wait_for "测验模式：单步前进时在每道题处停下"
keys q
wait_for "── 讲解 "
keys L
wait_for "sent FIN, waiting for it to be ACKed"
wait_for "step $k/"
wait_gone "讲解"
keys q
wait_exit 0

# The locale's language is the default.
S=zh
start env LANG=zh_CN.UTF-8 "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "第 0/"
wait_for "没有连接"
wait_for "按 n 或 → 逐步观看。"
echo "ok: language"
