"""Tests of the hooksig command (hooksig.cli), run in-process."""
