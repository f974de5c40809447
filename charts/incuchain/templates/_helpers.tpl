{{/*
Names, labels and the shared component templates. Every service of the
distributed mode is a "component": a values block of the same shape
(.Values.<name>) rendered by incuchain.deployment, incuchain.service and
incuchain.pdb, called from <name>.yaml with (dict "root" $ "name" "<name>").
*/}}

{{/*
The services of the distributed mode, in start order. Adding one: a values
block shaped like .Values.parks, a <name>.yaml beside parks.yaml, its name
here and its block in values.schema.json.
*/}}
{{- define "incuchain.componentNames" -}}
parks incubatees documents milestones rollups notifications gateway
{{- end }}

{{/*
The services on the bus, each with its own NATS user (pkg/bus.Services).
*/}}
{{- define "incuchain.busServices" -}}
parks incubatees documents milestones rollups notifications
{{- end }}

{{/* The Secret holding the services' NATS passwords. */}}
{{- define "incuchain.natsUsersSecret" -}}
{{- .Values.nats.auth.existingSecret | default (printf "%s-nats-users" (include "incuchain.fullname" .)) }}
{{- end }}

{{/* NATS identity and TLS of one component: (dict "root" $ "name" "<component>"). */}}
{{- define "incuchain.natsEnv" -}}
{{- $root := .root }}
{{- if has .name (include "incuchain.busServices" $root | splitList " ") }}
{{- if $root.Values.nats.auth.enabled }}
- name: INCUCHAIN_NATS_USER
  value: {{ .name | quote }}
- name: INCUCHAIN_NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "incuchain.natsUsersSecret" $root }}
      key: {{ .name }}-password
{{- end }}
{{- with $root.Values.nats.tls }}
{{- if .existingSecret }}
- name: INCUCHAIN_NATS_TLS_CA
  value: /etc/incuchain/nats-tls/ca.crt
{{- if .clientCertificate }}
- name: INCUCHAIN_NATS_TLS_CERT
  value: /etc/incuchain/nats-tls/tls.crt
- name: INCUCHAIN_NATS_TLS_KEY
  value: /etc/incuchain/nats-tls/tls.key
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "incuchain.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name; component objects append "-<component>". */}}
{{- define "incuchain.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "incuchain.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "incuchain.selectorLabels" -}}
app.kubernetes.io/name: {{ include "incuchain.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "incuchain.labels" -}}
helm.sh/chart: {{ include "incuchain.chart" . }}
{{ include "incuchain.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: incuchain
{{- end }}

{{/* (dict "root" $ "name" "<component>") */}}
{{- define "incuchain.componentSelectorLabels" -}}
{{ include "incuchain.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "incuchain.componentLabels" -}}
{{ include "incuchain.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "incuchain.componentName" -}}
{{- printf "%s-%s" (include "incuchain.fullname" .root) .name }}
{{- end }}

{{- define "incuchain.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "incuchain.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "incuchain.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* The chart's own Secret (generated internal secret, inline credentials). */}}
{{- define "incuchain.secretName" -}}
{{- printf "%s-secrets" (include "incuchain.fullname" .) }}
{{- end }}

{{- define "incuchain.configName" -}}
{{- printf "%s-config" (include "incuchain.fullname" .) }}
{{- end }}

{{/*
The internal secret: the inline value, else the one already stored in the
chart's Secret (so upgrades keep it and running pods keep verifying), else a
new random one. lookup answers nothing under `helm template`, which then
renders a fresh value each time.
*/}}
{{- define "incuchain.internalSecretValue" -}}
{{- if .Values.internalSecret.value }}
{{- .Values.internalSecret.value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "incuchain.secretName" .) }}
{{- if and $existing $existing.data (hasKey $existing.data "internal-secret") }}
{{- index $existing.data "internal-secret" | b64dec }}
{{- else }}
{{- randAlphaNum 64 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The invitation-link key, kept like the internal secret: the inline value,
else the one already stored, else a new random one (64 hex digits).
*/}}
{{- define "incuchain.invitationKeyValue" -}}
{{- if .Values.invitationKey.value }}
{{- .Values.invitationKey.value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "incuchain.secretName" .) }}
{{- if and $existing $existing.data (hasKey $existing.data "invitation-key") }}
{{- index $existing.data "invitation-key" | b64dec }}
{{- else }}
{{- randAlphaNum 64 | sha256sum }}
{{- end }}
{{- end }}
{{- end }}

{{/* The invitation-link key of the parks and notifications pods. */}}
{{- define "incuchain.invitationKeyEnv" -}}
- name: INCUCHAIN_INVITATION_KEY
  valueFrom:
    secretKeyRef:
      {{- if .Values.invitationKey.existingSecret }}
      name: {{ .Values.invitationKey.existingSecret }}
      key: {{ .Values.invitationKey.existingSecretKey }}
      {{- else }}
      name: {{ include "incuchain.secretName" . }}
      key: invitation-key
      {{- end }}
{{- end }}

{{/* Whether the chart's Secret has anything to hold. */}}
{{- define "incuchain.ownSecretNeeded" -}}
{{- $need := or (not .Values.internalSecret.existingSecret) (not .Values.invitationKey.existingSecret) (and (not .Values.s3.existingSecret) .Values.s3.accessKey) }}
{{- range $name := include "incuchain.componentNames" . | splitList " " }}
{{- if (index $.Values $name).database.dsn }}{{ $need = true }}{{ end }}
{{- end }}
{{- if $need }}true{{ end }}
{{- end }}

{{/*
Rejects values that would start a broken or unsafe distributed deployment
before anything reaches the cluster.
*/}}
{{- define "incuchain.validate" -}}
{{- if not .Values.nats.url }}
{{- fail "nats.url is required: services running apart must share one NATS JetStream server" }}
{{- end }}
{{- if not .Values.s3.endpoint }}
{{- fail "s3.endpoint is required: services running apart must share one S3 store" }}
{{- end }}
{{- if and .Values.internalSecret.value (lt (len .Values.internalSecret.value) 32) }}
{{- fail "internalSecret.value must be at least 32 bytes" }}
{{- end }}
{{- if and .Values.invitationKey.value (not (regexMatch "^[0-9a-fA-F]{64}$" .Values.invitationKey.value)) }}
{{- fail "invitationKey.value must be 64 hex digits (openssl rand -hex 32)" }}
{{- end }}
{{- if and (not .Values.s3.existingSecret) (ne (empty .Values.s3.accessKey) (empty .Values.s3.secretKey)) }}
{{- fail "s3.accessKey and s3.secretKey go together" }}
{{- end }}
{{- if and (not .Values.s3.existingSecret) (not .Values.s3.accessKey) }}
{{- fail "s3.existingSecret (a Secret with the store's access-key and secret-key) or s3.accessKey/s3.secretKey is required: the services refuse to start without S3 keys" }}
{{- end }}
{{- if not .Values.s3.existingSecret }}
{{- $secret := lower .Values.s3.secretKey }}
{{- if or (and (eq .Values.s3.accessKey "incuchain") (eq .Values.s3.secretKey "incuchain-secret")) (has $secret (list "incuchain-secret" "minioadmin")) (hasPrefix "change-me" $secret) (hasPrefix "changeme" $secret) (hasPrefix "change-me" (lower .Values.s3.accessKey)) }}
{{- fail "s3.secretKey is a published default or placeholder that anyone can sign requests with, and the services refuse it: set the store's real keys (or s3.existingSecret)" }}
{{- end }}
{{- end }}
{{- range $name := include "incuchain.componentNames" . | splitList " " }}
{{- $db := (index $.Values $name).database }}
{{- if and (not $db.dsn) (not $db.existingSecret) }}
{{- fail (printf "%s.database: set existingSecret (a Secret holding the PostgreSQL DSN) or dsn" $name) }}
{{- end }}
{{- if and $db.dsn (not (hasPrefix "postgres" $db.dsn)) }}
{{- fail (printf "%s.database.dsn must be a postgres:// DSN in distributed mode" $name) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Env entries every component gets besides the ConfigMap. */}}
{{- define "incuchain.secretEnv" -}}
- name: INCUCHAIN_INTERNAL_SECRET
  valueFrom:
    secretKeyRef:
      {{- if .Values.internalSecret.existingSecret }}
      name: {{ .Values.internalSecret.existingSecret }}
      key: {{ .Values.internalSecret.existingSecretKey }}
      {{- else }}
      name: {{ include "incuchain.secretName" . }}
      key: internal-secret
      {{- end }}
{{- if .Values.s3.existingSecret }}
- name: INCUCHAIN_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.accessKeyKey }}
- name: INCUCHAIN_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.secretKeyKey }}
{{- else if .Values.s3.accessKey }}
- name: INCUCHAIN_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "incuchain.secretName" . }}
      key: s3-access-key
- name: INCUCHAIN_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "incuchain.secretName" . }}
      key: s3-secret-key
{{- end }}
{{- end }}

{{/* Deployment of one component: (dict "root" $ "name" "<component>"). */}}
{{- define "incuchain.deployment" -}}
{{- $root := .root }}
{{- $c := index $root.Values .name }}
{{- $ctx := dict "root" $root "name" .name }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "incuchain.componentName" $ctx }}
  labels:
    {{- include "incuchain.componentLabels" $ctx | nindent 4 }}
spec:
  replicas: {{ $c.replicas }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "incuchain.componentSelectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "incuchain.componentLabels" $ctx | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # Roll the pods when settings change.
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secret: {{ toJson (list $root.Values.internalSecret $root.Values.invitationKey $root.Values.s3 $c.database) | sha256sum }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $root.Values.metrics.port | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with $c.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "incuchain.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountServiceAccountToken }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .name }}
          image: {{ include "incuchain.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            - -target={{ .name }}
            {{- range $c.extraArgs }}
            - {{ . | quote }}
            {{- end }}
          ports:
            - name: http
              containerPort: {{ $c.port }}
              protocol: TCP
            - name: metrics
              containerPort: {{ $root.Values.metrics.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "incuchain.configName" $root }}
          env:
            - name: INCUCHAIN_{{ upper .name }}_DB
              valueFrom:
                secretKeyRef:
                  {{- if $c.database.dsn }}
                  name: {{ include "incuchain.secretName" $root }}
                  key: {{ .name }}-db-dsn
                  {{- else }}
                  name: {{ $c.database.existingSecret }}
                  key: {{ $c.database.existingSecretKey }}
                  {{- end }}
            {{- include "incuchain.secretEnv" $root | nindent 12 }}
            {{- if has .name (list "parks" "notifications") }}
            {{- include "incuchain.invitationKeyEnv" $root | nindent 12 }}
            {{- end }}
            {{- include "incuchain.natsEnv" $ctx | nindent 12 }}
            {{- with $c.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.startup.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if and $root.Values.nats.tls.existingSecret (ne .name "gateway") }}
            - name: nats-tls
              mountPath: /etc/incuchain/nats-tls
              readOnly: true
            {{- end }}
      volumes:
        # The root filesystem is read-only; /tmp is the only scratch space
        # (<service>.tmp.sizeLimit; documents spools uploads there).
        # Distributed services keep no state on disk.
        - name: tmp
          emptyDir:
            sizeLimit: {{ (($c.tmp | default dict).sizeLimit) | default "64Mi" }}
        {{- if and $root.Values.nats.tls.existingSecret (ne .name "gateway") }}
        - name: nats-tls
          secret:
            secretName: {{ $root.Values.nats.tls.existingSecret }}
        {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/* ClusterIP Service of one component. */}}
{{- define "incuchain.service" -}}
{{- $c := index .root.Values .name }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "incuchain.componentName" . }}
  labels:
    {{- include "incuchain.componentLabels" . | nindent 4 }}
  {{- with $c.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $c.service.type }}
  selector:
    {{- include "incuchain.componentSelectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $c.service.port }}
      targetPort: http
      protocol: TCP
{{- end }}

{{/* PodDisruptionBudget of one component, when enabled. */}}
{{- define "incuchain.pdb" -}}
{{- $c := index .root.Values .name }}
{{- if $c.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "incuchain.componentName" . }}
  labels:
    {{- include "incuchain.componentLabels" . | nindent 4 }}
spec:
  {{- if hasKey $c.podDisruptionBudget "minAvailable" }}
  minAvailable: {{ $c.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $c.podDisruptionBudget.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "incuchain.componentSelectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
