"""`python -m kg`: the same command as `kg`."""

import sys

from kg.cli import main

sys.exit(main())
