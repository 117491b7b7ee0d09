#!/usr/bin/env bash
# Builds the local images the tests use (no registry is reachable): a busybox rootfs made from Debian's
# busybox-static and imported as wip-test/busybox:latest. Idempotent.
set -euo pipefail
DOCKER_HOST=${WIP_TEST_DOCKER_HOST:-unix:///var/run/docker.sock}
export DOCKER_HOST
if docker image inspect wip-test/busybox:latest >/dev/null 2>&1; then
  echo "images: wip-test/busybox:latest present"
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/bin "$root"/etc "$root"/tmp "$root"/root "$root"/proc "$root"/sys "$root"/dev "$root"/data
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
chmod 1777 "$root/tmp"
tar -C "$root" -c . | docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - wip-test/busybox:latest
echo "images: built wip-test/busybox:latest"
