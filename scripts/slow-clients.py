#!/usr/bin/env python3
"""Opens many slow connections to a plumb on 127.0.0.1 and reports when the server closed each
(scripts/slow-clients.sh runs it beside wrk). Only the standard library; loopback only; every
connection gives up after --give-up seconds, so the run always ends.

Kinds (--kind): silent (connects, sends nothing), partial (half a request line), headers (one
header line per second, never the end of the head), body (a whole head, then one body byte per
second), idle (one whole request, then nothing).

Usage: slow-clients.py --port 18082 [--connections 1000] [--kind headers] [--give-up 60]
"""

import argparse
import asyncio
import json
import time


async def slow_client(port, kind, give_up, lifetimes, refused):
    opened = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        refused.append(1)
        return

    async def behave():
        if kind == "partial":
            writer.write(b"GET /v2/gr")
        elif kind == "headers":
            writer.write(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        elif kind == "body":
            writer.write(
                b"POST /api/v1/session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                b"content-length: 1000\r\n\r\n{"
            )
        elif kind == "idle":
            writer.write(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        await writer.drain()
        n = 0
        while True:
            await asyncio.sleep(1)
            n += 1
            if kind == "headers":
                writer.write(f"x-slow-{n}: {n}\r\n".encode())
            elif kind == "body":
                writer.write(b" ")
            await writer.drain()

    async def until_closed():
        while await reader.read(65536):
            pass

    behaviour = asyncio.ensure_future(behave())
    try:
        await asyncio.wait_for(until_closed(), give_up)
        lifetimes.append(time.monotonic() - opened)
    except asyncio.TimeoutError:
        lifetimes.append(None)
    except OSError:
        lifetimes.append(time.monotonic() - opened)
    finally:
        behaviour.cancel()
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--kind", default="headers",
                        choices=["silent", "partial", "headers", "body", "idle"])
    parser.add_argument("--give-up", type=float, default=60)
    args = parser.parse_args()
    lifetimes, refused = [], []
    started = time.monotonic()
    tasks = []
    for _ in range(args.connections):
        tasks.append(asyncio.ensure_future(
            slow_client(args.port, args.kind, args.give_up, lifetimes, refused)))
        await asyncio.sleep(0.001)
    opened_in = time.monotonic() - started
    await asyncio.gather(*tasks)
    closed = sorted(value for value in lifetimes if value is not None)
    print(json.dumps({
        "kind": args.kind,
        "connections": args.connections,
        "opened_in_seconds": round(opened_in, 2),
        "refused": len(refused),
        "closed_by_server": len(closed),
        "still_open_at_give_up": sum(1 for value in lifetimes if value is None),
        "lifetime_min_seconds": round(closed[0], 2) if closed else None,
        "lifetime_p50_seconds": round(closed[len(closed) // 2], 2) if closed else None,
        "lifetime_max_seconds": round(closed[-1], 2) if closed else None,
    }, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
