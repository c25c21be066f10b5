"""The editors' local review page: routes, API, templates and static files (an application layer
beside cli/, using runs/ and search/; it may serve, nothing below it does)."""
