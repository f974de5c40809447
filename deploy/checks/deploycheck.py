#!/usr/bin/env python3
"""Offline checks of Incuchain's deployment artifacts (no engine, no cluster).

scripts/check-deploy.sh runs it; each sub-command prints what it checked and
exits 1 with one line per problem when something is wrong:

  deploycheck.py keys      PRINT_CONFIG_MD OUT          settings table -> key list
  deploycheck.py env       FILE KEYS                    an INCUCHAIN_* env file
  deploycheck.py chart     RENDER CHART_DIR RELEASE KEYS ENV_OUT [VALUES...]
  deploycheck.py dockerfile DOCKERFILE REPO_ROOT [KEYS]
  deploycheck.py compose   FILE REPO_ROOT KEYS

KEYS is a file with one known INCUCHAIN_* key a line, made by `keys` from
`incuchain -print-config`, so a misspelt setting anywhere is caught.
"""

import base64
import copy
import glob
import os
import re
import shlex
import sys
from urllib.parse import urlparse

import yaml

PROBLEMS = []


def problem(msg):
    PROBLEMS.append(msg)


def finish(what):
    if PROBLEMS:
        for p in PROBLEMS:
            print(f"  problem: {p}", file=sys.stderr)
        print(f"  {what}: {len(PROBLEMS)} problem(s)", file=sys.stderr)
        sys.exit(1)
    print(f"  {what}: ok")


def load_keys(path):
    """The known keys, or None for "-" (the binary did not build: names go unchecked)."""
    if path == "-":
        print("  (setting names not checked: no settings table)")
        return None
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip()}


def read_env_file(path):
    """KEY=value lines as the binary's -config reader and compose read them."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if "=" not in line:
                problem(f"{path}:{n}: want KEY=value")
                continue
            k, v = line.split("=", 1)
            k = k.strip()
            if k in out:
                problem(f"{path}:{n}: {k} set twice")
            out[k] = v.strip().strip('"')
    return out


# Settings that only matter to the all-in-one process (embedded servers,
# its data directory, the console files baked into the image); the
# distributed example need not document them. INCUCHAIN_SEED_DEMO is not
# one: -target=parks honours it too.
EMBEDDED_ONLY = {
    "INCUCHAIN_DATA_DIR",
    "INCUCHAIN_NATS_EMBEDDED_PORT",
    "INCUCHAIN_S3_EMBEDDED_ADDR",
    "INCUCHAIN_WEB_DIR",
}

# Listen addresses that are not a service's: the metrics listener every
# process has besides its service port.
NOT_SERVICES = {"INCUCHAIN_METRICS_ADDR"}

# Services that keep files in the S3 store: their containers must wait for it.
NEEDS_OBJECT_STORE = {"documents"}

# The services when the settings table is unavailable.
FALLBACK_SERVICES = ("documents", "gateway", "incubatees", "milestones", "notifications", "parks", "rollups")


def service_names(keys):
    """The binary's services, one per INCUCHAIN_<SERVICE>_ADDR setting, so a
    new service is required everywhere the day its settings appear."""
    if keys is None:
        return sorted(FALLBACK_SERVICES)
    return sorted(m.group(1).lower() for k in keys for m in [re.fullmatch(r"INCUCHAIN_([A-Z0-9]+)_ADDR", k)]
                  if m and k not in NOT_SERVICES)


def check_settings(where, env, keys, distributed):
    """Rules for the settings of a process that runs apart (or not)."""
    for k in sorted(env) if keys is not None else []:
        if k.startswith("INCUCHAIN_") and k not in keys:
            problem(f"{where}: {k} is not a setting of the binary (see incuchain -print-config)")
    if not distributed:
        return
    secret = env.get("INCUCHAIN_INTERNAL_SECRET", "")
    if len(secret.encode()) < 32:
        problem(f"{where}: INCUCHAIN_INTERNAL_SECRET must be set, at least 32 bytes")
    for k in ("INCUCHAIN_NATS_URL", "INCUCHAIN_S3_ENDPOINT"):
        if not env.get(k):
            problem(f"{where}: {k} must be set when services run apart (empty starts an embedded server)")
    for k in sorted(env):
        if not re.fullmatch(r"INCUCHAIN_[A-Z0-9]+_DB", k):
            continue
        if not env[k].startswith(("postgres://", "postgresql://")):
            problem(f"{where}: {k} must be a postgres:// DSN when services run apart")


# ---------------------------------------------------------------- keys / env


def cmd_keys(md_path, out_path):
    keys = []
    with open(md_path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\|\s*`(INCUCHAIN_[A-Z0-9_]+)`", line)
            if m:
                keys.append(m.group(1))
    if len(keys) < 10:
        problem(f"{md_path}: only {len(keys)} settings found in the -print-config table")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(keys) + "\n")
    finish(f"{len(keys)} settings known to the binary")


def cmd_env(path, keys_path):
    keys = load_keys(keys_path)
    env = read_env_file(path)
    check_settings(path, env, keys, distributed=True)
    missing = sorted(keys - EMBEDDED_ONLY - set(env)) if keys is not None else []
    for k in missing:
        problem(f"{path}: does not document {k} (add it, or list it in EMBEDDED_ONLY if only all-in-one uses it)")
    finish(f"{os.path.basename(path)}: {len(env)} settings; checked names, documentation of every distributed setting, secret, NATS, S3, DSNs")


# --------------------------------------------------------------------- chart


def deep_merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_docs(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    return docs


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def chart_fullname(values, chart_name, release):
    if values.get("fullnameOverride"):
        return values["fullnameOverride"][:50].rstrip("-")
    name = values.get("nameOverride") or chart_name
    if name in release:
        return release[:50].rstrip("-")
    return f"{release}-{name}"[:50].rstrip("-")


def components(values):
    """The services of the distributed mode: the values blocks shaped like one."""
    return sorted(k for k, v in values.items() if isinstance(v, dict) and {"port", "database", "replicas"} <= set(v))


def cmd_chart(render, chart_dir, release, keys_path, env_out, value_files):
    keys = load_keys(keys_path)
    with open(os.path.join(chart_dir, "Chart.yaml"), encoding="utf-8") as f:
        chart = yaml.safe_load(f)
    with open(os.path.join(chart_dir, "values.yaml"), encoding="utf-8") as f:
        values = yaml.safe_load(f)
    for vf in value_files:
        with open(vf, encoding="utf-8") as f:
            values = deep_merge(values, yaml.safe_load(f))
    full = chart_fullname(values, chart["name"], release)
    names = components(values)
    if "gateway" not in names or len(names) < 2:
        problem(f"values: services {names}, want the gateway and at least one more")
    for svc in service_names(keys):
        if svc not in names:
            problem(f"values: no block for the service {svc} (the binary has INCUCHAIN_{svc.upper()}_ADDR); "
                    f"add it like parks (values.yaml, templates/{svc}.yaml, componentNames, values.schema.json)")
    for svc in names:
        if keys is not None and svc not in service_names(keys):
            problem(f"values: {svc} looks like a service but the binary has no INCUCHAIN_{svc.upper()}_ADDR")

    docs = load_docs(render)
    by_kind = {}
    seen = set()
    for i, d in enumerate(docs, 1):
        if not isinstance(d, dict):
            problem(f"document {i} is not a mapping")
            continue
        kind, name = d.get("kind"), (d.get("metadata") or {}).get("name")
        if not d.get("apiVersion") or not kind or not name:
            problem(f"document {i}: apiVersion, kind and metadata.name are required")
            continue
        if (kind, name) in seen:
            problem(f"{kind}/{name} rendered twice")
        seen.add((kind, name))
        labels = (d.get("metadata") or {}).get("labels") or {}
        for lk in ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by"):
            if lk not in labels:
                problem(f"{kind}/{name}: label {lk} missing")
        by_kind.setdefault(kind, {})[name] = d

    configmaps = by_kind.get("ConfigMap", {})
    secrets = by_kind.get("Secret", {})
    services = by_kind.get("Service", {})
    deployments = by_kind.get("Deployment", {})

    # Secrets the chart expects to exist outside it.
    external = {}
    if values["internalSecret"].get("existingSecret"):
        external.setdefault(values["internalSecret"]["existingSecret"], set()).add(values["internalSecret"]["existingSecretKey"])
    if values["s3"].get("existingSecret"):
        external.setdefault(values["s3"]["existingSecret"], set()).update({values["s3"]["accessKeyKey"], values["s3"]["secretKeyKey"]})
    for svc in names:
        db = values[svc]["database"]
        if not db.get("dsn"):
            external.setdefault(db["existingSecret"], set()).add(db["existingSecretKey"])

    secret_keys = {}
    for name, s in secrets.items():
        data = s.get("data") or {}
        secret_keys[name] = set(data)
        for k, v in data.items():
            try:
                raw = base64.b64decode(v, validate=True)
            except Exception:  # noqa: BLE001 - any decoding error is the finding
                problem(f"Secret/{name}: data.{k} is not base64")
                continue
            if k == "internal-secret" and len(raw) < 32:
                problem(f"Secret/{name}: internal-secret is {len(raw)} bytes, want at least 32")

    # The settings ConfigMap holds INCUCHAIN_* keys; the guarded bus adds a
    # second one (<release>-nats-auth) with the NATS server's auth include.
    nats_auth = {n: c for n, c in configmaps.items() if n.endswith("-nats-auth")}
    settings_maps = {n: c for n, c in configmaps.items() if n not in nats_auth}
    if len(settings_maps) != 1:
        problem(f"want one settings ConfigMap, got {sorted(settings_maps)}")
    for n, c in nats_auth.items():
        auth = (c.get("data") or {}).get("auth.conf", "")
        if "permissions" not in auth or "publish" not in auth:
            problem(f"ConfigMap/{n}: auth.conf holds no NATS publish permissions")
    config = next(iter(settings_maps.values()), {}).get("data") or {}
    # The secret rules apply to the pods (Secret refs), checked below.
    check_settings("ConfigMap", config, keys, distributed=False)
    for k, v in config.items():
        if not isinstance(v, str):
            problem(f"ConfigMap: {k} is not a string")
    if config.get("INCUCHAIN_NATS_URL") != values["nats"]["url"]:
        problem(f"ConfigMap: INCUCHAIN_NATS_URL={config.get('INCUCHAIN_NATS_URL')!r}, want {values['nats']['url']!r}")
    if not config.get("INCUCHAIN_S3_ENDPOINT"):
        problem("ConfigMap: INCUCHAIN_S3_ENDPOINT is empty (each pod would start its own S3 store)")
    for svc in names:
        addr = config.get(f"INCUCHAIN_{svc.upper()}_ADDR", "")
        if addr != f"0.0.0.0:{values[svc]['port']}":
            problem(f"ConfigMap: INCUCHAIN_{svc.upper()}_ADDR={addr!r}, want 0.0.0.0:{values[svc]['port']}")
    for svc in names:
        if svc == "gateway":
            continue
        key = f"INCUCHAIN_GATEWAY_{svc.upper()}_URL"
        url = urlparse(config.get(key, ""))
        target = services.get(url.hostname or "")
        if url.hostname != f"{full}-{svc}" or not target:
            problem(f"ConfigMap: {key} host {url.hostname!r} is not the rendered Service {full}-{svc}")
        elif url.port not in [p.get("port") for p in target["spec"].get("ports", [])]:
            problem(f"ConfigMap: {key} port {url.port} is not a port of Service/{url.hostname}")

    def secret_ref_ok(where, ref):
        name, key = ref.get("name"), ref.get("key")
        if name in secret_keys:
            if key not in secret_keys[name]:
                problem(f"{where}: Secret/{name} has no key {key!r}")
        elif name in external:
            if key not in external[name]:
                problem(f"{where}: key {key!r} of existing Secret/{name} is not one the values name")
        else:
            problem(f"{where}: Secret/{name} is neither rendered nor named in values")

    sa = values["serviceAccount"]
    want_sa = (sa.get("name") or full) if sa.get("create") else (sa.get("name") or "default")
    if sa.get("create") and want_sa not in by_kind.get("ServiceAccount", {}):
        problem(f"ServiceAccount/{want_sa} not rendered")
    if not sa.get("create") and by_kind.get("ServiceAccount"):
        problem("ServiceAccount rendered although serviceAccount.create is false")

    image = values["image"]
    want_image = (f"{image['repository']}@{image['digest']}" if image.get("digest")
                  else f"{image['repository']}:{image.get('tag') or chart['appVersion']}")

    if set(deployments) != {f"{full}-{s}" for s in names}:
        problem(f"Deployments {sorted(deployments)}, want {sorted(f'{full}-{s}' for s in names)}")
    for svc in names:
        v = values[svc]
        dname = f"{full}-{svc}"
        dep = deployments.get(dname)
        if not dep:
            continue
        where = f"Deployment/{dname}"
        spec = dep["spec"]
        if spec.get("replicas") != v["replicas"]:
            problem(f"{where}: replicas {spec.get('replicas')}, want {v['replicas']}")
        pod_labels = spec["template"]["metadata"].get("labels") or {}
        if not labels_match(spec["selector"].get("matchLabels"), pod_labels):
            problem(f"{where}: selector does not match the pod labels")
        if pod_labels.get("app.kubernetes.io/component") != svc:
            problem(f"{where}: pod label app.kubernetes.io/component != {svc}")
        pod = spec["template"]["spec"]
        if pod.get("serviceAccountName") != want_sa:
            problem(f"{where}: serviceAccountName {pod.get('serviceAccountName')!r}, want {want_sa!r}")
        if not (pod.get("securityContext") or {}).get("runAsNonRoot"):
            problem(f"{where}: pod securityContext.runAsNonRoot is not true")
        containers = pod.get("containers") or []
        if len(containers) != 1:
            problem(f"{where}: want one container, got {len(containers)}")
            continue
        c = containers[0]
        if c.get("image") != want_image:
            problem(f"{where}: image {c.get('image')!r}, want {want_image!r}")
        if c.get("image", "").endswith(":latest"):
            problem(f"{where}: image uses :latest")
        args = c.get("args") or []
        targets = [a for a in args if a.startswith("-target=") or a.startswith("--target=")]
        if targets != [f"-target={svc}"] or args[:1] != [f"-target={svc}"]:
            problem(f"{where}: args {args}, want -target={svc} first and only once")
        if args[1:] != list(v.get("extraArgs") or []):
            problem(f"{where}: args after -target {args[1:]}, want extraArgs {v.get('extraArgs')}")
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        if ports.get("http") != v["port"]:
            problem(f"{where}: container port http={ports.get('http')}, want {v['port']}")
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")):
            get = (c.get(probe) or {}).get("httpGet") or {}
            if get.get("path") != path or get.get("port") not in ("http", v["port"]):
                problem(f"{where}: {probe} is {get}, want GET {path} on port http")
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False or not sc.get("readOnlyRootFilesystem"):
            problem(f"{where}: container securityContext must forbid privilege escalation and keep the root fs read-only")
        env_from = c.get("envFrom") or []
        for ef in env_from:
            ref = ef.get("configMapRef") or ef.get("secretRef") or {}
            pool = configmaps if "configMapRef" in ef else secrets
            if ref.get("name") not in pool:
                problem(f"{where}: envFrom {ref.get('name')!r} is not rendered")
        env = {}
        for e in c.get("env") or []:
            n = e.get("name", "")
            if n in env:
                problem(f"{where}: env {n} twice")
            env[n] = e
            if keys is not None and n.startswith("INCUCHAIN_") and n not in keys:
                problem(f"{where}: env {n} is not a setting of the binary")
            ref = (e.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                secret_ref_ok(f"{where} env {n}", ref)
        for must in ("INCUCHAIN_INTERNAL_SECRET", f"INCUCHAIN_{svc.upper()}_DB"):
            if not (env.get(must, {}).get("valueFrom") or {}).get("secretKeyRef"):
                problem(f"{where}: {must} must come from a Secret")
        # Only the sealer and the opener of invitation links hold their key.
        if svc in ("parks", "notifications"):
            if not (env.get("INCUCHAIN_INVITATION_KEY", {}).get("valueFrom") or {}).get("secretKeyRef"):
                problem(f"{where}: INCUCHAIN_INVITATION_KEY must come from a Secret")
        elif "INCUCHAIN_INVITATION_KEY" in env:
            problem(f"{where}: INCUCHAIN_INVITATION_KEY is for parks and notifications only")
        if not any((ef.get("configMapRef") or {}).get("name") in configmaps for ef in env_from):
            problem(f"{where}: does not load the common ConfigMap")
        # The only writable path (the root fs is read-only): /tmp, sized by
        # <service>.tmp.sizeLimit; documents spools uploads there.
        want_tmp = str(((v.get("tmp") or {}).get("sizeLimit")) or "64Mi")
        vols = {vol.get("name"): vol for vol in pod.get("volumes") or []}
        mounts = {m.get("mountPath"): m.get("name") for m in c.get("volumeMounts") or []}
        tmp_vol = vols.get(mounts.get("/tmp")) or {}
        if "emptyDir" not in tmp_vol:
            problem(f"{where}: no emptyDir mounted at /tmp")
        elif str((tmp_vol["emptyDir"] or {}).get("sizeLimit")) != want_tmp:
            problem(f"{where}: /tmp sizeLimit {(tmp_vol['emptyDir'] or {}).get('sizeLimit')!r}, want {want_tmp!r} ({svc}.tmp.sizeLimit)")

        sname = f"{full}-{svc}"
        s = services.get(sname)
        if not s:
            problem(f"Service/{sname} not rendered")
        else:
            if not labels_match(s["spec"].get("selector"), pod_labels):
                problem(f"Service/{sname}: selector does not select the {svc} pods")
            sp = (s["spec"].get("ports") or [{}])[0]
            if sp.get("port") != v["service"]["port"] or sp.get("targetPort") not in ("http", v["port"]):
                problem(f"Service/{sname}: port {sp}, want {v['service']['port']} -> http")
            if s["spec"].get("type") != v["service"]["type"]:
                problem(f"Service/{sname}: type {s['spec'].get('type')}, want {v['service']['type']}")

        pdb = by_kind.get("PodDisruptionBudget", {}).get(f"{full}-{svc}")
        if v["podDisruptionBudget"]["enabled"]:
            if not pdb:
                problem(f"PodDisruptionBudget/{full}-{svc} not rendered although enabled")
            elif not labels_match(pdb["spec"]["selector"].get("matchLabels"), pod_labels):
                problem(f"PodDisruptionBudget/{full}-{svc}: selector does not select the {svc} pods")
        elif pdb:
            problem(f"PodDisruptionBudget/{full}-{svc} rendered although disabled")

    ingresses = by_kind.get("Ingress", {})
    if values["ingress"]["enabled"]:
        if len(ingresses) != 1:
            problem(f"want one Ingress, got {sorted(ingresses)}")
        for name, ing in ingresses.items():
            for rule in ing["spec"].get("rules") or []:
                for p in (rule.get("http") or {}).get("paths") or []:
                    svc = p["backend"]["service"]
                    target = services.get(svc["name"])
                    if svc["name"] != f"{full}-gateway" or not target:
                        problem(f"Ingress/{name}: backend {svc['name']!r} is not the gateway Service")
                    elif svc["port"].get("number") not in [sp.get("port") for sp in target["spec"]["ports"]]:
                        problem(f"Ingress/{name}: backend port {svc['port']} is not a port of the gateway Service")
    elif ingresses:
        problem("Ingress rendered although ingress.enabled is false")

    # The ConfigMap as a KEY=value file: the script feeds it to the binary's
    # own settings parser.
    with open(env_out, "w", encoding="utf-8") as f:
        for k in sorted(config):
            f.write(f"{k}={config[k]}\n")

    counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(by_kind.items()))
    finish(f"{os.path.basename(render)}: {len(docs)} objects ({counts}); checked wiring, probes, targets, secret refs, selectors")


# ---------------------------------------------------------------- Dockerfile


def dockerfile_instructions(path):
    """(instruction, args, line) with continuations joined, comments dropped."""
    out, buf, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if not buf and (not s or s.startswith("#")):
            continue
        if buf and s.startswith("#"):
            continue  # comment lines inside a continuation are dropped
        if not buf:
            start = n
        if s.endswith("\\"):
            buf += s[:-1] + " "
            continue
        buf += s
        parts = buf.split(None, 1)
        out.append((parts[0].upper(), parts[1] if len(parts) > 1 else "", start))
        buf = ""
    if buf:
        problem(f"{path}: unterminated line continuation at line {start}")
    return out


def expand(s, args):
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: args.get(m.group(1), m.group(0)), s)


def image_pinned(ref):
    if "@sha256:" in ref:
        return True
    last = ref.rsplit("/", 1)[-1]
    return ":" in last and not last.endswith(":latest")


def cmd_dockerfile(path, root, keys_path="-"):
    root = os.path.abspath(root)
    keys = load_keys(keys_path)
    ins = dockerfile_instructions(path)
    global_args, stages, cur = {}, [], None
    for op, arg, line in ins:
        if op == "ARG" and cur is None:
            k, _, v = arg.partition("=")
            global_args[k.strip()] = v.strip().strip('"')
        elif op == "FROM":
            words = [w for w in arg.split() if not w.startswith("--")]
            image = expand(words[0], global_args)
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            cur = {"image": image, "name": name, "line": line, "ins": []}
            stages.append(cur)
        elif cur is not None:
            cur["ins"].append((op, arg, line))
    if len(stages) < 3:
        problem(f"{path}: want a multi-stage build (web, Go, runtime), got {len(stages)} stage(s)")
    names = set()
    for st in stages:
        if st["image"] not in names and not image_pinned(st["image"]):
            problem(f"{path}:{st['line']}: base image {st['image']!r} is not pinned to a tag or digest (or is :latest)")
        for op, arg, line in st["ins"]:
            if op == "COPY" or op == "ADD":
                m = re.search(r"--from=(\S+)", arg)
                if m and m.group(1) not in names and not image_pinned(m.group(1)):
                    problem(f"{path}:{line}: COPY --from={m.group(1)} names no earlier stage")
                if op == "ADD" and re.search(r"https?://", arg):
                    problem(f"{path}:{line}: ADD of a URL; fetch in a RUN with a checksum instead")
                if not m:
                    srcs = [w for w in shlex.split(arg) if not w.startswith("--")][:-1]
                    for src in srcs:
                        if not glob.glob(os.path.join(root, src)):
                            problem(f"{path}:{line}: COPY source {src} matches nothing in the build context")
        if st["name"]:
            names.add(st["name"])

    text = open(path, encoding="utf-8").read()
    runs = " ".join(a for st in stages for op, a, _ in st["ins"] if op in ("RUN", "ENV"))
    for needle, why in (
        ("npm ci", "the web stage must install with npm ci (lockfile)"),
        ("npm run build", "the web stage must build web/dist"),
        ("CGO_ENABLED=0", "the Go build must be static (CGO_ENABLED=0)"),
        ("-trimpath", "the Go build must use -trimpath"),
        ("./services/allinone/cmd/incuchain", "the image must build the launcher ./services/allinone/cmd/incuchain"),
    ):
        if needle not in runs:
            problem(f"{path}: {why}")
    if not os.path.isfile(os.path.join(root, "services/allinone/cmd/incuchain/main.go")):
        problem("services/allinone/cmd/incuchain/main.go is missing")

    # Every workspace module's go.mod must be in the image, or the build
    # breaks the day a new service module is added to go.work.
    with open(os.path.join(root, "go.work"), encoding="utf-8") as f:
        gowork = f.read()
    uses = re.findall(r"^\s*(\./[^\s)]+)", gowork, re.M)
    for mod in uses:
        rel = mod[2:]
        if not re.search(rf"COPY\s+[^\n]*\b{re.escape(rel)}/go\.(mod\b|\*)", text):
            problem(f"{path}: module {mod} (in go.work) has no COPY of {rel}/go.mod")

    final = stages[-1] if stages else {"ins": []}
    user = [a for op, a, _ in final["ins"] if op == "USER"]
    final_image = final.get("image", "")
    if user:
        if user[-1].split(":")[0] in ("root", "0"):
            problem(f"{path}: the runtime stage runs as root")
    elif not final_image.endswith(":nonroot"):
        problem(f"{path}: the runtime stage sets no non-root USER")
    exposed = [p.split("/")[0] for p in " ".join(a for op, a, _ in final["ins"] if op == "EXPOSE").split()]
    for port in ("8080", "8081"):
        if port not in exposed:
            problem(f"{path}: the runtime stage does not EXPOSE {port}")
    envs = " ".join(a for op, a, _ in final["ins"] if op == "ENV")
    # Every service listens on every interface in the container, on a port
    # the image announces.
    for svc in service_names(keys):
        k = f"INCUCHAIN_{svc.upper()}_ADDR"
        m = re.search(rf"\b{k}=(\S+)", envs)
        if not m or not m.group(1).startswith("0.0.0.0:"):
            problem(f"{path}: the runtime stage does not set {k}=0.0.0.0:<port> (the binary defaults to loopback)")
        elif m.group(1).rpartition(":")[2] not in exposed:
            problem(f"{path}: {k}={m.group(1)} but the runtime stage does not EXPOSE {m.group(1).rpartition(':')[2]}")
    m = re.search(r"INCUCHAIN_WEB_DIR=(\S+)", envs)
    if not m:
        problem(f"{path}: the runtime stage does not set INCUCHAIN_WEB_DIR")
    else:
        web_dir = m.group(1).rstrip("/")
        if not any(op == "COPY" and "--from=" in a and a.split()[-1].rstrip("/") == web_dir for op, a, _ in final["ins"]):
            problem(f"{path}: nothing is copied to INCUCHAIN_WEB_DIR {web_dir}")
    if not any(op == "ENTRYPOINT" for op, _, _ in final["ins"]):
        problem(f"{path}: the runtime stage has no ENTRYPOINT")

    pkg = os.path.join(root, "web", "package.json")
    if not os.path.isfile(os.path.join(root, "web", "package-lock.json")):
        problem("web/package-lock.json is missing (npm ci needs it)")
    if os.path.isfile(pkg):
        import json

        with open(pkg, encoding="utf-8") as f:
            if "build" not in (json.load(f).get("scripts") or {}):
                problem("web/package.json has no build script")

    ignore = path + ".dockerignore"
    if not os.path.isfile(ignore):
        problem(f"{ignore} is missing: the context would carry node_modules and .git")
    else:
        pats = {l.strip() for l in open(ignore, encoding="utf-8") if l.strip() and not l.startswith("#")}
        for must in (".git", "web/node_modules"):
            if must not in pats:
                problem(f"{ignore}: does not exclude {must}")
    finish(f"{os.path.relpath(path, root)}: {len(stages)} stages; checked pinned bases, static -trimpath build, go.work modules, non-root runtime, "
           f"listen address and EXPOSE of {', '.join(service_names(keys))}, console dir")


# ------------------------------------------------------------------- compose


def cmd_compose(path, root, keys_path):
    root = os.path.abspath(root)
    keys = load_keys(keys_path)
    base = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict) or not doc["services"]:
        problem(f"{path}: no services")
        finish(path)
    services = doc["services"]
    volumes = set((doc.get("volumes") or {}).keys())
    # The launcher's targets: all, or one service of the binary.
    apart = [n for n in service_names(keys) if n != "gateway"]
    valid_targets = ["all", "gateway"] + apart
    ours, images = {}, []
    for name, s in services.items():
        where = f"{os.path.basename(path)} service {name}"
        img = s.get("image")
        if not img and not s.get("build"):
            problem(f"{where}: neither image nor build")
        if img:
            images.append(img)
            if not image_pinned(img):
                problem(f"{where}: image {img!r} is not pinned to a tag (or is :latest)")
        if s.get("build"):
            b = s["build"] if isinstance(s["build"], dict) else {"context": s["build"]}
            ctx = os.path.normpath(os.path.join(base, b.get("context", ".")))
            df = os.path.join(ctx, b.get("dockerfile", "Dockerfile"))
            if not os.path.isfile(df):
                problem(f"{where}: build Dockerfile {df} does not exist")
            elif os.path.normpath(ctx) != os.path.normpath(root):
                problem(f"{where}: build context {ctx} is not the repository root")
        deps = s.get("depends_on") or []
        for d in (deps if isinstance(deps, list) else list(deps)):
            if d not in services:
                problem(f"{where}: depends_on {d!r} is no service")
        for vol in s.get("volumes") or []:
            src = vol.split(":")[0] if isinstance(vol, str) else vol.get("source", "")
            if src and not src.startswith((".", "/", "~")) and src not in volumes:
                problem(f"{where}: volume {src!r} is not declared under volumes")
        env = {}
        for ef in s.get("env_file") or []:
            ef = ef if isinstance(ef, dict) else {"path": ef}
            p = os.path.normpath(os.path.join(base, ef["path"]))
            if os.path.isfile(p):
                env.update(read_env_file(p))
            elif ef.get("required", True):
                problem(f"{where}: env_file {ef['path']} does not exist")
        e = s.get("environment") or {}
        if isinstance(e, list):
            e = dict(x.split("=", 1) for x in e)
        env.update({k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in e.items()})
        if s.get("build") or (img or "").startswith("incuchain"):
            cmd = s.get("command") or []
            cmd = shlex.split(cmd) if isinstance(cmd, str) else cmd
            targets = [c.split("=", 1)[1] for c in cmd if c.startswith("-target=")]
            if len(targets) != 1 or targets[0] not in valid_targets:
                problem(f"{where}: command {cmd} must hold one -target={'|'.join(valid_targets)}")
                continue
            ours[name] = (targets[0], env, s)
    if not ours:
        problem(f"{path}: no Incuchain service (built from deploy/Dockerfile)")

    by_target = {}
    for name, (target, env, s) in ours.items():
        where = f"{os.path.basename(path)} service {name} (-target={target})"
        by_target.setdefault(target, []).append(name)
        check_settings(where, env, keys, distributed=target != "all")
        listen = "GATEWAY" if target == "all" else target.upper()
        addr = env.get(f"INCUCHAIN_{listen}_ADDR", "")
        if not addr.startswith("0.0.0.0:"):
            problem(f"{where}: INCUCHAIN_{listen}_ADDR={addr!r}; a container must listen on 0.0.0.0")
        port = addr.rpartition(":")[2]
        published = [str(p).rsplit(":", 1)[-1] for p in s.get("ports") or []]
        exposed = [str(p) for p in s.get("expose") or []]
        if target in ("all", "gateway") and port not in published:
            problem(f"{where}: gateway port {port} is not published")
        if target in apart and port not in exposed + published:
            problem(f"{where}: {target} port {port} is neither exposed nor published")
        if target == "all":
            data_dir = env.get("INCUCHAIN_DATA_DIR", "/data")
            mounts = [v.split(":")[1] if isinstance(v, str) else v.get("target") for v in s.get("volumes") or []]
            if data_dir not in mounts:
                problem(f"{where}: no volume at INCUCHAIN_DATA_DIR {data_dir}: SQLite, JetStream and objects would be lost")
        else:
            for k, svc in (("INCUCHAIN_NATS_URL", "nats"), ("INCUCHAIN_S3_ENDPOINT", "minio")):
                v = env.get(k, "")
                host = urlparse(v if "://" in v else "//" + v).hostname
                if host not in services:
                    problem(f"{where}: {k}={v!r} names no service of this file")
            dbk = f"INCUCHAIN_{target.upper()}_DB"
            host = urlparse(env.get(dbk, "")).hostname
            if host not in services:
                problem(f"{where}: {dbk} host {host!r} is no service of this file")
            deps = s.get("depends_on") or []
            for need in ("postgres", "nats") + (("minio",) if target in NEEDS_OBJECT_STORE else ()):
                if need not in deps:
                    problem(f"{where}: does not depend on {need}")
        if target == "gateway":
            # The gateway must reach every service that runs apart.
            for svc in apart:
                key = f"INCUCHAIN_GATEWAY_{svc.upper()}_URL"
                u = urlparse(env.get(key, ""))
                peer = ours.get(u.hostname or "")
                if not peer or peer[0] != svc:
                    problem(f"{where}: {key} host {u.hostname!r} is not a -target={svc} service")
                elif str(u.port) != peer[1].get(f"INCUCHAIN_{svc.upper()}_ADDR", "").rpartition(":")[2]:
                    problem(f"{where}: {key} port {u.port} is not where {svc} listens")
    secrets = {ours[n][1].get("INCUCHAIN_INTERNAL_SECRET") for n in ours if ours[n][0] != "all"}
    if len(secrets) > 1:
        problem(f"{path}: services running apart do not share one INCUCHAIN_INTERNAL_SECRET")
    if set(by_target) - {"all"}:
        for t in ["gateway"] + apart:
            if t not in by_target:
                problem(f"{path}: no -target={t} service")
        for svc, prefix, what in (("postgres", "postgres:15", "PostgreSQL 15"), ("nats", "nats:2.15", "nats 2.15"), ("minio", "minio/minio:", "MinIO")):
            img = (services.get(svc) or {}).get("image", "")
            if not img.startswith(prefix):
                problem(f"{path}: service {svc} should run {what}, has image {img!r}")
        nats_cmd = " ".join((services.get("nats") or {}).get("command") or [])
        if "-js" not in nats_cmd.split():
            problem(f"{path}: nats must run with JetStream (-js)")
    summary = ", ".join(f"{n}={t}" for n, (t, _, _) in sorted(ours.items()))
    finish(f"{os.path.relpath(path, root)}: {len(services)} services ({summary}); images {', '.join(images)}; checked pins, references, targets, wiring")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "keys" and len(args) == 2:
        cmd_keys(*args)
    elif cmd == "env" and len(args) == 2:
        cmd_env(*args)
    elif cmd == "chart" and len(args) >= 5:
        cmd_chart(args[0], args[1], args[2], args[3], args[4], args[5:])
    elif cmd == "dockerfile" and len(args) in (2, 3):
        cmd_dockerfile(*args)
    elif cmd == "compose" and len(args) == 3:
        cmd_compose(*args)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
