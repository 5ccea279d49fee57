"""`python -m llm_planner ...`"""

import sys

from llm_planner.tools.cli import main

sys.exit(main())
