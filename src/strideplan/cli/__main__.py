"""``python -m strideplan.cli``."""

from . import main

main()
