"""Run the summarizer command line from a checkout: `python cli.py run ...` (same as `summarizer`)."""

from summarizer.cli import main

if __name__ == "__main__":
    main()
