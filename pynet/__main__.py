"""``python -m pynet``: the command-line tool (see ``pynet.cli``)."""

import sys

from .cli import main

sys.exit(main())
