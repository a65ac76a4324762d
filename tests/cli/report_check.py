#!/usr/bin/env python3
"""report_check.py FLATCOST PAGE.html: every number on a `flatcost report`
page equals the same number in the --format json of the command it names.

The page lists its commands (<code data-cmd="SRC">flatcost ...</code>);
each number is <span data-src="SRC" data-key="a.b.0.c" data-v="V">TEXT</span>.
Runs each command with --format json, then checks for every number that
the JSON at data-key is exactly V, and that TEXT is V rounded for people
($1,234 / 12%, 0.05% or <0.01% / 1,234 / 12.3 s / 3 significant digits).  Prints how many
numbers were checked per command; exits 1 on the first mismatch."""
import json
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

flatcost, page = sys.argv[1], sys.argv[2]
root = ET.parse(page).getroot()
ns = '{http://www.w3.org/1999/xhtml}'
cmds, nums = {}, []
for e in root.iter():
    if e.tag == ns + 'code' and e.get('data-cmd'):
        cmds[e.get('data-cmd')] = e.text
    if e.get('data-src'):
        nums.append((e.get('data-src'), e.get('data-key'), e.get('data-v'), e.text))
if not cmds or not nums:
    sys.exit('no commands or no numbers on the page')
docs = {}
for src, cmd in cmds.items():
    argv = shlex.split(cmd)
    assert argv[0] == 'flatcost', cmd
    out = subprocess.run([flatcost] + argv[1:] + ['--format', 'json'], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    docs[src] = json.loads(out)


def at(doc, key):
    for part in key.split('.'):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def shown(text, v):
    t = text.replace(',', '').replace('$', '')
    if t == '<0.01%':
        return 0 < v < 1e-4
    if t.endswith('%'):
        return abs(float(t[:-1]) - 100 * v) <= 0.5 + 1e-9
    if t.endswith(' s'):
        return abs(float(t[:-2]) - v) <= 0.05 + 1e-9
    if re.fullmatch(r'-?\d+', t):
        return abs(float(t) - v) <= 0.5 + 1e-9
    return float(t) == float('%.3g' % v)


count = {}
for src, key, v, text in nums:
    if src not in docs:
        sys.exit('%s: no command on the page for %s' % (key, src))
    try:
        j = at(docs[src], key)
    except (KeyError, IndexError, TypeError):
        sys.exit('%s %s: not in the JSON' % (src, key))
    if float(j) != float(v):
        sys.exit('%s %s: the page says %s, the JSON %r' % (src, key, v, j))
    if not shown(text, float(v)):
        sys.exit('%s %s: shown as %r for %s' % (src, key, text, v))
    count[src] = count.get(src, 0) + 1
print(' '.join('%s=%d' % kv for kv in sorted(count.items())))
