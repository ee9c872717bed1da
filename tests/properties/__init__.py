"""Hypothesis property tests over every registered scheme."""
