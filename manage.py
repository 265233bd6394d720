#!/usr/bin/env python
"""Django's command-line utility; ``azad`` (azad/__main__.py) is the same with hyphens."""

from azad.__main__ import main

if __name__ == "__main__":
    main()
