"""Fetching other people's Open Badges documents over HTTP(S): one deadline, size caps, few redirects.

A badge names the URLs fetched here, and a badge comes from a stranger. So:
- every fetch of one verification shares one deadline, which covers name resolution, connecting,
  TLS, headers and body together: each read from the socket waits at most until the deadline, so a
  server that sends a byte a second cannot hold the run (a per-read timeout would let it);
- a body is read, and inflated (gzip/deflate Content-Encoding), to at most MAX_BYTES, and the
  whole answer including headers to a fixed number of bytes more; http.client bounds each header
  line (64 KiB) and their number (100);
- redirects are at most MAX_REDIRECTS and stay on http(s); one run fetches at most MAX_FETCHES
  documents (a status list that names itself ends there);
- addresses are checked before connecting (badgepress.verify.address_policy).
Every failure is a FetchError whose `kind` says what it means for a badge.
"""

from __future__ import annotations

import errno
import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from .. import __version__
from ..files.bounded import GZIP, RAW_DEFLATE, ZLIB, TooLarge, inflate
from .address_policy import AddressPolicy
from .strict_json import JSONRejected, loads

TIMEOUT = 15.0  # seconds for a whole verification's fetches (`verify --timeout`)
MAX_BYTES = 5_000_000  # a badge image or JSON document; anything larger is not a badge
MAX_HEAD_BYTES = 256 * 1024  # status line and headers: servers themselves accept 8-64 KiB
MAX_REDIRECTS = 5
MAX_FETCHES = 16  # an OB 2.0 badge needs 4 documents, a 3.0 credential 3 or 4
# A status that is the issuer's own answer "there is no such badge", not a failure to reach it.
GONE = (404, 410)
REDIRECTS = (301, 302, 303, 307, 308)
ACCEPT = "application/ld+json, application/json, image/png, image/svg+xml, */*;q=0.1"


class FetchError(Exception):
    """A document could not be fetched. `kind` says why, for the verdict:

    'gone'       the server answered 404/410: the issuer says there is no such document
    'too_large'  the body is, or inflates to, more than the size limit: not a badge document
    'malformed'  the URL can never be fetched (not http(s), no host, a broken IPv6 address)
    'refused'    badgepress would not fetch it (address policy, too many documents)
    'unreachable' anything else: no answer, deadline passed, broken HTTP, TLS, redirect loops
    `status` is the HTTP status when the server answered with one. `message` is a sentence
    naming the URL; `reason` says why in words without it, for a sentence of the caller's ("could
    not fetch the DID document <url>: <reason>").
    """

    def __init__(
        self,
        url: str,
        message: str,
        status: int | None = None,
        kind: str = "unreachable",
        reason: str | None = None,
    ):
        super().__init__(message)
        self.url, self.message, self.status = url, message, status
        self.reason = reason or message
        self.kind = "gone" if status in GONE else kind

    @classmethod
    def unreachable(cls, url: str, reason: str) -> FetchError:
        """No usable answer from the server at `url`, for `reason`."""
        return cls(url, f"could not reach {url}: {reason}", reason=reason)

    @property
    def gone(self) -> bool:
        """The server answered that nothing lives at this URL (404/410)."""
        return self.kind == "gone"


@dataclass(frozen=True)
class Response:
    """What a URL answered: the URL asked for, the URL after redirects, and the body."""

    requested: str
    url: str
    content_type: str
    body: bytes


class Deadline:
    """A moment `seconds` from now; `left()` is the time until then (negative after it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return self._end - time.monotonic()


class _DeadlinePassed(Exception):
    pass


class _AnswerTooLarge(Exception):
    pass


class Fetcher:
    """The fetches of one verification: `fetcher(url)` is a Response or raises FetchError.

    One deadline, one budget of documents and one address policy for every URL it is given.
    """

    def __init__(
        self,
        timeout: float = TIMEOUT,
        *,
        max_bytes: int = MAX_BYTES,
        policy: AddressPolicy | None = None,
    ) -> None:
        self.deadline = Deadline(timeout)
        self.max_bytes = max_bytes
        self.policy = policy or AddressPolicy()
        self.fetches = 0
        self._tls: ssl.SSLContext | None = None

    def __call__(self, url: str) -> Response:
        if not isinstance(url, str):
            raise FetchError(str(url), f"not a URL: {url!r}", kind="malformed", reason="not a URL")
        self.fetches += 1
        if self.fetches > MAX_FETCHES:
            reason = f"more than {MAX_FETCHES} documents for one badge"
            raise FetchError(url, f"not fetched: {reason}", kind="refused", reason=reason)
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            target = _Target.parse(current, url)
            status, reason, headers, body = self._exchange(target, url)
            if status in REDIRECTS and headers.get("Location"):
                current = _redirect(url, current, headers["Location"])
                continue
            if status != 200:
                answered = f"HTTP {status} {reason}".rstrip()
                message = f"{url} answered {answered}"
                raise FetchError(url, message, status, reason=f"the server answered {answered}")
            body = self._decode(url, headers.get("Content-Encoding", ""), body)
            return Response(url, current, headers.get_content_type() or "", body)
        reason = f"it redirects more than {MAX_REDIRECTS} times"
        message = f"{url} redirects more than {MAX_REDIRECTS} times"
        raise FetchError(url, message, status, reason=reason)

    def _exchange(self, target: _Target, url: str):
        """(status, reason, headers, body) of one GET; the body is b'' for a redirect."""
        sock = None
        try:
            sock = self._connect(target, url)
            wire = _DeadlineSocket(sock, self.deadline, self.max_bytes + MAX_HEAD_BYTES)
            connection = _Connection(target.host, target.port, wire)
            connection.request("GET", target.path, headers=target.headers())
            answer = connection.getresponse()
            if answer.status in REDIRECTS:
                return answer.status, answer.reason, answer.headers, b""
            return answer.status, answer.reason, answer.headers, self._body(answer, url)
        except (_DeadlinePassed, TimeoutError):  # every socket timeout is the time left
            within = f"within {self.deadline.seconds:g} s"
            message = f"no complete answer from {url} {within}"
            raise FetchError(url, message, reason=f"no complete answer {within}") from None
        except _AnswerTooLarge:
            sent = f"more than {self.max_bytes + MAX_HEAD_BYTES:,} bytes"
            raise FetchError(
                url, f"{url} sent {sent}", kind="too_large", reason=f"the server sent {sent}"
            ) from None
        except http.client.HTTPException as exc:
            described = _describe(exc)
            message = f"{url} did not answer in HTTP: {described}"
            reason = f"the server did not answer in HTTP ({described})"
            raise FetchError(url, message, reason=reason) from None
        except OSError as exc:  # ssl.SSLError included
            raise FetchError.unreachable(url, connection_problem(exc)) from None
        finally:
            if sock is not None:
                sock.close()

    def _connect(self, target: _Target, url: str) -> socket.socket:
        """A socket connected to an address of the host that the policy allows (TLS for https)."""
        refusals, failure = [], None
        for family, address, sockaddr in _resolve(target, self.deadline, url):
            refusal = self.policy.refusal(address)
            if refusal:
                refusals.append(refusal)
                continue
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(_left(self.deadline))
                sock.connect(sockaddr)
            except TimeoutError:
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                failure = exc
                continue
            self.policy.connected(address)
            if target.tls:
                try:
                    sock.settimeout(_left(self.deadline))
                    sock = self._tls_context().wrap_socket(sock, server_hostname=target.host)
                except BaseException:
                    sock.close()
                    raise
            return sock
        if failure is not None:
            raise failure
        raise FetchError(url, f"not fetched: {refusals[0]}", kind="refused", reason=refusals[0])

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    def _body(self, answer: http.client.HTTPResponse, url: str) -> bytes:
        announced = answer.getheader("Content-Length", "").strip()
        length = int(announced) if announced.isdigit() else None
        if answer.getheader("Transfer-Encoding"):
            length = None  # RFC 9112 §6.3: chunked framing, the length is ignored
        if length is not None and length > self.max_bytes:
            raise self._too_large(url)
        body = bytearray()
        while chunk := answer.read(1 << 16):
            body += chunk
            if len(body) > self.max_bytes:
                raise self._too_large(url)
        if length is not None and len(body) < length:
            # http.client returns what came before the connection closed; half a document is
            # no document.
            raise http.client.IncompleteRead(bytes(body), length - len(body))
        return bytes(body)

    def _too_large(self, url: str) -> FetchError:
        larger = f"larger than {self.max_bytes:,} bytes, more than any badge"
        return FetchError(url, f"{url} is {larger}", kind="too_large", reason=f"it is {larger}")

    def _decode(self, url: str, encoding: str, body: bytes) -> bytes:
        """The body without its Content-Encoding (gzip or deflate), inflated within the limit."""
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if not codings:
            return body
        if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
            sent = f"sent in Content-Encoding {encoding!r}, which is not read here"
            raise FetchError(url, f"{url} is {sent}", reason=f"it is {sent}")
        try:
            if codings[0] != "deflate":
                return inflate(body, self.max_bytes, GZIP)
            try:
                return inflate(body, self.max_bytes, ZLIB)
            except ValueError:  # some servers send raw deflate for "deflate" (RFC 9110 §8.4.1.2)
                return inflate(body, self.max_bytes, RAW_DEFLATE)
        except TooLarge:
            inflates = f"inflates to more than {self.max_bytes:,} bytes, more than any badge"
            raise FetchError(
                url, f"{url} {inflates}", kind="too_large", reason=f"it {inflates}"
            ) from None
        except ValueError as exc:
            sent = f"sent {codings[0]}-compressed: {exc}"
            raise FetchError(url, f"{url} is {sent}", reason=f"it is {sent}") from None


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Response:
    """GET `url` (http/https only) on its own deadline; raises FetchError on any failure."""
    return Fetcher(timeout, max_bytes=max_bytes)(url)


@dataclass(frozen=True)
class _Target:
    """A URL split into what a GET needs, or FetchError('malformed') for one never fetchable."""

    url: str
    tls: bool
    host: str  # ASCII: IDNA for a name, the bare address for an IP literal
    port: int
    path: str  # the request target: path and query, percent-encoded

    @classmethod
    def parse(cls, url: str, requested: str) -> _Target:
        def malformed(why: str) -> FetchError:
            message = f"not a valid URL: {_short(url)} ({why})"
            reason = f"not a valid URL ({why})"
            return FetchError(requested, message, kind="malformed", reason=reason)

        try:
            parts = urlsplit(url)
            port = parts.port
            host = parts.hostname
        except ValueError as exc:  # "Invalid IPv6 URL", a port out of range, ...
            raise malformed(str(exc)) from None
        if parts.scheme not in ("http", "https"):
            message = f"not an http(s) URL: {_short(url)}"
            raise FetchError(requested, message, kind="malformed", reason="not an http(s) URL")
        if not host:
            raise malformed("no host")
        try:
            ascii_host = host if _is_ip(host) else host.encode("idna").decode("ascii")
        except UnicodeError:
            raise malformed("not a valid host name") from None
        path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
        if parts.query:
            path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~?")
        tls = parts.scheme == "https"
        return cls(url, tls, ascii_host, port or (443 if tls else 80), path)

    def headers(self) -> dict[str, str]:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port != (443 if self.tls else 80):
            host += f":{self.port}"
        return {
            "Host": host,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": f"badgepress-verify/{__version__}",
            "Connection": "close",
        }


def _redirect(requested: str, current: str, location: str) -> str:
    try:
        target = urljoin(current, location.strip())
        scheme = urlsplit(target).scheme
    except ValueError as exc:  # "Invalid IPv6 URL"
        redirects = f"redirects to {_short(location)}, not a valid URL ({exc})"
        raise FetchError(
            requested, f"{current} {redirects}", kind="malformed", reason=f"it {redirects}"
        ) from None
    if scheme not in ("http", "https"):
        # Never off http(s) (file:, data:, ftp:): the URL came from a stranger's badge.
        redirects = f"redirects to {_short(target)}, not an http(s) URL"
        raise FetchError(
            requested, f"{current} {redirects}", kind="malformed", reason=f"it {redirects}"
        )
    return target


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _resolve(target: _Target, deadline: Deadline, url: str) -> list[tuple]:
    """(family, address, sockaddr) for the host, looked up within the deadline.

    getaddrinfo takes no timeout, so a slow resolver is waited for on a daemon thread, never past
    the deadline (the thread ends on its own when the resolver answers).
    """
    found: dict = {}

    def look_up() -> None:
        try:
            found["infos"] = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            found["error"] = exc

    if _is_ip(target.host):
        look_up()  # numeric: answered at once, no resolver involved
    else:
        worker = threading.Thread(target=look_up, daemon=True, name="badgepress-resolve")
        worker.start()
        worker.join(max(deadline.left(), 0))
        if worker.is_alive():
            raise _DeadlinePassed
    if "error" in found:
        raise FetchError.unreachable(url, connection_problem(found["error"]))
    seen, out = set(), []
    for family, _type, _proto, _name, sockaddr in found["infos"]:
        if sockaddr[0] not in seen:
            seen.add(sockaddr[0])
            out.append((family, sockaddr[0], sockaddr))
    return out


# getaddrinfo's answers (socket.EAI_*) that mean the name does not exist, rather than that the
# name servers could not be asked.
_NO_SUCH_NAME = {
    getattr(socket, name)
    for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if hasattr(socket, name)
}
_CONNECTION_PROBLEMS = {
    errno.ECONNREFUSED: "the connection was refused (no server answers at that address and port)",
    errno.ECONNRESET: "the server closed the connection",
    errno.ECONNABORTED: "the connection was closed before the answer",
    errno.EPIPE: "the server closed the connection",
    errno.ENETUNREACH: "the network is unreachable (no route to it from here)",
    errno.EHOSTUNREACH: "the host is unreachable (no route to it from here)",
    errno.EADDRNOTAVAIL: "the address cannot be connected to from here",
}


def connection_problem(exc: BaseException) -> str:
    """Why a connection failed, in words (no errno numbers or library texts unless nothing
    better is known): the host name was not found, the connection was refused, the TLS
    certificate is not trusted, ..."""
    if isinstance(exc, socket.gaierror):
        if exc.errno in _NO_SUCH_NAME:
            return "its host name was not found (DNS)"
        if exc.errno == getattr(socket, "EAI_AGAIN", None):
            return "its host name could not be looked up (no name server answered)"
        return f"its host name could not be looked up ({_plain(exc)})"
    if isinstance(exc, UnicodeError):
        return "its host name is not a valid name"
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = exc.verify_message or _plain(exc)
        return f"its TLS certificate is not trusted ({why})"
    if isinstance(exc, ssl.SSLError):
        why = exc.reason.replace("_", " ").lower() if exc.reason else _plain(exc)
        return f"the TLS connection failed ({why})"
    if isinstance(exc, OSError) and exc.errno in _CONNECTION_PROBLEMS:
        return _CONNECTION_PROBLEMS[exc.errno]
    return _plain(exc)


def _plain(exc: BaseException) -> str:
    """An error's own words, without '[Errno N]' and with a lowercase start."""
    text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).strip()
    return (text[:1].lower() + text[1:]) if text else type(exc).__name__


def _left(deadline: Deadline) -> float:
    left = deadline.left()
    if left <= 0:
        raise _DeadlinePassed
    return left


class _DeadlineSocket:
    """What http.client needs of a socket (sendall, makefile, close), each use bounded by the
    deadline, and reading ending past `budget` bytes."""

    def __init__(self, sock: socket.socket, deadline: Deadline, budget: int) -> None:
        self._sock, self._deadline, self._budget = sock, deadline, budget

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(_left(self._deadline))
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self))

    def recv_into(self, buffer) -> int:
        if self._budget <= 0:
            raise _AnswerTooLarge
        self._sock.settimeout(_left(self._deadline))
        count = self._sock.recv_into(buffer, min(len(buffer), self._budget))
        self._budget -= count
        return count

    def close(self) -> None:
        pass  # http.client closes its connection before reading the body; the fetch closes the socket


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket) -> None:
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._sock.recv_into(buffer)


class _Connection(http.client.HTTPConnection):
    """http.client's request writing and answer parsing, on a socket connected beforehand."""

    def __init__(self, host: str, port: int, sock: _DeadlineSocket) -> None:
        super().__init__(host, port)
        self._connected = sock

    def connect(self) -> None:
        self.sock = self._connected


def _describe(exc: http.client.HTTPException) -> str:
    """What went wrong, in a few words, quoting at most a little of what the server sent."""
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.BadStatusLine):
        return f"a malformed status line {_short(str(exc.args[0]) if exc.args else '')}"
    if isinstance(exc, http.client.IncompleteRead):
        return "the answer ended early"
    return _short(str(exc)) or type(exc).__name__


def _short(text: str, limit: int = 80) -> str:
    text = text if len(text) <= limit else text[:limit] + "…"
    return repr(text)


class NotJSON(ValueError):
    """Not a JSON object within strict_json's limits; `beyond_limits`: JSON, but past one of
    them (depth, number size, number of values)."""

    def __init__(self, message: str, beyond_limits: bool = False) -> None:
        super().__init__(message)
        self.beyond_limits = beyond_limits


def parse_json(body: bytes, source: str) -> dict:
    """`body` as a JSON object; raises NotJSON when it is not one."""
    try:
        data = loads(body)
    except JSONRejected as exc:
        raise NotJSON(f"{source} {exc}", exc.beyond_limits) from None
    if not isinstance(data, dict):
        raise NotJSON(f"{source} is not a JSON object")
    return data
