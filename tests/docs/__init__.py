"""Every Python code block in docs/ and README.md, run as written."""
