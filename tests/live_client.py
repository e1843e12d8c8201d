"""A Python client of the forum topic socket that behaves like forums/static/forums/js/live.js.

It keeps the last seq it saw, resyncs on hello and on a gap, de-duplicates by post id, reconnects with
backoff and jitter, rotating over the workers it was given. Tests and the benchmark use it to check that
what a reader ends up with is exactly what the database holds (ids, not counts).
"""

import asyncio
import contextlib
import json
import random
import time
import uuid

import websockets


class LiveReader:
    def __init__(self, ws_urls: list[str], topic_id: int, cookie: str, origin: str, last_seq: int = 0, name=""):
        self.ws_urls = list(ws_urls)
        self.topic_id = topic_id
        self.cookie = cookie
        self.origin = origin
        self.last_seq = last_seq
        self.name = name
        self.posts: dict[int, dict] = {}  # post id -> latest payload
        self.first_seen: dict[int, float] = {}  # post id -> time.monotonic() of the first sight
        self.live_seen: dict[int, float] = {}  # post id -> when its event arrived (not through a resync)
        self.connects = 0
        self.resyncs = 0
        self.closed_codes: list[int] = []
        self.connected = asyncio.Event()
        self.stopped = False
        self._socket = None
        self._resyncing = False
        self._url_index = 0
        self._task: asyncio.Task | None = None

    # --- protocol ---

    def _apply(self, post: dict) -> None:
        known = self.posts.get(post["id"])
        if known is None or post["changed_seq"] > known["changed_seq"]:
            self.posts[post["id"]] = post
        self.first_seen.setdefault(post["id"], time.monotonic())

    async def _send(self, message: dict) -> None:
        if self._socket is not None:
            await self._socket.send(json.dumps(message))

    async def _resync(self) -> None:
        self._resyncing = True
        self.resyncs += 1
        await self._send({"type": "resync", "after": self.last_seq})

    async def _handle(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "hello":
            self.connected.set()
            await self._resync()
        elif kind in {"post.created", "post.edited", "post.hidden", "post.restored", "gap"}:
            if kind == "post.created" and message.get("post"):
                self.live_seen.setdefault(message["post"]["id"], time.monotonic())
            seq = message["seq"]
            if seq <= self.last_seq or self._resyncing:
                if self._resyncing and message.get("post"):
                    self._apply(message["post"])  # seen early; the resync answer will cover the seq
                return
            if seq > self.last_seq + 1:
                await self._resync()
                return
            if message.get("post"):
                self._apply(message["post"])
            self.last_seq = seq
        elif kind == "resync":
            for post in message.get("posts", []):
                self._apply(post)
            self.last_seq = max(self.last_seq, message["last_seq"])
            self._resyncing = False
            if not message.get("complete", True):
                await self._resync()

    # --- connection ---

    async def run(self) -> None:
        attempt = 0
        while not self.stopped:
            url = f"{self.ws_urls[self._url_index % len(self.ws_urls)]}/ws/fora/watki/{self.topic_id}/"
            try:
                async with websockets.connect(
                    url,
                    additional_headers={"Cookie": self.cookie, "Origin": self.origin},
                    open_timeout=10,
                    max_size=2**22,
                    ping_interval=None,
                ) as socket:
                    self._socket = socket
                    self.connects += 1
                    attempt = 0
                    async for raw in socket:
                        await self._handle(json.loads(raw))
                    self.closed_codes.append(socket.close_code or 0)
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException) as error:
                code = getattr(getattr(error, "rcvd", None), "code", None)
                if code:
                    self.closed_codes.append(code)
            finally:
                self._socket = None
                self._resyncing = False
                self.connected.clear()
            if self.stopped or (self.closed_codes and self.closed_codes[-1] in (4001, 4401, 4403)):
                return
            # Backoff with jitter, and the next worker: a killed worker's clients move to the others.
            self._url_index += 1
            ceiling = min(5.0, 0.2 * 2**attempt)
            attempt += 1
            await asyncio.sleep(ceiling / 2 + random.random() * ceiling / 2)

    def start(self) -> asyncio.Task:
        self._task = asyncio.get_running_loop().create_task(self.run())
        return self._task

    async def stop(self) -> None:
        self.stopped = True
        if self._socket is not None:
            await self._socket.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()


class Writer:
    """Posts through the topic socket (the live page's path) and waits for each acknowledgement.

    A post whose acknowledgement does not come (a worker died, Redis went away) is sent again with the same
    client_msg_id on a new connection, so it exists exactly once.
    """

    def __init__(self, ws_urls: list[str], topic_id: int, cookie: str, origin: str):
        self.ws_urls = list(ws_urls)
        self.topic_id = topic_id
        self.cookie = cookie
        self.origin = origin
        self.acked: dict[str, int] = {}  # client_msg_id -> post id
        self.sent_at: dict[int, float] = {}  # post id -> monotonic time the post was first sent
        self.acked_after: dict[int, float] = {}  # post id -> seconds from the first send to the ack
        self._socket = None
        self._url_index = 0

    async def _connect(self):
        url = f"{self.ws_urls[self._url_index % len(self.ws_urls)]}/ws/fora/watki/{self.topic_id}/"
        self._socket = await websockets.connect(
            url,
            additional_headers={"Cookie": self.cookie, "Origin": self.origin},
            open_timeout=10,
            max_size=2**22,
            ping_interval=None,
        )

    async def post(self, body: str, timeout: float = 10, attempts: int = 20) -> int:
        client_msg_id = str(uuid.uuid4())
        first_sent = time.monotonic()
        for _attempt in range(attempts):
            try:
                if self._socket is None:
                    await self._connect()
                await self._socket.send(json.dumps({"type": "post", "body": body, "client_msg_id": client_msg_id}))
                deadline = time.monotonic() + timeout
                while True:
                    raw = await asyncio.wait_for(self._socket.recv(), max(0.1, deadline - time.monotonic()))
                    message = json.loads(raw)
                    if message.get("type") == "post.ack" and message.get("client_msg_id") == client_msg_id:
                        self.acked[client_msg_id] = message["post_id"]
                        self.sent_at.setdefault(message["post_id"], first_sent)
                        self.acked_after.setdefault(message["post_id"], time.monotonic() - first_sent)
                        return message["post_id"]
                    if message.get("type") == "error" and message.get("client_msg_id") == client_msg_id:
                        raise AssertionError(f"the post was refused: {message}")
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException):
                if self._socket is not None:
                    with contextlib.suppress(Exception):
                        await self._socket.close()
                self._socket = None
                self._url_index += 1
                await asyncio.sleep(0.3)
        raise AssertionError(f"no acknowledgement for {client_msg_id} after {attempts} attempts")

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None
