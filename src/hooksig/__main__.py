"""``python -m hooksig``: the same as the ``hooksig`` command."""

import sys

from .cli import main

sys.exit(main())
