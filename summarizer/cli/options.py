"""The options of `summarizer run`, defined once (the command's signature names them)."""

from __future__ import annotations

import typer

INPUTS = typer.Argument(None, help="Files, folders (recursive), http(s) URLs (pages or "
                                                "feeds), or - for stdin.")
OUT = typer.Option(..., "--out", "-o", help="Output folder for briefs, state and the run report.")
MODELS = typer.Option(None, "--models", help="models.yaml to use (default: the bundled one).")
PROFILE = typer.Option("default", "--profile", "-p", help="Profile of models.yaml.")
DEVICE = typer.Option("auto", "--device", help="auto, cpu or cuda.")
ENGINE = typer.Option(None, "--engine", help="auto, torch or ctranslate2 (default: models.yaml).")
THREADS = typer.Option(None, "--threads", min=1, help="CPU threads (default: all cores).")
MAX_BYTES = typer.Option(5_000_000, "--max-bytes", min=1, help="Size cap of one input, in bytes.")
STATE = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite).")
FORCE = typer.Option(False, "--force", help="Process every article again, even those already done.")
WAIT = typer.Option(False, "--wait", help="If another run holds OUT, wait for it instead of exiting 75.")
LOG_FORMAT = typer.Option("text", "--log-format", help="text or json (one JSON object per line).")
TIMESTAMPS = typer.Option(None, "--timestamps/--no-timestamps", help="Text logs: each line starts with its UTC "
                                                                   "time (default: on when stderr is not a terminal).")
MAX_ATTEMPTS = typer.Option(3, "--max-attempts", min=1, help="Give up an input after this many failed runs (it is "
                                                           "skipped and listed by status; retry --given-up tries it).")
METRICS = typer.Option(None, "--metrics", help="Write Prometheus metrics of the folder to FILE at the end "
                                               "(atomically: node_exporter's textfile collector).")
LOG_EVERY = typer.Option(100, "--log-every", min=1, help="Without a terminal: a progress line every N articles.")
WINDOW = typer.Option(None, "--window", min=1, help="Articles pooled per window (memory vs "
                                         "speed; default 32).")
GLOSSARY = typer.Option(None, "--glossary", help="CSV of Arabic term, English rendering[, note].")
STRICT = typer.Option(False, "--strict", help="Replace unsupported summary sentences by lead sentences.")
DIGEST = typer.Option(False, "--digest", help="Also write OUT/digest.html and OUT/digest.md at the end.")
NO_RETRY = typer.Option(False, "--no-retry", help="Do not retry looping translations (still flagged).")
SOURCES = typer.Option(None, "--sources", help="sources.yaml or OPML file of feeds to read.")
FOLLOW = typer.Option(None, "--follow", help="Fetch feed items' pages: teaser (when the feed "
                                         "text is short; the default), always or never.")
CONTACT = typer.Option(None, "--contact", help="E-mail or URL sent in the User-Agent.")
DELAY = typer.Option(1.0, "--delay", min=0, help="Seconds between two requests to one host.")
MAX_PAGES = typer.Option(50, "--max-pages", min=1, help="Most pages fetched per host per run.")
CONCURRENCY = typer.Option(4, "--concurrency", min=1, help="Most requests in flight at once.")
FETCH_TIMEOUT = typer.Option(20.0, "--fetch-timeout", min=0.1, help="Seconds one request may take in all "
                                                                  "(connect, headers and body).")
ALLOW_PRIVATE = typer.Option(False, "--allow-private", help="Let feed links and redirects reach private, "
                                       "loopback, link-local and CGNAT addresses of other origins.")
MAX_ITEMS = typer.Option(200, "--max-items", min=1, help="Most new items taken from one feed in one run "
                                                        "(the rest wait for the next run).")
EXECUTOR = typer.Option("local", "--executor", help="local, or ray (needs: pip install 'summarizer[ray]').")
RAY_ADDRESS = typer.Option(None, "--ray-address", help="Ray cluster to join: auto, or "
                                              "ray://HOST:10001 (default: start a local Ray).")
ACTORS = typer.Option(2, "--actors", min=1, help="Ray worker actors (each translates and summarises, for the whole run).")
CPUS_PER_ACTOR = typer.Option(1.0, "--cpus-per-actor", min=0.1, help="CPUs each Ray worker reserves.")
GPUS_PER_ACTOR = typer.Option(0.0, "--gpus-per-actor", min=0, help="GPUs each Ray worker reserves "
                                         "(fractions share a GPU).")
QUIET = typer.Option(False, "--quiet", "-q", help="Print only errors.")
VERBOSE = typer.Option(False, "--verbose", "-v", help="Print debugging detail.")
