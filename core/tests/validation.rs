//! Validation tests: every rule id passes and fails at least once with the expected message, the
//! chart defaults give only the documented `field.required` errors, and the guides' sample values
//! files (tests/fixtures) give sensible diagnostics.

use std::collections::BTreeSet;
use std::path::Path;

use pecfg_core::catalog::parse_chart;
use pecfg_core::charts::{all_charts, chart, CHART_FILES};
use pecfg_core::state::{parse_answers, Answers};
use pecfg_core::validation::{
    validate, Diagnostic, Severity, Validator, BUILTIN_RULE_IDS, RULE_IDS,
};
use serde_yaml::Value;

const UUID: &str = "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd";

/// Answers for `chart_id` from the rest of an answers file (`values:`, `release:`, `secrets:`…).
fn answers(chart_id: &str, body: &str) -> Answers {
    parse_answers(&format!("chart: {chart_id}\n{body}"))
        .unwrap_or_else(|error| panic!("{chart_id}: {error}\n{body}"))
}

fn run(chart_id: &str, body: &str) -> Vec<Diagnostic> {
    validate(
        chart(chart_id).expect("known chart"),
        &answers(chart_id, body),
    )
}

/// What a case expects of one rule.
enum Expect<'a> {
    /// No diagnostic of the rule.
    Pass,
    /// No diagnostic of the rule at this path (the rule may report other paths).
    PassAt(&'a str),
    /// An error of the rule at this path whose message contains this text.
    Error(&'a str, &'a str),
    /// A warning of the rule at this path whose message contains this text.
    Warning(&'a str, &'a str),
}
use Expect::{Error, Pass, PassAt, Warning};

/// Runs one case and checks what it yields for `rule`.
fn check(chart_id: &str, body: &str, rule: &str, expect: Expect) {
    let found = run(chart_id, body);
    let of_rule: Vec<&Diagnostic> = found.iter().filter(|d| d.rule == rule).collect();
    let listing = || {
        found
            .iter()
            .map(|d| format!("  {:?} {} [{}]: {}", d.severity, d.path, d.rule, d.message))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match expect {
        Pass => assert!(
            of_rule.is_empty(),
            "{chart_id} {rule}: expected no finding for\n{body}\ngot:\n{}",
            listing()
        ),
        PassAt(path) => assert!(
            of_rule.iter().all(|d| d.path != path),
            "{chart_id} {rule}: expected no finding at `{path}` for\n{body}\ngot:\n{}",
            listing()
        ),
        Error(path, text) | Warning(path, text) => {
            let severity = if matches!(expect, Error(..)) {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert!(
                of_rule
                    .iter()
                    .any(|d| d.path == path && d.severity == severity && d.message.contains(text)),
                "{chart_id} {rule}: expected {severity:?} at `{path}` containing {text:?} for\n{body}\ngot:\n{}",
                listing()
            );
        }
    }
}

/// Every rule id is exercised, passing and failing: (chart, answers body, rule, expectation).
#[rustfmt::skip]
fn cases() -> Vec<(&'static str, String, &'static str, Expect<'static>)> {
    let tenant_secrets = |flag: &str| format!("values:\n  tenantid: {UUID}\n  tenant:\n    secrets:\n      {flag}");
    vec![
        // ---------------------------------------------------------------- GES
        ("ges", "values: {ges: {secrets: {volumes: {enabled: true}}}}".into(), "ges.volumes-enabled-needs-list",
            Error("ges.secrets.volumes.list", "`ges.secrets.volumes.enabled` is true but `ges.secrets.volumes.list` is empty; add one entry per Secret to expose")),
        ("ges", "values: {ges: {secrets: {volumeMounts: {list: [{name: a, mountPath: /a}]}}}}".into(), "ges.volumes-enabled-needs-list",
            Warning("ges.secrets.volumeMounts.list", "`ges.secrets.volumeMounts.list` holds 1 entry but `ges.secrets.volumeMounts.enabled` is not true, so the chart ignores it")),
        ("ges", "values: {ges: {secrets: {volumes: {enabled: true, list: [{name: ges-secrets, secret: {secretName: ges-secrets}}]}}}}".into(), "ges.volumes-enabled-needs-list", Pass),
        ("ges", "values: {ges: {secrets: {volumes: {enabled: true, list: [{name: a}]}, volumeMounts: {enabled: true, list: [{name: b, mountPath: /b}]}}}}".into(), "ges.volume-mounts-name-declared-volumes",
            Error("ges.secrets.volumeMounts.list[0].name", "`ges.secrets.volumeMounts.list[0].name` is \"b\", but `ges.secrets.volumes.list` declares only `a`")),
        ("ges", "values: {ges: {secrets: {volumeMounts: {enabled: true, list: [{name: b, mountPath: /b}]}}}}".into(), "ges.volume-mounts-name-declared-volumes",
            Error("ges.secrets.volumeMounts.list[0].name", "`ges.secrets.volumes.enabled` is not true, so no volume is declared")),
        ("ges", "values: {ges: {secrets: {volumes: {enabled: true, list: [{name: b}]}, volumeMounts: {enabled: true, list: [{name: b, mountPath: /b}]}}}}".into(), "ges.volume-mounts-name-declared-volumes", Pass),
        ("ges", "values: {ges: {secrets: {config_folders: '/x,/secrets', volumeMounts: {enabled: true, list: [{name: s, mountPath: /secrets}]}}}}".into(), "ges.config-folders-mounted",
            Error("ges.secrets.config_folders", "lists the folder \"/x\", but `ges.secrets.volumeMounts.list` mounts only `/secrets`")),
        ("ges", "values: {ges: {secrets: {config_folders: /secrets}}}".into(), "ges.config-folders-mounted",
            Error("ges.secrets.config_folders", "nothing is mounted because `ges.secrets.volumeMounts.enabled` is not true")),
        ("ges", "values: {ges: {secrets: {volumeMounts: {enabled: true, list: [{name: s, mountPath: /secrets}]}}}}".into(), "ges.config-folders-mounted",
            Warning("ges.secrets.config_folders", "Secret volumes are mounted at `/secrets` but `ges.secrets.config_folders` is empty")),
        ("ges", "values: {ges: {secrets: {config_folders: '/secrets/, /db', volumeMounts: {enabled: true, list: [{name: s, mountPath: /secrets}, {name: d, mountPath: /db/}]}}}}".into(), "ges.config-folders-mounted", Pass),
        // ---------------------------------------------------------------- common
        ("ges", "values: {ges: {resources: {requests: {cpu: '2'}}}}".into(), "common.requests-within-limits",
            Error("ges.resources.requests.cpu", "`ges.resources.requests.cpu` is \"2\", more than its limit `ges.resources.limits.cpu` (\"1250m\"); a request may not exceed the limit")),
        ("ixn", "values: {ixnService: {ixnServer: {resources: {requests: {memory: 8Gi}}}}}".into(), "common.requests-within-limits",
            Error("ixnService.ixnServer.resources.requests.memory", "more than its limit `ixnService.ixnServer.resources.limits.memory` (\"6Gi\")")),
        ("ixn", "values: {ixnService: {ixnServer: {resources: {requests: {cpu: 1250m}}}}}".into(), "common.requests-within-limits", Pass),
        ("middleware", "values: {resources: {limits: {memory: 256Mi}}}".into(), "common.requests-within-limits",
            Error("resources.requests.memory", "more than its limit `resources.limits.memory` (\"256Mi\")")),
        ("middleware", "".into(), "common.requests-within-limits", Pass),
        ("ges", "values: {ges: {deployment: {hpa: {minimumReplicas: '6'}}}}".into(), "common.hpa-min-le-max",
            Error("ges.deployment.hpa.minimumReplicas", "`ges.deployment.hpa.minimumReplicas` is 6, more than `ges.deployment.hpa.maximumReplicas` (5)")),
        ("ges", "values: {ges: {deployment: {hpa: {maximumReplicas: five}}}}".into(), "common.hpa-min-le-max",
            Error("ges.deployment.hpa.maximumReplicas", "expected a whole number of pods")),
        ("ges", "values: {ges: {deployment: {replicas: 8}}}".into(), "common.hpa-min-le-max",
            Warning("ges.deployment.replicas", "`ges.deployment.replicas` is 8, outside the autoscaler's range 1–5")),
        ("ges", "values: {ges: {deployment: {replicas: 8, hpa: {enabled: false}}}}".into(), "common.hpa-min-le-max", Pass),
        ("middleware", "values: {autoscaling: {minReplicas: 11}}".into(), "common.hpa-min-le-max",
            Error("autoscaling.minReplicas", "`autoscaling.minReplicas` is 11, more than `autoscaling.maxReplicas` (10)")),
        ("middleware", "values: {autoscaling: {minReplicas: 10}}".into(), "common.hpa-min-le-max", Pass),
        ("ixn", "values: {ixnVQNode: {priorityClassName: fast}}".into(), "common.priority-class-documented",
            Error("ixnVQNode.priorityClassName", "`ixnVQNode.priorityClassName` is \"fast\", which is not one of the priority classes of the platform guide; use `genesysengage-critical-priority`")),
        ("ixn", "values: {ixnService: {priorityClassName: genesysengage-high-priority}, ixnVQNode: {priorityClassName: ''}}".into(), "common.priority-class-documented", Pass),
        ("tenant", "values: {priorityClassName: critical}".into(), "common.priority-class-documented",
            Error("priorityClassName", "`priorityClassName` is \"critical\", which is not one of the priority classes of the platform guide")),
        ("tenant", "values: {priorityClassName: genesysengage-critical-priority}".into(), "common.priority-class-documented", Pass),
        // ---------------------------------------------------------------- middleware
        ("middleware", "values: {genesys: {client_secret: s3cr3t}}".into(), "middleware.no-client-secret-in-values",
            Error("genesys.client_secret", "`genesys.client_secret` puts a client secret in values.yaml; values files end up in Git, and a leaked client secret exposes the organization's whole API access. Remove it and put the secret in the Secret `genesys-integration-secrets` (key `client-secret`)")),
        ("middleware", "values: {extra: [{env: {clientSecret: s}}]}".into(), "middleware.no-client-secret-in-values",
            Error("extra[0].env.clientSecret", "puts a client secret in values.yaml")),
        ("middleware", "values: {genesys: {client_id: abc, clientSecretName: genesys-integration-secrets}}".into(), "middleware.no-client-secret-in-values", Pass),
        ("middleware", "values: {autoscaling: {targetCPUUtilizationPercentage: 30}}".into(), "middleware.cpu-target-too-low",
            Warning("autoscaling.targetCPUUtilizationPercentage", "is 30; below 40 the autoscaler scales aggressively, adding pods on minor spikes, which raises cost and resource contention on the nodes")),
        ("middleware", "values: {autoscaling: {targetCPUUtilizationPercentage: 40}}".into(), "middleware.cpu-target-too-low", Pass),
        ("middleware", "values: {autoscaling: {enabled: false, targetCPUUtilizationPercentage: 20}}".into(), "middleware.cpu-target-too-low", Pass),
        ("middleware", "values: {networkPolicy: {egress: [{cidr: 10.0.0.0/8, port: 443}, {cidr: 0.0.0.0/0, protocol: TCP}]}}".into(), "middleware.open-egress",
            Warning("networkPolicy.egress[1]", "`networkPolicy.egress[1]` allows 0.0.0.0/0 on every port")),
        ("middleware", "".into(), "middleware.open-egress", Pass),
        // ---------------------------------------------------------------- IXN
        ("ixn", "values: {replicaCount: 2}".into(), "ixn.replica-count-0-or-1",
            Error("replicaCount", "`replicaCount` is 2; Interaction Server supports only 0 or 1 (one instance per tenant, no scaling or high availability) (004_1b95b01158e7ce5e.txt:1754-1763).")),
        ("ixn", "values: {replicaCount: 0}".into(), "ixn.replica-count-0-or-1", Pass),
        ("ixn", format!("release: ixn-0100\nvalues: {{tenant: {{id: {UUID}}}}}"), "ixn.release-from-short-tenant-id",
            Warning("release", "The release name is \"ixn-0100\", but the guide names the Interaction Server release ixn-<short tenant id>, which is \"ixn-80dd\"")),
        ("ixn", format!("release: ixn-80dd\nvalues: {{tenant: {{id: {UUID}}}}}"), "ixn.release-from-short-tenant-id", Pass),
        ("ixn", format!("values: {{tenant: {{id: {UUID}}}}}"), "ixn.tenant-sid",
            Warning("tenant.sid", "`tenant.sid` is empty while `tenant.id` is set")),
        ("ixn", "values: {tenant: {sid: '0100'}}".into(), "ixn.tenant-sid",
            Warning("tenant.id", "`tenant.id` is empty while `tenant.sid` is set")),
        ("ixn", format!("values: {{tenant: {{id: {UUID}, sid: '0100'}}}}"), "ixn.tenant-sid",
            Warning("tenant.sid", "`tenant.sid` is \"0100\", but the short ID of `tenant.id` (its last four characters) is 80dd")),
        ("ixn", format!("values: {{tenant: {{id: {UUID}, sid: 80DD}}}}"), "ixn.tenant-sid", Pass),
        // ---------------------------------------------------------------- tenant
        ("tenant", format!("release: t0100\nvalues: {{tenantid: {UUID}}}"), "tenant.short-id-from-uuid",
            Warning("release", "\"t80dd\" or \"voice-t80dd\" here")),
        ("tenant", format!("release: voice-t80dd\nvalues: {{tenantid: {UUID}}}"), "tenant.short-id-from-uuid", Pass),
        ("tenant", "values: {tenantid: 9350e2fc-a1dd-1c65-8d40-1f75a2e080dd}".into(), "tenant.uuid-v4",
            Error("tenantid", "a UUID of version 1 (the 13th hex digit) or of another variant; the tenant id must be a version-4 UUID")),
        ("tenant", format!("values: {{tenantid: {UUID}}}"), "tenant.uuid-v4", Pass),
        ("tenant", "values:\n  volumes: |\n    - name: a\n      secret: {secretName: a}\n    - name: a\n      secret: {secretName: b}\n".into(), "tenant.volumes-concatenated",
            Error("volumes", "`volumes` declares the volume \"a\" twice; concatenate the volumes of every purpose into the one list")),
        ("tenant", "values:\n  initVolumes: |\n    name: a\n".into(), "tenant.volumes-concatenated",
            Error("initVolumes", "`initVolumes` must be one YAML list (`- name: …` entries), but it holds a map")),
        ("tenant", "values:\n  volumeMounts: |\n    - name: nowhere\n      mountPath: /x\n".into(), "tenant.volumes-concatenated",
            Warning("volumeMounts", "`volumeMounts` mounts the volume \"nowhere\", which no volume list of these values declares")),
        ("tenant", "values:\n  volumes: |\n    - name: service-user-account\n      secret: {secretName: svcuseraccount}\n  volumeMounts: |\n    - name: service-user-account\n      mountPath: /opt/genesys/service-user-account\n  initVolumeMounts: |\n    - name: dbpassword\n      mountPath: /opt/genesys/dbpassword\n".into(), "tenant.volumes-concatenated", Pass),
        ("tenant", tenant_secrets("serviceuser: {enabled: true}"), "tenant.secret-flag-needs-secret",
            Error("tenant.svcpwdSecretName", "`tenant.secrets.serviceuser.enabled` is true, so the value comes from a Kubernetes Secret (the Secret `svcuseraccount`), but `tenant.svcpwdSecretName` is empty")),
        ("tenant", format!("values:\n  tenantid: {UUID}\n  tenant:\n    svcpwdSecretName: /opt/genesys/service-user-account/svcpassword\n    secrets:\n      serviceuser: {{enabled: true}}"), "tenant.secret-flag-needs-secret",
            Warning("tenant.svcpwdSecretName", "`tenant.svcpwdSecretName` is the file \"/opt/genesys/service-user-account/svcpassword\", but no mount in these values puts a volume at its folder")),
        ("tenant", format!("values:\n  tenantid: {UUID}\n  tenant:\n    svcpwdSecretName: /opt/genesys/service-user-account/svcpassword\n    secrets:\n      serviceuser: {{enabled: true}}\n  volumeMounts: |\n    - name: service-user-account\n      mountPath: /opt/genesys/service-user-account\n"), "tenant.secret-flag-needs-secret", Pass),
        ("tenant", tenant_secrets("pgdb: {enabled: true, pwd: {secretName: null, secretKey: dbpassword}}"), "tenant.secret-flag-needs-secret", Pass),
        ("tenant", tenant_secrets("pgdb: {enabled: true, pwd: {secretName: '', secretKey: ''}}"), "tenant.secret-flag-needs-secret",
            Error("tenant.secrets.pgdb.pwd.secretName", "but `tenant.secrets.pgdb.pwd.secretName` and `tenant.secrets.pgdb.pwd.secretKey` is empty")),
        ("tenant", tenant_secrets("redis: {enabled: true}\n      gws: {enabled: true}\n      kafka: {enabled: true}\n      consul: {enabled: true}"), "tenant.secret-flag-needs-secret", Pass),
        ("tenant", "values: {images: {fluentBitUrs: {enable: 'true'}}}".into(), "tenant.fluentbit-needs-configmap-volume",
            Error("tenant.logging.volumes.fluentBconfigmapUrs", "`images.fluentBitUrs.enable` is \"true\", so the URS log sidecar needs its Fluent Bit configuration: add to `tenant.logging.volumes.fluentBconfigmapUrs` a volume referencing the ConfigMap that tenant-monitor creates (the guide's: {\"configMap\":{\"defaultMode\":420,\"name\":\"tenants-fluent-bit-config-urs\"}")),
        ("tenant", "values: {images: {fluentBitUrs: {enable: 'true'}}}".into(), "tenant.fluentbit-needs-configmap-volume",
            Warning("tenant.logging.volumes.stdoutUrsLog", "the URS log sidecar reads its logs from an empty-directory volume (the guide's: {\"name\":\"fluenturs-logs\",\"emptyDir\":{}})")),
        ("tenant", "values: {images: {fluentBit: {enable: 'true'}}, tenant: {logging: {volumes: {jsonLog: [{name: fluent-logs, emptyDir: {}}], fluentBconfigmap: [{name: c, configMap: {name: c}}]}}}}".into(), "tenant.fluentbit-needs-configmap-volume", Pass),
        ("tenant", "values: {images: {fluentBit: {enable: 'false'}}}".into(), "tenant.fluentbit-needs-configmap-volume", Pass),
        // ---------------------------------------------------------------- tenant-monitor
        ("tenant-monitor", "values: {tenant: {logging: {volume: {enabled: 'true', createSC: 'true'}}}}".into(), "tenant-monitor.create-sc-needs-storage-class",
            Error("tenant.logging.volume.logStorageClass", "`tenant.logging.volume.createSC` is \"true\" but `tenant.logging.volume.logStorageClass` is empty; creating the storage class only works when its name is given")),
        ("tenant-monitor", "values: {tenant: {logging: {volume: {createSC: 'true', logStorageClass: tenant-logs}}}}".into(), "tenant-monitor.create-sc-needs-storage-class",
            Warning("tenant.logging.volume.createSC", "but `tenant.logging.volume.enabled` is not \"true\"")),
        ("tenant-monitor", "values: {tenant: {logging: {volume: {enabled: 'true', createSC: 'true', logStorageClass: tenant-logs}}}}".into(), "tenant-monitor.create-sc-needs-storage-class", Pass),
        // ---------------------------------------------------------------- built-in field checks
        ("ges", "".into(), "field.required",
            Error("ges.configMap.env.regionAffinity", "`ges.configMap.env.regionAffinity` (Region affinity) is required but has no value; fill it in (000_b11106f55b6a4ecd.txt:154-167).")),
        ("ges", "values: {ges: {configMap: {env: {regionAffinity: '  '}}}}".into(), "field.required",
            Error("ges.configMap.env.regionAffinity", "is required but has no value")),
        ("ges", "values: {ges: {configMap: {env: {regionAffinity: emea}}}}".into(), "field.required",
            PassAt("ges.configMap.env.regionAffinity")),
        ("middleware", "values: {networkPolicy: {egress: [{port: 443}]}}".into(), "field.required",
            Error("networkPolicy.egress[0].cidr", "`networkPolicy.egress[0].cidr` is required but has no value")),
        ("ges", "values: {ges: {deployment: {hpa: {maximumReplicas: 9200}}}}".into(), "field.kind",
            Error("ges.deployment.hpa.maximumReplicas", "`ges.deployment.hpa.maximumReplicas` is the number 9200; this value must be a string: write \"9200\"")),
        ("ges", "values: {ges: {configMap: {integrations: {redis: {port: '6379'}}}}}".into(), "field.kind",
            Error("ges.configMap.integrations.redis.port", "is the text \"6379\"; expected a port from 1 to 65535: write 6379 without quotes")),
        ("ges", "values: {ges: {configMap: {integrations: {redis: {secure: 'true'}}}}}".into(), "field.kind",
            Error("ges.configMap.integrations.redis.secure", "expected true or false: write true without quotes")),
        ("tenant", "values: {images: {rcsInit: {enable: true}}}".into(), "field.kind",
            Error("images.rcsInit.enable", "`images.rcsInit.enable` is the boolean true; this value must be a string: write \"true\"")),
        ("tenant", "values: {volumes: [{name: a}]}".into(), "field.kind",
            Error("volumes", "the chart renders this value as a template, so it must be text: write it as a block starting with `|-`")),
        ("ges", "values: {ges: {configMap: {integrations: {db: {host: 'db host'}}}}}".into(), "field.kind",
            Error("ges.configMap.integrations.db.host", "`ges.configMap.integrations.db.host` is \"db host\"; expected a host name or IP address, optionally with :port")),
        ("ges", "values: {ges: {labels: {podLabels: {tier: 1}}}}".into(), "field.kind",
            Error("ges.labels.podLabels", "gives \"tier\" the number 1; Kubernetes expects text here: write \"1\"")),
        ("ixn", "values: {image: {imagePullSecrets: [{name: Bad_Name}]}}".into(), "field.kind",
            Error("image.imagePullSecrets[0].name", "`image.imagePullSecrets[0].name` is \"Bad_Name\"; expected a DNS-1123 subdomain")),
        ("ixn", "values: {ixnService: {ixnServer: {jvmOptions: {1: -Xmx1g}}}}".into(), "field.kind", Pass),
        ("ges", "values: {ges: {configMap: {env: {log: {level: VERBOSE}}}}}".into(), "field.allowed",
            Error("ges.configMap.env.log.level", "`ges.configMap.env.log.level` is \"VERBOSE\"; expected one of \"DEBUG\", \"TRACE\", \"ERROR\", \"FATAL\", \"INFO\", \"WARN\"")),
        ("tenant", "values: {images: {pulseInit: {enable: 'yes'}}}".into(), "field.allowed",
            Error("images.pulseInit.enable", "expected one of \"true\", \"false\"")),
        ("ges", "values: {ges: {configMap: {env: {log: {level: WARN}}}}}".into(), "field.allowed", Pass),
        ("ixn", "values: {ixnService: {ixnServer: {livenessProbe: {periodSeconds: 0}}}}".into(), "field.range",
            Error("ixnService.ixnServer.livenessProbe.periodSeconds", "`ixnService.ixnServer.livenessProbe.periodSeconds` is 0; expected at least 1")),
        ("ixn", "values: {ixnVQNode: {ports: {health: 70000}}}".into(), "field.range",
            Error("ixnVQNode.ports.health", "`ixnVQNode.ports.health` is 70000; expected a port from 1 to 65535")),
        ("ixn", "values: {replicaCount: 2}".into(), "field.allowed", Pass),
        ("ixn", "values: {replicaCount: 2}".into(), "field.range", Pass),
        ("ges", "values: {ges: {labels: {globalLabels: {-team: a}}}}".into(), "field.label-key",
            Error("ges.labels.globalLabels", "has the label key \"-team\"; a Kubernetes label key is an optional DNS subdomain and '/'")),
        ("ges", "values: {ges: {annotations: {podAnnotations: {'bad key': x}}}}".into(), "field.label-key",
            Error("ges.annotations.podAnnotations", "has the annotation key \"bad key\"")),
        ("ges", "values: {ges: {labels: {globalLabels: {app.kubernetes.io/part-of: ges}}, annotations: {podAnnotations: {consul.hashicorp.com/connect-inject: 'true, maybe'}}}}".into(), "field.label-key", Pass),
        ("ixn", "values: {podLabels: {team: 'contact center'}}".into(), "field.label-value",
            Error("podLabels", "`podLabels` gives the label \"team\" the value \"contact center\"; a label value is empty or at most 63")),
        ("ixn", "values: {ixnService: {nodeSelector: {pool: ''}}}".into(), "field.label-value", Pass),
        ("ixn", "values:\n  ixnService:\n    volumes: \"- name: a\\n secret: [\"\n".into(), "field.yaml",
            Error("ixnService.volumes", "`ixnService.volumes` is not valid YAML")),
        ("ixn", "values:\n  ixnService:\n    annotations: \"a: {{ include \\\"x\\\" . | quote }}\"\n".into(), "field.yaml", Pass),
        ("ixn", "values: {ixnService: {ixnServer: {db: {host: '${POSTGRES_ADDR}'}}}}".into(), "field.placeholder",
            Warning("ixnService.ixnServer.db.host", "`ixnService.ixnServer.db.host` still holds the placeholder ${POSTGRES_ADDR}; replace it with the real value before installing")),
        ("ixn", "values: {ixnService: {ixnServer: {db: {host: '${POSTGRES_ADDR}'}}}}".into(), "field.kind", Pass),
        ("ixn", "values: {ixnService: {ixnServer: {db: {host: postgres.infra, name: ixn-0100}}}}".into(), "field.placeholder", Pass),
        ("tenant", "values: {images: {imagePullSecrets: My_Cred}}".into(), "field.secret-name",
            Error("images.imagePullSecrets", "`images.imagePullSecrets` is \"My_Cred\", which names a Secret; a Secret name is a DNS-1123 subdomain")),
        ("tenant", "values: {images: {imagePullSecrets: mycred}}".into(), "field.secret-name", Pass),
        // ---------------------------------------------------------------- namespace, release
        ("ixn", "namespace: IXN".into(), "namespace.name",
            Error("namespace", "The namespace \"IXN\" is not a valid Kubernetes namespace name: expected a DNS-1123 label")),
        ("ixn", "namespace: ixn-0100".into(), "namespace.name", Pass),
        ("ixn", "release: Ixn_0100".into(), "release.name",
            Error("release", "The release name \"Ixn_0100\" is not valid; a release name is a DNS-1123 label")),
        ("ges", format!("release: {}", "g".repeat(54)), "release.name",
            Error("release", "has 54 characters; a release name is a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit) of at most 53 characters, Helm's limit")),
        ("ges", format!("release: {}", "g".repeat(53)), "release.name", Pass),
        ("ixn", "values: {tenant: {id: 'tenant_1!'}}".into(), "release.name",
            Error("release", "The release name \"ixn-t_1!\", built by the rule ixn-{short_tenant_id}, is not valid")),
        ("ixn", "values: {tenant: {id: X350E2FC-A1DD-4C65-8D40-1F75A2E080DD}}".into(), "release.name", Pass),
        ("ixn", "".into(), "release.pending",
            Warning("release", "The release name cannot be built yet: it is ixn-{short_tenant_id}, computed from `tenant.id`, which is empty; fill it in, or give the release name yourself")),
        ("tenant", "values: {tenantid: '${TENANT_UUID}'}".into(), "release.pending",
            Warning("release", "which still holds the placeholder ${TENANT_UUID}")),
        ("ixn", format!("values: {{tenant: {{id: {UUID}}}}}"), "release.pending", Pass),
        // ---------------------------------------------------------------- secrets
        ("ixn", "".into(), "secret.required",
            Warning("kafka-shared-secret", "The Secret `kafka-shared-secret` is not filled in (it needs `kafka-secrets/bootstrap`); fill it in here, or create the Secret in the namespace yourself before installing (004_1b95b01158e7ce5e.txt:1944-1957).")),
        ("ixn", "secrets: {kafka-shared-secret: {kafka-secrets: {username: u}}}".into(), "secret.required",
            Warning("kafka-shared-secret/kafka-secrets/bootstrap", "Secret field `kafka-shared-secret/kafka-secrets/bootstrap` is empty")),
        ("ges", "secrets: {ges-secrets: {DB-USER: ges}}".into(), "secret.required",
            Warning("ges-secrets/DB-PASSWORD", "Secret key `ges-secrets/DB-PASSWORD` is empty")),
        ("middleware", "secrets: {genesys-integration-secrets: {client-secret: s}}".into(), "secret.required", Pass),
        ("ixn", "secrets: {redis-ors-secret: {voice-redis-ors-stream: {port: '6379', servername: 'redis cluster'}}}".into(), "secret.kind",
            Error("redis-ors-secret/voice-redis-ors-stream/servername", "`redis-ors-secret/voice-redis-ors-stream/servername` is \"redis cluster\"; expected a host name or IP address, optionally with :port")),
        ("ixn", "secrets: {kafka-shared-secret: {kafka-secrets: '{\"bootstrap\": \"kafka:99999\"}'}}".into(), "secret.kind",
            Error("kafka-shared-secret/kafka-secrets/bootstrap", "expected a host name or IP address")),
        ("ixn", "secrets: {redis-ors-secret: {voice-redis-ors-stream: {port: 6379, servername: redis.infra.svc}}}".into(), "secret.kind", Pass),
        ("ixn", "secrets: {redis-ors-secret: {voice-redis-ors-stream: {prot: '6379'}}, other: {k: v}}".into(), "secret.unknown",
            Warning("redis-ors-secret/voice-redis-ors-stream", "has fields the chart does not read: `prot`")),
        ("ixn", "secrets: {other: {k: v}}".into(), "secret.unknown",
            Warning("other", "The answers fill in a Secret `other` that the chart does not use")),
        ("ixn", "secrets: {kafka-shared-secret: {kafka-secrets: {bootstrap: 'kafka:9092'}}}".into(), "secret.unknown", Pass),
    ]
}

#[test]
fn every_rule_passes_and_fails_with_its_message() {
    let cases = cases();
    for (chart_id, body, rule, expect) in cases {
        check(chart_id, &body, rule, expect);
    }
}

#[test]
fn every_rule_id_has_a_passing_and_a_failing_case() {
    let cases = cases();
    for id in RULE_IDS.iter().chain(BUILTIN_RULE_IDS) {
        let passes = cases
            .iter()
            .any(|(_, _, rule, expect)| rule == id && matches!(expect, Pass | PassAt(_)));
        let fails = cases
            .iter()
            .any(|(_, _, rule, expect)| rule == id && matches!(expect, Error(..) | Warning(..)));
        assert!(
            passes && fails,
            "{id}: passing case {passes}, failing case {fails}"
        );
    }
}

#[test]
fn every_catalog_rule_id_is_implemented() {
    for chart in all_charts() {
        for rule in &chart.rules {
            assert!(
                RULE_IDS.contains(&rule.id.as_str()),
                "{}: {}",
                chart.id,
                rule.id
            );
        }
    }
}

/// Required parameters the guide leaves without a default.
fn required_without_default(chart_id: &str) -> BTreeSet<String> {
    chart(chart_id)
        .unwrap()
        .params
        .iter()
        .filter(|param| param.required)
        .filter(|param| match &param.default {
            None | Some(Value::Null) => true,
            Some(Value::String(text)) => text.trim().is_empty(),
            Some(_) => false,
        })
        .map(|param| param.path.clone())
        .collect()
}

#[test]
fn chart_defaults_give_only_the_required_fields_the_guide_leaves_empty() {
    for chart in all_charts() {
        let found = validate(chart, &Answers::new(&chart.id));
        let errors: BTreeSet<(String, String)> = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.path.clone(), d.rule.clone()))
            .collect();
        let expected: BTreeSet<(String, String)> = required_without_default(&chart.id)
            .into_iter()
            .map(|path| (path, "field.required".to_string()))
            .collect();
        assert_eq!(
            errors, expected,
            "{}: errors of the chart defaults",
            chart.id
        );
    }
    assert_eq!(
        required_without_default("tenant"),
        BTreeSet::from(["tenantid".to_string()])
    );
    assert_eq!(required_without_default("ges").len(), 15);
    assert!(required_without_default("ixn").is_empty());
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn fixture_answers(chart_id: &str, name: &str) -> Answers {
    let mut answers = Answers::new(chart_id);
    answers.values = fixture(name);
    answers
}

/// Values paths of the fixture's `${VAR}` placeholders, as catalog parameters.
fn placeholder_params(chart_id: &str, values: &Value) -> BTreeSet<String> {
    chart(chart_id)
        .unwrap()
        .params
        .iter()
        .filter(|param| {
            let segments = pecfg_core::path::parse_path(&param.path).unwrap();
            pecfg_core::path::get(values, &segments)
                .and_then(Value::as_str)
                .is_some_and(|text| text.contains("${"))
        })
        .map(|param| param.path.clone())
        .collect()
}

#[test]
fn ixn_sample_has_no_errors_and_flags_its_placeholders() {
    let answers = fixture_answers("ixn", "ixn-override_values.yaml");
    let found = validate(chart("ixn").unwrap(), &answers);
    let errors: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "ixn sample errors: {errors:#?}");
    let flagged: BTreeSet<String> = found
        .iter()
        .filter(|d| d.rule == "field.placeholder")
        .map(|d| d.path.clone())
        .collect();
    let expected = placeholder_params("ixn", &answers.values);
    assert_eq!(flagged, expected);
    assert!(
        expected.contains("tenant.id") && expected.contains("ixnService.ixnNode.redis[0].port")
    );
    // The release is built from the placeholder tenant id: pending, not an invalid name.
    assert!(found
        .iter()
        .any(|d| d.rule == "release.pending" && d.message.contains("${TENANT_UUID}")));
    // Only placeholders, the release and the unfilled secrets are reported.
    for diagnostic in &found {
        assert!(
            ["field.placeholder", "release.pending", "secret.required"]
                .contains(&diagnostic.rule.as_str()),
            "unexpected: {diagnostic:?}"
        );
    }
}

#[test]
fn ixn_sample_after_envsubst_is_clean_except_the_numeric_short_id() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ixn-override_values.yaml"),
    )
    .unwrap();
    // The guide's envsubst example values (lines 2556-2570).
    let substituted = text
        .replace("${TENANT_ID}", "100")
        .replace("${TENANT_UUID}", UUID)
        .replace("${POSTGRES_USER}", "postgres")
        .replace("${POSTGRES_PASSWORD}", "password")
        .replace("${POSTGRES_ADDR}", "postgres.infra")
        .replace("${REDIS_ADDR}", "infra-redis-redis-cluster.infra")
        .replace("${REDIS_PORT}", "6379");
    let mut answers = Answers::new("ixn");
    answers.values = serde_yaml::from_str(&substituted).unwrap();
    let found = validate(chart("ixn").unwrap(), &answers);
    let errors: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.path.as_str(), d.rule.as_str()))
        .collect();
    // `sid: ${TENANT_ID}` is unquoted in the sample, so envsubst leaves the number 100.
    assert_eq!(errors, [("tenant.sid", "field.kind")]);
    let sid = found.iter().find(|d| d.path == "tenant.sid").unwrap();
    assert!(sid
        .message
        .contains("is the number 100; this value must be a string: write \"100\""));
}

#[test]
fn tenant_sample_only_misses_the_tenant_id() {
    let answers = fixture_answers("tenant", "tenant-values.yaml");
    let found = validate(chart("tenant").unwrap(), &answers);
    let errors: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.path.as_str(), d.rule.as_str()))
        .collect();
    // The sample leaves `tenantid:` empty for the reader to fill in.
    assert_eq!(errors, [("tenantid", "field.required")]);
    assert!(!found.iter().any(|d| d.rule == "field.kind"));
    assert!(found.iter().any(|d| d.rule == "release.pending"));

    // With a tenant id and the secret-usage flags on, the sample's mounts satisfy every rule.
    let mut answers = answers;
    let values = answers.values.as_mapping_mut().unwrap();
    values.insert("tenantid".into(), UUID.into());
    answers.release = Some("t80dd".into());
    let found = validate(chart("tenant").unwrap(), &answers);
    let not_secrets: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.rule != "secret.required")
        .collect();
    assert!(not_secrets.is_empty(), "{not_secrets:#?}");
}

#[test]
fn tenant_monitor_sample_is_clean() {
    let answers = fixture_answers("tenant-monitor", "tenant-monitor-values.yaml");
    let found = validate(chart("tenant-monitor").unwrap(), &answers);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn validation_reads_the_merged_values() {
    // Only the limit is overridden; the default request (512Mi) is what exceeds it.
    check(
        "ges",
        "values: {ges: {resources: {limits: {memory: 256Mi}}}}",
        "common.requests-within-limits",
        Error(
            "ges.resources.requests.memory",
            "is \"512Mi\", more than its limit",
        ),
    );
    // A null override deletes the default: a required default-backed field becomes missing.
    check(
        "tenant",
        "values: {tenant: {pgdb: {dbhost: null}}}",
        "field.required",
        Error("tenant.pgdb.dbhost", "is required"),
    );
}

#[test]
fn rules_run_only_for_charts_that_list_them() {
    // ixn does not list common.hpa-min-le-max; a copy of ixn without its rules runs none of them.
    let text = CHART_FILES.iter().find(|(id, _)| *id == "ixn").unwrap().1;
    let mut bare = parse_chart(text).unwrap();
    bare.rules.clear();
    let answers = answers(
        "ixn",
        "values: {replicaCount: 2, ixnService: {priorityClassName: x}}",
    );
    let found = Validator::new(&bare).validate(&answers);
    assert!(
        found.iter().all(|d| !RULE_IDS.contains(&d.rule.as_str())),
        "{found:#?}"
    );
    // Without the rule, the field check reports the allowed values instead.
    assert!(found
        .iter()
        .any(|d| d.path == "replicaCount" && d.rule == "field.allowed"));
    // The catalog chart itself reports the rule, once.
    let listed = validate(chart("ixn").unwrap(), &answers);
    let at_replicas: Vec<&str> = listed
        .iter()
        .filter(|d| d.path == "replicaCount")
        .map(|d| d.rule.as_str())
        .collect();
    assert_eq!(at_replicas, ["ixn.replica-count-0-or-1"]);
}

#[test]
fn diagnostics_are_sorted_errors_first_then_catalog_order() {
    let found = run(
        "ges",
        "release: Bad\nvalues: {ges: {deployment: {replicas: 9}, resources: {requests: {cpu: '5'}}, configMap: {env: {log: {level: X}}}}}",
    );
    let severities: Vec<Severity> = found.iter().map(|d| d.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted, "errors first");
    let errors: Vec<&str> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.path.as_str())
        .collect();
    let position = |path: &str| errors.iter().position(|p| *p == path).unwrap();
    assert_eq!(errors[0], "release");
    assert!(
        position("ges.configMap.env.log.level")
            < position("ges.configMap.env.server.internal_port")
    );
    assert!(position("ges.deployment.image.registry") < position("ges.resources.requests.cpu"));
    let warnings: Vec<&str> = found
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(
        warnings.first(),
        Some(&"ges.deployment.replicas"),
        "parameters before secrets"
    );
}

#[test]
fn every_message_ends_with_its_guide_line() {
    let bodies = [
        ("ixn", "release: X\nvalues: {replicaCount: 3, podLabels: {-x: y}}"),
        ("middleware", "values: {genesys: {client_secret: x}, autoscaling: {targetCPUUtilizationPercentage: 5}}"),
        ("tenant", "values: {tenantid: 9350e2fc-a1dd-1c65-8d40-1f75a2e080dd, images: {fluentBit: {enable: 'true'}}}"),
    ];
    for (chart_id, body) in bodies {
        for diagnostic in run(chart_id, body) {
            let source = diagnostic
                .source
                .as_deref()
                .unwrap_or_else(|| panic!("{diagnostic:?} has no source"));
            assert!(
                diagnostic.message.ends_with(&format!("({source}).")),
                "{diagnostic:?}"
            );
        }
    }
}

#[test]
fn filled_answers_of_every_chart_are_clean() {
    for chart in all_charts() {
        let answers = filled_answers(chart);
        let found = validate(chart, &answers);
        assert!(found.is_empty(), "{}: {found:#?}", chart.id);
    }
}

/// Answers with every input filled: examples where the guide gives them, otherwise a value of the
/// parameter's kind, and every secret input.
fn filled_answers(chart: &pecfg_core::catalog::Chart) -> Answers {
    use pecfg_core::catalog::{Kind, SecretFormat};
    let mut answers = Answers::new(&chart.id);
    for param in &chart.params {
        let value = match (param.examples.first(), &param.default) {
            (Some(example), _) if !example.is_null() => example.clone(),
            (_, Some(default)) if !default.is_null() => continue,
            _ => match param.kind {
                Kind::Uuid => Value::from(UUID),
                Kind::Port => Value::from(3050),
                Kind::Integer | Kind::Number => Value::from(param.min.unwrap_or(1.0) as i64),
                Kind::Boolean => Value::from(true),
                Kind::Host => Value::from("host.example.com"),
                Kind::Url => Value::from("https://host.example.com"),
                Kind::DnsLabel | Kind::DnsSubdomain => Value::from("name"),
                Kind::Quantity => Value::from("1Gi"),
                Kind::Enum => param.allowed[0].clone(),
                Kind::Map => serde_yaml::from_str("{app: value}").unwrap(),
                Kind::StringList => serde_yaml::from_str("[a]").unwrap(),
                Kind::ObjectList | Kind::Yaml => continue,
                Kind::Template => Value::from("- name: extra\n  emptyDir: {}\n"),
                Kind::String if param.path.ends_with("sid") => Value::from("80dd"),
                Kind::String => Value::from("value"),
            },
        };
        pecfg_core::state::set_value(&mut answers.values, &param.path, value).unwrap();
    }
    for secret in &chart.secrets {
        for key in &secret.keys {
            let text = |kind: Kind| match kind {
                Kind::Host => "host.example.com",
                Kind::Port => "6379",
                _ => "value",
            };
            match key.format {
                SecretFormat::Plain => pecfg_core::state::set_secret(
                    &mut answers.secrets,
                    &secret.name,
                    &key.key,
                    None,
                    "value",
                ),
                _ if key.fields.is_empty() => pecfg_core::state::set_secret(
                    &mut answers.secrets,
                    &secret.name,
                    &key.key,
                    None,
                    "{}",
                ),
                _ => {
                    for field in &key.fields {
                        pecfg_core::state::set_secret(
                            &mut answers.secrets,
                            &secret.name,
                            &key.key,
                            Some(&field.name),
                            text(field.kind),
                        );
                    }
                }
            }
        }
    }
    answers
}
