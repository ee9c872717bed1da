"""Tests of hooksig.idempotency: the guard, the key rules and the stores."""
