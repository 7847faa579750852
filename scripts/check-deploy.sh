#!/usr/bin/env bash
# Checks the deployment files under deploy/ on a Debian machine, without Docker or a running systemd.
#
#   scripts/check-deploy.sh [static|config|all]      (default: all)
#
# static: the systemd unit (systemd-analyze verify, and security with an exposure ceiling), compose.yaml
#         (docker-compose config, which validates it against the Compose schema, plus the facts below), the
#         Caddyfile (caddy validate), the Dockerfile (grep-level facts: it cannot be built here), .dockerignore,
#         and deploy/config.json against config.example.json, the Dockerfile, compose.yaml and env.example.
# config: `goapi-bridge check-config` on deploy/config.json with placeholder secrets, which catches every key
#         and value the bridge would refuse. Needs a built binary: $GOAPI_BRIDGE_BINARY, or else
#         .build/debug/goapi-bridge (what `swift test` builds). `all` skips this part, saying so, when there
#         is none; `config` fails.
#
# Installs what it needs from Debian on first use (systemd for systemd-analyze, docker-compose, caddy); the
# packaged caddy service is kept from starting. Changes nothing in the work tree; exits non-zero on any problem.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-all}
case "$mode" in
static | config | all) ;;
*)
    echo "usage: scripts/check-deploy.sh [static|config|all]" >&2
    exit 2
    ;;
esac

failures=0
fail() {
    echo "check-deploy: FAIL: $*" >&2
    failures=$((failures + 1))
}
note() { echo "check-deploy: $*"; }

scratch=$(mktemp -d)
policy=/usr/sbin/policy-rc.d
installed_policy=no
cleanup() {
    if [ "$installed_policy" = yes ]; then rm -f "$policy"; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

install_tools() {
    local packages=(systemd docker-compose caddy python3-yaml)
    local missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then return; fi
    note "installing ${missing[*]}"
    # caddy's package would start a web server on :80 and :443 where systemd runs; "action forbidden" (101)
    # keeps invoke-rc.d and deb-systemd-invoke from starting anything while we install.
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        installed_policy=yes
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$installed_policy" = yes ]; then
        rm -f "$policy"
        installed_policy=no
    fi
}

# systemd-analyze verify checks that ExecStart= names an executable, and resolves dependencies such as
# network-online.target. Rather than edit a copy of the unit or put a file into the machine's /usr/local/bin, the
# real unit file is verified inside a throwaway root: the unit under etc/systemd/system, the system's own units
# for the targets it names, and an executable stand-in at usr/local/bin/goapi-bridge. verify exits 0 after
# "Unknown key ..., ignoring" and similar warnings, so any output at all counts as a failure.
check_systemd_unit() {
    local unit=deploy/goapi-bridge.service
    local root="$scratch/root"
    local units_dir
    units_dir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /usr/lib/systemd/system)
    mkdir -p "$root/etc/systemd/system" "$root/usr/local/bin" "$root/usr/lib/systemd"
    cp -a "$units_dir" "$root/usr/lib/systemd/system"
    cp "$unit" "$root/etc/systemd/system/goapi-bridge.service"
    printf '#!/bin/sh\nexit 0\n' >"$root/usr/local/bin/goapi-bridge"
    chmod 755 "$root/usr/local/bin/goapi-bridge"
    local output
    if ! output=$(systemd-analyze verify --root="$root" goapi-bridge.service 2>&1) || [ -n "$output" ]; then
        fail "systemd-analyze verify $unit:"$'\n'"$output"
    else
        note "systemd-analyze verify $unit: clean"
    fi

    # Exposure ranges 0.0 (best) to 10.0; the unit scores about 1.1 with systemd 252. --threshold is in tenths.
    if ! output=$(systemd-analyze security --offline=yes --threshold=20 "$unit" 2>&1); then
        fail "systemd-analyze security $unit: exposure above 2.0:"$'\n'"$output"
    else
        note "systemd-analyze security $unit: $(grep -o 'exposure level for .*' <<<"$output")"
    fi
}

# docker-compose (v1, from Debian) validates the file against the Compose schema without a Docker engine. It
# also insists that env_file and the build context exist, so it reads a copy of deploy/ in which env.example
# stands in for the operator's deploy/.env.
check_compose() {
    local project="$scratch/compose"
    mkdir -p "$project"
    cp -r deploy "$project/deploy"
    cp deploy/env.example "$project/deploy/.env"
    local output
    if ! output=$(cd "$project" && docker-compose -f deploy/compose.yaml --profile proxy config -q 2>&1); then
        fail "docker-compose config deploy/compose.yaml:"$'\n'"$output"
    else
        note "docker-compose config deploy/compose.yaml: valid"
    fi
}

# caddy validate adapts the Caddyfile and provisions every module, without listening or asking for
# certificates. Its data and config folders go to the scratch folder, not the user's home.
check_caddyfile() {
    local output
    if ! output=$(HOME="$scratch/caddy" XDG_DATA_HOME="$scratch/caddy/data" XDG_CONFIG_HOME="$scratch/caddy/config" \
        caddy validate --adapter caddyfile --config deploy/Caddyfile 2>&1); then
        fail "caddy validate deploy/Caddyfile:"$'\n'"$output"
    else
        note "caddy validate deploy/Caddyfile: valid"
    fi
    if ! caddy adapt --adapter caddyfile --config deploy/Caddyfile >"$scratch/caddy.json" 2>"$scratch/caddy.err"; then
        fail "caddy adapt deploy/Caddyfile: $(cat "$scratch/caddy.err")"
    fi
    if ! caddy fmt deploy/Caddyfile | diff -u deploy/Caddyfile - >"$scratch/caddy.diff"; then
        fail "deploy/Caddyfile is not in caddy fmt's layout:"$'\n'"$(cat "$scratch/caddy.diff")"
    fi
}

# Facts about the files that no validator knows: the pieces have to agree with each other and with the bridge.
check_facts() {
    cat >"$scratch/facts.py" <<'PY'
import json
import re
import sys

import yaml

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def load_json(path):
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError) as error:
        problems.append(f"{path}: not valid JSON: {error}")
        return None


def port_of(listen):
    return int(listen.rsplit(":", 1)[1])


# deploy/config.json: valid JSON, no key that config.example.json does not have (in the same place), and the
# container's paths and ports.
config = load_json("deploy/config.json")
example = load_json("config.example.json")


def known_keys(value, path, into):
    if isinstance(value, dict):
        into.setdefault(path, set()).update(value)
        for key, child in value.items():
            known_keys(child, f"{path}.{key}", into)
    elif isinstance(value, list):
        for child in value:
            known_keys(child, f"{path}[]", into)
    return into


def unknown_keys(value, path, known):
    if isinstance(value, dict):
        for key, child in value.items():
            if key not in known.get(path, set()):
                problems.append(f"deploy/config.json: {path[1:] or '(top)'}.{key}: not a key of config.example.json")
            else:
                unknown_keys(child, f"{path}.{key}", known)
    elif isinstance(value, list):
        for child in value:
            unknown_keys(child, f"{path}[]", known)


def secret_names(value):
    if isinstance(value, dict):
        return set().union(*(secret_names(child) for child in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(secret_names(child) for child in value)) if value else set()
    if isinstance(value, str) and value.startswith("env:"):
        return {value[4:]}
    return set()


webhook_port = admin_port = None
secrets = set()
# The bridge's shutdown.gracePeriodSeconds, plus time to close the store and say QUIT, must fit in what systemd
# (TimeoutStopSec) and Docker (stop_grace_period) wait before SIGKILL.
grace_needed = (config or {}).get("shutdown", {}).get("gracePeriodSeconds", 30) + 10
if config is not None and example is not None:
    unknown_keys(config, "", known_keys(example, "", {}))
    storage = config.get("storage", {}).get("sqlitePath", "")
    check(storage.startswith("/data/"), f"deploy/config.json: storage.sqlitePath {storage!r} is not in the /data volume")
    listen = config.get("webhooks", {}).get("listen", "")
    check(listen.startswith("0.0.0.0:"), f"deploy/config.json: webhooks.listen {listen!r} is not reachable from outside the container")
    webhook_port = port_of(listen) if ":" in listen else None
    admin_listen = config.get("admin", {}).get("listen", "127.0.0.1:9090")
    admin_port = port_of(admin_listen)
    check(admin_listen.split(":")[0] in ("127.0.0.1", "0.0.0.0"), f"deploy/config.json: admin.listen {admin_listen!r} is not reachable at 127.0.0.1 inside the container")
    secrets = secret_names(config)
    for path in (endpoint.get("path", "") for endpoint in config.get("webhooks", {}).get("endpoints", [])):
        check(path.startswith("/hooks/"), f"deploy/config.json: endpoint path {path!r} is outside /hooks/, which deploy/Caddyfile proxies")

# deploy/env.example names every secret the config reads from the environment.
with open("deploy/env.example") as file:
    env_names = {m.group(1) for m in re.finditer(r"^#?\s*([A-Z][A-Z0-9_]*)=", file.read(), re.M)}
for name in sorted(secrets - env_names):
    problems.append(f"deploy/env.example: does not list {name}, which deploy/config.json reads (env:{name})")

# deploy/Dockerfile: grep-level facts, since it cannot be built here.
with open("deploy/Dockerfile") as file:
    dockerfile = file.read()
instructions = [line.strip() for line in re.sub(r"\\\n", " ", dockerfile).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instruction(name):
    return [line[len(name):].strip() for line in instructions if line.upper().startswith(name + " ")]


check(len(instruction("FROM")) >= 2, "deploy/Dockerfile: not a multi-stage build (fewer than two FROM lines)")
check(any("--static-swift-stdlib" in line and "--product goapi-bridge" in line for line in instruction("RUN")), "deploy/Dockerfile: no `swift build --product goapi-bridge --static-swift-stdlib`")
users = instruction("USER")
check(bool(users) and users[-1].split(":")[0] not in ("0", "root"), "deploy/Dockerfile: the image does not end with a non-root USER")
check(any("/healthz" in line for line in instruction("HEALTHCHECK")), "deploy/Dockerfile: no HEALTHCHECK on /healthz")
check(any(f"127.0.0.1:{admin_port}/healthz" in line for line in instruction("HEALTHCHECK")) or admin_port is None, f"deploy/Dockerfile: HEALTHCHECK does not probe admin.listen's port {admin_port}")
check(any("/data" in line for line in instruction("VOLUME")), "deploy/Dockerfile: no VOLUME /data")
check(instruction("WORKDIR")[-1:] == ["/data"], "deploy/Dockerfile: the final WORKDIR is not /data")
check(instruction("ENTRYPOINT")[-1:] == ['["goapi-bridge"]'], "deploy/Dockerfile: ENTRYPOINT is not [\"goapi-bridge\"]")
check(instruction("CMD")[-1:] == ['["run", "--config", "/etc/goapi-bridge/config.json"]'], "deploy/Dockerfile: CMD does not run /etc/goapi-bridge/config.json")
check(instruction("STOPSIGNAL")[-1:] == ["SIGTERM"], "deploy/Dockerfile: STOPSIGNAL is not SIGTERM")
exposed = {port for line in instruction("EXPOSE") for port in line.split()}
check(webhook_port is None or str(webhook_port) in exposed, f"deploy/Dockerfile: does not EXPOSE the webhook port {webhook_port}")

# deploy/goapi-bridge.service stops the service the same way.
with open("deploy/goapi-bridge.service") as file:
    unit = file.read()
timeout = re.search(r"^TimeoutStopSec=(\d+)s?$", unit, re.M)
check(timeout is not None and int(timeout.group(1)) >= grace_needed, f"deploy/goapi-bridge.service: TimeoutStopSec is not at least {grace_needed} (shutdown.gracePeriodSeconds + 10 s)")
check(re.search(r"^KillSignal=SIGTERM$", unit, re.M) is not None, "deploy/goapi-bridge.service: KillSignal is not SIGTERM")

# .dockerignore keeps build folders, the local Package.resolved and secrets out of the build context.
with open(".dockerignore") as file:
    ignored = {line.strip() for line in file if line.strip() and not line.startswith("#")}
for pattern in (".build", ".git", "Package.resolved", "**/.env"):
    check(pattern in ignored, f".dockerignore: does not exclude {pattern}")

# deploy/compose.yaml: the service the Dockerfile builds, its data volume, read-only config, secrets from a file,
# a grace period longer than the bridge's, and the admin port kept private.
with open("deploy/compose.yaml") as file:
    compose = yaml.safe_load(file)
service = (compose or {}).get("services", {}).get("goapi-bridge")
if service is None:
    problems.append("deploy/compose.yaml: no service goapi-bridge")
else:
    build = service.get("build", {})
    check(build.get("context") == ".." and build.get("dockerfile") == "deploy/Dockerfile", "deploy/compose.yaml: goapi-bridge is not built from deploy/Dockerfile with the repository as context")
    volumes = service.get("volumes", [])
    check(any(v.split(":")[1:2] == ["/data"] and not v.startswith((".", "/")) for v in volumes), "deploy/compose.yaml: no named volume on /data")
    check("./config.json:/etc/goapi-bridge/config.json:ro" in volumes, "deploy/compose.yaml: config.json is not mounted read-only at /etc/goapi-bridge/config.json")
    check(".env" in service.get("env_file", []), "deploy/compose.yaml: secrets do not come from env_file .env")
    check(service.get("restart") == "unless-stopped", "deploy/compose.yaml: restart is not unless-stopped")
    grace = str(service.get("stop_grace_period", ""))
    check(re.fullmatch(r"\d+s", grace) is not None and int(grace[:-1]) >= grace_needed, f"deploy/compose.yaml: stop_grace_period {grace!r} is shorter than {grace_needed}s (shutdown.gracePeriodSeconds + 10 s)")
    ports = [str(port) for port in service.get("ports", [])]
    check(webhook_port is None or any(port.endswith(f":{webhook_port}") for port in ports), f"deploy/compose.yaml: the webhook port {webhook_port} is not published")
    check(not any(port.endswith(f":{admin_port}") for port in ports), f"deploy/compose.yaml: the admin port {admin_port} is published")

# deploy/Caddyfile, as Caddy adapted it: only /hooks/* is proxied, to the bridge's webhook port, with a body
# limit no smaller than the bridge's own, and nothing reaches the admin port.
adapted = load_json(sys.argv[1])
if adapted is not None:
    text = json.dumps(adapted)
    dials = re.findall(r'"dial": "([^"]+)"', text)
    check(bool(dials) and (webhook_port is None or all(dial.endswith(f":{webhook_port}") for dial in dials)), f"deploy/Caddyfile: proxies to {dials}, not the webhook port {webhook_port}")
    check(f":{admin_port}" not in text, f"deploy/Caddyfile: mentions the admin port {admin_port}")
    paths = re.findall(r'"path": \[([^\]]*)\]', text)
    check(paths == ['"/hooks/*"'], f"deploy/Caddyfile: proxied paths are {paths}, expected only /hooks/*")
    limits = [int(limit) for limit in re.findall(r'"max_size": (\d+)', text)]
    body_limit = (config or {}).get("webhooks", {}).get("maxBodyBytes", 65536)
    check(bool(limits) and min(limits) >= body_limit, f"deploy/Caddyfile: request_body max_size {limits} is below webhooks.maxBodyBytes {body_limit}")

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
    # Debian's python3, which has python3-yaml, whatever python3 comes first on PATH.
    local output
    if ! output=$(/usr/bin/python3 "$scratch/facts.py" "$scratch/caddy.json" 2>&1); then
        fail "deploy files disagree:"$'\n'"$output"
    else
        note "deploy/config.json, Dockerfile, compose.yaml, Caddyfile, env.example, .dockerignore: consistent"
    fi
}

# The bridge's own validation, with a placeholder for every env: secret (one value that every secret format
# accepts, a Standard Webhooks secret included) and nothing else from this environment, LOG_LEVEL included.
check_config() {
    local binary=${GOAPI_BRIDGE_BINARY:-.build/debug/goapi-bridge}
    if [ ! -x "$binary" ]; then
        if [ "$mode" = config ]; then
            fail "no goapi-bridge binary at $binary (build it, or set GOAPI_BRIDGE_BINARY)"
        else
            note "skipping check-config: no goapi-bridge binary at $binary"
        fi
        return
    fi
    local placeholder=whsec_cGxhY2Vob2xkZXIgc2VjcmV0IGZvciBjaGVjay1kZXBsb3k=
    local environment=("PATH=$PATH")
    local name
    for name in $(grep -o '"env:[A-Za-z_][A-Za-z0-9_]*"' deploy/config.json | cut -d: -f2 | tr -d '"' | sort -u); do
        environment+=("$name=$placeholder")
    done
    local output
    if ! output=$(env -i "${environment[@]}" "$binary" check-config --config deploy/config.json 2>&1); then
        fail "goapi-bridge check-config --config deploy/config.json:"$'\n'"$output"
    else
        note "goapi-bridge check-config deploy/config.json: $output"
    fi
}

if [ "$mode" != config ]; then
    install_tools
    check_systemd_unit
    check_compose
    check_caddyfile
    check_facts
fi
if [ "$mode" != static ]; then
    check_config
fi

if [ "$failures" -gt 0 ]; then
    echo "check-deploy: $failures check(s) failed" >&2
    exit 1
fi
note "all checks passed ($mode)"
