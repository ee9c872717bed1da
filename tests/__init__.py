"""The hooksig test suite (a package, so helpers import as ``tests.<module>``)."""
