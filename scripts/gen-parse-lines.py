#!/usr/bin/env python3
"""Writes N `pushcore parse --lines` inputs (one per line) to stdout: the
eight channels' tap shapes in turn, typical sizes (< 1 KiB), every 1000th
line broken on purpose. Used for the throughput figure in
docs/performance.md; the output is not committed.

usage: scripts/gen-parse-lines.py [N] > /tmp/parse-lines.jsonl
"""
import json
import sys
from urllib.parse import quote


def ext(i):
    return json.dumps({
        "entity": {
            "version": 1, "chatType": 1 + i % 2, "action": 1 + (i % 7 == 0),
            "sender": f"user_{i}", "nickname": "Lin Wei",
            "faceUrl": "https://cdn.example.com/avatar/1024.png",
            "content": "Are we still on for lunch tomorrow at the usual place?",
            "sendTime": 1732600000 + i, "msgID": f"144115233874815003-1732600000-{i}",
        },
        "timPushFeatures": {"fcmPushType": 0, "fcmNotificationType": 0},
    }, separators=(",", ":"))


def line(i):
    e = ext(i)
    kind = i % 8
    if kind == 0:
        return {"platform": "android", "extras": {"key_message": {
            "messageId": f"sdm{i}", "title": "Lin Wei", "description": "Lunch?",
            "extra": {"ext": e, "notify_effect": "1"}}}}
    if kind == 1:
        return {"platform": "android", "channel_hint": "huawei", "extras": {},
                "data_uri": "intent://com.example.im/push#Intent;scheme=pushscheme;"
                            f"launchFlags=0x4000000;S.ext={quote(e, safe='')};end"}
    if kind == 2:
        return {"platform": "android", "channel_hint": "honor", "extras": {"ext": e}}
    if kind == 3:
        entity = json.dumps(json.loads(e)["entity"], separators=(",", ":"))
        return {"platform": "android", "extras": {"entity": entity}}
    if kind == 4:
        return {"platform": "android", "channel_hint": "vivo", "extras": {"ext": e}}
    if kind == 5:
        return {"platform": "android", "extras": {
            "selfDefineContentString": json.dumps({"ext": e})}}
    if kind == 6:
        return {"platform": "android", "extras": {
            "ext": e, "google.message_id": f"0:{i}", "google.sent_time": 1732600000000,
            "google.ttl": 2419200, "from": "1234567890"}}
    return {"platform": "ios", "user_info": {
        "aps": {"alert": {"title": "Lin Wei", "body": "Lunch?"}, "badge": 1}, "ext": e}}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    out = sys.stdout
    for i in range(n):
        if i % 1000 == 999:
            out.write('{"platform":"android","extras":{"ext":"{broken"}}\n')
        else:
            out.write(json.dumps(line(i), separators=(",", ":")))
            out.write("\n")


if __name__ == "__main__":
    main()
