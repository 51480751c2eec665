#!/usr/bin/env bash
# A CPython from Debian's archive, for testing the student install on several
# Python versions:  tools/debian-python.sh VERSION DIR  ->  DIR/bin/pythonVERSION
#
# 3.11 is Debian 12's own python3.11 (installed with apt if missing; DIR/bin links
# to it). 3.13 is Debian 13's ("trixie"): its packages are downloaded with a private
# apt configuration (the system's apt and dpkg are not touched), unpacked into DIR,
# and the interpreter is pointed at trixie's own C library with patchelf (trixie's
# python needs a newer glibc than Debian 12's). Needs root or sudo only for apt-get
# install (python3.11, patchelf). The interpreter's version is printed last.
set -euo pipefail
version=${1:?usage: tools/debian-python.sh VERSION DIR}
dest=$(realpath -m "${2:?usage: tools/debian-python.sh VERSION DIR}")
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
apt_install() {
  dpkg -s "$@" >/dev/null 2>&1 && return 0
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$@" >/dev/null
}
case "$version" in
  3.11)
    apt_install python3.11 python3.11-venv
    mkdir -p "$dest/bin" && ln -sf /usr/bin/python3.11 "$dest/bin/python3.11"
    exec "$dest/bin/python3.11" -c "import sys; print('python', sys.version.split()[0], 'from Debian bookworm')" ;;
  3.13) suite=trixie ;;
  *) echo "no Debian suite known for Python $version (3.11, 3.13)" >&2; exit 2 ;;
esac
if [ -x "$dest/bin/python$version" ] && "$dest/bin/python$version" -c "import ssl, sqlite3, venv" 2>/dev/null; then
  exec "$dest/bin/python$version" -c "import sys; print('python', sys.version.split()[0], 'from Debian $suite')"
fi
command -v patchelf >/dev/null || apt_install patchelf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{etc/sources.list.d,etc/preferences.d,state/lists/partial,cache/archives/partial}
cat > "$work/etc/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
SRC
: > "$work/status"
apt_opts=(-o "Dir::Etc=$work/etc" -o "Dir::State=$work/state" -o "Dir::State::status=$work/status"
          -o "Dir::Cache=$work/cache" -o "APT::Architecture=amd64" -o "Debug::NoLocking=1"
          -o "APT::Install-Recommends=0" -o "APT::Get::AllowUnauthenticated=0")
apt-get "${apt_opts[@]}" update -qq 2>&1 | grep -v "unsandboxed" >&2 || true
# Everything the interpreter, venv/ensurepip, ssl and sqlite need, resolved against
# an empty package state, so the C library comes along.
apt-get "${apt_opts[@]}" install -y -qq --download-only \
  "python$version" "python$version-venv" "libpython$version-stdlib" libc6 2>&1 | grep -v "unsandboxed\|debconf" >&2 || true
rm -rf "$dest"; mkdir -p "$dest"
for deb in "$work"/cache/archives/*.deb; do dpkg-deb -x "$deb" "$dest"; done
# DIR/bin and DIR/lib, where a venv made from DIR/bin/pythonX.Y looks for the stdlib.
[ -e "$dest/bin" ] || ln -s usr/bin "$dest/bin"
[ -e "$dest/lib" ] || ln -s usr/lib "$dest/lib"
# ensurepip (python -m venv) takes pip from Debian's wheel folder: this one's, not the system's.
sed -i "s|'WHEEL_PKG_DIR': '/usr/share/python-wheels/'|'WHEEL_PKG_DIR': '$dest/usr/share/python-wheels/'|" \
  "$dest"/usr/lib/python$version/_sysconfigdata_*.py
patchelf --set-interpreter "$dest/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
         --force-rpath --set-rpath "$dest/usr/lib/x86_64-linux-gnu" "$dest/usr/bin/python$version"
"$dest/bin/python$version" -c "import ssl, sqlite3, venv, ensurepip; print('python', __import__('sys').version.split()[0], 'from Debian', '$suite')"
