//! Cross-field rules, by the id the catalog names under `rules:`. A rule runs only for a chart
//! whose catalog lists its id, and its findings cite that entry's guide lines.
//!
//! The generic rules find their paths in the chart's parameters:
//!
//! - `common.requests-within-limits` (error): every `….requests.cpu|memory` parameter that has a
//!   `….limits.cpu|memory` sibling; the request may not exceed the limit (compared as quantities).
//! - `common.hpa-min-le-max`: every `minReplicas`/`minimumReplicas` parameter with a
//!   `maxReplicas`/`maximumReplicas` sibling (numbers, or text holding a whole number); min > max
//!   is an error, and so is text that holds no whole number; a `replicas`/`replicaCount`
//!   parameter next to the autoscaler's block that falls outside [min, max] while autoscaling is
//!   on is a warning.
//! - `common.priority-class-documented` (error): every parameter whose last key is
//!   `priorityClassName` is empty or one of the platform guide's priority classes.
//! - `middleware.no-client-secret-in-values` (error): any key anywhere in the merged values
//!   named like `client_secret`, `clientSecret` or `client-secret` (not `…Name`/`…Ref`/`…Key`).
//! - `middleware.cpu-target-too-low` (warning): parameters whose last key is
//!   `targetCPUUtilizationPercentage`, below 40, unless the sibling `enabled` is false.
//! - `middleware.open-egress` (warning): `object_list` parameters whose items have `cidr` and
//!   `port` fields; an item with 0.0.0.0/0 (or ::/0) and no port.
//! - `tenant.uuid-v4` (error): every `uuid` parameter that is a UUID must be of version 4.
//!
//! The chart-specific rules name their paths in the tables below (a test checks that each one is
//! a parameter of the chart that lists the rule):
//!
//! - `ges.volumes-enabled-needs-list`: `secrets.volumes|volumeMounts.enabled` true with an empty
//!   `list` is an error; a filled list while the flag is off is a warning (ignored by the chart).
//! - `ges.volume-mounts-name-declared-volumes` (error): with volume mounts on, each
//!   `volumeMounts.list[i].name` names a volume of `volumes.list` (with volumes on).
//! - `ges.config-folders-mounted`: each folder of `secrets.config_folders` is the mountPath of a
//!   mounted volume (error); mounted volumes with no folder listed is a warning.
//! - `ixn.replica-count-0-or-1` (error): `replicaCount` is 0 or 1.
//! - `ixn.release-from-short-tenant-id` (warning): a release name given that is not
//!   `ixn-<last four characters of tenant.id>`.
//! - `ixn.tenant-sid` (warning): `tenant.id` and `tenant.sid` are both given or both left out,
//!   and the short id is the UUID's last four characters (checked only for a valid UUID).
//! - `tenant.short-id-from-uuid` (warning): a release name given that is neither `t<short id>`
//!   nor `voice-t<short id>`.
//! - `tenant.volumes-concatenated`: `volumes`, `initVolumes`, `volumeMounts` and
//!   `initVolumeMounts` are each one YAML list of named entries and no volume is listed twice
//!   (errors); a mount of a volume that no volume list of the values declares is a warning.
//! - `tenant.secret-flag-needs-secret`: with a `tenant.secrets.*.enabled` flag on, its
//!   reference (secretName, or secretKey for pgdb) is given (error), and a reference that is a
//!   file path lies under a mountPath of the values (warning).
//! - `tenant.fluentbit-needs-configmap-volume`: with a Fluent Bit sidecar on
//!   (`images.fluentBit*.enable`), its `tenant.logging.volumes.fluentBconfigmap*` list holds a
//!   `configMap` volume (error) and its log volume list is not empty (warning).
//! - `tenant-monitor.create-sc-needs-storage-class`: with `createSC` on, `logStorageClass` is
//!   given (error) and the log volume is enabled (warning).

use std::cell::OnceCell;
use std::collections::BTreeSet;

use serde_yaml::Value;

use super::inputs::release_name;
use super::util::{code_list, is_blank, is_empty, is_on, number, placeholder, shown, text};
use super::{Ctx, Out, ParsedBlock};
use crate::catalog::{Chart, Kind};
use crate::charts::platform;
use crate::kinds::{is_uuid, is_uuid_v4, quantity_value};
use crate::path::leaf_key;
use crate::values::short_tenant_id;

/// One rule run: its id and the guide lines of the catalog entry that lists it.
pub(crate) struct Rule<'r> {
    pub(crate) id: &'r str,
    pub(crate) source: &'r str,
}

type RuleFn = fn(&Ctx, &Rule, &mut Out);

/// Every implemented rule, in the order of [`super::RULE_IDS`].
pub(crate) const RULES: &[(&str, RuleFn)] = &[
    (
        "ges.volumes-enabled-needs-list",
        ges_volumes_enabled_needs_list,
    ),
    (
        "ges.volume-mounts-name-declared-volumes",
        ges_volume_mounts_name_declared_volumes,
    ),
    ("ges.config-folders-mounted", ges_config_folders_mounted),
    ("common.requests-within-limits", requests_within_limits),
    ("common.hpa-min-le-max", hpa_min_le_max),
    (
        "common.priority-class-documented",
        priority_class_documented,
    ),
    (
        "middleware.no-client-secret-in-values",
        no_client_secret_in_values,
    ),
    ("middleware.cpu-target-too-low", cpu_target_too_low),
    ("middleware.open-egress", open_egress),
    ("ixn.replica-count-0-or-1", ixn_replica_count),
    (
        "ixn.release-from-short-tenant-id",
        ixn_release_from_short_tenant_id,
    ),
    ("ixn.tenant-sid", ixn_tenant_sid),
    ("tenant.short-id-from-uuid", tenant_short_id_from_uuid),
    ("tenant.uuid-v4", tenant_uuid_v4),
    ("tenant.volumes-concatenated", tenant_volumes_concatenated),
    (
        "tenant.secret-flag-needs-secret",
        tenant_secret_flag_needs_secret,
    ),
    (
        "tenant.fluentbit-needs-configmap-volume",
        tenant_fluentbit_needs_configmap_volume,
    ),
    (
        "tenant-monitor.create-sc-needs-storage-class",
        tenant_monitor_create_sc,
    ),
];

pub(crate) fn run(ctx: &Ctx, out: &mut Out) {
    for (at, entry) in ctx.chart.rules.iter().enumerate() {
        if let Some((id, check)) = RULES.iter().find(|(id, _)| *id == entry.id) {
            let rule = Rule {
                id,
                source: &ctx.plan.rule_sources[at],
            };
            check(ctx, &rule, out);
        }
    }
}

// ------------------------------------------------------------------ paths of the specific rules

/// `ges.volumes-enabled-needs-list`: (flag, list).
const GES_LISTS: [(&str, &str); 2] = [
    ("ges.secrets.volumes.enabled", "ges.secrets.volumes.list"),
    (
        "ges.secrets.volumeMounts.enabled",
        "ges.secrets.volumeMounts.list",
    ),
];
const GES_VOLUMES_ENABLED: &str = "ges.secrets.volumes.enabled";
const GES_VOLUMES: &str = "ges.secrets.volumes.list";
const GES_MOUNTS_ENABLED: &str = "ges.secrets.volumeMounts.enabled";
const GES_MOUNTS: &str = "ges.secrets.volumeMounts.list";
const GES_CONFIG_FOLDERS: &str = "ges.secrets.config_folders";

const IXN_REPLICAS: &str = "replicaCount";
const IXN_TENANT_ID: &str = "tenant.id";
const IXN_TENANT_SID: &str = "tenant.sid";

/// `tenant.volumes-concatenated`: the single volume lists and the mount lists that refer to them.
const TENANT_VOLUME_BLOCKS: [&str; 2] = ["volumes", "initVolumes"];
const TENANT_MOUNT_BLOCKS: [&str; 2] = ["volumeMounts", "initVolumeMounts"];

/// `tenant.secret-flag-needs-secret`: flag → the references it needs; each inner list is one
/// reference given by any of its paths (a secret name or, for the environment, a secret key).
const TENANT_SECRET_FLAGS: &[(&str, &[&[&str]])] = &[
    (
        "tenant.secrets.pgdb.enabled",
        &[&[
            "tenant.secrets.pgdb.pwd.secretName",
            "tenant.secrets.pgdb.pwd.secretKey",
        ]],
    ),
    (
        "tenant.secrets.consul.enabled",
        &[&["tenant.secrets.consul.acl.secretName"]],
    ),
    (
        "tenant.secrets.redis.enabled",
        &[
            &["tenant.secrets.redis.streamPwd.secretName"],
            &["tenant.secrets.redis.configPwd.secretName"],
        ],
    ),
    (
        "tenant.secrets.kafka.enabled",
        &[&["tenant.secrets.kafka.pwd.secretName"]],
    ),
    (
        "tenant.secrets.gws.enabled",
        &[
            &["tenant.secrets.gws.user.secretName"],
            &["tenant.secrets.gws.pwd.secretName"],
        ],
    ),
    (
        "tenant.secrets.serviceuser.enabled",
        &[&["tenant.svcpwdSecretName"]],
    ),
];

/// `tenant.fluentbit-needs-configmap-volume`: (sidecar switch, what it logs, ConfigMap volume, log volume).
const TENANT_FLUENT: [(&str, &str, &str, &str); 5] = [
    (
        "images.fluentBit.enable",
        "JSON",
        "tenant.logging.volumes.fluentBconfigmap",
        "tenant.logging.volumes.jsonLog",
    ),
    (
        "images.fluentBitUrs.enable",
        "URS",
        "tenant.logging.volumes.fluentBconfigmapUrs",
        "tenant.logging.volumes.stdoutUrsLog",
    ),
    (
        "images.fluentBitSs.enable",
        "Stat Server",
        "tenant.logging.volumes.fluentBconfigmapSs",
        "tenant.logging.volumes.stdoutSsLog",
    ),
    (
        "images.fluentBitOcs.enable",
        "OCS",
        "tenant.logging.volumes.fluentBconfigmapOcs",
        "tenant.logging.volumes.stdoutOcsLog",
    ),
    (
        "images.fluentBitCs.enable",
        "Configuration Server",
        "tenant.logging.volumes.fluentBconfigmapCs",
        "tenant.logging.volumes.stdoutCsLog",
    ),
];

const MONITOR_CREATE_SC: &str = "tenant.logging.volume.createSC";
const MONITOR_VOLUME_ENABLED: &str = "tenant.logging.volume.enabled";
const MONITOR_STORAGE_CLASS: &str = "tenant.logging.volume.logStorageClass";

/// The chart paths a specific rule reads (for the test that they exist in the catalog).
#[cfg(test)]
fn rule_paths(id: &str) -> Vec<&'static str> {
    match id {
        "ges.volumes-enabled-needs-list" => GES_LISTS.iter().flat_map(|(a, b)| [*a, *b]).collect(),
        "ges.volume-mounts-name-declared-volumes" => {
            vec![
                GES_VOLUMES_ENABLED,
                GES_VOLUMES,
                GES_MOUNTS_ENABLED,
                GES_MOUNTS,
            ]
        }
        "ges.config-folders-mounted" => vec![GES_CONFIG_FOLDERS, GES_MOUNTS_ENABLED, GES_MOUNTS],
        "ixn.replica-count-0-or-1" => vec![IXN_REPLICAS],
        "ixn.tenant-sid" => vec![IXN_TENANT_ID, IXN_TENANT_SID],
        "tenant.volumes-concatenated" => TENANT_VOLUME_BLOCKS
            .iter()
            .chain(&TENANT_MOUNT_BLOCKS)
            .copied()
            .collect(),
        "tenant.secret-flag-needs-secret" => TENANT_SECRET_FLAGS
            .iter()
            .flat_map(|(flag, refs)| {
                std::iter::once(*flag).chain(refs.iter().flat_map(|paths| paths.iter().copied()))
            })
            .collect(),
        "tenant.fluentbit-needs-configmap-volume" => TENANT_FLUENT
            .iter()
            .flat_map(|(a, _, b, c)| [*a, *b, *c])
            .collect(),
        "tenant-monitor.create-sc-needs-storage-class" => {
            vec![
                MONITOR_CREATE_SC,
                MONITOR_VOLUME_ENABLED,
                MONITOR_STORAGE_CLASS,
            ]
        }
        _ => Vec::new(),
    }
}

// ------------------------------------------------------------------ paths derived per chart

/// Parameter paths the generic rules need, found once per chart.
pub(crate) struct Derived {
    /// (request path, limit path).
    resource_pairs: Vec<(String, String)>,
    hpas: Vec<Hpa>,
    priority_classes: Vec<String>,
    cpu_targets: Vec<(String, Option<String>)>,
    egress: Vec<String>,
    uuids: Vec<String>,
    /// `object_list` parameters whose items have a `mountPath`, and `template` blocks whose last
    /// key ends in `mounts`/`Mounts`.
    mount_lists: Vec<String>,
    /// `object_list` parameters of named items whose last key is `volumes` or that sit under
    /// `….volumes.`, and `template` blocks whose last key ends in `volumes`/`Volumes`.
    volume_lists: Vec<String>,
}

struct Hpa {
    min: String,
    max: String,
    enabled: Option<String>,
    replicas: Option<String>,
}

impl Derived {
    pub(crate) fn new(chart: &Chart) -> Derived {
        let has = |path: &str| chart.param(path).is_some();
        let sibling = |path: &str, leaf: &str| match path.rsplit_once('.') {
            Some((parent, _)) => format!("{parent}.{leaf}"),
            None => leaf.to_string(),
        };
        let parent = |path: &str| path.rsplit_once('.').map(|(parent, _)| parent.to_string());

        let mut resource_pairs = Vec::new();
        let mut hpas = Vec::new();
        let mut priority_classes = Vec::new();
        let mut cpu_targets = Vec::new();
        let mut egress = Vec::new();
        let mut uuids = Vec::new();
        let mut mount_lists = Vec::new();
        let mut volume_lists = Vec::new();
        for param in &chart.params {
            let path = param.path.as_str();
            let leaf = leaf_key(path);
            for resource in ["cpu", "memory"] {
                if let Some(base) = path.strip_suffix(&format!("requests.{resource}")) {
                    let limit = format!("{base}limits.{resource}");
                    if (base.is_empty() || base.ends_with('.')) && has(&limit) {
                        resource_pairs.push((path.to_string(), limit));
                    }
                }
            }
            if matches!(leaf, "minReplicas" | "minimumReplicas") {
                let max = ["maxReplicas", "maximumReplicas"]
                    .into_iter()
                    .map(|name| sibling(path, name))
                    .find(|max| has(max));
                if let Some(max) = max {
                    let enabled = Some(sibling(path, "enabled")).filter(|p| has(p));
                    // replicas next to the autoscaler's block (deployment.replicas for deployment.hpa).
                    let block = parent(path);
                    let outer = block.as_deref().and_then(parent);
                    let replicas = [block.as_deref(), outer.as_deref()]
                        .into_iter()
                        .flat_map(|base| {
                            ["replicas", "replicaCount"].map(move |name| match base {
                                Some(base) => format!("{base}.{name}"),
                                None => name.to_string(),
                            })
                        })
                        .find(|p| has(p));
                    hpas.push(Hpa {
                        min: path.to_string(),
                        max,
                        enabled,
                        replicas,
                    });
                }
            }
            if leaf == "priorityClassName" {
                priority_classes.push(path.to_string());
            }
            if leaf == "targetCPUUtilizationPercentage" {
                let enabled = Some(sibling(path, "enabled")).filter(|p| has(p));
                cpu_targets.push((path.to_string(), enabled));
            }
            let item_has = |name: &str| param.item.iter().any(|field| field.name == name);
            if param.kind == Kind::ObjectList && item_has("cidr") && item_has("port") {
                egress.push(path.to_string());
            }
            if param.kind == Kind::Uuid {
                uuids.push(path.to_string());
            }
            let lower_leaf = leaf.to_ascii_lowercase();
            let block = param.kind == Kind::Template;
            if (param.kind == Kind::ObjectList && item_has("mountPath"))
                || (block && lower_leaf.ends_with("mounts"))
            {
                mount_lists.push(path.to_string());
            } else if (param.kind == Kind::ObjectList
                && item_has("name")
                && (leaf == "volumes" || path.contains(".volumes.")))
                || (block && lower_leaf.ends_with("volumes"))
            {
                volume_lists.push(path.to_string());
            }
        }
        Derived {
            resource_pairs,
            hpas,
            priority_classes,
            cpu_targets,
            egress,
            uuids,
            mount_lists,
            volume_lists,
        }
    }
}

// ------------------------------------------------------------------ helpers

fn items(value: Option<&Value>) -> &[Value] {
    value
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn field<'a>(item: &'a Value, name: &str) -> Option<&'a Value> {
    item.get(name).filter(|value| !value.is_null())
}

fn field_text(item: &Value, name: &str) -> Option<String> {
    field(item, name)
        .and_then(text)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// A folder path without its trailing slash (`/` stays `/`).
fn folder(path: &str) -> &str {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/"
    } else {
        trimmed
    }
}

fn first_example(ctx: &Ctx, path: &str) -> Option<String> {
    let example = ctx.chart.param(path)?.examples.first()?;
    let example = match example {
        Value::Sequence(items) if items.len() == 1 => &items[0],
        other => other,
    };
    serde_json::to_string(example).ok()
}

// ------------------------------------------------------------------ GES

/// A list behind an `enabled` flag must have entries when the flag is on (error), and is ignored
/// while the flag is off (warning).
fn ges_volumes_enabled_needs_list(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for (flag, list) in GES_LISTS {
        if !ctx.has_param(flag) || !ctx.has_param(list) {
            continue;
        }
        let on = is_on(ctx.get(flag));
        let count = items(ctx.get(list)).len();
        if on && count == 0 {
            out.error(
                list,
                rule.id,
                format!(
                    "`{flag}` is true but `{list}` is empty; add one entry per Secret to expose, or set `{flag}` to false"
                ),
                rule.source,
            );
        } else if !on && count > 0 {
            out.warning(
                list,
                rule.id,
                format!(
                    "`{list}` holds {count} {} but `{flag}` is not true, so the chart ignores it; set `{flag}` to true",
                    if count == 1 { "entry" } else { "entries" }
                ),
                rule.source,
            );
        }
    }
}

fn ges_volume_names(ctx: &Ctx) -> Vec<String> {
    if !is_on(ctx.get(GES_VOLUMES_ENABLED)) {
        return Vec::new();
    }
    items(ctx.get(GES_VOLUMES))
        .iter()
        .filter_map(|volume| field_text(volume, "name"))
        .collect()
}

/// Each mount of `ges.secrets.volumeMounts.list` names a volume of `ges.secrets.volumes.list`.
fn ges_volume_mounts_name_declared_volumes(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    if !is_on(ctx.get(GES_MOUNTS_ENABLED)) {
        return;
    }
    let declared = ges_volume_names(ctx);
    for (index, mount) in items(ctx.get(GES_MOUNTS)).iter().enumerate() {
        let Some(name) = field_text(mount, "name") else {
            continue;
        };
        if declared.contains(&name) {
            continue;
        }
        let at = format!("{GES_MOUNTS}[{index}].name");
        let why = if !is_on(ctx.get(GES_VOLUMES_ENABLED)) {
            format!("`{GES_VOLUMES_ENABLED}` is not true, so no volume is declared; turn it on and list a volume named \"{name}\" in `{GES_VOLUMES}`")
        } else if declared.is_empty() {
            format!("`{GES_VOLUMES}` declares no volume; add one named \"{name}\" or fix the name")
        } else {
            format!(
                "`{GES_VOLUMES}` declares only {}; add a volume named \"{name}\" or fix the name",
                code_list(&declared)
            )
        };
        out.error(
            at.clone(),
            rule.id,
            format!("`{at}` is \"{name}\", but {why}"),
            rule.source,
        );
    }
}

/// Every folder of `ges.secrets.config_folders` is the mountPath of a mounted secret volume.
fn ges_config_folders_mounted(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let Some(Value::String(list)) = ctx.get(GES_CONFIG_FOLDERS) else {
        return;
    };
    if placeholder(&Value::from(list.as_str())).is_some() {
        return;
    }
    let folders: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    let mounted = is_on(ctx.get(GES_MOUNTS_ENABLED));
    let mount_paths: Vec<String> = if mounted {
        items(ctx.get(GES_MOUNTS))
            .iter()
            .filter_map(|mount| field_text(mount, "mountPath"))
            .collect()
    } else {
        Vec::new()
    };
    for wanted in &folders {
        if mount_paths
            .iter()
            .any(|path| folder(path) == folder(wanted))
        {
            continue;
        }
        let why = if !mounted {
            format!("nothing is mounted because `{GES_MOUNTS_ENABLED}` is not true")
        } else if mount_paths.is_empty() {
            format!("`{GES_MOUNTS}` mounts nothing")
        } else {
            format!("`{GES_MOUNTS}` mounts only {}", code_list(&mount_paths))
        };
        out.error(
            GES_CONFIG_FOLDERS,
            rule.id,
            format!(
                "`{GES_CONFIG_FOLDERS}` lists the folder \"{wanted}\", but {why}; GES reads its configuration from the mounted secret volumes, so mount a volume at \"{wanted}\" or remove the folder"
            ),
            rule.source,
        );
    }
    if folders.is_empty() && !mount_paths.is_empty() {
        out.warning(
            GES_CONFIG_FOLDERS,
            rule.id,
            format!(
                "Secret volumes are mounted at {} but `{GES_CONFIG_FOLDERS}` is empty, so GES does not read them; list those folders, separated by commas",
                code_list(&mount_paths)
            ),
            rule.source,
        );
    }
}

// ------------------------------------------------------------------ common

fn requests_within_limits(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for (request_path, limit_path) in &ctx.plan.derived.resource_pairs {
        let (Some(request), Some(limit)) = (ctx.get(request_path), ctx.get(limit_path)) else {
            continue;
        };
        let (Some(request_amount), Some(limit_amount)) =
            (quantity_value(request), quantity_value(limit))
        else {
            continue;
        };
        if request_amount > limit_amount {
            out.error(
                request_path.as_str(),
                rule.id,
                format!(
                    "`{request_path}` is {}, more than its limit `{limit_path}` ({}); a request may not exceed the limit: lower the request or raise the limit",
                    shown(request),
                    shown(limit)
                ),
                rule.source,
            );
        }
    }
}

fn hpa_min_le_max(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for hpa in &ctx.plan.derived.hpas {
        let read = |path: &str, out: &mut Out| -> Option<f64> {
            let value = ctx.get(path)?;
            if placeholder(value).is_some() {
                return None;
            }
            let found = number(value).filter(|n| n.fract() == 0.0);
            if found.is_none() && value.is_string() {
                out.error(
                    path,
                    rule.id,
                    format!("`{path}` is {}; expected a whole number of pods (written as text here, e.g. \"5\")", shown(value)),
                    rule.source,
                );
            }
            found
        };
        let min = read(&hpa.min, out);
        let max = read(&hpa.max, out);
        let (Some(min), Some(max)) = (min, max) else {
            continue;
        };
        if min > max {
            out.error(
                hpa.min.as_str(),
                rule.id,
                format!(
                    "`{}` is {min}, more than `{}` ({max}); the autoscaler's minimum may not exceed its maximum: lower the minimum or raise the maximum",
                    hpa.min, hpa.max
                ),
                rule.source,
            );
            continue;
        }
        let autoscaling = hpa
            .enabled
            .as_deref()
            .is_none_or(|path| is_on(ctx.get(path)));
        if let (true, Some(replicas_path)) = (autoscaling, hpa.replicas.as_deref()) {
            let Some(replicas) = ctx.get(replicas_path).and_then(number) else {
                continue;
            };
            if replicas < min || replicas > max {
                out.warning(
                    replicas_path,
                    rule.id,
                    format!(
                        "`{replicas_path}` is {replicas}, outside the autoscaler's range {min}–{max} (`{}`, `{}`); while autoscaling is on, the pod count is moved back into that range",
                        hpa.min, hpa.max
                    ),
                    rule.source,
                );
            }
        }
    }
}

fn priority_class_documented(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let classes: Vec<&str> = platform()
        .priority_classes
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    for path in &ctx.plan.derived.priority_classes {
        let Some(value) = ctx.get(path) else { continue };
        if is_blank(Some(value)) || placeholder(value).is_some() {
            continue;
        }
        if value
            .as_str()
            .is_some_and(|name| classes.contains(&name.trim()))
        {
            continue;
        }
        out.error(
            path.as_str(),
            rule.id,
            format!(
                "`{path}` is {}, which is not one of the priority classes of the platform guide; use {}, or leave it empty",
                shown(value),
                code_list(&classes)
            ),
            rule.source,
        );
    }
}

// ------------------------------------------------------------------ middleware

fn no_client_secret_in_values(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let target = ctx
        .chart
        .secrets
        .iter()
        .flat_map(|secret| secret.keys.iter().map(move |key| (secret, key)))
        .find(|(_, key)| is_client_secret_key(&key.key))
        .map(|(secret, key)| format!("the Secret `{}` (key `{}`)", secret.name, key.key))
        .unwrap_or_else(|| "a Kubernetes Secret".into());
    let mut found = Vec::new();
    find_client_secrets(ctx.merged(), String::new(), &mut found);
    for path in found {
        out.error(
            path.clone(),
            rule.id,
            format!(
                "`{path}` puts a client secret in values.yaml; values files end up in Git, and a leaked client secret exposes the organization's whole API access. Remove it and put the secret in {target}"
            ),
            rule.source,
        );
    }
}

/// `client_secret`, `clientSecret`, `client-secret`, `GENESYS_CLIENT_SECRET`…, but not the name or
/// key of a Secret (`clientSecretName`, `clientSecretRef`).
fn is_client_secret_key(key: &str) -> bool {
    let squashed: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    squashed.contains("clientsecret")
        && !["name", "ref", "key", "file", "path"]
            .iter()
            .any(|suffix| squashed.ends_with(suffix))
}

fn find_client_secrets(value: &Value, path: String, found: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let Some(key) = key.as_str() else { continue };
                let child_path = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                if is_client_secret_key(key) && !child.is_null() {
                    found.push(child_path);
                } else {
                    find_client_secrets(child, child_path, found);
                }
            }
        }
        Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                find_client_secrets(child, format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

/// The threshold below which a CPU target is called too low (the guide calls 20–30 too low and
/// recommends 70; 40 is our line between the two).
const CPU_TARGET_FLOOR: f64 = 40.0;

fn cpu_target_too_low(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for (path, enabled) in &ctx.plan.derived.cpu_targets {
        if enabled
            .as_deref()
            .is_some_and(|flag| ctx.get(flag) == Some(&Value::Bool(false)))
        {
            continue;
        }
        let Some(target) = ctx.get(path).and_then(Value::as_f64) else {
            continue;
        };
        if target < CPU_TARGET_FLOOR {
            out.warning(
                path.as_str(),
                rule.id,
                format!(
                    "`{path}` is {target}; below {CPU_TARGET_FLOOR} the autoscaler scales aggressively, adding pods on minor spikes, which raises cost and resource contention on the nodes, and every extra pod shares the client ID's Genesys Cloud rate limit (429 errors). The guide recommends 70"
                ),
                rule.source,
            );
        }
    }
}

fn open_egress(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for path in &ctx.plan.derived.egress {
        for (index, entry) in items(ctx.get(path)).iter().enumerate() {
            let Some(cidr) = field_text(entry, "cidr") else {
                continue;
            };
            if matches!(cidr.as_str(), "0.0.0.0/0" | "::/0") && field(entry, "port").is_none() {
                let at = format!("{path}[{index}]");
                out.warning(
                    at.clone(),
                    rule.id,
                    format!(
                        "`{at}` allows {cidr} on every port, so compromised code could send data anywhere; list the Genesys Cloud IP ranges instead and restrict the port (443 for the Genesys Cloud APIs)"
                    ),
                    rule.source,
                );
            }
        }
    }
}

// ------------------------------------------------------------------ IXN

fn ixn_replica_count(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let Some(value) = ctx.get(IXN_REPLICAS) else {
        return;
    };
    let Some(count) = value.as_f64() else {
        return;
    };
    if count != 0.0 && count != 1.0 {
        out.error(
            IXN_REPLICAS,
            rule.id,
            format!(
                "`{IXN_REPLICAS}` is {}; Interaction Server supports only 0 or 1 (one instance per tenant, no scaling or high availability)",
                shown(value)
            ),
            rule.source,
        );
    }
}

fn given_release<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    ctx.answers
        .release
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

fn ixn_release_from_short_tenant_id(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let (Some(given), Ok(derived)) = (given_release(ctx), release_name(ctx)) else {
        return;
    };
    if given != derived {
        let from = ctx
            .chart
            .release
            .from_path
            .as_deref()
            .unwrap_or("tenant.id");
        out.warning(
            "release",
            rule.id,
            format!(
                "The release name is \"{given}\", but the guide names the Interaction Server release ixn-<short tenant id>, which is \"{derived}\" for `{from}`; the pods are then named {derived}-sts-0 and {derived}-vqnode-…"
            ),
            rule.source,
        );
    }
}

fn ixn_tenant_sid(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let id = ctx.get(IXN_TENANT_ID).filter(|v| !is_blank(Some(v)));
    let sid = ctx.get(IXN_TENANT_SID).filter(|v| !is_blank(Some(v)));
    if id.is_some_and(|v| placeholder(v).is_some()) || sid.is_some_and(|v| placeholder(v).is_some())
    {
        return;
    }
    match (id, sid) {
        (Some(_), None) => out.warning(
            IXN_TENANT_SID,
            rule.id,
            format!(
                "`{IXN_TENANT_SID}` is empty while `{IXN_TENANT_ID}` is set; both go into the Consul service metadata of the Interaction Service pod, so give the tenant's short ID too"
            ),
            rule.source,
        ),
        (None, Some(_)) => out.warning(
            IXN_TENANT_ID,
            rule.id,
            format!(
                "`{IXN_TENANT_ID}` is empty while `{IXN_TENANT_SID}` is set; both go into the Consul service metadata of the Interaction Service pod, so give the tenant's UUID too"
            ),
            rule.source,
        ),
        (Some(id), Some(sid)) => {
            let (Some(id_text), Some(sid_text)) = (text(id), text(sid)) else {
                return;
            };
            if !is_uuid(id_text.trim()) {
                return;
            }
            let Some(short) = short_tenant_id(&id_text) else {
                return;
            };
            if !sid_text.trim().eq_ignore_ascii_case(short) {
                out.warning(
                    IXN_TENANT_SID,
                    rule.id,
                    format!(
                        "`{IXN_TENANT_SID}` is {}, but the short ID of `{IXN_TENANT_ID}` (its last four characters) is {short}; both are published for the same Interaction Server, so check that they belong to the same tenant",
                        shown(sid)
                    ),
                    rule.source,
                );
            }
        }
        (None, None) => {}
    }
}

// ------------------------------------------------------------------ tenant

fn tenant_short_id_from_uuid(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let (Some(given), Ok(derived)) = (given_release(ctx), release_name(ctx)) else {
        return;
    };
    let prefixed = format!("voice-{derived}");
    if given != derived && given != prefixed {
        let from = ctx.chart.release.from_path.as_deref().unwrap_or("tenantid");
        out.warning(
            "release",
            rule.id,
            format!(
                "The release name is \"{given}\", but the guide names a tenant's release t<short tenant id> or voice-t<short tenant id>, the short id being the last four characters of `{from}`: \"{derived}\" or \"{prefixed}\" here. Whatever the name, it must differ from every other release in the namespace"
            ),
            rule.source,
        );
    }
}

fn tenant_uuid_v4(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for path in &ctx.plan.derived.uuids {
        let Some(Value::String(id)) = ctx.get(path) else {
            continue;
        };
        let id = id.trim();
        if is_uuid(id) && !is_uuid_v4(id) {
            let version = id.as_bytes()[14] as char;
            out.error(
                path.as_str(),
                rule.id,
                format!(
                    "`{path}` is \"{id}\", a UUID of version {version} (the 13th hex digit) or of another variant; the tenant id must be a version-4 UUID: generate a new one"
                ),
                rule.source,
            );
        }
    }
}

/// The entries of a parsed YAML block that holds a list (`- name: …` entries), or why it does not.
fn block_list(parsed: &ParsedBlock) -> Result<&[Value], String> {
    match parsed {
        Ok(Value::Sequence(entries)) => Ok(entries),
        Ok(Value::Null) => Ok(&[]),
        Ok(other) => Err(format!("it holds {}", shown(other))),
        Err(error) => Err(format!("it is not valid YAML ({error})")),
    }
}

/// One text field (`name`, `mountPath`) of every entry of a volume or mount list, whether the
/// list is a YAML list or a block string holding one.
fn entry_texts(ctx: &Ctx, value: Option<&Value>, name: &str) -> Vec<String> {
    let texts = |entries: &[Value]| -> Vec<String> {
        entries
            .iter()
            .filter_map(|entry| field_text(entry, name))
            .collect()
    };
    match value {
        Some(Value::Sequence(entries)) => texts(entries),
        Some(Value::String(text)) if !text.contains("{{") => block_list(&ctx.parse_block(text))
            .map(texts)
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn tenant_volumes_concatenated(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let mut declared: BTreeSet<String> = BTreeSet::new();
    for path in &ctx.plan.derived.volume_lists {
        if !TENANT_VOLUME_BLOCKS.contains(&path.as_str()) {
            declared.extend(entry_texts(ctx, ctx.get(path), "name"));
        }
    }
    let mut mounts: Vec<(&str, String)> = Vec::new();
    for path in TENANT_VOLUME_BLOCKS.iter().chain(&TENANT_MOUNT_BLOCKS) {
        let Some(Value::String(text)) = ctx.get(path) else {
            continue;
        };
        if text.contains("{{") || placeholder(&Value::from(text.as_str())).is_some() {
            continue;
        }
        let parsed = ctx.parse_block(text);
        let entries = match block_list(&parsed) {
            Ok(entries) => entries,
            Err(why) => {
                out.error(
                    *path,
                    rule.id,
                    format!(
                        "`{path}` must be one YAML list (`- name: …` entries), but {why}; the chart takes a single `{path}` entry, so every item for every purpose goes into that one list"
                    ),
                    rule.source,
                );
                continue;
            }
        };
        let is_volume_block = TENANT_VOLUME_BLOCKS.contains(path);
        let mut seen = BTreeSet::new();
        for (index, entry) in entries.iter().enumerate() {
            let Some(name) = field_text(entry, "name") else {
                out.error(
                    *path,
                    rule.id,
                    format!(
                        "`{path}` item {index} has no `name`; each entry of the list needs one"
                    ),
                    rule.source,
                );
                continue;
            };
            if !is_volume_block {
                mounts.push((path, name));
                continue;
            }
            if !seen.insert(name.clone()) {
                out.error(
                    *path,
                    rule.id,
                    format!(
                        "`{path}` declares the volume \"{name}\" twice; concatenate the volumes of every purpose into the one list, each volume once"
                    ),
                    rule.source,
                );
            }
            declared.insert(name);
        }
    }
    for (path, name) in mounts {
        if !declared.contains(&name) {
            out.warning(
                path,
                rule.id,
                format!(
                    "`{path}` mounts the volume \"{name}\", which no volume list of these values declares; add it to `volumes` (the one list that holds every extra volume) unless the chart provides it"
                ),
                rule.source,
            );
        }
    }
}

fn tenant_secret_flag_needs_secret(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    let mount_paths = OnceCell::new();
    for (flag, references) in TENANT_SECRET_FLAGS {
        if !ctx.has_param(flag) || !is_on(ctx.get(flag)) {
            continue;
        }
        for paths in references.iter() {
            let paths: Vec<&str> = paths.iter().copied().filter(|p| ctx.has_param(p)).collect();
            let Some(first) = paths.first() else { continue };
            let given: Vec<(&str, &Value)> = paths
                .iter()
                .filter_map(|path| ctx.get(path).map(|value| (*path, value)))
                .filter(|(_, value)| !is_blank(Some(value)))
                .collect();
            if given.is_empty() {
                let secret = ctx
                    .chart
                    .param(first)
                    .and_then(|param| param.secret_ref.clone())
                    .map(|name| format!(" (the Secret `{name}`)"))
                    .unwrap_or_default();
                out.error(
                    *first,
                    rule.id,
                    format!(
                        "`{flag}` is true, so the value comes from a Kubernetes Secret{secret}, but {} is empty; give the path of the file the Secret is mounted as (or the secret name and key)",
                        code_list(&paths)
                    ),
                    rule.source,
                );
                continue;
            }
            for (path, value) in given {
                let Some(file) = value.as_str().map(str::trim).filter(|f| f.starts_with('/'))
                else {
                    continue;
                };
                let mount_paths = mount_paths.get_or_init(|| all_mount_paths(ctx));
                if placeholder(value).is_some() || under_a_mount(mount_paths, file) {
                    continue;
                }
                out.warning(
                    path,
                    rule.id,
                    format!(
                        "`{path}` is the file \"{file}\", but no mount in these values puts a volume at its folder; add the Secret's volume and its mount, or the tenant will not find the file"
                    ),
                    rule.source,
                );
            }
        }
    }
}

/// Every mountPath of the values' mount lists (object lists with a `mountPath`, mount blocks),
/// without trailing slashes.
fn all_mount_paths(ctx: &Ctx) -> Vec<String> {
    ctx.plan
        .derived
        .mount_lists
        .iter()
        .flat_map(|path| entry_texts(ctx, ctx.get(path), "mountPath"))
        .map(|mount| folder(&mount).to_string())
        .collect()
}

/// Whether one of the mounts puts a volume at a folder that holds `file`.
fn under_a_mount(mount_paths: &[String], file: &str) -> bool {
    mount_paths.iter().any(|mount| {
        mount == "/"
            || file
                .strip_prefix(mount.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

fn tenant_fluentbit_needs_configmap_volume(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    for (switch, what, config, logs) in TENANT_FLUENT {
        if !ctx.has_param(switch) || !is_on(ctx.get(switch)) {
            continue;
        }
        let has_configmap = items(ctx.get(config))
            .iter()
            .any(|volume| field(volume, "configMap").is_some());
        if ctx.has_param(config) && !has_configmap {
            let example = first_example(ctx, config)
                .map(|e| format!(" (the guide's: {e})"))
                .unwrap_or_default();
            out.error(
                config,
                rule.id,
                format!(
                    "`{switch}` is \"true\", so the {what} log sidecar needs its Fluent Bit configuration: add to `{config}` a volume referencing the ConfigMap that tenant-monitor creates{example}, and enable fluent in tenant-monitor too"
                ),
                rule.source,
            );
        }
        if ctx.has_param(logs) && is_empty(ctx.get(logs)) {
            let example = first_example(ctx, logs)
                .map(|e| format!(" (the guide's: {e})"))
                .unwrap_or_default();
            out.warning(
                logs,
                rule.id,
                format!(
                    "`{switch}` is \"true\" but `{logs}` is empty; the {what} log sidecar reads its logs from an empty-directory volume{example}"
                ),
                rule.source,
            );
        }
    }
}

// ------------------------------------------------------------------ tenant-monitor

fn tenant_monitor_create_sc(ctx: &Ctx, rule: &Rule, out: &mut Out) {
    if !is_on(ctx.get(MONITOR_CREATE_SC)) {
        return;
    }
    if is_blank(ctx.get(MONITOR_STORAGE_CLASS)) {
        out.error(
            MONITOR_STORAGE_CLASS,
            rule.id,
            format!(
                "`{MONITOR_CREATE_SC}` is \"true\" but `{MONITOR_STORAGE_CLASS}` is empty; creating the storage class only works when its name is given, so name the class (tenant pods then use it by that name) or set createSC to \"false\""
            ),
            rule.source,
        );
    }
    if !is_on(ctx.get(MONITOR_VOLUME_ENABLED)) {
        out.warning(
            MONITOR_CREATE_SC,
            rule.id,
            format!(
                "`{MONITOR_CREATE_SC}` is \"true\" but `{MONITOR_VOLUME_ENABLED}` is not \"true\"; the storage class is meant for persistent log volumes, so enable the log volume (or the tenants' own log claims) or leave createSC \"false\""
            ),
            rule.source,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::all_charts;

    #[test]
    fn specific_rules_read_only_parameters_of_the_charts_that_list_them() {
        for chart in all_charts() {
            for rule in &chart.rules {
                for path in rule_paths(&rule.id) {
                    assert!(
                        chart.param(path).is_some(),
                        "{}: rule {} reads `{path}`, which is not a parameter",
                        chart.id,
                        rule.id
                    );
                }
            }
        }
    }

    #[test]
    fn generic_rules_find_their_paths() {
        let chart = crate::charts::chart("ixn").unwrap();
        let derived = Derived::new(chart);
        assert_eq!(
            derived.resource_pairs.len(),
            8,
            "ixn: 4 containers × cpu/memory"
        );
        assert_eq!(derived.priority_classes.len(), 2);
        let ges = Derived::new(crate::charts::chart("ges").unwrap());
        assert_eq!(ges.hpas.len(), 1);
        assert_eq!(
            ges.hpas[0].replicas.as_deref(),
            Some("ges.deployment.replicas")
        );
        assert_eq!(
            ges.hpas[0].enabled.as_deref(),
            Some("ges.deployment.hpa.enabled")
        );
        let middleware = Derived::new(crate::charts::chart("middleware").unwrap());
        assert_eq!(middleware.egress, ["networkPolicy.egress"]);
        assert_eq!(middleware.hpas[0].max, "autoscaling.maxReplicas");
    }

    #[test]
    fn client_secret_keys() {
        for key in [
            "client_secret",
            "clientSecret",
            "client-secret",
            "GENESYS_CLIENT_SECRET",
        ] {
            assert!(is_client_secret_key(key), "{key}");
        }
        for key in [
            "client_id",
            "clientSecretName",
            "secret",
            "client-secret-ref",
        ] {
            assert!(!is_client_secret_key(key), "{key}");
        }
    }
}
