#!/usr/bin/env python3
"""deep_json.py N: prints a JSON array nested N deep ([[[...]]])."""
import sys

n = int(sys.argv[1])
sys.stdout.write("[" * n + "]" * n + "\n")
