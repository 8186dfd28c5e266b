#!/usr/bin/env python
"""Same as the `gongkai` console command."""

from gongkai.__main__ import main

if __name__ == "__main__":
    main()
