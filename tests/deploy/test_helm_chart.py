"""The Helm chart (deploy/helm): it lints, renders, validates against Kubernetes' schemas, and is wired right.

No cluster and no helm binary here: helm-python-sdk carries Helm's own library (lint, render),
and kubernetes-validate carries the Kubernetes API schemas (strict: an unknown field is an
error). Both come with the `chart` extra, which `make test` installs (`make chart-deps`).

Each check is a function over the rendered manifests. The tests run every check on the chart
with its default values, with ci/all-options.yaml (every value set) and without the worker; `test_check_catches`
then breaks a copy of the chart on purpose, one edit per check, and requires that check to
fail, so none of them can pass by looking at nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

try:
    import helm_python as helm
    from kubernetes_validate import utils as kubernetes_validate
except ImportError as e:  # the `chart` extra is not installed
    message = f"{e.name} is missing: `make chart-deps` installs the chart checks' packages"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)  # CI runs `make test`, which installs them: never skip there
    pytest.skip(message, allow_module_level=True)

CHART = Path(__file__).resolve().parents[2] / "deploy" / "helm"
ALL_OPTIONS = CHART / "ci" / "all-options.yaml"
CONTAINERFILE = CHART.parents[1] / "Containerfile"
RELEASE, NAMESPACE = "console", "storage"
# The oldest Kubernetes the chart claims (Chart.yaml kubeVersion) and the newest schemas bundled.
KUBE_VERSIONS = ("1.27.0", kubernetes_validate.latest_version())
VALUE_SETS = {"default": {}, "all-options": yaml.safe_load(ALL_OPTIONS.read_text()),
              "no-worker": {"worker": {"enabled": False}}}
DEFAULT_S3 = yaml.safe_load((CHART / "values.yaml").read_text())["s3"]
NAME_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def render(values: dict, chart: Path = CHART) -> dict[str, str]:
    """Template path -> rendered text, as `helm template` would print them (NOTES.txt left out)."""
    with helm.Chart.load(chart) as loaded:
        rendered = loaded.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    return {path: text for path, text in rendered.items() if not path.endswith("NOTES.txt")}


def documents(rendered: dict[str, str]) -> list[dict]:
    return [doc for text in rendered.values() for doc in yaml.safe_load_all(text) if doc]


def only(items: list, what: str):
    assert len(items) == 1, f"expected one {what}, found {len(items)}"
    return items[0]


def one(docs: list[dict], kind: str, component: str | None = None) -> dict:
    """The one KIND; a Deployment is the web one unless `component` says another (worker)."""
    if kind == "Deployment":
        component = component or "web"
    found = [doc for doc in docs if doc["kind"] == kind
             and component in (None, doc["metadata"]["labels"].get("app.kubernetes.io/component"))]
    return only(found, f"{component or ''} {kind}".strip())


def container(docs: list[dict], kind: str, component: str | None = None) -> dict:
    what = f"container in the {component or ''} {kind}".replace("  ", " ")
    return only(one(docs, kind, component)["spec"]["template"]["spec"]["containers"], what)


def pods(docs: list[dict]) -> list[tuple[str, dict]]:
    """(name, pod spec) of every Deployment and Job: the web pods, the workers, the migration."""
    found = [(f"{doc['kind']}/{doc['metadata']['name']}", doc["spec"]["template"]["spec"])
             for doc in docs if doc["kind"] in ("Deployment", "Job")]
    assert len(found) >= 2, f"expected the web Deployment and the Job at least, found {found}"
    return found


def env_of(container_spec: dict) -> dict[str, dict]:
    return {entry["name"]: entry for entry in container_spec.get("env", [])}


def secret_values(values: dict) -> list[str]:
    """Every secret the values give: each must be in the Secret and nowhere else."""
    secrets = values.get("secrets", {})
    found = [secrets.get(key) for key in ("djangoSecretKey", "connectionSecretKeys", "ossgatewayToken")]
    found += list(secrets.get("env", {}).values())
    found.append(values.get("database", {}).get("url"))
    return [str(value) for value in found if value]


# --- the checks ---------------------------------------------------------------------------


def check_lint(chart: Path, values: dict) -> None:
    report = helm.lint(chart, values, strict=True, namespace=NAMESPACE)
    problems = [m for m in report["messages"] if m["severity"] >= 2]  # 2 warning, 3 error
    assert not report["errors"] and not problems, report


def check_kubernetes_schemas(rendered: dict[str, str], values: dict) -> None:
    docs = documents(rendered)
    expected = {"ConfigMap", "Deployment", "Service", "Ingress", "Job"}
    assert expected <= {doc["kind"] for doc in docs}, "a manifest is missing: nothing to validate"
    failures = []
    for doc in docs:
        for version in KUBE_VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                path = ".".join(str(part) for part in e.path)
                failures.append(f"{doc['kind']}/{doc['metadata']['name']} (Kubernetes {version}): {path}: {e.message}")
            except kubernetes_validate.SchemaNotFoundError as e:  # an unknown kind or apiVersion is a failure too
                failures.append(e.message)
    assert not failures, "\n".join(failures)


def check_s3_yaml_mounted(rendered: dict[str, str], values: dict) -> None:
    docs = documents(rendered)
    config_map = one(docs, "ConfigMap")
    assert yaml.safe_load(config_map["data"]["s3.yaml"]) == values.get("s3", DEFAULT_S3)
    web = container(docs, "Deployment")
    mount = only([m for m in web["volumeMounts"] if m["mountPath"] == "/conf/s3.yaml"], "mount at /conf/s3.yaml")
    assert mount["subPath"] == "s3.yaml" and mount.get("readOnly") is True
    volumes = {v["name"]: v for v in one(docs, "Deployment")["spec"]["template"]["spec"]["volumes"]}
    assert volumes[mount["name"]]["configMap"]["name"] == config_map["metadata"]["name"]
    assert env_of(web)["S3_CONFIG"]["value"] == "/conf/s3.yaml"


def check_name_references_verbatim(rendered: dict[str, str], values: dict) -> None:
    """${NAME} is filled from the environment when the file is read, never by Helm."""
    s3_yaml = one(documents(rendered), "ConfigMap")["data"]["s3.yaml"]
    wanted = NAME_REFERENCE.findall(yaml.safe_dump(values.get("s3", DEFAULT_S3)))
    assert wanted, "the values reference no ${NAME}: nothing to check"
    for reference in wanted:
        assert reference in s3_yaml, f"{reference} did not survive rendering:\n{s3_yaml}"


def check_probes(rendered: dict[str, str], values: dict) -> None:
    web = container(documents(rendered), "Deployment")
    ports = {port["name"]: port["containerPort"] for port in web["ports"]}
    paths = {}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        get = web[probe]["httpGet"]
        assert get["port"] in ports, f"{probe} targets a port the container does not name"
        headers = {h["name"]: h["value"] for h in get.get("httpHeaders", [])}
        if "Host" in headers:  # Django answers 400 to a Host outside ALLOWED_HOSTS
            assert headers["Host"] in env_of(web)["ALLOWED_HOSTS"]["value"].split(",")
        paths[probe] = get["path"]
    assert paths == {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    assert f"--bind=0.0.0.0:{ports['http']}" in web["args"], "gunicorn listens elsewhere than the probed port"


def check_migration_hook(rendered: dict[str, str], values: dict) -> None:
    docs = documents(rendered)
    job = one(docs, "Job")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    migrate = container(docs, "Job")
    assert migrate["command"][:4] == ["python", "manage.py", "migrate", "--noinput"]
    web = container(docs, "Deployment")
    assert migrate["image"] == web["image"]
    assert migrate["envFrom"] == web["envFrom"], "the Job must read the web pods' secrets (the database URL)"
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    secrets = [doc for doc in docs if doc["kind"] == "Secret"]
    for secret in secrets:  # made by the chart: it must exist before the pre-install Job runs
        secret_annotations = secret["metadata"]["annotations"]
        assert set(secret_annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
        assert int(secret_annotations["helm.sh/hook-weight"]) < int(annotations.get("helm.sh/hook-weight", "0"))


def containerfile(instruction: str) -> str:
    """The argument of INSTRUCTION in the Containerfile's last stage: the image the chart runs."""
    last_stage = re.split(r"^FROM ", CONTAINERFILE.read_text(), flags=re.MULTILINE)[-1]
    found = re.findall(rf"^{instruction} (.+)$", last_stage, re.MULTILINE)
    return only(found, f"{instruction} in the Containerfile's last stage")


def check_runs_the_image_as_built(rendered: dict[str, str], values: dict) -> None:
    """The web pods run the image's command as the image's user; the Job finds manage.py in its directory."""
    docs = documents(rendered)
    web = container(docs, "Deployment")
    command = json.loads(containerfile("CMD"))
    assert web["command"] == command[:command.index("--bind")], "the web pods run another command than the image"
    # By default as the image's user; an operator may pick another uid (the image's files are world-readable).
    for name, pod in pods(docs) if "podSecurityContext" not in values else ():
        user = pod["securityContext"]
        assert f"{user['runAsUser']}:{user['runAsGroup']}" == containerfile("USER"), f"{name} runs as another user"
    migrate = container(docs, "Job")
    assert "workingDir" not in migrate and containerfile("WORKDIR") == "/app", "manage.py is in the image's /app"


def check_ingress_tls(rendered: dict[str, str], values: dict) -> None:
    docs = documents(rendered)
    ingress = one(docs, "Ingress")["spec"]
    rule_hosts = [rule["host"] for rule in ingress["rules"]]
    assert rule_hosts
    tls = only(ingress.get("tls", []), "TLS entry")
    assert tls["hosts"] == rule_hosts and tls["secretName"]
    service = one(docs, "Service")
    for rule in ingress["rules"]:
        path = only(rule["http"]["paths"], "path")
        backend = path["backend"]["service"]
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"]["name"] in {port["name"] for port in service["spec"]["ports"]}
    env = env_of(container(docs, "Deployment"))
    assert set(rule_hosts) <= set(env["ALLOWED_HOSTS"]["value"].split(","))
    assert {f"https://{host}" for host in rule_hosts} <= set(env["CSRF_TRUSTED_ORIGINS"]["value"].split(","))
    assert env["SECURE_PROXY_HEADER"]["value"] == "true"


def check_secrets_stay_in_the_secret(rendered: dict[str, str], values: dict) -> None:
    docs = documents(rendered)
    given = secret_values(values)
    secrets = [doc for doc in docs if doc["kind"] == "Secret"]
    if given:
        secret = only(secrets, "Secret")
        assert set(given) <= set(secret["stringData"].values())
        web = container(docs, "Deployment")
        assert {"secretRef": {"name": secret["metadata"]["name"]}} in web["envFrom"]
    else:
        assert not secrets, "default values hold no secret, so the chart makes no Secret"
    for doc in docs:
        if doc["kind"] == "Secret":
            continue
        text = yaml.safe_dump(doc)
        leaked = [value for value in given if value in text]
        assert not leaked, f"{doc['kind']}/{doc['metadata']['name']} holds a secret value: {leaked}"
    config_map = one(docs, "ConfigMap")["data"]["s3.yaml"]
    for connection in yaml.safe_load(config_map).get("connections", []):
        for key in ("accessKeyID", "secretAccessKey"):
            assert NAME_REFERENCE.fullmatch(connection.get(key) or "${X}"), f"{key} is not a ${{NAME}} reference"


def check_pods_locked_down(rendered: dict[str, str], values: dict) -> None:
    docs = documents(rendered)
    for name, pod in pods(docs):
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        spec = only(pod["containers"], f"container in {name}")
        assert spec["securityContext"]["readOnlyRootFilesystem"] is True
        assert spec["securityContext"]["allowPrivilegeEscalation"] is False
        tmp = only([m for m in spec["volumeMounts"] if m["mountPath"] == "/tmp"], "mount at /tmp")
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes[tmp["name"]]
        assert spec["resources"]["requests"] and spec["resources"]["limits"]


def check_worker(rendered: dict[str, str], values: dict) -> None:
    """`manage.py jobs_worker` pods, unless worker.enabled is false, run as the web pods do: same image,
    environment, Secret, user and s3.yaml; no port, no probe; time to hand a job back on SIGTERM."""
    docs = documents(rendered)
    workers = [doc for doc in docs if doc["metadata"]["labels"].get("app.kubernetes.io/component") == "worker"]
    if values.get("worker", {}).get("enabled", True) is False:
        assert not workers, "worker.enabled is false, yet the chart makes worker pods"
        return
    deployment = only(workers, "worker Deployment")
    assert deployment["kind"] == "Deployment"
    # Not a hook: created once the pre-install/pre-upgrade hooks (the migration) are done, as the web pods are.
    assert "helm.sh/hook" not in deployment["metadata"].get("annotations", {})
    worker, web = container(docs, "Deployment", "worker"), container(docs, "Deployment")
    assert worker["command"] == ["python", "manage.py", "jobs_worker"], worker["command"]
    assert worker["image"] == web["image"] and worker["imagePullPolicy"] == web["imagePullPolicy"]
    assert worker.get("envFrom") == web["envFrom"], "the worker must read the web pods' Secret (database, keys)"
    assert worker.get("env") == web["env"], "the worker must run with the web pods' settings"
    assert worker["securityContext"] == web["securityContext"]
    pod, web_pod = (one(docs, "Deployment", c)["spec"]["template"]["spec"] for c in ("worker", "web"))
    for key in ("securityContext", "imagePullSecrets", "serviceAccountName", "automountServiceAccountToken"):
        assert pod.get(key) == web_pod.get(key), f"the worker's {key} differs from the web pods'"
    assert worker["volumeMounts"] == web["volumeMounts"] and pod["volumes"] == web_pod["volumes"]
    if values.get("s3", DEFAULT_S3):
        assert "/conf/s3.yaml" in {m["mountPath"] for m in worker["volumeMounts"]}
    assert not {"ports", "startupProbe", "livenessProbe", "readinessProbe"} & set(worker), "a worker serves no HTTP"
    service = one(docs, "Service")["spec"]["selector"]
    assert not service.items() <= deployment["spec"]["template"]["metadata"]["labels"].items(), \
        "the Service would send requests to worker pods"
    # SIGTERM: the job is handed back once the storage calls in flight answer (each within these timeouts).
    env = env_of(worker)
    in_flight = int(env.get("S3_CONNECT_TIMEOUT", {"value": 5})["value"]) + int(
        env.get("S3_READ_TIMEOUT", {"value": 60})["value"])
    assert pod["terminationGracePeriodSeconds"] > in_flight, "SIGKILL could come before the job is handed back"


RENDER_CHECKS = {
    "kubernetes-schemas": check_kubernetes_schemas,
    "s3-yaml-mounted": check_s3_yaml_mounted,
    "name-references-verbatim": check_name_references_verbatim,
    "probes": check_probes,
    "migration-hook": check_migration_hook,
    "runs-the-image-as-built": check_runs_the_image_as_built,
    "ingress-tls": check_ingress_tls,
    "secrets-stay-in-the-secret": check_secrets_stay_in_the_secret,
    "pods-locked-down": check_pods_locked_down,
    "worker": check_worker,
}


# --- the chart passes them ------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(VALUE_SETS))
def value_set(request) -> tuple[dict, dict[str, str]]:
    values = VALUE_SETS[request.param]
    return values, render(values)


@pytest.mark.parametrize("values_name", sorted(VALUE_SETS))
def test_chart_lints_clean(values_name):
    check_lint(CHART, VALUE_SETS[values_name])


@pytest.mark.parametrize("check", sorted(RENDER_CHECKS))
def test_rendered_chart_passes(check, value_set):
    values, rendered = value_set
    RENDER_CHECKS[check](rendered, values)


def test_all_options_reach_the_manifests():
    """ci/all-options.yaml really sets the options: each shows up where it belongs."""
    values = VALUE_SETS["all-options"]
    docs = documents(render(values))
    deployment = one(docs, "Deployment")
    web = container(docs, "Deployment")
    env = env_of(web)
    assert deployment["spec"]["replicas"] == 3
    assert web["image"] == "registry.example.com/storage/oss-console:1.2.3"
    assert web["resources"] == values["web"]["resources"]
    assert env["EDITION"]["value"] == "commercial" and env["STORAGE_BACKEND"]["value"] == "ossgateway"
    assert env["TRUSTED_PROXIES"]["value"] == "10.0.0.0/8,192.168.0.0/16"
    assert env["S3_CONFIG_PRUNE"]["value"] == "true"
    assert env["S3_READ_TIMEOUT"]["value"] == "120"
    assert env["S3_BACKUP_SECRET_ACCESS_KEY"]["valueFrom"]["secretKeyRef"] == {
        "name": "minio-credentials", "key": "secret-access-key"}
    assert env["ALLOWED_HOSTS"]["value"].split(",") == [
        "console.example.com", "storage-console.example.org", "console.internal.example.com"]
    assert "--graceful-timeout=30" in web["args"] and "--workers=4" in web["args"]
    assert one(docs, "Ingress")["spec"]["ingressClassName"] == "nginx"
    assert one(docs, "Service")["spec"]["type"] == "NodePort"
    assert "DATABASE_URL" not in env, "with secrets.create the database URL lives in the Secret"
    assert env["JOBS_LEASE_SECONDS"]["value"] == "45" and env["TASKS_BACKEND"]["value"] == values["jobs"]["tasksBackend"]
    assert {name for name in env if name.startswith("JOBS_")} == {
        "JOBS_LEASE_SECONDS", "JOBS_SWEEP_SECONDS", "JOBS_RENUDGE_SECONDS", "JOBS_MAX_ATTEMPTS",
        "JOBS_STORAGE_RETRY_SECONDS", "JOBS_IN_FLIGHT", "JOBS_BATCH_OBJECTS", "JOBS_DELETE_BATCHES_IN_FLIGHT",
        "JOBS_MAX_ACTIVE_PER_USER",
        "JOBS_STREAM_PART_MB", "JOBS_STREAM_PARTS_IN_FLIGHT"}
    workers = one(docs, "Deployment", "worker")
    worker = container(docs, "Deployment", "worker")
    pod = workers["spec"]["template"]
    assert workers["spec"]["replicas"] == 4
    assert worker["resources"] == values["worker"]["resources"]
    assert worker["args"] == ["--interval=2"]
    assert pod["spec"]["terminationGracePeriodSeconds"] == 180
    assert pod["metadata"]["labels"]["team"] == "storage-jobs"
    assert pod["metadata"]["annotations"]["prometheus.io/scrape"] == "false"
    assert pod["spec"]["tolerations"] == values["worker"]["tolerations"]
    assert pod["spec"]["affinity"] == values["worker"]["affinity"]
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/os": "linux"}


def test_default_values_set_no_jobs_variable():
    """Null jobs.* values leave the console's own defaults (README "Background jobs") in force."""
    env = env_of(container(documents(render({})), "Deployment", "worker"))
    assert not {name for name in env if name.startswith("JOBS_") or name == "TASKS_BACKEND"}


@pytest.mark.parametrize(("override", "complaint"), [
    ({"edition": "enterprise"}, "edition must be"),
    ({"storageBackend": "gcs"}, "storageBackend must be"),
    ({"ingress": {"hosts": []}}, "ingress.hosts"),
    ({"secrets": {"create": True}}, "secrets.djangoSecretKey is required"),
    ({"jobs": {"tasksBackend": "django_tasks_rq.RQBackend"}}, 'worker.extraArgs: ["--sweep-only"]'),
])
def test_chart_refuses_bad_values(override, complaint):
    with pytest.raises(helm.HelmError, match=re.escape(complaint)):
        render(override)


# --- and each check fails on a chart broken on purpose -------------------------------------

# (check, values, file, text in it, replacement): the edit a careless change could make.
BREAKAGES = [
    ("lint", "default", "Chart.yaml", "version: 0.1.0", "version: one"),
    ("kubernetes-schemas", "default", "templates/deployment.yaml", "containerPort:", "containerport:"),
    ("kubernetes-schemas", "all-options", "templates/ingress.yaml", "pathType: Prefix", "pathType: Prefix\n            weight: 1"),
    ("s3-yaml-mounted", "default", "templates/_helpers.tpl", "mountPath: /conf/s3.yaml", "mountPath: /config/s3.yaml"),
    ("name-references-verbatim", "all-options", "templates/configmap.yaml", "{{- toYaml .Values.s3 | nindent 4 }}",
     "{{- $text := toYaml .Values.s3 }}{{- range $k, $v := .Values.secrets.env }}"
     "{{- $text = replace (printf \"${%s}\" $k) $v $text }}{{- end }}{{- $text | nindent 4 }}"),
    ("probes", "default", "templates/deployment.yaml", ".Values.web.readinessProbe", ".Values.web.livenessProbe"),
    ("probes", "default", "templates/deployment.yaml", "--bind=0.0.0.0:{{ .Values.web.port }}", "--bind=0.0.0.0:9000"),
    ("migration-hook", "default", "templates/migrate-job.yaml", "helm.sh/hook: pre-install,pre-upgrade",
     "helm.sh/hook: post-install,post-upgrade"),
    ("migration-hook", "all-options", "templates/secret.yaml", 'helm.sh/hook-weight: "-10"', 'helm.sh/hook-weight: "10"'),
    ("runs-the-image-as-built", "default", "templates/deployment.yaml",
     'command: ["gunicorn", "--config", "python:console.gunicorn_conf"]', 'command: ["gunicorn"]'),
    ("runs-the-image-as-built", "default", "values.yaml", "runAsUser: 10001", "runAsUser: 1000"),
    ("ingress-tls", "default", "templates/ingress.yaml", "{{- if .Values.ingress.tls.enabled }}", "{{- if false }}"),
    ("ingress-tls", "default", "values.yaml", "secureProxyHeader: null", "secureProxyHeader: false"),
    ("secrets-stay-in-the-secret", "all-options", "templates/_helpers.tpl",
     "{{- if and .Values.database.url (not .Values.secrets.create) }}", "{{- if .Values.database.url }}"),
    ("secrets-stay-in-the-secret", "all-options", "templates/configmap.yaml", "{{- toYaml .Values.s3 | nindent 4 }}",
     "{{- $text := toYaml .Values.s3 }}{{- range $k, $v := .Values.secrets.env }}"
     "{{- $text = replace (printf \"${%s}\" $k) $v $text }}{{- end }}{{- $text | nindent 4 }}"),
    ("pods-locked-down", "default", "values.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
    ("pods-locked-down", "default", "templates/migrate-job.yaml", "mountPath: /tmp", "mountPath: /scratch"),
    ("pods-locked-down", "default", "templates/worker-deployment.yaml", "{{- toYaml .Values.securityContext | nindent 12 }}",
     "readOnlyRootFilesystem: false"),
    ("worker", "default", "templates/worker-deployment.yaml", '"jobs_worker"]', '"runworker"]'),
    ("worker", "default", "templates/worker-deployment.yaml", '{{- include "oss-console.volumeMounts" . | nindent 10 }}',
     "volumeMounts:\n            - name: tmp\n              mountPath: /tmp"),
    ("worker", "all-options", "templates/worker-deployment.yaml", '{{- include "oss-console.containerEnv" . | nindent 10 }}',
     "envFrom:\n            - secretRef:\n                name: oss-console-all-env"),
    ("worker", "all-options", "templates/worker-deployment.yaml", '{{- include "oss-console.podSecurity" . | trim | nindent 6 }}',
     "securityContext:\n        runAsNonRoot: true"),
    ("worker", "all-options", "templates/worker-deployment.yaml",
     "terminationGracePeriodSeconds: {{ .Values.worker.terminationGracePeriodSeconds }}", "terminationGracePeriodSeconds: 90"),
    ("worker", "default", "templates/worker-deployment.yaml",
     "app.kubernetes.io/component: worker\n        {{- with .Values.worker.podLabels }}",
     "app.kubernetes.io/component: web\n        {{- with .Values.worker.podLabels }}"),
    ("worker", "no-worker", "templates/worker-deployment.yaml", "{{- if .Values.worker.enabled }}", "{{- if true }}"),
]


@pytest.mark.parametrize(("check", "values_name", "path", "old", "new"), BREAKAGES,
                         ids=[f"{b[0]}:{b[2].rsplit('/', 1)[-1]}:{i}" for i, b in enumerate(BREAKAGES)])
def test_check_catches(check, values_name, path, old, new, tmp_path):
    broken = tmp_path / "oss-console"
    shutil.copytree(CHART, broken)
    target = broken / path
    text = target.read_text()
    assert old in text, f"{path} no longer contains {old!r}: update this breakage"
    target.write_text(text.replace(old, new, 1))
    values = VALUE_SETS[values_name]
    with pytest.raises(AssertionError):
        if check == "lint":
            check_lint(broken, values)
        else:
            RENDER_CHECKS[check](render(values, broken), values)
    # The same check passes on the chart as it is, so the edit is what it caught.
    if check == "lint":
        check_lint(CHART, values)
    else:
        RENDER_CHECKS[check](render(values), values)
