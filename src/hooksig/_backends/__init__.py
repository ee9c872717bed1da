"""
The connections the stores keep their state through: private to hooksig.

A SQLite file opened once per thread and process, a PostgreSQL pool whose
calls all have a deadline, and the drivers of the extras, imported on first
use.  The idempotency stores, the journal and the gate's shared rate limit
all connect through these, each with its own SQL or scripts; this layer
sits below all three, so none of them reads another's private modules.
"""
