#!/usr/bin/env bash
# Installs what the real-IRC-server end-to-end tests need on a Debian machine: InspIRCd 3, Atheme services (SASL)
# and the openssl command (throwaway CA and certificates). Idempotent and non-interactive: packages already
# installed are left alone, and the system services those packages ship are stopped and kept from starting, because
# the tests start their own private instances on free loopback ports and nothing may hold the default ports.
set -euo pipefail

packages=(inspircd atheme-services openssl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# Debian's maintainer scripts would start the daemons (ircd on :6667, atheme trying to link to it) right after
# unpacking. A policy-rc.d that answers 101 ("action forbidden") stops invoke-rc.d from doing so, with or without
# systemd. It is only in place while we install, and an existing policy of the machine's own is kept.
policy=/usr/sbin/policy-rc.d
installed_policy=no
restore_policy() {
    if [ "$installed_policy" = yes ]; then rm -f "$policy"; fi
}
trap restore_policy EXIT

if [ ${#missing[@]} -gt 0 ]; then
    echo "irc-test-deps: installing ${missing[*]}"
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        installed_policy=yes
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    restore_policy
    installed_policy=no
fi

# Whatever happened before (an install without our policy, a reboot with systemd), make sure the packaged daemons
# are neither running nor enabled. Each step tolerates machines without systemd or without the SysV scripts.
for service in inspircd atheme-services; do
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
    if [ -x "/etc/init.d/$service" ]; then
        "/etc/init.d/$service" stop >/dev/null 2>&1 || true
        update-rc.d "$service" disable >/dev/null 2>&1 || true
    fi
done
# The init scripts may not exist or may fail without systemd; the packaged daemons' pid files say what is still up.
# A pid is only signalled if it still names that daemon, so a stale file never hits an unrelated process.
for entry in inspircd:/run/inspircd/inspircd.pid atheme-services:/run/atheme/atheme.pid; do
    name=${entry%%:*}
    pidfile=${entry#*:}
    if [ -s "$pidfile" ]; then
        pid=$(cat "$pidfile")
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
            kill "$pid" 2>/dev/null || true
        fi
    fi
done

for binary in inspircd atheme-services openssl; do
    command -v "$binary" >/dev/null 2>&1 || { echo "irc-test-deps: $binary not found after install" >&2; exit 1; }
done
echo "irc-test-deps: $(inspircd --version 2>/dev/null | head -n1 || echo inspircd), atheme-services, openssl ready"
