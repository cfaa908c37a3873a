#!/usr/bin/python3
"""gen-enum.py - make an EnumerateResponse of about SIZE bytes for
`rdmsctl parse`, from a real one (as the simulator sends it).

usage: gen-enum.py TEMPLATE.xml SIZE OUT.xml

TEMPLATE is an EnumerateResponse holding at least one item in <w:Items>
(rdmsctl enumerate Win32_RDMSVirtualDesktop -o xml); its items are repeated,
each copy with a distinct Name, until the body reaches SIZE bytes.
"""
import re
import sys


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    text = open(sys.argv[1], encoding="utf-8").read()
    size = int(sys.argv[2])
    m = re.search(r"(<w:Items>)(.*)(</w:Items>)", text, re.S)
    if not m:
        sys.stderr.write("gen-enum.py: no <w:Items> in the template\n")
        return 1
    items = re.findall(r"<p:(\w+) .*?</p:\1>", m.group(2), re.S)
    whole = re.findall(r"(<p:(\w+) .*?</p:\2>)", m.group(2), re.S)
    if not whole:
        sys.stderr.write("gen-enum.py: no item in the template\n")
        return 1
    head, tail = text[:m.start(2)], text[m.end(2):]
    parts, n, total = [], 0, len(head) + len(tail)
    while total < size:
        item = whole[n % len(whole)][0]
        item = re.sub(r"<p:Name>([^<]*)</p:Name>",
                      lambda x: "<p:Name>%s-%06d</p:Name>" % (x.group(1), n), item, count=1)
        parts.append(item)
        total += len(item)
        n += 1
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(head + "".join(parts) + tail)
    sys.stderr.write("gen-enum.py: %d items of %s, %d bytes\n" % (n, ",".join(sorted(set(items))), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
