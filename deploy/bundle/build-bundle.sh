#!/usr/bin/env bash
# Builds the self-contained agent: a jlink-trimmed Java runtime + the shaded agent jar + a launcher, packed as
#   steward-agent-VERSION-linux-ARCH.tar.gz   (unpacks to steward-agent/, installed as /opt/steward-agent)
#   steward-agent_DEBVERSION_DEBARCH.deb      (the same files, the systemd unit, /etc/steward/services.json)
# each with a FILE.sha256 beside it, plus install.sh and a version-less steward-agent-linux-ARCH.tar.gz (a hard link,
# what install.sh fetches) in OUTPUT/downloads: the directory a node serves (steward.downloads.dir).
# Run by Maven in the agent module's package phase (agent/pom.xml); by hand:
#   deploy/bundle/build-bundle.sh VERSION agent/target/steward-agent.jar agent/target "MODULES"
# Only the build machine's architecture: jlink links the running JDK's own jmods (arm64 needs arm64 jmods).
set -euo pipefail
version=$1 jar=$2 output=$3 modules=$4
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 deb_arch=amd64 ;;
  aarch64 | arm64) arch=arm64 deb_arch=arm64 ;;
  *) echo "build-bundle: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jlink=$java_home/bin/jlink
[ -x "$jlink" ] || jlink=$(command -v jlink)
[ -d "$java_home/jmods" ] || { echo "build-bundle: $java_home has no jmods (install the full JDK, e.g. openjdk-17-jdk)" >&2; exit 1; }

work=$output/bundle
stage=$work/steward-agent
downloads=$output/downloads
rm -rf "$work" "$downloads"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share" "$downloads"

# The runtime: only the agent's modules (agent/pom.xml says why each), no debug symbols, headers or man pages; with
# the runtime's class-data sharing archive, the base the launcher's archive of the agent's classes builds on. Only
# the compressed-oops one is kept: the agent's heap is tiny, the other is for heaps beyond 32 GB.
"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --generate-cds-archive --output "$stage/runtime" > /dev/null
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"
cp "$jar" "$stage/lib/steward-agent.jar"
# Flags only some runtimes have, decided here once rather than probed at every start: the C heap trimmed once a minute
# (JDK 17.0.9+/21.0.1+; README, "Measured").
: > "$stage/lib/jvm-flags"
if "$stage/runtime/bin/java" -XX:TrimNativeHeapInterval=60000 -version > /dev/null 2>&1; then
  echo "-XX:TrimNativeHeapInterval=60000" > "$stage/lib/jvm-flags"
fi
install -m 0755 "$here/steward-agent" "$stage/bin/steward-agent"
install -m 0644 "$here/steward-agent.service" "$here/services.json" "$stage/share/"
install -m 0755 "$repo/deploy/install.sh" "$stage/share/install.sh"
echo "$version" > "$stage/VERSION"
# Root-owned and not writable by others once installed: the agent runs as root from here.
chmod -R u+rwX,go+rX,go-w "$stage"

# Owned by root in the archive whoever builds it; a fixed order and time so equal inputs pack alike.
epoch=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 0)
bundle=steward-agent-$version-linux-$arch.tar.gz
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$work" -cf - steward-agent \
  | gzip -n -6 > "$downloads/$bundle"

# The .deb: Debian spells a pre-release with ~ (0.1.0~SNAPSHOT sorts before 0.1.0).
deb_version=${version//-/\~}
deb_root=$work/deb
mkdir -p "$deb_root/opt" "$deb_root/lib/systemd/system" "$deb_root/etc/steward" "$deb_root/DEBIAN"
cp -a "$stage" "$deb_root/opt/steward-agent"
install -m 0644 "$here/steward-agent.service" "$deb_root/lib/systemd/system/steward-agent.service"
install -m 0644 "$here/services.json" "$deb_root/etc/steward/services.json"
install -m 0644 "$here/debian/conffiles" "$deb_root/DEBIAN/conffiles"
install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$deb_root/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$deb_arch/" -e "s/@SIZE@/$size/" "$here/debian/control" \
  > "$deb_root/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$deb_root"
deb=steward-agent_${deb_version}_$deb_arch.deb
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zgzip --build "$deb_root" "$downloads/$deb" > /dev/null

ln "$downloads/$bundle" "$downloads/steward-agent-linux-$arch.tar.gz"
install -m 0644 "$repo/deploy/install.sh" "$downloads/install.sh"
(cd "$downloads" && for file in "$bundle" "steward-agent-linux-$arch.tar.gz" "$deb"; do
  sha256sum "$file" > "$file.sha256"
done)
echo "build-bundle: $(du -sh "$stage" | cut -f1) unpacked; in $downloads: $(cd "$downloads" && ls | tr '\n' ' ')"
