"""Tests of hooksig._primitives: the headers view, strict decoders, the compare, and the crypto."""
