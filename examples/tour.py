#!/usr/bin/env python3
"""A tour of sigsock's socket protocol against `sigsock sandbox`, in plain Python 3 (stdlib only).

Start the sandbox in another terminal (`npx sigsock sandbox`), then run
    python3 examples/tour.py [PORT]        # PORT: the ready line's "port" (default 6789)

It writes to Echo (who answers as a Signal app does) and prints what comes back: replies with the
sender's name, quotes, edits, receipts, timers, stickers, view-once, previews; then contacts,
"is this number on Signal?", blocking and profiles. Every field used is in docs/protocol.md.
"""
import base64
import json
import socket
import sys
import time


class Sigsock:
    """One connection: a JSON line per command, a JSON line per answer, in order."""

    def __init__(self, port, host="127.0.0.1"):
        self.file = socket.create_connection((host, port)).makefile("rw", encoding="utf-8")
        self.backlog = []  # entries received but not yet looked for

    def request(self, command, **fields):
        self.file.write(json.dumps({"command": command, **fields}) + "\n")
        self.file.flush()
        answer = json.loads(self.file.readline())
        if answer["statusCode"] != 0:
            raise RuntimeError(f"{command}: {answer['statusCode']} {answer.get('errorMessage')}")
        return answer

    def wait_for(self, what, predicate, seconds=20):
        """The first received entry matching `predicate`; the others stay for later waits."""
        deadline = time.monotonic() + seconds
        while True:
            for entry in self.backlog:
                if predicate(entry):
                    self.backlog.remove(entry)
                    return entry
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {what} within {seconds} s")
            self.backlog += self.request("receive_messages", timeout=2000)["messages"]

    def quiet_for(self, seconds, predicate):
        """True when nothing matching `predicate` arrives for `seconds` (e.g. from a blocked sender)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.backlog += self.request("receive_messages", timeout=1000)["messages"]
            if any(predicate(e) for e in self.backlog):
                return False
        return True


def show(label, value):
    print(f"{label:<28} {json.dumps(value, ensure_ascii=False)}")


# A 1×1 PNG, for the sticker and the view-once image.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


def main():
    s = Sigsock(int(sys.argv[1]) if len(sys.argv) > 1 else 6789)
    contacts = s.request("list_contacts")["contacts"]
    show("list_contacts", [(c["name"], c["number"], c["profileName"]) for c in contacts])
    echo = next(c for c in contacts if c["name"] == "Echo")
    number = echo["number"]
    from_echo = lambda e: e.get("senderUuid") == echo["uuid"] and "groupId" not in e

    # A text: Echo's delivery and read receipts name our message's timestamp, then its reply.
    sent = s.request("send_message", recipient=number, dataMessage={"message": "hello Echo"})
    ts = sent["timestamp"]
    for kind in ("DELIVERY", "READ"):
        r = s.wait_for(f"{kind} receipt", lambda e: from_echo(e) and e.get("receiptMessage", {}).get("type") == kind
                       and ts in e["receiptMessage"]["timestamps"])
        show(f"{kind.lower()} receipt", r["receiptMessage"])
    reply = s.wait_for("Echo's reply", lambda e: from_echo(e) and e["body"] == "hello Echo")
    show("reply", {"body": reply["body"], "senderName": reply.get("senderName")})
    like = s.wait_for("Echo's 👍", lambda e: from_echo(e) and e.get("reaction", {}).get("timestamp") == ts)
    show("reaction", like["reaction"])

    # A quote of Echo's reply: Echo answers with a reply quoting our quoting message.
    quoting = s.request("send_message", recipient=number, dataMessage={
        "message": "about that", "quote": {"timestamp": reply["timestamp"], "author": number, "text": reply["body"]}})
    answer = s.wait_for("a quoting reply", lambda e: from_echo(e) and e.get("quote", {}).get("id") == quoting["timestamp"])
    show("quoting reply", answer["quote"])

    # An edit of our quoting message: Echo edits its reply to it.
    s.request("send_message", recipient=number, dataMessage={"message": "about this", "editTimestamp": quoting["timestamp"]})
    edit = s.wait_for("Echo's edit", lambda e: from_echo(e) and "editMessage" in e)
    show("edit", {"body": edit["body"], "editMessage": edit["editMessage"]})

    # Typing, and a read receipt for Echo's reply (Echo's phone would show "read").
    s.request("send_typing", recipient=number)
    s.request("send_typing", recipient=number, stop=True)
    s.request("send_receipt", recipient=number, targetTimestamps=[reply["timestamp"]], type="read")
    show("typing, read receipt", "sent")

    # Delete for everyone.
    oops = s.request("send_message", recipient=number, dataMessage={"message": "oops"})
    deleted = s.request("remote_delete", recipient=number, targetTimestamp=oops["timestamp"])
    show("remote_delete", {"of": oops["timestamp"], "timestamp": deleted["timestamp"]})

    # A disappearing-message timer: Echo's next reply carries it; then off again.
    s.request("set_expiration", recipient=number, expiration=3600)
    s.request("send_message", recipient=number, dataMessage={"message": "this disappears"})
    timed = s.wait_for("a timed reply", lambda e: from_echo(e) and e["body"] == "this disappears")
    show("timed reply", {"expiresInSeconds": timed.get("expiresInSeconds")})
    s.request("set_expiration", recipient=number, expiration=0)

    # A sticker, a view-once image and a link preview: Echo sends each back.
    s.request("send_message", recipient=number, dataMessage={"sticker": {
        "packId": "ab" * 16, "packKey": "cd" * 32, "stickerId": 1, "emoji": "🐱",
        "image": {"base64Data": PNG, "contentType": "image/png"}}})
    sticker = s.wait_for("a sticker", lambda e: from_echo(e) and "sticker" in e)
    show("sticker", {k: sticker["sticker"][k] for k in ("packId", "stickerId", "emoji")})
    s.request("send_message", recipient=number, dataMessage={
        "viewOnce": True, "attachments": [{"base64Data": PNG, "filename": "once.png", "contentType": "image/png"}]})
    once = s.wait_for("a view-once image", lambda e: from_echo(e) and e.get("viewOnce"))
    show("view-once", [a["filename"] for a in once["attachments"]])
    url = "https://example.org/tour"
    s.request("send_message", recipient=number, dataMessage={
        "message": f"see {url}", "previews": [{"url": url, "title": "The tour", "description": "sigsock from Python"}]})
    preview = s.wait_for("a link preview", lambda e: from_echo(e) and "previews" in e)
    show("preview", [(p["url"], p["title"]) for p in preview["previews"]])

    # Is this number on Signal? Echo's is; a made-up one is not.
    users = s.request("get_user_status", recipients=[number, "+15550000000"])["users"]
    show("get_user_status", [(u["recipient"], u["isRegistered"]) for u in users])

    # Block Echo: its answers are dropped (never queued) until unblocked.
    s.request("block", recipient=number)
    s.request("send_message", recipient=number, dataMessage={"message": "while blocked"})
    show("blocked: nothing from Echo", s.quiet_for(3, lambda e: from_echo(e) and e["body"] == "while blocked"))
    s.request("unblock", recipient=number)
    s.request("send_message", recipient=number, dataMessage={"message": "after unblock"})
    back = s.wait_for("Echo after unblocking", lambda e: from_echo(e) and e["body"] == "after unblock")
    show("unblocked", back["body"])

    # Echo's profile: it shared its profile key with its messages.
    profile = s.request("get_profile", recipient=number)["profile"]
    show("get_profile", {k: profile[k] for k in ("givenName", "about")})


if __name__ == "__main__":
    main()
