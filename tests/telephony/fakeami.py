"""A minimal scripted AMI server for link tests (real TCP on 127.0.0.1).

It speaks the wire format of the transcripts (banner without a blank line, ActionID echo,
``EventList: start`` … ``…Complete``) but has no telephony model: a test pushes event bytes
(often cut from a transcript) with :meth:`FakeAmi.push`, and can drop, mute (dead-but-open)
or refuse connections. The full PBX model is H4's simulator (telephony/simulator).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from telephony.protocol import AmiDecoder, AmiMessage, encode_message

Reply = Callable[[AmiMessage], list[list[tuple[str, str]]] | None]


class FakeAmi:
    def __init__(self, username: str = "desk", secret: str = "desk-secret", *, auth_delay: float = 0.0) -> None:
        self.username = username
        self.secret = secret
        self.auth_delay = auth_delay
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.writers: list[asyncio.StreamWriter] = []
        self.actions: list[AmiMessage] = []
        self.logins = 0
        self.muted = False  # dead-but-open: read everything, answer nothing
        self.lists: dict[str, list[list[tuple[str, str]]]] = {}  # action name -> items
        self.replies: dict[str, Reply] = {}  # action name -> custom reply
        self._handlers: set[asyncio.Task] = set()

    async def start(self, port: int = 0) -> FakeAmi:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", port)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Close the listening socket and every connection (the PBX is gone)."""
        if self.server is not None:
            self.server.close()
            self.drop()
            if self._handlers:
                await asyncio.wait(set(self._handlers), timeout=2)
            await self.server.wait_closed()
            self.server = None

    def drop(self) -> None:
        for w in self.writers:
            w.transport.abort()
        self.writers.clear()

    def push(self, data: bytes) -> None:
        for w in self.writers:
            w.write(data)

    def push_event(self, *pairs: tuple[str, str]) -> None:
        self.push(encode_message(pairs))

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        writer.write(b"Asterisk Call Manager/11.0.0\r\n")
        decoder = AmiDecoder()
        authed = False
        self.writers.append(writer)
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for msg in decoder.feed(data):
                    self.actions.append(msg)
                    if self.muted:
                        continue
                    aid = msg.action_id
                    head = [("ActionID", aid)] if aid is not None else []
                    name = (msg.get("Action") or "").lower()
                    if name == "login":
                        if msg.get("Username") == self.username and msg.get("Secret") == self.secret:
                            authed = True
                            self.logins += 1
                            writer.write(encode_message([("Response", "Success"), *head,
                                                         ("Message", "Authentication accepted")]))
                            writer.write(encode_message([("Event", "FullyBooted"), ("Privilege", "system,all"),
                                                         ("Status", "Fully Booted")]))
                        else:
                            await asyncio.sleep(self.auth_delay)
                            writer.write(encode_message([("Response", "Error"), *head,
                                                         ("Message", "Authentication failed")]))
                            await writer.drain()
                            writer.close()
                            return
                    elif not authed:
                        writer.write(encode_message([("Response", "Error"), *head, ("Message", "Permission denied")]))
                    elif name == "logoff":
                        writer.write(encode_message([("Response", "Goodbye"), *head,
                                                     ("Message", "Thanks for all the fish.")]))
                        await writer.drain()
                        writer.close()
                        return
                    elif msg.get("Action") in self.replies:
                        for frame in self.replies[msg.get("Action") or ""](msg) or []:
                            writer.write(encode_message([(k, aid if k == "ActionID" and aid else v) for k, v in frame]))
                    elif name == "ping":
                        writer.write(encode_message([("Response", "Success"), *head, ("Ping", "Pong"),
                                                     ("Timestamp", "1795638296.103183")]))
                    elif msg.get("Action") in self.lists or name in ("queuestatus", "coreshowchannels", "queuesummary"):
                        items = self.lists.get(msg.get("Action") or "", [])
                        complete = {"queuestatus": "QueueStatusComplete", "coreshowchannels": "CoreShowChannelsComplete",
                                    "queuesummary": "QueueSummaryComplete"}.get(name, f"{msg.get('Action')}Complete")
                        writer.write(encode_message([("Response", "Success"), *head, ("EventList", "start"),
                                                     ("Message", "Queue status will follow")]))
                        for item in items:
                            writer.write(encode_message([*item, *head]))
                        writer.write(encode_message([("Event", complete), *head, ("EventList", "Complete"),
                                                     ("ListItems", str(len(items)))]))
                    else:
                        writer.write(encode_message([("Response", "Success"), *head, ("Message", "OK")]))
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            if task is not None:
                self._handlers.discard(task)
            if writer in self.writers:
                self.writers.remove(writer)
            writer.close()
