{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "tencentcloud-org-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: <release>-<chart>, or just <release> when it already contains the chart name. */}}
{{- define "tencentcloud-org-exporter.fullname" -}}
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

{{/* Chart label value: <name>-<version>. */}}
{{- define "tencentcloud-org-exporter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every resource carries. */}}
{{- define "tencentcloud-org-exporter.labels" -}}
helm.sh/chart: {{ include "tencentcloud-org-exporter.chart" . }}
{{ include "tencentcloud-org-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "tencentcloud-org-exporter.name" . }}
{{- end }}

{{/* Labels that select the exporter's pods; immutable once a Deployment exists. */}}
{{- define "tencentcloud-org-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tencentcloud-org-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* ServiceAccount name. */}}
{{- define "tencentcloud-org-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tencentcloud-org-exporter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference: [registry/]repository(@digest|:tag), the tag defaulting to appVersion. */}}
{{- define "tencentcloud-org-exporter.image" -}}
{{- $repo := .Values.image.repository }}
{{- if .Values.image.registry }}
{{- $repo = printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Name of the Secret with the cloud credentials as env vars, or "" when none is configured. */}}
{{- define "tencentcloud-org-exporter.credentialsSecretName" -}}
{{- $c := .Values.credentials }}
{{- if and $c.fileSecret (or $c.existingSecret $c.secretId $c.secretKey) }}
{{- fail "credentials: fileSecret cannot be combined with existingSecret or secretId/secretKey (environment variables would shadow the file)" }}
{{- end }}
{{- if and (or $c.tkeOidc.enabled $c.cvmRole.enabled) (or $c.fileSecret $c.existingSecret $c.secretId $c.secretKey) }}
{{- fail "credentials: tkeOidc or cvmRole cannot be combined with existingSecret, secretId/secretKey or fileSecret (the exporter uses the first source of its chain: keys would shadow the role)" }}
{{- end }}
{{- if and $c.tkeOidc.enabled $c.cvmRole.enabled }}
{{- fail "credentials: choose one of tkeOidc and cvmRole (TKE OIDC comes first in the exporter's chain)" }}
{{- end }}
{{- if and $c.tkeOidc.enabled .Values.serviceAccount.create (not $c.tkeOidc.roleArn) }}
{{- fail "credentials.tkeOidc.roleArn is required with tkeOidc.enabled and serviceAccount.create (the annotation tke.cloud.tencent.com/role-arn)" }}
{{- end }}
{{- if .Values.credentials.existingSecret }}
{{- .Values.credentials.existingSecret }}
{{- else if or .Values.credentials.secretId .Values.credentials.secretKey }}
{{- include "tencentcloud-org-exporter.fullname" . }}
{{- end }}
{{- end }}

{{/* Name of the Secret with the web configuration file. */}}
{{- define "tencentcloud-org-exporter.webConfigSecretName" -}}
{{- if .Values.webConfig.existingSecret }}
{{- .Values.webConfig.existingSecret }}
{{- else }}
{{- printf "%s-web-config" (include "tencentcloud-org-exporter.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Single source of truth for the alert rules: the repository's alerts/ file, linked into files/. */}}
{{- define "tencentcloud-org-exporter.rulesFile" -}}
files/tencentcloud-org-exporter.rules.yml
{{- end }}

{{/* Command-line flags built from .Values.config, as a YAML list. */}}
{{- define "tencentcloud-org-exporter.args" -}}
{{- $c := .Values.config }}
{{- $args := list (printf "--web.listen-address=:%v" .Values.containerPort) (printf "--web.telemetry-path=%s" .Values.telemetryPath) }}
{{- with .Values.credentials.fileSecret }}
{{- $args = append $args (printf "--tencentcloud.credentials-file=/etc/tencentcloud-org-exporter/credentials/%s" $.Values.credentials.fileKey) }}
{{- end }}
{{- if .Values.webConfig.enabled }}
{{- $args = append $args (printf "--web.config.file=/etc/tencentcloud-org-exporter/web/%s" .Values.webConfig.key) }}
{{- end }}
{{- $cr := .Values.credentials }}
{{- with $cr.cvmRole.name }}{{ $args = append $args (printf "--tencentcloud.cvm-role=%s" .) }}{{ end }}
{{- with $cr.roleArn }}{{ $args = append $args (printf "--tencentcloud.role-arn=%s" .) }}{{ end }}
{{- with $cr.roleSessionName }}{{ $args = append $args (printf "--tencentcloud.role-session-name=%s" .) }}{{ end }}
{{- with $cr.roleDuration }}{{ $args = append $args (printf "--tencentcloud.role-duration=%s" .) }}{{ end }}
{{- with $cr.metadataEndpoint }}{{ $args = append $args (printf "--tencentcloud.metadata-endpoint=%s" .) }}{{ end }}
{{- with $cr.stsEndpoint }}{{ $args = append $args (printf "--tencentcloud.sts-endpoint=%s" .) }}{{ end }}
{{- with $c.endpoint }}{{ $args = append $args (printf "--tencentcloud.endpoint=%s" .) }}{{ end }}
{{- with $c.region }}{{ $args = append $args (printf "--tencentcloud.region=%s" .) }}{{ end }}
{{- with $c.timeZoneOffset }}{{ $args = append $args (printf "--tencentcloud.time-zone-offset=%s" .) }}{{ end }}
{{- if not (kindIs "invalid" $c.requestsPerSecond) }}
{{- $args = append $args (printf "--api.requests-per-second=%v" $c.requestsPerSecond) }}
{{- end }}
{{- with $c.apiTimeout }}{{ $args = append $args (printf "--api.timeout=%s" .) }}{{ end }}
{{- with $c.invitationsInterval }}{{ $args = append $args (printf "--collector.invitations.interval=%s" .) }}{{ end }}
{{- with $c.membersInterval }}{{ $args = append $args (printf "--collector.members.interval=%s" .) }}{{ end }}
{{- if not $c.membersList }}{{ $args = append $args "--no-collector.members.list" }}{{ end }}
{{- range $c.memberUins }}
{{- /* UINs exceed what float64 prints without an exponent: YAML numbers arrive as float64 */}}
{{- $uin := ternary (int64 .) . (kindIs "float64" .) }}
{{- $args = append $args (printf "--members.uin=%v" $uin) }}
{{- end }}
{{- with $c.logLevel }}{{ $args = append $args (printf "--log.level=%s" .) }}{{ end }}
{{- with $c.logFormat }}{{ $args = append $args (printf "--log.format=%s" .) }}{{ end }}
{{- range .Values.extraArgs }}{{ $args = append $args . }}{{ end }}
{{- toYaml $args }}
{{- end }}
