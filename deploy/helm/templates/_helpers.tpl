{{/* Names and labels. */}}
{{- define "oss-console.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "oss-console.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "oss-console.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "oss-console.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "oss-console.selectorLabels" -}}
app.kubernetes.io/name: {{ include "oss-console.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "oss-console.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{/* The Secret the pods read through envFrom: the chart's own, or one made by the operator. */}}
{{- define "oss-console.secretName" -}}
{{- default (include "oss-console.fullname" .) .Values.secrets.name }}
{{- end }}

{{- define "oss-console.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "oss-console.fullname" .)) .Values.ingress.tls.secretName }}
{{- end }}

{{/* Host names Django accepts: the ingress hosts, then allowedHosts. */}}
{{- define "oss-console.allowedHosts" -}}
{{- $hosts := list }}
{{- if .Values.ingress.enabled }}
{{- $hosts = concat $hosts .Values.ingress.hosts }}
{{- end }}
{{- $hosts = concat $hosts .Values.allowedHosts }}
{{- join "," (uniq $hosts) }}
{{- end }}

{{- define "oss-console.csrfTrustedOrigins" -}}
{{- $origins := list }}
{{- if .Values.ingress.enabled }}
{{- $scheme := ternary "https" "http" .Values.ingress.tls.enabled }}
{{- range .Values.ingress.hosts }}
{{- $origins = append $origins (printf "%s://%s" $scheme .) }}
{{- end }}
{{- end }}
{{- $origins = concat $origins .Values.csrfTrustedOrigins }}
{{- join "," (uniq $origins) }}
{{- end }}

{{/* SECURE_PROXY_HEADER: as set, else on exactly when the ingress is. */}}
{{- define "oss-console.secureProxyHeader" -}}
{{- if kindIs "invalid" .Values.secureProxyHeader }}
{{- .Values.ingress.enabled }}
{{- else }}
{{- .Values.secureProxyHeader }}
{{- end }}
{{- end }}

{{- define "oss-console.validate" -}}
{{- if not (has .Values.edition (list "" "community" "commercial")) }}
{{- fail (printf "edition must be community, commercial or empty, not %q" .Values.edition) }}
{{- end }}
{{- if not (has .Values.storageBackend (list "" "s3" "ossgateway")) }}
{{- fail (printf "storageBackend must be s3, ossgateway or empty, not %q" .Values.storageBackend) }}
{{- end }}
{{- $backend := .Values.jobs.tasksBackend | default "" | toString }}
{{- if and .Values.worker.enabled $backend (ne $backend "django_tasks_db.DatabaseBackend") (not (has "--sweep-only" .Values.worker.extraArgs)) }}
{{- fail (printf "jobs.tasksBackend %s runs its own workers: set worker.extraArgs: [\"--sweep-only\"] (jobs_worker refuses to run tasks from it)" $backend) }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.hosts) }}
{{- fail "ingress.hosts needs at least one host name when the ingress is enabled" }}
{{- end }}
{{- end }}

{{/* The jobs' settings that are set (not null nor empty), by variable name. */}}
{{- define "oss-console.jobsEnv" -}}
{{- $jobs := .Values.jobs }}
{{- $names := dict
  "TASKS_BACKEND" $jobs.tasksBackend
  "JOBS_LEASE_SECONDS" $jobs.leaseSeconds
  "JOBS_SWEEP_SECONDS" $jobs.sweepSeconds
  "JOBS_RENUDGE_SECONDS" $jobs.renudgeSeconds
  "JOBS_MAX_ATTEMPTS" $jobs.maxAttempts
  "JOBS_STORAGE_RETRY_SECONDS" $jobs.storageRetrySeconds
  "JOBS_IN_FLIGHT" $jobs.inFlight
  "JOBS_BATCH_OBJECTS" $jobs.batchObjects
  "JOBS_DELETE_BATCHES_IN_FLIGHT" $jobs.deleteBatchesInFlight
  "JOBS_MAX_ACTIVE_PER_USER" $jobs.maxActivePerUser
  "JOBS_STREAM_PART_MB" $jobs.streamPartMB
  "JOBS_STREAM_PARTS_IN_FLIGHT" $jobs.streamPartsInFlight }}
{{- $set := dict }}
{{- range $name, $value := $names }}
{{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
{{- $_ := set $set $name (toString $value) }}
{{- end }}
{{- end }}
{{- toYaml $set }}
{{- end }}

{{/* The environment shared by the web pods, the workers and the migration Job. */}}
{{- define "oss-console.env" -}}
- name: DEBUG
  value: "false"
{{- with .Values.edition }}
- name: EDITION
  value: {{ . | quote }}
{{- end }}
{{- with .Values.storageBackend }}
- name: STORAGE_BACKEND
  value: {{ . | quote }}
{{- end }}
{{- with .Values.ossgatewayUrl }}
- name: OSSGATEWAY_URL
  value: {{ . | quote }}
{{- end }}
{{- with include "oss-console.allowedHosts" . }}
- name: ALLOWED_HOSTS
  value: {{ . | quote }}
{{- end }}
{{- with include "oss-console.csrfTrustedOrigins" . }}
- name: CSRF_TRUSTED_ORIGINS
  value: {{ . | quote }}
{{- end }}
- name: SECURE_PROXY_HEADER
  value: {{ include "oss-console.secureProxyHeader" . | quote }}
{{- with .Values.trustedProxies }}
- name: TRUSTED_PROXIES
  value: {{ join "," . | quote }}
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- range $name, $value := include "oss-console.jobsEnv" . | fromYaml }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- if and .Values.database.url (not .Values.secrets.create) }}
- name: DATABASE_URL
  value: {{ .Values.database.url | quote }}
{{- end }}
{{- range .Values.secretEnv }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .key }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "oss-console.envFrom" -}}
- secretRef:
    name: {{ include "oss-console.secretName" . }}
{{- end }}

{{/* Probes send the public host name (ALLOWED_HOSTS) and, behind the ingress, the scheme it terminates. */}}
{{- define "oss-console.probe" -}}
{{- $root := index . 0 }}
{{- $probe := index . 1 -}}
httpGet:
  path: {{ $probe.path }}
  port: http
  {{- $hosts := include "oss-console.allowedHosts" $root }}
  {{- $proxy := include "oss-console.secureProxyHeader" $root }}
  {{- if or $hosts (eq $proxy "true") }}
  httpHeaders:
    {{- with $hosts }}
    - name: Host
      value: {{ first (splitList "," .) | quote }}
    {{- end }}
    {{- if eq $proxy "true" }}
    - name: X-Forwarded-Proto
      value: https
    {{- end }}
  {{- end }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end }}

{{/*
Pod parts shared by the web and worker Deployments: both run the console's code on the same
database, Secret and s3.yaml, so they must get the same environment, user and mounts.
*/}}

{{/* Pod annotations; takes (list $ .Values.web) or (list $ .Values.worker). */}}
{{- define "oss-console.podAnnotations" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 -}}
# s3.yaml is read at start-up: a change rolls the pods.
checksum/s3-config: {{ toYaml $root.Values.s3 | sha256sum }}
{{- if $root.Values.secrets.create }}
checksum/secret: {{ toYaml (list $root.Values.secrets $root.Values.database) | sha256sum }}
{{- end }}
{{- with $component.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The pod spec's first fields: pull secrets, service account (no token), the pod's user. */}}
{{- define "oss-console.podSecurity" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{/* The container's environment: the shared variables, s3.yaml's path, the Secret. */}}
{{- define "oss-console.containerEnv" -}}
env:
  {{- include "oss-console.env" . | nindent 2 }}
  {{- if .Values.s3 }}
  - name: S3_CONFIG
    value: /conf/s3.yaml
  - name: S3_CONFIG_PRUNE
    value: {{ .Values.s3ConfigPrune | quote }}
  {{- end }}
envFrom:
  {{- include "oss-console.envFrom" . | nindent 2 }}
{{- end }}

{{/* The container's mounts: an emptyDir at /tmp (the root is read-only), s3.yaml at /conf/s3.yaml. */}}
{{- define "oss-console.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- if .Values.s3 }}
  - name: s3-config
    mountPath: /conf/s3.yaml
    subPath: s3.yaml
    readOnly: true
  {{- end }}
{{- end }}

{{- define "oss-console.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpSizeLimit }}
  {{- if .Values.s3 }}
  - name: s3-config
    configMap:
      name: {{ include "oss-console.fullname" . }}-s3
  {{- end }}
{{- end }}

{{/* Where the pods go; takes .Values.web or .Values.worker. */}}
{{- define "oss-console.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
