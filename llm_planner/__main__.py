"""`python -m llm_planner ...`"""

import sys

from llm_planner.cli import main

sys.exit(main())
