{{/*
Chart name, truncated to the 63 characters Kubernetes allows in names and labels.
*/}}
{{- define "aeon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: <release>-<chart>, or the release name alone when it already contains the chart name.
*/}}
{{- define "aeon.fullname" -}}
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

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "aeon.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of one component's resources, <fullname>-<component>; the prefix is shortened first so that
components never collide. Call with (dict "ctx" $ "component" "data-plane").
*/}}
{{- define "aeon.componentName" -}}
{{- $prefix := include "aeon.fullname" .ctx | trunc (int (sub 62 (len .component))) | trimSuffix "-" }}
{{- printf "%s-%s" $prefix .component }}
{{- end }}

{{/*
Selector labels shared by every resource of the release.
*/}}
{{- define "aeon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aeon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "aeon.labels" -}}
helm.sh/chart: {{ include "aeon.chart" . }}
{{ include "aeon.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aeon
{{- end }}

{{/*
Selector labels of one component. Call with (dict "ctx" $ "component" "data-plane").
*/}}
{{- define "aeon.componentSelectorLabels" -}}
{{ include "aeon.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Labels of one component. Call with (dict "ctx" $ "component" "data-plane").
*/}}
{{- define "aeon.componentLabels" -}}
{{ include "aeon.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
ServiceAccount used by all components.
*/}}
{{- define "aeon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "aeon.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference of one component; the tag defaults to the chart appVersion.
Call with (dict "ctx" $ "image" .Values.dataPlane.image).
*/}}
{{- define "aeon.image" -}}
{{- $tag := .image.tag | default .ctx.Chart.AppVersion | toString }}
{{- with .ctx.Values.imageRegistry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .) $.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Pod annotations of one component: Prometheus scrape hints plus the component's podAnnotations.
Call with (dict "ctx" $ "values" .Values.dataPlane "port" 7241).
*/}}
{{- define "aeon.podAnnotations" -}}
{{- if .ctx.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /q/metrics
{{- end }}
{{- with .values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod template metadata of one component.
Call with (dict "ctx" $ "component" "data-plane" "values" .Values.dataPlane "port" 7241).
*/}}
{{- define "aeon.podMetadata" -}}
labels:
  {{- include "aeon.componentLabels" . | nindent 2 }}
  {{- with .values.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with include "aeon.podAnnotations" . | trim }}
annotations:
  {{- . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Pod-level settings shared by all components: pull secrets, service account, security context, scheduling.
Call with (dict "ctx" $ "values" .Values.dataPlane).
*/}}
{{- define "aeon.podSpec" -}}
serviceAccountName: {{ include "aeon.serviceAccountName" .ctx }}
automountServiceAccountToken: {{ .ctx.Values.serviceAccount.automountServiceAccountToken }}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .ctx.Values.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Container settings shared by all components: image, JAVA_OPTS, security context, probes, resources.
The probes use the container port named `http`. Call with (dict "ctx" $ "values" .Values.dataPlane).
*/}}
{{- define "aeon.containerCommon" -}}
image: {{ include "aeon.image" (dict "ctx" .ctx "image" .values.image) | quote }}
imagePullPolicy: {{ .values.image.pullPolicy }}
{{- with .ctx.Values.securityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
startupProbe:
  httpGet:
    path: /q/health/live
    port: http
  {{- toYaml .ctx.Values.probes.startup | nindent 2 }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  {{- toYaml .ctx.Values.probes.readiness | nindent 2 }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  {{- toYaml .ctx.Values.probes.liveness | nindent 2 }}
{{- with .values.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the internal token: internalToken.existingSecret, or the one the chart generates.
*/}}
{{- define "aeon.internalTokenSecretName" -}}
{{- if .Values.internalToken.existingSecret }}
{{- .Values.internalToken.existingSecret }}
{{- else }}
{{- include "aeon.componentName" (dict "ctx" . "component" "internal-token") }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the key that encrypts the control plane's signing keys.
*/}}
{{- define "aeon.signingKeysEncryptionSecretName" -}}
{{- if .Values.signingKeysEncryption.existingSecret }}
{{- .Values.signingKeysEncryption.existingSecret }}
{{- else }}
{{- include "aeon.componentName" (dict "ctx" . "component" "signing-keys-encryption") }}
{{- end }}
{{- end }}

{{/*
Control plane URL that the data plane and codec server verify API keys with (JWKS, /internal/... access).
*/}}
{{- define "aeon.controlPlaneUrl" -}}
{{- if .Values.auth.controlPlaneUrl }}
{{- .Values.auth.controlPlaneUrl }}
{{- else if .Values.controlPlane.enabled }}
{{- printf "http://%s:%v" (include "aeon.componentName" (dict "ctx" . "component" "control-plane")) .Values.controlPlane.service.port }}
{{- else }}
{{- fail "auth.controlPlaneUrl is required when controlPlane.enabled is false: the data plane and codec server verify API keys with a control plane" }}
{{- end }}
{{- end }}

{{/*
The data plane's HTTP URL on which the control plane provisions namespaces (/internal/v1/namespaces/...).
*/}}
{{- define "aeon.dataPlaneInternalUrl" -}}
{{- if .Values.controlPlane.dataPlaneInternalUrl }}
{{- .Values.controlPlane.dataPlaneInternalUrl }}
{{- else if .Values.dataPlane.enabled }}
{{- printf "http://%s:%v" (include "aeon.componentName" (dict "ctx" . "component" "data-plane")) .Values.dataPlane.service.httpPort }}
{{- else }}
{{- fail "controlPlane.dataPlaneInternalUrl is required when dataPlane.enabled is false: the control plane provisions namespaces on a data plane" }}
{{- end }}
{{- end }}

{{/*
Environment every component shares: the internal token and, when set, the API keys' issuer.
Call with the root context.
*/}}
{{- define "aeon.sharedAuthEnv" -}}
# Shared secret of /internal/... calls between Aeon's services (docs/internal-api.md).
- name: AEON_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "aeon.internalTokenSecretName" . }}
      key: {{ .Values.internalToken.key }}
{{- with .Values.auth.issuer }}
- name: AEON_AUTH_ISSUER
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
The web console's origin, which every service reads: the control plane serves the console there (at /console/)
and answers it in namespaces' web_address; the data plane's HTTP API and the codec server allow it by CORS.
Call with the root context.
*/}}
{{- define "aeon.consoleEnv" -}}
{{- with .Values.console.origin }}
- name: AEON_CONSOLE_ORIGIN
  value: {{ . | trimSuffix "/" | quote }}
{{- end }}
{{- end }}

{{/*
Environment of the API-key verifiers (data plane, codec server). Call with the root context.
*/}}
{{- define "aeon.verifierAuthEnv" -}}
- name: AEON_AUTH_ENABLED
  value: {{ .Values.auth.enabled | toString | quote }}
- name: AEON_AUTH_CONTROL_PLANE_URL
  value: {{ include "aeon.controlPlaneUrl" . | quote }}
{{- end }}

{{/*
Data plane TLS on the gRPC port: "secret" (a certificate from dataPlane.tls.existingSecret) or "plaintext"
(dataPlane.tls.plaintextAllowed); fails rendering when neither is set, as the data plane would fail to start.
*/}}
{{- define "aeon.dataPlaneTlsMode" -}}
{{- if .Values.dataPlane.tls.existingSecret }}
{{- "secret" }}
{{- else if .Values.dataPlane.tls.plaintextAllowed }}
{{- "plaintext" }}
{{- else }}
{{- fail "dataPlane.tls: the data plane serves gRPC (7233) over TLS only and refuses to start without a certificate. Set dataPlane.tls.existingSecret to a kubernetes.io/tls Secret (tls.crt, tls.key), e.g. `kubectl create secret tls aeon-data-plane-tls --cert=server.pem --key=server.key`, or, for a test install or TLS terminated in front of the data plane only, set dataPlane.tls.plaintextAllowed=true." }}
{{- end }}
{{- end }}

{{/*
Where the shared PostgreSQL is (control plane, codec server, and the data plane's visibility store).
*/}}
{{- define "aeon.postgresEnv" -}}
{{- $pg := .Values.postgres -}}
- name: AEON_POSTGRES_HOST
  value: {{ $pg.host | quote }}
- name: AEON_POSTGRES_PORT
  value: {{ $pg.port | toString | quote }}
- name: AEON_POSTGRES_DATABASE
  value: {{ $pg.database | quote }}
- name: AEON_POSTGRES_USERNAME
  value: {{ $pg.username | quote }}
{{- with $pg.existingSecret }}
- name: AEON_POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $pg.passwordKey }}
{{- end }}
{{- end }}

{{/*
A PodDisruptionBudget for a component: minAvailable, or maxUnavailable when set.
Call with (dict "ctx" $ "component" "control-plane" "pdb" .Values.controlPlane.podDisruptionBudget).
*/}}
{{- define "aeon.podDisruptionBudget" -}}
{{- $c := dict "ctx" .ctx "component" .component }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "aeon.componentName" $c }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "aeon.componentLabels" $c | nindent 4 }}
spec:
  {{- with .pdb.maxUnavailable }}
  maxUnavailable: {{ . }}
  {{- else }}
  minAvailable: {{ .pdb.minAvailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "aeon.componentSelectorLabels" $c | nindent 6 }}
{{- end }}
