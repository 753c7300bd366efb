#!/usr/bin/env python3
"""The demo Django portal's manage.py: `python demo/manage.py runserver` (`make demo` migrates and runs it)."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.portal.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
