#!/bin/sh
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10 only).
# Looks at $PYTHON, then PATH, then pyenv; otherwise says how to get one.
is310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

for candidate in "${PYTHON:-}" python3.10 python3 python; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is310 "$path"; then echo "$path"; exit 0; fi
done

if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for path in $(ls -d "$root"/versions/3.10.*/bin/python3 2>/dev/null | sort -V -r); do
    if is310 "$path"; then echo "$path"; exit 0; fi
  done
fi

cat >&2 <<'MSG'
Python 3.10 was not found (Rasa 3.6 runs on Python 3.8-3.10 only).
Install one, then run make again, for example:
  - Debian/Ubuntu: apt-get install python3.10 python3.10-venv
  - pyenv:         pyenv install 3.10.13
  - or point to one: make run PYTHON=/path/to/python3.10
MSG
exit 1
