"""The store of an output folder: everything that reads or writes its files and its state database
(outdir and atomic writes, the SQLite state and its migrations, the editors' log, feed state). It knows
nothing of how briefs are made: no pipeline, no models."""
