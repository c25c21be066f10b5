"""The editors' local review page: routes, API, templates and static files (an application layer
beside cli/, using desk/ and store/; it may serve, nothing below it does)."""
