"""Running the app with uvicorn on a socket that is already listening, in one process or in
several that share it (one per core serves that many requests at once: a search holds
Python's lock for much of its time)."""

from __future__ import annotations

import multiprocessing
import socket
from multiprocessing.connection import wait
from pathlib import Path

import uvicorn

from ..engine import Engine
from .app import create_app


class ServerStopped(RuntimeError):
    """A server process ended by itself; its error is on stderr."""


def run(engine: Engine, index_dir: Path, listener: socket.socket, workers: int = 1) -> None:
    """Serve until Ctrl-C (or SIGTERM); ``engine`` is used in this process, ``index_dir`` is
    opened again by each of ``workers`` > 1 processes."""
    if workers == 1:
        _serve(engine, listener)
        return
    spawn = multiprocessing.get_context("spawn")  # no fork: no copy of this process's state
    processes = [
        spawn.Process(target=_worker, args=(index_dir, listener), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        wait([process.sentinel for process in processes])
        stopped = next(p for p in processes if p.exitcode is not None)
        raise ServerStopped(f"a server process stopped with status {stopped.exitcode}")
    finally:
        for process in processes:
            process.terminate()  # uvicorn finishes the requests in flight
        for process in processes:
            process.join()


def _serve(engine: Engine, listener: socket.socket) -> None:
    config = uvicorn.Config(
        create_app(engine), log_level="warning", access_log=False, server_header=False
    )
    uvicorn.Server(config).run(sockets=[listener])


def _worker(index_dir: Path, listener: socket.socket) -> None:
    try:
        _serve(Engine.open(index_dir), listener)
    except KeyboardInterrupt:  # uvicorn passes Ctrl-C on once it has shut down
        pass
