#!/usr/bin/env python3
# scripts/completions.py [REPO]: rewrites the option lists of completions/flatcost.bash and _flatcost from
# the commands' getopt_long tables (as tests/cli/completion.bats reads them).
import re, subprocess, os, textwrap, sys
os.chdir(sys.argv[1] if len(sys.argv) > 1 else '.')
cmds = subprocess.check_output(['./flatcost', 'help', '--complete', 'commands'], text=True).split()
lists = {}
for c in cmds:
    f = 'cmd/cmd_%s.c' % c.replace('-', '_')
    if not os.path.exists(f):
        continue
    src = open(f).read()
    if 'struct option' not in src:
        continue
    opts = set('--' + m for m in re.findall(r'^\s*\{\s*"([A-Za-z0-9_-]+)",\s*(?:no|required|optional)_argument', src, re.M))
    if re.search(r'"output",\s*required_argument', src):
        opts.add('-o')
    if not re.search(r'"help",\s*no_argument', src):
        opts.add('--help')
    lists[c] = sorted(opts, key=lambda s: (s == '-o', s))
def wrap(words, first, indent):
    return textwrap.fill(' '.join(words), width=88, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)
def bash_block():
    out = []
    for c in sorted(lists):
        body = wrap(lists[c], '', '\t\t')
        out.append('\t%s) echo "%s";;' % (c, body))
    return '\n'.join(out) + '\n'
def zsh_block():
    out = []
    for c in sorted(lists):
        body = wrap(lists[c], '', '\t\t')
        out.append('\t%s) opts=(%s);;' % (c, body))
    return '\n'.join(out) + '\n'
p = 'completions/flatcost.bash'; s = open(p).read()
s = re.sub(r'(_flatcost_opts\(\) \{\n\tcase \$1 in\n)(.*?)(\tesac\n)', lambda m: m.group(1) + bash_block() + m.group(3), s, flags=re.S)
open(p, 'w').write(s)
p = 'completions/_flatcost'; s = open(p).read()
s = re.sub(r'(\tesac\n\tcase \$cmd in\n)(\tbench\) opts=.*?)(\tesac\n)', lambda m: m.group(1) + zsh_block() + m.group(3), s, flags=re.S)
open(p, 'w').write(s)
print('commands with options:', ' '.join(sorted(lists)))
