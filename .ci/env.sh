# Sourced by .ci/run, bin/wip and bench/run: finds a JDK 21+ (Helidon 4 needs it) and exports JAVA_HOME.
wip_find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]-* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "wip: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 25, or set JAVA_HOME." >&2
  return 1
}
