"""`python -m oppmini.admin`: opp-db."""

import sys

from .main import main

sys.exit(main())
