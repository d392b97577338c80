#!/usr/bin/env bash
# Fills the offline asset cache that dev.hfr.compile.AssetResolver reads, so compositions that load
# GSAP, fonts and other libraries from public CDNs render on machines without internet.
#
# Layout (shared with AssetResolver, change both together):
#   <cache>/npm/<package>@<version>/<package files>   contents of `npm pack` (registry only)
#   <cache>/urls/<sha16 of url>/<file name>            files seeded with --url-map
#   <cache>/urls.tsv                                   url<TAB>absolute file path
# <cache> is $HFR_ASSET_CACHE, else $HFR_REPO_ROOT/.cache/assets.
#
# Usage: scripts/fetch-assets.sh [--url-map FILE.tsv]...
#   --url-map FILE.tsv  copy each row's file (url<TAB>file relative to the tsv[<TAB>comment]) into the
#                       cache and append it to urls.tsv; a header row (first cell not http...) is skipped.
# Idempotent: a package version or URL already in the cache is skipped.
set -euo pipefail

# shellcheck source=env.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CACHE_DIR="${HFR_ASSET_CACHE:-$HFR_REPO_ROOT/.cache/assets}"
NPM_DIR="$CACHE_DIR/npm"
URLS_TSV="$CACHE_DIR/urls.tsv"

# Exact versions compositions pin on CDNs; determinism needs these exact ones, not "close enough".
GSAP_VERSIONS=(3.12.2 3.12.7 3.14.2)
# Libraries whose current version is fetched (plus "latest 3.x" for gsap).
LATEST_PACKAGES=(lottie-web three animejs)
# Google Fonts families used by the fixtures; each maps to @fontsource/<kebab-case family>.
FONT_FAMILIES=("Space Mono" "Inter" "Montserrat" "Bangers" "Lobster" "Playfair Display" "Press Start 2P" "Syncopate")
# The canonical fonts of the deterministic font mapping (dev.hfr.compile.internal.FontAliases, docs/fonts.md):
# Arial, Helvetica, system-ui, monospace, serif... draw with these. Noto Sans JP (large) is left to the plan,
# which fetches any missing @fontsource package from the npm registry unless it is offline.
FONT_FAMILIES+=("Outfit" "Nunito" "Oswald" "League Gothic" "Archivo Black" "IBM Plex Mono" "JetBrains Mono"
  "EB Garamond" "Source Code Pro" "Roboto" "Open Sans" "Lato" "Poppins")

url_maps=()
while [ $# -gt 0 ]; do
  case "$1" in
    --url-map)
      [ $# -ge 2 ] || { echo "fetch-assets: --url-map needs a FILE.tsv" >&2; exit 2; }
      url_maps+=("$2"); shift 2 ;;
    -h|--help)
      sed -n '2,15p' "$0"; exit 0 ;;
    *)
      echo "fetch-assets: unknown argument '$1' (expected --url-map FILE.tsv)" >&2; exit 2 ;;
  esac
done

mkdir -p "$NPM_DIR"
touch "$URLS_TSV"

# Newest published version matching a range, sorted as versions (npm lists them in publish order).
newest_version() {
  local spec="$1"
  npm view "$spec" version --json 2>/dev/null | tr -d '[]", ' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1
}

# Any version of a package already cached (used when the registry cannot be asked).
cached_any() {
  local pkg="$1"
  compgen -G "$NPM_DIR/$pkg@*" >/dev/null 2>&1
}

# npm pack <pkg>@<version> into <cache>/npm/<pkg>@<version>, atomically (temp dir + mv).
fetch_package() {
  local pkg="$1" version="$2" target tmp tarball
  target="$NPM_DIR/$pkg@$version"
  if [ -f "$target/package.json" ]; then
    return 0
  fi
  mkdir -p "$(dirname "$target")"
  tmp="$(mktemp -d "$NPM_DIR/.tmp.XXXXXX")"
  if ! tarball="$(cd "$tmp" && npm pack --silent "$pkg@$version" 2>/dev/null | tail -n 1)" || [ ! -f "$tmp/$tarball" ]; then
    rm -rf "$tmp"
    echo "fetch-assets: npm pack $pkg@$version failed" >&2
    return 1
  fi
  mkdir -p "$tmp/out"
  tar -xzf "$tmp/$tarball" -C "$tmp/out" --strip-components=1
  rm -rf "$target"
  mv "$tmp/out" "$target"
  rm -rf "$tmp"
  echo "fetch-assets: cached $pkg@$version"
}

# Fetches the newest version of a range; offline with a cached version present, keeps that one.
fetch_newest() {
  local pkg="$1" range="$2" version
  version="$(newest_version "$pkg@$range" || true)"
  if [ -z "$version" ]; then
    if cached_any "$pkg"; then
      return 0
    fi
    echo "fetch-assets: cannot ask the npm registry for $pkg@$range" >&2
    return 1
  fi
  fetch_package "$pkg" "$version"
}

font_package() {
  printf '@fontsource/%s' "$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g; s/^-|-$//g')"
}

failures=0
for v in "${GSAP_VERSIONS[@]}"; do
  fetch_package gsap "$v" || failures=$((failures + 1))
done
fetch_newest gsap '^3' || failures=$((failures + 1))
for pkg in "${LATEST_PACKAGES[@]}"; do
  fetch_newest "$pkg" '*' || failures=$((failures + 1))
done
for family in "${FONT_FAMILIES[@]}"; do
  fetch_newest "$(font_package "$family")" '*' || failures=$((failures + 1))
done

# Seeds arbitrary URLs (e.g. remote media stand-ins) into the cache.
seed_url_map() {
  local map="$1" base url rel _rest src name digest dest
  [ -f "$map" ] || { echo "fetch-assets: url map $map does not exist" >&2; return 1; }
  base="$(cd "$(dirname "$map")" && pwd)"
  while IFS=$'\t' read -r url rel _rest || [ -n "${url:-}" ]; do
    case "$url" in
      http://*|https://*) ;;
      *) continue ;;
    esac
    if cut -f1 "$URLS_TSV" | grep -qxF "$url"; then
      continue
    fi
    src="$base/$rel"
    [ -f "$src" ] || { echo "fetch-assets: $map names $rel, which does not exist" >&2; return 1; }
    name="$(basename "$rel")"
    digest="$(printf '%s' "$url" | sha256sum | cut -c1-16)"
    dest="$CACHE_DIR/urls/$digest/$name"
    mkdir -p "$(dirname "$dest")"
    cp -f "$src" "$dest"
    printf '%s\t%s\n' "$url" "$dest" >>"$URLS_TSV"
    echo "fetch-assets: cached $url"
  done <"$map"
}

for map in "${url_maps[@]+"${url_maps[@]}"}"; do
  seed_url_map "$map" || failures=$((failures + 1))
done

if [ "$failures" -gt 0 ]; then
  echo "fetch-assets: $failures item(s) could not be cached in $CACHE_DIR" >&2
  exit 1
fi
echo "fetch-assets: cache ready at $CACHE_DIR"
