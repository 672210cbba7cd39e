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
{{- if and .Values.ingress.enabled (not .Values.ingress.hosts) }}
{{- fail "ingress.hosts needs at least one host name when the ingress is enabled" }}
{{- end }}
{{- end }}

{{/* The environment shared by the web pods and the migration Job. */}}
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
