#!/usr/bin/env python3
"""A stand-in cluster for running install.sh without one (cli/tests/environment.rs).

Installed as both `kubectl` and `helm` ($PECFG_TOOL, or the name it is called by, picks the tool). It keeps the
cluster's state as files under $PECFG_STATE and appends one line per call that changes or reads
it to $PECFG_LOG:

- `kubectl apply [--dry-run=client] -f -`: reads the manifest, answers like kubectl (`created`,
  `configured`, `unchanged`) and stores it unless it is a dry run. Log: `apply <Kind> <ns>/<name>
  <result>`.
- every other kubectl command (`create … --dry-run=client -o yaml`, `label --local`) runs the
  real kubectl ($PECFG_KUBECTL), so the manifests are kubectl's own.
- `helm status -n NS -o json -- RELEASE`: the stored release (its description) or exit 1.
- `helm template …`: the real helm ($PECFG_HELM); log `template <release>`. Fails on purpose when
  $PECFG_FAIL_TEMPLATE names the release.
- `helm upgrade [--dry-run] --install … --description D -- RELEASE CHART`: stores the release with
  its description unless a dry run. Log: `upgrade <ns>/<release>[ dry-run]`.
"""
import json
import os
import sys

import yaml

STATE = os.environ["PECFG_STATE"]
LOG = os.environ["PECFG_LOG"]


def log(line):
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def kubectl(args):
    if args[:1] != ["apply"]:
        os.execv(os.environ["PECFG_KUBECTL"], ["kubectl"] + args)
    dry = "--dry-run=client" in args
    text = sys.stdin.read()
    for document in yaml.safe_load_all(text):
        if not document:
            continue
        kind = document["kind"]
        meta = document["metadata"]
        namespace = meta.get("namespace", "")
        key = os.path.join(STATE, "objects", kind, namespace or "_", meta["name"])
        body = json.dumps(document, sort_keys=True)
        if os.path.exists(key):
            with open(key, encoding="utf-8") as handle:
                result = "unchanged" if handle.read() == body else "configured"
        else:
            result = "created"
        if not dry:
            os.makedirs(os.path.dirname(key), exist_ok=True)
            with open(key, "w", encoding="utf-8") as handle:
                handle.write(body)
        suffix = " (dry run)" if dry else ""
        log(f"apply {kind} {namespace}/{meta['name']} {result}{suffix}")
        print(f"{kind.lower()}/{meta['name']} {result}{suffix}")


def helm_parts(args):
    """Flags before `--`, the positionals after it."""
    if "--" not in args:
        sys.exit(f"helm stub: no `--` in {args}")
    at = args.index("--")
    flags, positionals = args[:at], args[at + 1:]
    namespace = flags[flags.index("-n") + 1] if "-n" in flags else "default"
    return flags, positionals, namespace


def helm(args):
    command = args[0]
    if command == "template":
        flags, positionals, _ = helm_parts(args[1:])
        log(f"template {positionals[0]}")
        if os.environ.get("PECFG_FAIL_TEMPLATE") == positionals[0]:
            print("Error: template failed on purpose", file=sys.stderr)
            sys.exit(1)
        os.execv(os.environ["PECFG_HELM"], ["helm"] + args)
    flags, positionals, namespace = helm_parts(args[1:])
    release = positionals[0]
    path = os.path.join(STATE, "releases", namespace, release)
    if command == "status":
        if not os.path.exists(path):
            print(f"Error: release: not found", file=sys.stderr)
            sys.exit(1)
        with open(path, encoding="utf-8") as handle:
            print(json.dumps({"name": release, "info": {"description": handle.read()}}))
        return
    if command == "upgrade":
        dry = "--dry-run" in flags
        description = flags[flags.index("--description") + 1]
        log(f"upgrade {namespace}/{release}" + (" dry-run" if dry else ""))
        if not dry:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(description)
        return
    sys.exit(f"helm stub: unexpected {args}")


if __name__ == "__main__":
    tool = os.environ.get("PECFG_TOOL", os.path.basename(sys.argv[0]))
    (kubectl if tool == "kubectl" else helm)(sys.argv[1:])
