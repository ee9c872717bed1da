"""Tests of hooksig.scheme: the Protocol, declared schemes, formats, handshakes, compiled route."""
