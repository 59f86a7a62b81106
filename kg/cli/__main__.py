"""`python -m kg.cli`."""

import sys

from kg.cli import main

sys.exit(main())
