#!/usr/bin/env bash
# Builds local base images WITHOUT a registry (nothing is pulled): each is a busybox-static rootfs plus what it runs,
# with the shared libraries that `ldd` names, imported with `docker import`.
#   deploy/base-image.sh            → wip-test/jre:25    (a jlink'ed Java runtime from the local JDK)
#   deploy/base-image.sh redis      → wip-test/redis:7   (Debian's redis-server; for tests and offline machines)
#   deploy/base-image.sh caddy      → wip-test/caddy:2   (Debian's caddy; the test stand-in for Traefik)
#   deploy/base-image.sh all        → all three
# Idempotent: an existing image is kept (FORCE=1 rebuilds). Needs docker, busybox-static, and for the JRE a JDK 21+
# (JAVA_HOME, or /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
BUSYBOX=${BUSYBOX:-/bin/busybox}
JDK=${JDK:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
# jdeps over the five services names java.base, compiler, desktop, management, naming, net.http, sql, jfr,
# unsupported; the rest is headroom (TLS providers, DNS, zip file systems, JMX) so a new dependency does not break.
JRE_MODULES=${JRE_MODULES:-java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.cryptoki,jdk.jfr,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs}

exists() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

# rootfs DIR: busybox with its applets, passwd/group, tmp, CA certificates
rootfs() {
  local root=$1
  mkdir -p "$root"/bin "$root"/etc "$root"/tmp "$root"/root "$root"/proc "$root"/sys "$root"/dev "$root"/data \
           "$root"/etc/ssl/certs
  cp "$BUSYBOX" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nwip:x:10001:10001:wip:/tmp:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nwip:x:10001:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  chmod 1777 "$root/tmp"
}

# libs ROOT FILE...: copies every shared library the files need (ldd), the dynamic loader included
libs() {
  local root=$1; shift
  local lib
  for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && NF == 2 {print $1}' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  # glibc loads these by name at run time (DNS, users)
  for lib in /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 \
             /lib/x86_64-linux-gnu/libresolv.so.2; do
    [ -e "$lib" ] && { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
  done
  mkdir -p "$root/lib64"
  [ -e "$root/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
}

import() {
  local root=$1 tag=$2; shift 2
  tar -C "$root" -c . | docker import "$@" - "$tag" >/dev/null
  echo "base-image: built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1048576}'))"
}

build_jre() {
  local tag=wip-test/jre:25 root
  if exists $tag; then echo "base-image: $tag present"; return; fi
  [ -x "$JDK/bin/jlink" ] || { echo "base-image: no jlink under $JDK (set JAVA_HOME to a JDK 21+)" >&2; exit 1; }
  root=$(mktemp -d); trap 'rm -rf "$root"' RETURN
  rootfs "$root"
  "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$root/opt/java"
  libs "$root" "$root/opt/java/bin/java" "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/libjvm.so
  import "$root" $tag --change 'ENV PATH=/opt/java/bin:/bin' --change 'ENV JAVA_HOME=/opt/java' \
    --change 'CMD ["java", "-version"]'
}

build_redis() {
  local tag=wip-test/redis:7 root
  if exists $tag; then echo "base-image: $tag present"; return; fi
  root=$(mktemp -d); trap 'rm -rf "$root"' RETURN
  rootfs "$root"
  cp "$(type -P redis-server)" "$root/bin/redis-server"
  libs "$root" "$root/bin/redis-server"
  import "$root" $tag --change 'ENV PATH=/bin' --change 'EXPOSE 6379' \
    --change 'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data"]'
}

build_caddy() {
  local tag=wip-test/caddy:2 root
  if exists $tag; then echo "base-image: $tag present"; return; fi
  root=$(mktemp -d); trap 'rm -rf "$root"' RETURN
  rootfs "$root"
  cp "$(type -P caddy)" "$root/bin/caddy"
  libs "$root" "$root/bin/caddy"
  import "$root" $tag --change 'ENV PATH=/bin' --change 'ENV HOME=/data' --change 'ENV XDG_DATA_HOME=/data' \
    --change 'ENV XDG_CONFIG_HOME=/config' --change 'CMD ["caddy", "run", "--config", "/etc/caddy/caddy.json"]'
}

case "${1:-jre}" in
  jre) build_jre ;;
  redis) build_redis ;;
  caddy) build_caddy ;;
  all) build_jre; build_redis; build_caddy ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
