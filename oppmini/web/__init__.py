"""The HTTP face: the WSGI app, the URL map, the request checks, the handlers, the OpenAPI document and the page."""
