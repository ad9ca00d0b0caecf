"""The two read-load drivers of bench/load.py: ``wrk`` with a Lua script, or httpx/asyncio.

Both cycle through the same path mix with N concurrent connections for a fixed time and
return one ``Result``. wrk is preferred: on a 2-core machine a Python client competes with the
server for CPU and lowers the figures it measures.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

# wrk: each thread cycles through the mix from a different offset and counts status classes;
# done() prints one JSON line the Python side parses.
LUA = """
local paths = {%(paths)s}
local counter, threads = 0, {}
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
function init(args)
  ok, c4, c5 = 0, 0, 0
  counter = offset
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then c5 = c5 + 1 elseif status >= 400 then c4 = c4 + 1 else ok = ok + 1 end
end
function done(summary, latency, requests)
  local t_ok, t4, t5 = 0, 0, 0
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok"); t4 = t4 + thread:get("c4"); t5 = t5 + thread:get("c5")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "us": %%d, "p50": %%d, "p99": %%d, "ok": %%d, "c4": %%d, ' ..
    '"c5": %%d, "conn": %%d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), t_ok, t4, t5,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Result:
    driver: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    ok: int
    client_errors: int
    server_errors: int
    connection_errors: int


def run_wrk(base: str, mix: list[str], clients: int, duration: float, workdir: Path) -> Result:
    """Drive the mix with wrk (2 threads, ``clients`` connections, 30 s request timeout)."""
    script = workdir / "mix.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in mix)}, encoding="utf-8")
    command = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{int(duration)}s",
               "--timeout", "30s", "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=duration + 120).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    return Result(driver=f"wrk ({' '.join(command[:-3])} -s mix.lua)",
                  requests=data["requests"], seconds=data["us"] / 1e6,
                  p50_ms=data["p50"] / 1000, p99_ms=data["p99"] / 1000, ok=data["ok"],
                  client_errors=data["c4"], server_errors=data["c5"],
                  connection_errors=data["conn"])


def run_python(base: str, mix: list[str], clients: int, duration: float) -> Result:
    """Drive the mix with ``clients`` asyncio tasks sharing one httpx connection pool."""
    return asyncio.run(_run_python(base, mix, clients, duration))


async def _run_python(base: str, mix: list[str], clients: int, duration: float) -> Result:
    latencies: list[float] = []
    counts = {"ok": 0, "c4": 0, "c5": 0, "conn": 0}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    deadline = started + duration
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(_client_loop(client, mix, offset * 7, deadline, latencies, counts)
                               for offset in range(clients)))
    seconds = time.perf_counter() - started
    latencies.sort()
    return Result(driver=f"python (httpx/asyncio, {clients} tasks)", requests=len(latencies),
                  seconds=seconds, p50_ms=_percentile(latencies, 50) * 1000,
                  p99_ms=_percentile(latencies, 99) * 1000, ok=counts["ok"],
                  client_errors=counts["c4"], server_errors=counts["c5"],
                  connection_errors=counts["conn"])


async def _client_loop(client: httpx.AsyncClient, mix: list[str], offset: int, deadline: float,
                       latencies: list[float], counts: dict[str, int]) -> None:
    index = offset
    while time.perf_counter() < deadline:
        path = mix[index % len(mix)]
        index += 1
        sent = time.perf_counter()
        try:
            response = await client.get(path)
        except httpx.TransportError:
            counts["conn"] += 1
            continue
        latencies.append(time.perf_counter() - sent)
        status = response.status_code
        counts["c5" if status >= 500 else "c4" if status >= 400 else "ok"] += 1


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * percent / 100))]
