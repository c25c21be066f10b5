"""The editors' review application: the page and the JSON API it uses (scripts can use it too).

    GET   /                         the page (a day's stories; ?date=YYYY-MM-DD)
    GET   /api/days                 every day with its counts
    GET   /api/briefs?date=D        the day's briefs in order: id, date, title, summary, status,
                                    position, edited, stale, sentences, edits (with word diffs) ...
    GET   /api/briefs/{id}          one brief; /api/briefs/{id}/history its log
    PATCH /api/briefs/{id}          any of summary, title, status, position, sentences {i: text}
                                    (POST too; null puts the machine text back)
    POST  /api/briefs/{id}/undo     undo the brief's latest change
    GET   /api/search?q=...         the search of the briefs (summarizer.search)
    POST  /api/digest               {"date": D}: the day's digest of the approved stories

Every request passes review.security.Guard first (Host, token, Origin, CSP).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..desk.digests import write_day
from ..desk.review import Review, ReviewError
from ..desk.search import search
from ..errors import SummarizerError
from ..store.outdir import OutputDir
from .names_api import NamesAPI
from .security import Guard

HERE = Path(__file__).resolve().parent
MAX_BODY = 1_000_000


def _error(exc: Exception) -> JSONResponse:
    status = getattr(exc, "status", 400)
    return JSONResponse({"error": str(exc)}, status_code=status)


def _day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReviewError(f"date must be YYYY-MM-DD, not {value!r}") from None


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
        finally:
            review.close()
        self.day = day or (date.fromisoformat(newest) if newest else datetime.now().astimezone().date())

    def _review(self) -> Review:
        return Review(self.folder, self.state, self.editor)

    async def page(self, request: Request) -> Response:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
        day = _day(request.query_params.get("date"), self.day)
        return HTMLResponse(env.get_template("review.html.j2").render(day=day.isoformat(), folder=self.folder.name))

    def _with(self, fn, *args: Any) -> JSONResponse:
        review = self._review()
        try:
            return JSONResponse(fn(review, *args))
        except (SummarizerError, ValueError) as exc:
            return _error(exc)
        finally:
            review.close()

    async def days(self, request: Request) -> Response:
        return self._with(lambda r: {"days": r.days(), "default": self.day.isoformat()})

    async def briefs(self, request: Request) -> Response:
        try:
            day = _day(request.query_params.get("date"), self.day)
        except ReviewError as exc:
            return _error(exc)
        return self._with(lambda r: {"date": day.isoformat(), "briefs": r.day(day)})

    async def brief(self, request: Request) -> Response:
        return self._with(lambda r: r.brief(request.path_params["id"]))

    async def history(self, request: Request) -> Response:
        return self._with(lambda r: {"history": r.history(request.path_params["id"])})

    async def change(self, request: Request) -> Response:
        body = await _json(request)
        if not isinstance(body, dict):
            return _error(ReviewError("send a JSON object: {summary, title, status, position, sentences}"))
        return self._with(lambda r: r.change(request.path_params["id"], body))

    async def undo(self, request: Request) -> Response:
        return self._with(lambda r: r.undo(request.path_params["id"]))

    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        try:
            hits = search(self.folder, query, limit=int(request.query_params.get("limit", "20")), state=self.state)
        except (SummarizerError, ValueError) as exc:
            return _error(exc)
        return JSONResponse({"query": query, "hits": [h.to_dict() for h in hits]})

    async def digest(self, request: Request) -> Response:
        body = await _json(request)
        try:
            day = _day((body or {}).get("date") if isinstance(body, dict) else None, self.day)
            review = self._review()
            try:
                paths = write_day(OutputDir(self.folder), day, edits=review.edits)
            finally:
                review.close()
        except (SummarizerError, ValueError, OSError) as exc:
            return _error(exc)
        return JSONResponse({"date": day.isoformat(), "files": [p.name for p in paths]})

    def routes(self) -> list:
        """The application's routes (see the module doc)."""
        return [
            Route("/", self.page), Route("/api/days", self.days), Route("/api/briefs", self.briefs),
            Route("/api/briefs/{id}", self.brief), Route("/api/briefs/{id}", self.change, methods=["PATCH", "POST"]),
            Route("/api/briefs/{id}/history", self.history), Route("/api/briefs/{id}/undo", self.undo, methods=["POST"]),
            Route("/api/search", self.search), Route("/api/digest", self.digest, methods=["POST"]),
            *NamesAPI(self.folder, self.state).routes(),  # the names panel (review.names_api)
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]


async def _json(request: Request) -> Any:
    data = await request.body()
    if len(data) > MAX_BODY:
        return None
    try:
        return json.loads(data or b"{}")
    except ValueError:
        return None


def create_app(folder: Path, token: str, port: int, day: date | None = None, state: Path | None = None,
               editor: str | None = None) -> Guard:
    """The review application behind its guard."""
    app = ReviewApp(folder, day, state, editor)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        return JSONResponse({"error": getattr(exc, "detail", None) or "error"}, status_code=status)

    return Guard(Starlette(routes=app.routes(), exception_handlers={HTTPException: http_error}), token, port)
