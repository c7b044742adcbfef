"""The process model: serve.py's processes and threads, the HTTP server, the start of a WSGI host."""
