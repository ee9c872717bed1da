"""Tests against real servers (Redis, PostgreSQL, uvicorn, gunicorn); see tests/README.md."""
