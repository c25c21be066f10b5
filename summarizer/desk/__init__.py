"""What people and monitors do with an output folder: review, digests, status, search. Uses the
folder's store (store/), never the pipeline; review/ and cli/ sit above it. Never prints."""
