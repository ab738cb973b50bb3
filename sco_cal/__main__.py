from __future__ import annotations

from sco_cal.cli import main

main()
