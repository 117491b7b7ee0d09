#!/usr/bin/env bash
# The clients users have today, beside Debian bookworm's docker-compose 1.29 and CLI 20.10: compose v2 (2.26) and
# buildx (0.13) as docker CLI plug-ins. Bookworm has neither; Debian trixie packages both as Go binaries that need
# only libc, so they are downloaded from trixie with a private apt state (the host's sources and package database
# stay untouched) and unpacked into ~/.docker/cli-plugins. With buildx there, `docker build` on CLI 28 is buildx.
# Tests that give a client its own DOCKER_CONFIG link the plug-ins from here (test-fixtures' DockerCli). Idempotent.
set -euo pipefail
PLUGINS=${WIP_CLI_PLUGINS:-$HOME/.docker/cli-plugins}
# a plug-in binary run by itself answers like the plug-in: `docker-compose version`, `docker-buildx version`
have() { [ -x "$PLUGINS/docker-$1" ] && "$PLUGINS/docker-$1" version 2>/dev/null | grep -q "$2"; }
if have compose ' 2\.26' && have buildx ' 0\.13'; then
  echo "clients: compose $("$PLUGINS/docker-compose" version --short) and buildx $("$PLUGINS/docker-buildx" version | cut -d' ' -f2) present in $PLUGINS"
  exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t"/lists/partial "$t"/cache/archives/partial "$t"/etc "$t"/x
printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
  >"$t/etc/trixie.sources"
apt_private() {
  apt-get -qq -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$t/etc" -o Dir::State::Lists="$t/lists" \
    -o Dir::Cache="$t/cache" -o APT::Sandbox::User=root "$@"
}
apt_private update
(cd "$t" && apt_private download docker-compose docker-buildx)
for deb in "$t"/docker-compose_2*.deb "$t"/docker-buildx_*.deb; do dpkg-deb -x "$deb" "$t/x"; done
mkdir -p "$PLUGINS"
install -m 755 "$t"/x/usr/libexec/docker/cli-plugins/docker-compose "$t"/x/usr/libexec/docker/cli-plugins/docker-buildx \
  "$PLUGINS/"
echo "clients: installed compose $("$PLUGINS/docker-compose" version --short) and" \
  "buildx $("$PLUGINS/docker-buildx" version | cut -d' ' -f2) into $PLUGINS"
