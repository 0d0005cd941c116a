"""`python -m csm`."""

from csm.cli import main

main()
