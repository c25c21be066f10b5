"""The editors' review application: the page and the JSON API it uses (scripts can use it too).

    GET   /                         the page (a day's stories; ?date=YYYY-MM-DD&story=ID)
    GET   /briefs/{id}.html         the brief's own page (as written in the folder)
    GET   /api/days                 every day with its counts
    GET   /api/briefs?date=D        a page of the day's stories (desk.stories gives their shape):
          &filter=F&order=O         filter all|attention|pending|approved|edited|stale|changed,
          &offset=N&limit=N         order digest|attention; `story=ID`: the page that holds it;
          &story=ID                 {date, filter, order, offset, limit, total, counts, briefs}
    GET   /api/flags                every flag in plain words, with what to do
    GET   /api/briefs/{id}          one brief; /api/briefs/{id}/history its log
    PATCH /api/briefs/{id}          any of summary, title, status, position, sentences {i: text}
                                    (POST too; null puts the machine text back): the brief as now
    POST  /api/briefs/{id}/undo     undo the brief's latest change: the brief as now
    GET   /api/search?q=...         the search of the briefs (summarizer.search)
    GET   /api/digest?date=D        the day's digest as it would go out (a preview: nothing written)
    POST  /api/digest               {"date": D}: write the day's digest of the approved stories

Every request passes review.security.Guard first (Host, key, Origin, CSP). A bad request is a 400
with one line ({"error": ...}; an HTML page for the page itself), never a 500 or a traceback:
each route maps the library's typed errors to their status.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from markupsafe import escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..desk.digests import write_day
from ..desk.review import Review
from ..desk.search import search
from ..errors import SummarizerError
from ..store.outdir import OutputDir
from .names_api import NamesAPI
from .security import Guard

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger("summarizer.review")
MAX_BODY = 1_000_000
BRIEF_PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors 'none'")  # the brief pages: inline CSS, no script


class BadRequest(SummarizerError):
    """A request the API cannot read (its query string or body): HTTP 400."""

    status = 400


def _error(exc: Exception) -> JSONResponse:
    status = getattr(exc, "status", 400)
    return JSONResponse({"error": " ".join(str(exc).split())}, status_code=status)


def guarded(handler: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """A route whose typed errors become one-line answers (400, or the error's own status)."""

    @functools.wraps(handler)
    async def route(self: "ReviewApp", request: Request) -> Response:
        try:
            return await handler(self, request)
        except SummarizerError as exc:
            return _error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug: one line in the log, one line to the client
            LOG.error("internal error on %s %s: %s: %s", request.method, request.url.path, type(exc).__name__,
                      " ".join(str(exc).split())[:300])
            return JSONResponse({"error": "internal error (a bug): the server's log has one line on it"},
                                status_code=500)
    return route


def _day(value: Any, default: date) -> date:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise BadRequest(f"date must be a string YYYY-MM-DD, not {json.dumps(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"date must be YYYY-MM-DD, not {value[:40]!r}") from None


def _limit(value: str | None, default: int | None = 20, most: int = 500) -> int | None:
    if value is None or value == "":
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise BadRequest(f"limit must be a whole number from 1 to {most}, not {value[:20]!r}")
    return int(value)


def _changes(body: Any) -> dict[str, Any]:
    """The body of a change, its shape checked (the library checks the values)."""
    if not isinstance(body, dict):
        raise BadRequest("send a JSON object: {summary, title, status, position, sentences}")
    sentences = body.get("sentences")
    if sentences is not None and not isinstance(sentences, dict):
        raise BadRequest(f"sentences must be an object {{index: text}}, not {json.dumps(sentences)[:40]}")
    for field in ("summary", "title"):
        if field in body and body[field] is not None and not isinstance(body[field], str):
            raise BadRequest(f"{field} must be text or null")
    return body


class ReviewApp:
    """The application over one output folder.

    Args:
        folder: the output folder.
        day: the day the page opens on (default: the newest day with briefs, else today).
        state: the state database (default: FOLDER/state.sqlite).
    """

    def __init__(self, folder: Path, day: date | None = None, state: Path | None = None,
                 editor: str | None = None) -> None:
        self.folder, self.state, self.editor = Path(folder), state, editor
        review = self._review()
        try:
            newest = next((d["day"] for d in review.days() if d["day"] != "undated"), None)
            self.day = day or (date.fromisoformat(newest) if newest else datetime.now().astimezone().date())
            review.page(self.day)  # the day's order and stories computed now, not on the editor's first click
        finally:
            review.close()

    def _review(self) -> Review:
        return Review(self.folder, self.state, self.editor)

    async def page(self, request: Request) -> Response:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        try:
            day = _day(request.query_params.get("date"), self.day)
        except BadRequest as exc:
            return HTMLResponse(f"<!DOCTYPE html><title>Bad request</title><p>{escape(str(exc))}. "
                                f'<a href="/">Open the review</a></p>', status_code=400)
        env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
        return HTMLResponse(env.get_template("review.html.j2").render(day=day.isoformat(), folder=self.folder.name))

    async def brief_page(self, request: Request) -> Response:
        try:
            path = OutputDir(self.folder).brief_paths(request.path_params["id"])[2]
        except ValueError:
            path = None
        if path is None or not path.is_file():
            return HTMLResponse("<!DOCTYPE html><title>No such brief</title><p>No such brief.</p>", status_code=404)
        return FileResponse(path, media_type="text/html; charset=utf-8",
                            headers={"content-security-policy": BRIEF_PAGE_CSP})

    def _with(self, fn: Callable[[Review], Any]) -> JSONResponse:
        review = self._review()
        try:
            return JSONResponse(fn(review))
        finally:
            review.close()

    @guarded
    async def days(self, request: Request) -> Response:
        return self._with(lambda r: {"days": r.days(), "default": self.day.isoformat()})

    @guarded
    async def briefs(self, request: Request) -> Response:
        q = request.query_params
        day = _day(q.get("date"), self.day)
        filter, order = q.get("filter", "all"), q.get("order", "digest")
        limit = _limit(q.get("limit"), None, 2000)

        def page(r: Review) -> dict[str, Any]:
            offset = q.get("offset", "0")
            if q.get("story") and limit:
                ids = [b["id"] for b in r.page(day, filter, order)["briefs"]]
                if q["story"] in ids:
                    offset = ids.index(q["story"]) // limit * limit
            return r.page(day, filter, order, offset, limit)
        return self._with(page)

    @guarded
    async def flags(self, request: Request) -> Response:
        from ..desk.flagtable import LABELS, flag_info

        return JSONResponse({"flags": {name: flag_info(name) for name in LABELS}})

    @guarded
    async def brief(self, request: Request) -> Response:
        return self._with(lambda r: r.brief(request.path_params["id"]))

    @guarded
    async def history(self, request: Request) -> Response:
        return self._with(lambda r: {"history": r.history(request.path_params["id"])})

    @guarded
    async def change(self, request: Request) -> Response:
        body = _changes(await _json(request))
        return self._with(lambda r: r.change(request.path_params["id"], body))

    @guarded
    async def undo(self, request: Request) -> Response:
        return self._with(lambda r: r.undo(request.path_params["id"]))

    @guarded
    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        hits = search(self.folder, query, limit=_limit(request.query_params.get("limit")), state=self.state)
        return JSONResponse({"query": query, "hits": [h.to_dict() for h in hits]})

    @guarded
    async def preview(self, request: Request) -> Response:
        day = _day(request.query_params.get("date"), self.day)
        return self._with(lambda r: r.preview(day))

    @guarded
    async def digest(self, request: Request) -> Response:
        body = await _json(request)
        if not isinstance(body, dict):
            raise BadRequest('send a JSON object: {"date": "YYYY-MM-DD"}')
        day = _day(body.get("date"), self.day)
        review = self._review()
        try:
            paths = write_day(OutputDir(self.folder), day, edits=review.edits)
        except OSError as exc:
            raise BadRequest(f"cannot write the digest: {exc.strerror or exc}") from None
        finally:
            review.close()
        return JSONResponse({"date": day.isoformat(), "files": [p.name for p in paths]})

    def routes(self) -> list:
        """The application's routes (see the module doc)."""
        return [
            Route("/", self.page), Route("/briefs/{id}.html", self.brief_page),
            Route("/api/days", self.days), Route("/api/briefs", self.briefs),
            Route("/api/briefs/{id}", self.brief), Route("/api/briefs/{id}", self.change, methods=["PATCH", "POST"]),
            Route("/api/briefs/{id}/history", self.history), Route("/api/briefs/{id}/undo", self.undo, methods=["POST"]),
            Route("/api/search", self.search), Route("/api/flags", self.flags),
            Route("/api/digest", self.preview), Route("/api/digest", self.digest, methods=["POST"]),
            *NamesAPI(self.folder, self.state).routes(),  # the names panel (review.names_api)
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]


async def _json(request: Request) -> Any:
    data = await request.body()
    if len(data) > MAX_BODY:
        raise BadRequest(f"the body is over {MAX_BODY} bytes")
    try:
        return json.loads(data or b"{}")
    except ValueError:
        raise BadRequest("the body is not JSON") from None


def create_app(folder: Path, token: str, port: int, day: date | None = None, state: Path | None = None,
               editor: str | None = None) -> Guard:
    """The review application behind its guard."""
    app = ReviewApp(folder, day, state, editor)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        return JSONResponse({"error": getattr(exc, "detail", None) or "error"}, status_code=status)

    return Guard(Starlette(routes=app.routes(), exception_handlers={HTTPException: http_error}), token, port)
