"""The cron-grade run of an output folder, library side: lock, state, recovery, atomic writes,
report, digest. Never prints; the CLI observes it."""

from .report import RunReport
from .run import RunObserver, RunSettings, retry_settings, run_folder
from .status import folder_status

__all__ = ["RunObserver", "RunReport", "RunSettings", "folder_status", "retry_settings", "run_folder"]
