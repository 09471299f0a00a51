"""A bounded soak on loopback: many chat clients and HTTP threads against one emulator."""

from __future__ import annotations

import statistics
import threading
import time
from typing import Dict, List

from akool_cli.api.auth import Credential
from akool_cli.api.client import Client
from akool_cli.chat.conversation import Conversation
from akool_cli.chat.protocol import room_member_id

KEY = Credential("api_key", "emulator-key")


def _p(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def soak(
    base_url: str,
    chat_clients: int = 50,
    questions: int = 20,
    http_requests: int = 2000,
    threads: int = 8,
    deadline: float = 120.0,
) -> Dict:
    """Run the load against the emulator at ``base_url`` (sessions live at once, answers
    without delay); returns counts and latencies. Stops by itself at ``deadline``."""
    with Client(base_url=base_url, credential=KEY, api_version="v3") as client:
        rooms = [client.sessions.create("Kai_1080P_back").stream_urls for _ in range(chat_clients)]
    stop_at = time.monotonic() + deadline
    lock = threading.Lock()
    chat_latency: List[float] = []
    http_latency: List[float] = []
    errors: List[str] = []
    answered = [0]

    def chatter(index: int) -> None:
        urls = rooms[index]
        try:
            with Conversation(
                urls.client_chat_room_url, room_member_id(urls.server_chat_room_url)
            ) as conv:
                conv.connect()
                for n in range(questions):
                    if time.monotonic() > stop_at:
                        raise TimeoutError("soak deadline")
                    question = f"client {index} question {n}"
                    answer = conv.ask(question, idle=0.05, timeout=20)
                    if answer.answer != f"You said: {question}":
                        raise AssertionError(f"wrong answer {answer.answer!r}")
                    with lock:
                        chat_latency.append(answer.elapsed_ms / 1000)
                        answered[0] += 1
        except Exception as exc:  # counted and reported, never raised out of the thread
            with lock:
                errors.append(f"chat {index}: {exc}")

    def http_worker(count: int) -> None:
        try:
            with Client(
                base_url=base_url, credential=KEY, max_retries=0, api_version="v3"
            ) as client:
                sid = client.sessions.list(size=1).parsed[0].id
                for n in range(count):
                    if time.monotonic() > stop_at:
                        raise TimeoutError("soak deadline")
                    started = time.monotonic()
                    if n % 2:
                        client.sessions.detail(sid)
                    else:
                        client.sessions.list(size=10)
                    with lock:
                        http_latency.append(time.monotonic() - started)
        except Exception as exc:
            with lock:
                errors.append(f"http: {exc}")

    started = time.monotonic()
    workers = [threading.Thread(target=chatter, args=(i,)) for i in range(chat_clients)]
    per_thread = http_requests // threads
    workers += [threading.Thread(target=http_worker, args=(per_thread,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(max(0.0, stop_at - time.monotonic()) + 5)
    return {
        "chat_clients": chat_clients,
        "questions": questions,
        "http_requests": per_thread * threads,
        "threads": threads,
        "errors": len(errors),
        "error_samples": errors[:3],
        "lost": chat_clients * questions - answered[0],
        "http_done": len(http_latency),
        "chat_p50_ms": statistics.median(chat_latency) * 1000 if chat_latency else 0.0,
        "chat_p99_ms": _p(chat_latency, 0.99),
        "http_p50_ms": statistics.median(http_latency) * 1000 if http_latency else 0.0,
        "http_p99_ms": _p(http_latency, 0.99),
        "seconds": time.monotonic() - started,
    }
