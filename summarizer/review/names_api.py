"""The names panel's API (desk.names), mounted by the review application behind the same guard
(Host, token, Origin) as every other route:

    GET   /api/names                 the folder's names memory: house spellings, variants met, changes
    GET   /api/briefs/{id}/names     the brief's names with their house spellings, and the offers: names
                                     an editor's edit spelled another way than the machine's house spelling
    POST  /api/names                 {"arabic", "english", "brief"?, "apply_day"?, "date"?}: make it the
                                     house spelling (every later run); with apply_day, respell the name
                                     in the day's briefs (the brief's day, or `date`) as editors' edits
                                     (PUT too)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..desk.days import local_day
from ..desk.names import apply_to_day, brief_names, list_names, set_name
from ..desk.review import Review, ReviewError
from ..errors import SummarizerError

MAX_BODY = 100_000


def _error(exc: Exception) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=getattr(exc, "status", 400))


class NamesAPI:
    """The routes of the names panel over one output folder (and its state database)."""

    def __init__(self, folder: Path, state: Path | None = None) -> None:
        self.folder, self.state = Path(folder), state

    async def names(self, request: Request) -> Response:
        try:
            return JSONResponse({"names": list_names(self.folder, self.state)})
        except SummarizerError as exc:
            return _error(exc)

    async def brief(self, request: Request) -> Response:
        review = Review(self.folder, self.state)
        try:
            return JSONResponse(brief_names(review, request.path_params["id"]))
        except (SummarizerError, ValueError) as exc:
            return _error(exc)
        finally:
            review.close()

    async def set(self, request: Request) -> Response:
        body = await _json(request)
        if not isinstance(body, dict) or not isinstance(body.get("arabic"), str) \
                or not isinstance(body.get("english"), str):
            return _error(ReviewError('send a JSON object: {"arabic": ..., "english": ..., "brief"?, "apply_day"?}'))
        try:
            return JSONResponse(self._set(body))
        except (SummarizerError, ValueError) as exc:
            return _error(exc)

    def _set(self, body: dict[str, Any]) -> dict[str, Any]:
        brief_id = body.get("brief") if isinstance(body.get("brief"), str) else None
        review = Review(self.folder, self.state)
        try:
            day = None
            if brief_id is not None:
                day = local_day(review._load(brief_id).get("created_at", ""))  # 404 for an unknown brief
            if body.get("date"):
                day = date.fromisoformat(str(body["date"]))
            row = set_name(self.folder, body["arabic"], body["english"], self.state, brief_id)
            applied = []
            if body.get("apply_day") is True:
                if day is None:
                    raise ReviewError("apply_day needs the brief the change came from, or a date")
                applied = apply_to_day(review, body["arabic"], body["english"], day)
            return {"name": row, "applied": applied}
        finally:
            review.close()

    def routes(self) -> list[Route]:
        """The panel's routes (see the module doc)."""
        return [Route("/api/names", self.names), Route("/api/names", self.set, methods=["POST", "PUT"]),
                Route("/api/briefs/{id}/names", self.brief)]


async def _json(request: Request) -> Any:
    data = await request.body()
    if len(data) > MAX_BODY:
        return None
    try:
        return json.loads(data or b"{}")
    except ValueError:
        return None
