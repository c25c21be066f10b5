"""The run of an output folder, library side: inputs and feeds, the pipeline over them, signals,
the run report, Ray. It uses the folder's store (store/) and the desk's day writer (desk/). Never prints;
the CLI observes it."""

from .report import RunReport
from .run import RunObserver, RunSettings, retry_settings, run_folder

__all__ = ["RunObserver", "RunReport", "RunSettings", "retry_settings", "run_folder"]
