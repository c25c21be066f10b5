"""Exceptions of the library. The CLI turns them into one-line messages and exit codes."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class: every error the library raises on purpose."""


class ConfigError(SummarizerError):
    """models.yaml or a command-line setting is invalid (exit code 2)."""


class ModelUnavailable(SummarizerError):
    """A model's weights are not usable on this machine and cannot be fetched now (exit code 2).

    Attributes:
        name: the registry name.
        ref: hub id or local folder.
        reason: what is wrong ("is not downloaded and ... cannot be reached", "model.safetensors is truncated").
        hint: how to fix it.
    """

    def __init__(self, name: str, ref: str, reason: str, hint: str) -> None:
        self.name, self.ref, self.reason, self.hint = name, ref, reason, hint
        super().__init__(f"model '{name}' ({ref}) {reason}; {hint}")


class InputError(SummarizerError):
    """One input or article cannot be processed; the batch goes on."""


class OutputError(SummarizerError):
    """A file or folder the run needs could not be read or written: disk full, no permission, a
    read-only file system (exit code 2). The message names the path and what the system said."""

    @classmethod
    def from_os(cls, exc: OSError, doing: str = "use") -> "OutputError":
        """The one-line error for an OSError: what was done, the path, the system's words."""
        path = exc.filename if exc.filename is not None else "a file"
        other = f" -> {exc.filename2}" if getattr(exc, "filename2", None) else ""
        return cls(f"cannot {doing} {path}{other}: {exc.strerror or exc}")


class LockedError(SummarizerError):
    """Another run holds the output folder (exit code 75)."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        self.pid = pid
        super().__init__(message)


class MissingExtra(SummarizerError):
    """An optional dependency (an extra such as `summarizer[ray]`) is needed and not installed (exit 2)."""
