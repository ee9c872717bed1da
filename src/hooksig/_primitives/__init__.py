"""
Bytes-level helpers, provider-agnostic, imported only inside hooksig.

The headers view, the strict decoders, the one constant-time compare, and
the only module that imports ``cryptography``.
"""
