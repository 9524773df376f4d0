"""API fixtures live in tests/conftest.py (``api_as`` is shared with page tests)."""
