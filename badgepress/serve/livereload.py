"""Live reload for `badgepress serve`: the build status board, the injected script, injection.

Only the serve HTTP handler injects the script, into HTML as it is sent, so the files a serve
build writes are byte-identical to `badgepress build`'s.
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass

EVENTS_PATH = "/__badgepress/events"  # Server-Sent Events: one `Status` per message
SCRIPT_PATH = "/__badgepress/livereload.js"
OVERLAY_ID = "badgepress-build-errors"


@dataclass(frozen=True)
class Status:
    """What the server serves: the last good build's id ('' before one), the latest errors."""

    build: str
    errors: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps({"build": self.build, "errors": list(self.errors)})


class StatusBoard:
    """The current Status, shared by the rebuild thread and every open page's event stream."""

    def __init__(self, session: str):
        # The session part makes ids differ across restarts, so open tabs reload after one.
        self._session = session
        self._builds = 0
        self._status = Status("")
        self._closed = False
        self._changed = threading.Condition()

    def current(self) -> Status:
        with self._changed:
            return self._status

    def built(self) -> Status:
        """A build succeeded: a new id, no errors."""
        with self._changed:
            self._builds += 1
            return self._publish(Status(f"{self._session}-{self._builds}"))

    def failed(self, errors: list[str]) -> Status:
        """A build failed: the last good site stays served, with these errors shown over it."""
        with self._changed:
            return self._publish(Status(self._status.build, tuple(errors)))

    def _publish(self, status: Status) -> Status:
        self._status = status
        self._changed.notify_all()
        return status

    def wait_for_change(self, seen: Status, timeout: float) -> Status | None:
        """The status once it differs from `seen` (or `seen` after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._status != seen, timeout)
            return None if self._closed else self._status

    def close(self) -> None:
        """End every event stream (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def inject_script(page: bytes, build: str) -> bytes:
    """`page` with the live-reload script tag before its last </body> (or at its end)."""
    tag = f'<script src="{SCRIPT_PATH}" data-build="{html.escape(build)}"></script>'.encode()
    end = page.lower().rfind(b"</body>")
    if end == -1:
        return page + tag
    return page[:end] + tag + page[end:]


# Reloads when the served build differs from the page's; shows the latest errors over the page
# (as text, never markup: messages quote content). EventSource reconnects by itself, and a
# reload keeps the scroll position.
SCRIPT = (
    """(function () {
  "use strict";
  var pageBuild = document.currentScript.getAttribute("data-build");
  function showErrors(errors) {
    var overlay = document.getElementById("OVERLAY_ID");
    if (!errors.length) {
      if (overlay) overlay.remove();
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "OVERLAY_ID";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
        "max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0b0b;" +
        "color:#fff;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
        "border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("strong");
    heading.textContent = "badgepress: the build failed (" + errors.length + " problem" +
      (errors.length === 1 ? "" : "s") + "); this is the last good site. Fix the files and save.";
    var list = document.createElement("pre");
    list.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap;font:inherit";
    list.textContent = errors.join("\\n");
    overlay.appendChild(heading);
    overlay.appendChild(list);
  }
  var events = null;
  function listen() {
    if (events) return;
    events = new EventSource("EVENTS_PATH");
    events.onmessage = function (message) {
      var status = JSON.parse(message.data);
      if (status.build && status.build !== pageBuild) {
        stop();
        location.reload();
        return;
      }
      showErrors(status.errors);
    };
  }
  function stop() {
    if (events) events.close();
    events = null;
  }
  // Hidden tabs let go of their stream (browsers allow 6 connections per host over HTTP/1.1)
  // and catch up when shown again: the first message says whether a build happened meanwhile.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stop(); else listen();
  });
  if (!document.hidden) listen();
})();
""".replace("OVERLAY_ID", OVERLAY_ID)
    .replace("EVENTS_PATH", EVENTS_PATH)
    .encode()
)


def placeholder_page(status: Status) -> bytes:
    """Served before the first good build: the script shows the errors, reloads once fixed."""
    return inject_script(
        b"<!doctype html><html lang=en><head><meta charset=utf-8>"
        b"<title>badgepress: waiting for a good build</title></head><body>"
        b"<p>The site has not built yet. The problems are listed below and in the terminal;"
        b" this page reloads when they are fixed.</p></body></html>",
        status.build,
    )
