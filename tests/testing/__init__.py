"""Tests of hooksig.testing: helpers, Hypothesis strategies and the pytest plugin."""
