"""What the API contract fixes for every layer: the error family and its strings, request bodies, JSON bytes."""
