"""What the editors' review works on, library side (the review page and scripts call these; nothing
here serves or prints): a day's briefs in digest order with the editors' status, order and text
laid over the machine's; changes and undo appended to the log (store.edits); the brief's pages
written again with the edited text; the digest of what was approved.

A day is the local calendar day a brief was made (as the digest's). A day's order is the digest's
story order until an editor moves something; from then on it is the order the editors left
(each move logs the whole order), and briefs that arrive after that (a late cron run) come after
the ordered ones, pending, never inside what was approved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..store.edits import STATUSES, EditRow, Edits, is_field, machine_text, overlay
from ..store.edits import text_hash as _hash
from ..store.outdir import OutputDir, load_briefs, state_path
from ..store.state import Store
from ..text.diff import word_diff
from ..types import brief_from_dict
from .digests import briefs_of_day, day_order, local_day


class ReviewError(ConfigError):
    """A change that cannot be made (an unknown brief, field or status): HTTP 400/404, CLI exit 2."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Review:
    """The review of one output folder (see the module doc).

    Args:
        folder: an output folder of `summarizer run`.
        state: its state database (default: FOLDER/state.sqlite).
    """

    def __init__(self, folder: str | Path, state: str | Path | None = None) -> None:
        self.folder = Path(folder)
        self.outdir = OutputDir(self.folder)
        self.store = Store.existing(state_path(self.folder, Path(state) if state else None), self.folder)
        self.edits = Edits(self.store)

    def close(self) -> None:
        """Close the state database."""
        self.store.close()

    # -- reading ------------------------------------------------------------------------------
    def _briefs(self, day: date | None = None) -> list[dict[str, Any]]:
        briefs = list(load_briefs(self.folder))
        return briefs_of_day(briefs, day) if day is not None else briefs

    def days(self) -> list[dict[str, Any]]:
        """Every day with briefs, newest first, with its counts (pending, approved, rejected, edited)."""
        return day_counts(self._briefs(), self.edits.current())

    def day(self, day: date) -> list[dict[str, Any]]:
        """The day's briefs in the editors' order (else the digest's), each as the page shows it."""
        briefs = day_order(self._briefs(day), self.edits.order(day.isoformat()))
        current = self.edits.current(b["id"] for b in briefs)
        return [self._entry(b, current.get(b["id"], {}), k) for k, b in enumerate(briefs)]

    def brief(self, brief_id: str) -> dict[str, Any]:
        """One brief as the page shows it (its day's position included)."""
        brief = self._load(brief_id)
        day = local_day(brief.get("created_at", ""))
        if day is not None:
            for entry in self.day(day):
                if entry["id"] == brief_id:
                    return entry
        return self._entry(brief, self.edits.current([brief_id]).get(brief_id, {}), 0)

    def _load(self, brief_id: str) -> dict[str, Any]:
        import json

        try:
            path = self.outdir.brief_paths(brief_id)[0]
        except ValueError:
            raise ReviewError(f"no brief {brief_id!r}", 404) from None
        if not path.is_file():
            raise ReviewError(f"no brief {brief_id!r} in {self.folder}", 404)
        return json.loads(path.read_text(encoding="utf-8"))

    def _entry(self, brief: Mapping[str, Any], fields: Mapping[str, EditRow], position: int) -> dict[str, Any]:
        shown, edited = overlay(brief, fields)
        source = brief.get("source") or {}
        day = local_day(brief.get("created_at", ""))
        return {
            "id": brief["id"], "date": day.isoformat() if day else None, "published": source.get("published"),
            "title": shown["title"].get("en", ""), "title_ar": shown["title"].get("ar", ""),
            "summary": shown["summary"].get("en", ""), "summary_ar": shown["summary"].get("ar", ""),
            "machine": {"title": machine_text(brief, "title"), "summary": machine_text(brief, "summary")},
            "status": _status(fields), "position": position, "edited": bool(edited),
            "stale": any(e["stale"] for e in edited.values()),
            "edits": {f: {**e, "diff": word_diff(e["machine"], e["value"])} for f, e in edited.items()},
            "language": brief.get("language"), "site": source.get("site"), "url": source.get("url"),
            "page": f"{brief['id']}.html", "flags": (brief.get("checks") or {}).get("flags", []),
            "sentences": [{"i": s.get("i"), "p": s.get("p"), "ar": s.get("ar"), "en": s.get("en"),
                           "edited": f"sentence:{k}" in edited} for k, s in enumerate(shown.get("sentences") or [])],
        }

    # -- changing -----------------------------------------------------------------------------
    def change(self, brief_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply an editor's changes: any of summary, title, status, position, sentences ({i: text}).

        Raises:
            ReviewError: an unknown brief, field or status, or a value of the wrong kind.
        """
        brief = self._load(brief_id)
        unknown = set(changes) - {"summary", "title", "status", "position", "sentences"}
        if "position" in changes and (isinstance(changes["position"], bool) or not isinstance(changes["position"], int)):
            raise ReviewError(f"position must be a whole number, not {changes['position']!r}")
        if unknown:
            raise ReviewError(f"cannot change {', '.join(sorted(unknown))} (summary, title, status, position, "
                              f"sentences)")
        rows: dict[str, tuple[str | None, str | None]] = {}
        for field in ("summary", "title"):
            if field in changes:
                rows[field] = (_text(changes[field], field), machine_text(brief, field))
        for key, value in dict(changes.get("sentences") or {}).items():
            k = int(key) if str(key).isdigit() else -1
            if not 0 <= k < len(brief.get("sentences") or []):
                raise ReviewError(f"no sentence {key!r} in brief {brief_id}")
            rows[f"sentence:{k}"] = (_text(value, "a sentence"), machine_text(brief, f"sentence:{k}"))
        if "status" in changes:
            if changes["status"] not in STATUSES:
                raise ReviewError(f"status must be {', '.join(STATUSES)}, not {changes['status']!r}")
            rows["status"] = (changes["status"], None)
        if rows:
            sources = {k: s.get("ar", "") for k, s in enumerate(brief.get("sentences") or [])}
            self.edits.add(brief_id, rows, sources)
        if "position" in changes:
            self._move(brief, changes["position"])
        self._render(brief_id)
        return self.brief(brief_id)

    def _move(self, brief: Mapping[str, Any], position: int) -> None:
        import json

        day = local_day(brief.get("created_at", ""))
        if day is None:
            return
        order = [b["id"] for b in day_order(self._briefs(day), self.edits.order(day.isoformat()))]
        order.remove(brief["id"])
        order.insert(max(0, min(position, len(order))), brief["id"])
        self.edits.add(brief["id"], {f"order:{day.isoformat()}": (json.dumps(order), None)})

    def undo(self, brief_id: str) -> dict[str, Any]:
        """Undo the brief's latest change (ReviewError 409 when there is none)."""
        brief = self._load(brief_id)
        sources = {k: s.get("ar", "") for k, s in enumerate(brief.get("sentences") or [])}
        if self.edits.undo(brief_id, sources) is None:
            raise ReviewError(f"nothing to undo on brief {brief_id}", 409)
        self._render(brief_id)
        return self.brief(brief_id)

    def edited_texts(self, since: date | None = None) -> list[dict[str, Any]]:
        """Every text an editor changed and kept (an undone edit is not one): the brief, field, day of
        the edit, the model that made the machine text, the machine text now, and the editor's."""
        rows = []
        for brief_id, fields in self.edits.current().items():
            texts = {f: r for f, r in fields.items() if is_text(f) and r.value is not None
                     and (since is None or r.at[:10] >= since.isoformat())}
            if not texts:
                continue
            try:
                brief = self._load(brief_id)
            except ReviewError:
                continue  # a brief whose files are gone
            models = brief.get("models") or {}
            for field, row in texts.items():
                role = "summarize" if field == "summary" else "translate"
                rows.append({"brief": brief_id, "field": field, "day": row.at[:10],
                             "model": (models.get(role) or {}).get("name"), "machine": machine_text(brief, field),
                             "edited": row.value, "stale": row.machine_hash != _hash(machine_text(brief, field))})
        return rows

    def history(self, brief_id: str) -> list[dict[str, Any]]:
        """The brief's log, oldest first."""
        self._load(brief_id)
        return [row._asdict() for row in self.edits.history(brief_id)]

    def _render(self, brief_id: str) -> None:
        render_edited(self.outdir, self.edits, self._load(brief_id))


def render_edited(outdir: OutputDir, edits: Edits, brief: Mapping[str, Any]) -> None:
    """Write a brief's HTML and Markdown pages again with its editors' text (the JSON keeps the
    machine's: runs write machine fields only)."""
    from ..render.html import brief_html
    from ..render.markdown import brief_markdown
    from ..store.atomic import atomic_write

    shown, edited = overlay(brief, edits.current([brief["id"]]).get(brief["id"], {}))
    made = brief_from_dict(shown)
    _, md_path, html_path = outdir.brief_paths(brief["id"])
    atomic_write(html_path, brief_html(made, edited))
    atomic_write(md_path, brief_markdown(made, edited))


def day_counts(briefs: Iterable[Mapping[str, Any]], current: Mapping[str, Mapping[str, EditRow]]
               ) -> list[dict[str, Any]]:
    """Per day (newest first): briefs, pending, approved, rejected, edited."""
    days: dict[str, dict[str, int]] = {}
    for brief in briefs:
        day = local_day(brief.get("created_at", ""))
        counts = days.setdefault(day.isoformat() if day else "undated",
                                 {"briefs": 0, "pending": 0, "approved": 0, "rejected": 0, "edited": 0})
        fields = current.get(brief["id"], {})
        counts["briefs"] += 1
        counts[_status(fields)] += 1
        counts["edited"] += any(is_text(f) and r.value is not None for f, r in fields.items())
    return [{"day": d, **c} for d, c in sorted(days.items(), reverse=True)]


def is_text(field: str) -> bool:
    """A field that holds text (not status or position)."""
    return is_field(field) and field not in ("status", "position")


def _status(fields: Mapping[str, EditRow]) -> str:
    row = fields.get("status")
    return row.value if row is not None and row.value in STATUSES else "pending"


def _text(value: Any, what: str) -> str | None:
    if value is None:
        return None  # back to the machine text
    if not isinstance(value, str) or not value.strip():
        raise ReviewError(f"{what} must be some text (or null to go back to the machine's)")
    return " ".join(value.split())
