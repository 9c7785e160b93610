"""Prints the fenced code block of language LANG in the Markdown file FILE
that contains TEXT, so that tests run the configuration the docs show.

  doc-block.py FILE LANG TEXT
"""
import re
import sys

path, lang, text = sys.argv[1:4]
blocks = [m.group(1) for m in re.finditer(
    r"^```" + re.escape(lang) + r"\n(.*?)^```", open(path).read(), re.M | re.S)
    if text in m.group(1)]
if len(blocks) != 1:
    sys.exit("%s: %d %s blocks contain %r (want 1)" % (path, len(blocks), lang, text))
sys.stdout.write(blocks[0])
