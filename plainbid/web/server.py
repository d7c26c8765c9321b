"""`plainbid serve`: run the web app with uvicorn on this computer only (by default)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from typing import Any

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


class StartError(Exception):
    """The checker could not start (a broken glossary in the config, a missing library)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, made here so that a port in use is a clear message, not a log line,
    and so that port 0 (any free port) can be announced."""
    address = host.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    if host == "localhost":
        address, family = "127.0.0.1", socket.AF_INET
    return socket.create_server((address, port), family=family, reuse_port=False)


def url_for(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", "[::]", ""):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(
    host: str,
    port: int,
    open_browser: bool,
    app_options: dict[str, Any],
    echo: Callable[[str], None] | None = None,
) -> None:
    """Start the server and block until Ctrl+C. Raises OSError when the port cannot be used."""
    import uvicorn

    echo = echo or (lambda line: print(line, flush=True))
    from plainbid.web.app import create_app
    from plainbid.web.worker import Busy, Crashed, Job, TimedOut

    sock = bind(host, port)
    port = sock.getsockname()[1]
    url = url_for(host, port)
    allowed = LOOPBACK_NAMES if is_loopback(host) else None
    app = create_app(allowed_hosts=allowed, **app_options)
    # Load spaCy and the glossaries in the forkserver now, so the first check is quick and a
    # broken glossary is reported before anyone opens the page.
    try:
        warm = app.state.checker.run(
            Job("json", [("warm-up.txt", b"The ITT says TUPE applies.")], app.state.settings)
        )
    except (Busy, Crashed, TimedOut) as error:
        sock.close()
        raise StartError(f"the checker did not answer ({type(error).__name__})") from error
    if warm.status != "ok":
        sock.close()
        raise StartError(warm.message or "the checker gave no answer")
    config = uvicorn.Config(
        app,
        access_log=False,  # never log requests: nothing about a document leaves the request
        log_level="warning",
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if not server.started:
            return
        if allowed is None:
            echo(
                f"plainbid: warning: listening on {host}, so other computers that can reach "
                "this one can use it too"
            )
        echo(f"plainbid is running: open {url} in your browser (Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, name="plainbid-announce", daemon=True).start()
    server.run(sockets=[sock])
