# Sourced by the scripts: create .venv and install papernotes (with extras $PAPERNOTES_EXTRAS) when
# pyproject.toml changed since the last install. Needs only python3 >= 3.11 on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
if [ ! -x "$root/.venv/bin/python" ]; then
  "$py" -m venv "$root/.venv"
  "$root/.venv/bin/python" -m pip install --quiet --upgrade pip
fi
extras="${PAPERNOTES_EXTRAS:-}"
spec="$root"; [ -n "$extras" ] && spec="$root[$extras]"
stamp="$root/.venv/.papernotes-installed"
want="$(cat "$root/pyproject.toml" | sha256sum | cut -c1-16)-$extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
  echo "$want" > "$stamp"
fi
export NO_MKDOCS_2_WARNING=1
