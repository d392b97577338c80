#!/usr/bin/env bash
# Sourced by every script: picks the newest Temurin JDK under /usr/lib/jvm (25 where present, at
# least 21) so nobody has to export JAVA_HOME by hand, and points the engine at Debian's binaries.
hfr_find_jdk() {
  local candidate best=""
  for candidate in /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/temurin-2[1-9]-jdk* /usr/lib/jvm/java-2[1-9]-openjdk*; do
    if [ -x "$candidate/bin/javac" ]; then best="$candidate"; break; fi
  done
  if [ -z "$best" ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then best="$JAVA_HOME"; fi
  printf '%s' "$best"
}
HFR_JDK="$(hfr_find_jdk)"
if [ -z "$HFR_JDK" ]; then
  echo "hfr: no JDK 21+ found under /usr/lib/jvm; run scripts/setup.sh" >&2
else
  export JAVA_HOME="$HFR_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export HFR_REPO_ROOT="${HFR_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export HFR_CACHE_DIR="${HFR_CACHE_DIR:-$HFR_REPO_ROOT/.cache}"
