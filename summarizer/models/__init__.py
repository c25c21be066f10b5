"""Models: the registry (name -> loaded model), weights on disk or from the hub, engines,
token batching, and the tiny test models. No article text logic lives here."""
