#!/bin/sh
# Installs the named packages from Debian's next release (forky), pinned low so that nothing else comes from it, as the
# week-7 grader image does for promtool: trixie's Prometheus is 2.53 and has no mikefarah yq; forky has Prometheus
# 3.5 LTS and yq-go 4.x. The archive is the mirror the base image already uses; Valid-Until is not checked (a mirror
# serving a dated snapshot hands out a Release file past the testing suite's short validity); signatures are.
set -eu
uri="$(sed -n -E 's/^deb (\[[^]]*\] )?([^ ]+) (bookworm|trixie) main.*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n 1)"
[ -n "$uri" ] || uri="$(sed -n -E 's/^URIs: *([^ ]+).*/\1/p' /etc/apt/sources.list.d/debian.sources | head -n 1)"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri forky main" > /etc/apt/sources.list.d/forky.list
printf 'Package: *\nPin: release n=forky\nPin-Priority: 100\n' > /etc/apt/preferences.d/forky
apt-mark hold libc6 >/dev/null
apt-get -o Acquire::Check-Valid-Until=false update
pkgs=""
for p in "$@"; do pkgs="$pkgs $p/forky"; done
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $pkgs
rm -f /etc/apt/sources.list.d/forky.list /etc/apt/preferences.d/forky
apt-mark unhold libc6 >/dev/null
