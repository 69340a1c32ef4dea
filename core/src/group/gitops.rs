//! GitOps output of a unit group, for engines that reach every cluster: an Argo CD `ApplicationSet` per chart (a list generator with one element per unit and tenant that runs the chart, each carrying its cluster and its values inline), and a Flux folder per cluster (`clusters/<unit>/`: the HelmReleases and sources of every tenant on the unit, its namespaces, its SealedSecrets, a `kustomization.yaml`).
//!
//! The environment module's decisions stand: values are the overrides without credentials
//! (`environment::inline_values`, `mask::holds_credential`), a chart gets a manifest only with a
//! source a GitOps tool can fetch at a pinned version (`environment::gitops_source`), no Secret
//! is ever in these files (only SealedSecrets, when sealed). The platform guide's deployment
//! order becomes each ApplicationSet's sync wave; a tenant's master unit comes first through
//! Argo CD's progressive syncs (a `RollingSync` strategy whose first step is the master units).

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::{ResolvedGroup, ResolvedUnit, UnitEnvironment};
use crate::environment::{
    environment_catalog, gitops_files_sealed, gitops_source, inline_values, login_note,
    namespaces_file, planned_namespaces, withheld_note, GitOps, GitSource, ResolvedChart,
    ARGOCD_NAMESPACE, GITOPS_DIR,
};
use crate::export::{comment_lines, ExportContext};
use crate::yaml::write::{to_yaml, value_to_yaml, Entry, Node};

/// Where the ApplicationSets go.
pub const APPLICATIONSET_DIR: &str = "argocd";
/// Where the Flux cluster folders go (`clusters/<unit>/`).
pub const CLUSTERS_DIR: &str = "clusters";
/// The label on each generated Application naming its unit.
pub const LABEL_UNIT: &str = "pecfg/unit";
/// The label naming its tenant.
pub const LABEL_TENANT: &str = "pecfg/tenant";
/// The label that orders the rollout: `master` (the tenant's master unit) or `other`.
pub const LABEL_ROLLOUT: &str = "pecfg/rollout";

fn text(value: &str) -> Node {
    Node::Scalar(Value::String(value.to_string()))
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(
        entries
            .into_iter()
            .map(|(key, node)| Entry::new(key, node))
            .collect(),
    )
}

/// A DNS-1123 label of at most 63 characters: `parts` joined by `-`, or when longer its first
/// characters and a digest of the whole, so two long names never meet.
fn object_name(parts: &[&str]) -> String {
    let whole = parts.join("-");
    if whole.len() <= 63 {
        return whole;
    }
    use sha2::{Digest as _, Sha256};
    let digest: String = Sha256::digest(whole.as_bytes())
        .iter()
        .take(4)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let head: String = whole.chars().take(54).collect();
    format!("{}-{digest}", head.trim_end_matches('-'))
}

/// One chart of one tenant on one unit, with its GitOps source.
struct Element<'g> {
    unit: &'g ResolvedUnit,
    environment: &'g UnitEnvironment,
    entry: &'g ResolvedChart,
    source: GitSource,
}

/// Per chart id (in the platform guide's order), its elements across the units (units in the
/// file's order, tenants in theirs), and the placements left out with why.
#[allow(clippy::type_complexity)]
fn elements(
    group: &ResolvedGroup,
) -> Vec<(String, usize, Vec<Element<'_>>, Vec<(String, String)>)> {
    let order: Vec<String> = environment_catalog()
        .map(|catalog| {
            catalog
                .install_order
                .iter()
                .map(|step| step.chart.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut by_chart: BTreeMap<&str, (Vec<Element>, Vec<(String, String)>)> = BTreeMap::new();
    for unit in &group.units {
        for environment in &unit.environments {
            for entry in &environment.resolved.charts {
                let (list, left) = by_chart.entry(entry.chart.id.as_str()).or_default();
                match gitops_source(entry) {
                    Ok(source) => list.push(Element {
                        unit,
                        environment,
                        entry,
                        source,
                    }),
                    Err(why) => left.push((format!("{}/{}", unit.name, environment.tenant), why)),
                }
            }
        }
    }
    order
        .iter()
        .enumerate()
        .filter_map(|(index, chart)| {
            by_chart
                .remove(chart.as_str())
                .map(|(list, left)| (chart.clone(), index + 1, list, left))
        })
        .collect()
}

/// The Argo CD files: `argocd/<chart>.yaml`, an ApplicationSet per chart with at least one unit
/// whose source Argo CD can fetch, and `argocd/kustomization.yaml` listing them.
pub fn applicationset_files(group: &ResolvedGroup) -> Vec<(String, String)> {
    let master_first: Vec<String> = super::group_catalog()
        .map(|catalog| catalog.master_first().to_vec())
        .unwrap_or_default();
    let mut files = Vec::new();
    for (chart, wave, list, _) in elements(group) {
        if list.is_empty() {
            continue;
        }
        let ordered = master_first.contains(&chart);
        files.push((
            format!("{APPLICATIONSET_DIR}/{chart}.yaml"),
            applicationset(group, &chart, wave, &list, ordered),
        ));
    }
    let resources: Vec<Node> = files
        .iter()
        .filter_map(|(name, _)| name.strip_prefix(&format!("{APPLICATIONSET_DIR}/")))
        .map(text)
        .collect();
    let mut kustomization = comment_lines(
        &format!(
            "The ApplicationSets of unit group {}, for the Argo CD that manages every unit's \
             cluster. No Secret is listed: each unit's Secrets are created by its plans' \
             install.sh (steps 1-3) or sealed for its own controller (pecfg plan --group … \
             --sealed-cert <unit>=<cert>).",
            group.name
        ),
        "# ",
    );
    kustomization.push_str(&to_yaml(&map(vec![
        ("apiVersion", text("kustomize.config.k8s.io/v1beta1")),
        ("kind", text("Kustomization")),
        ("resources", Node::Seq(resources)),
    ])));
    files.push((
        format!("{APPLICATIONSET_DIR}/kustomization.yaml"),
        kustomization,
    ));
    files
}

fn applicationset(
    group: &ResolvedGroup,
    chart: &str,
    wave: usize,
    list: &[Element],
    ordered: bool,
) -> String {
    let name = object_name(&[&group.name, chart]);
    let chart_name = list.first().map_or_else(
        || chart.to_string(),
        |element| element.entry.chart.name.clone(),
    );
    let mut out = comment_lines(
        &format!(
            "{chart_name} (chart {chart}) on every unit of group {} that runs it: one \
             Application per unit and tenant, on that unit's cluster. Written by pe-configurator; \
             it holds no Secret and no value the catalog marks as a credential. Sync wave {wave} \
             follows the platform guide's deployment order.",
            group.name
        ),
        "# ",
    );
    if ordered {
        out.push_str(&comment_lines(
            "Each tenant's master unit is installed first (Tenant guide 002:1579-1589): the \
             RollingSync strategy syncs the Applications labelled pecfg/rollout=master, then the \
             others, once the first are healthy. It needs Argo CD's progressive syncs enabled \
             (applicationsetcontroller.enable.progressive.syncs: \"true\" in argocd-cmd-params-cm) \
             and syncs the Applications itself, so they carry no automated sync policy.",
            "# ",
        ));
    }
    let mut notes: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let mut namespaces: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for element in list {
        let (values, left_out) = inline_values(element.entry);
        let context = ExportContext::new(&element.entry.evaluated());
        let where_ = format!("{}/{}", element.unit.name, element.environment.tenant);
        if let Some(note) = withheld_note(element.entry, &left_out, GitOps::ArgoCd) {
            notes.push(format!("{where_}: {note}"));
        }
        if notes.len() < 2 {
            if let Some(note) = login_note(element.entry, GitOps::ArgoCd, &name, ARGOCD_NAMESPACE) {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        let labels = planned_namespaces(&element.environment.resolved)
            .into_iter()
            .find(|(namespace, _)| namespace == &context.namespace)
            .map(|(_, labels)| labels)
            .unwrap_or_default();
        if !namespaces
            .iter()
            .any(|(known, _)| known == &context.namespace)
        {
            namespaces.push((context.namespace.clone(), labels));
        }
        let (server, cluster) = element.unit.cluster.argocd_destination();
        // Argo CD names a chart in an OCI registry by its path without the scheme.
        let repo_url = element
            .source
            .repository
            .strip_prefix("oci://")
            .unwrap_or(&element.source.repository)
            .to_string();
        elements.push(map(vec![
            (
                "name",
                text(&object_name(&[
                    &element.unit.name,
                    &element.environment.tenant,
                    chart,
                ])),
            ),
            ("unit", text(&element.unit.name)),
            ("region", text(&element.unit.region)),
            ("tenant", text(&element.environment.tenant)),
            (
                "rollout",
                text(if element.environment.master {
                    "master"
                } else {
                    "other"
                }),
            ),
            ("server", text(&server)),
            ("cluster", text(&cluster)),
            ("namespace", text(&context.namespace)),
            ("release", text(&context.release)),
            ("repoURL", text(&repo_url)),
            ("chart", text(&element.source.chart)),
            ("version", text(&element.source.version)),
            ("values", text(&value_to_yaml(&values))),
        ]));
    }
    if list
        .iter()
        .any(|element| element.source.repository.starts_with("oci://"))
    {
        notes.push(
            "A chart in an OCI registry: register the registry in Argo CD as a Helm repository \
             with enableOCI."
                .to_string(),
        );
    }
    for note in &notes {
        out.push_str(&comment_lines(note, "# "));
    }
    let mut sync_policy = Vec::new();
    if !ordered {
        sync_policy.push((
            "automated",
            map(vec![
                ("prune", Node::Scalar(Value::Bool(true))),
                ("selfHeal", Node::Scalar(Value::Bool(true))),
            ]),
        ));
    }
    sync_policy.push(("syncOptions", Node::Seq(vec![text("CreateNamespace=true")])));
    // The guides' namespace labels, when every element's namespace has the same ones.
    if let Some((_, labels)) = namespaces.first() {
        let same = namespaces.iter().all(|(_, other)| other == labels);
        if same && !labels.is_empty() {
            sync_policy.push((
                "managedNamespaceMetadata",
                map(vec![(
                    "labels",
                    Node::Map(
                        labels
                            .iter()
                            .map(|(key, value)| Entry::new(key.clone(), text(value)))
                            .collect(),
                    ),
                )]),
            ));
        }
    }
    let template = map(vec![
        (
            "metadata",
            map(vec![
                ("name", text("{{ .name }}")),
                ("namespace", text(ARGOCD_NAMESPACE)),
                (
                    "labels",
                    map(vec![
                        ("pecfg/group", text(&group.name)),
                        ("pecfg/chart", text(chart)),
                        (LABEL_UNIT, text("{{ .unit }}")),
                        (LABEL_TENANT, text("{{ .tenant }}")),
                        (LABEL_ROLLOUT, text("{{ .rollout }}")),
                    ]),
                ),
            ]),
        ),
        (
            "spec",
            map(vec![
                ("project", text("default")),
                (
                    "source",
                    map(vec![
                        ("repoURL", text("{{ .repoURL }}")),
                        ("chart", text("{{ .chart }}")),
                        ("targetRevision", text("{{ .version }}")),
                        (
                            "helm",
                            map(vec![
                                ("releaseName", text("{{ .release }}")),
                                ("values", text("{{ .values }}")),
                            ]),
                        ),
                    ]),
                ),
                (
                    "destination",
                    map(vec![
                        ("server", text("{{ .server }}")),
                        ("name", text("{{ .cluster }}")),
                        ("namespace", text("{{ .namespace }}")),
                    ]),
                ),
                ("syncPolicy", map(sync_policy)),
            ]),
        ),
    ]);
    let mut spec = vec![
        ("goTemplate", Node::Scalar(Value::Bool(true))),
        (
            "goTemplateOptions",
            Node::Seq(vec![text("missingkey=error")]),
        ),
        (
            "generators",
            Node::Seq(vec![map(vec![(
                "list",
                map(vec![("elements", Node::Seq(elements))]),
            )])]),
        ),
    ];
    if ordered {
        let step = |value: &str| {
            map(vec![(
                "matchExpressions",
                Node::Seq(vec![map(vec![
                    ("key", text(LABEL_ROLLOUT)),
                    ("operator", text("In")),
                    ("values", Node::Seq(vec![text(value)])),
                ])]),
            )])
        };
        spec.push((
            "strategy",
            map(vec![
                ("type", text("RollingSync")),
                (
                    "rollingSync",
                    map(vec![(
                        "steps",
                        Node::Seq(vec![step("master"), step("other")]),
                    )]),
                ),
            ]),
        ));
    }
    spec.push((
        "syncPolicy",
        map(vec![(
            "preserveResourcesOnDeletion",
            Node::Scalar(Value::Bool(true)),
        )]),
    ));
    spec.push(("template", template));
    let manifest = map(vec![
        ("apiVersion", text("argoproj.io/v1alpha1")),
        ("kind", text("ApplicationSet")),
        (
            "metadata",
            map(vec![
                ("name", text(&name)),
                ("namespace", text(ARGOCD_NAMESPACE)),
                (
                    "annotations",
                    map(vec![(
                        "argocd.argoproj.io/sync-wave",
                        text(&wave.to_string()),
                    )]),
                ),
            ]),
        ),
        ("spec", map(spec)),
    ]);
    out.push_str(&to_yaml(&manifest));
    out
}

/// The namespaces of every environment of a unit, each once, with the guides' labels.
fn unit_namespaces(unit: &ResolvedUnit) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for environment in &unit.environments {
        for (namespace, labels) in planned_namespaces(&environment.resolved) {
            if !out.iter().any(|(known, _)| known == &namespace) {
                out.push((namespace, labels));
            }
        }
    }
    out
}

/// The Flux files: per unit that runs anything, `clusters/<unit>/` with `namespaces.yaml` (every
/// tenant's namespaces once), `<tenant>/<chart>.yaml` (each environment's HelmRelease and source,
/// as the environment's Flux files have them), `sealed-secrets.yaml` when the unit was sealed,
/// and `kustomization.yaml` listing them: the folder a Flux bootstrap of that cluster points at.
pub fn flux_cluster_files(
    group: &ResolvedGroup,
    sealed: &super::GroupSealed,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for unit in group
        .units
        .iter()
        .filter(|unit| !unit.environments.is_empty())
    {
        let folder = format!("{CLUSTERS_DIR}/{}", unit.name);
        let mut resources = vec!["namespaces.yaml".to_string()];
        let namespaces = namespaces_file(
            &unit_namespaces(unit),
            &format!(
                "The namespaces of unit {}, every tenant's once, with the labels the guides give.",
                unit.name
            ),
        );
        files.push((format!("{folder}/namespaces.yaml"), namespaces));
        for environment in &unit.environments {
            for (name, text) in gitops_files_sealed(&environment.resolved, GitOps::Flux, &[]) {
                let Some(file) = name.strip_prefix(&format!("{GITOPS_DIR}/")) else {
                    continue;
                };
                if file == "namespaces.yaml" || file == "kustomization.yaml" {
                    continue;
                }
                let relative = format!("{}/{file}", environment.tenant);
                files.push((format!("{folder}/{relative}"), text));
                resources.push(relative);
            }
        }
        if let Some(text) = sealed.units.get(&unit.name) {
            files.push((format!("{folder}/sealed-secrets.yaml"), text.clone()));
            resources.push("sealed-secrets.yaml".to_string());
        }
        let mut kustomization = comment_lines(
            &format!(
                "Every Flux object of unit {} (region {}, {} unit): point the cluster's Flux \
                 bootstrap at this folder. {}",
                unit.name,
                unit.region,
                unit.role.as_str(),
                if sealed.units.contains_key(&unit.name) {
                    "Its Secrets are SealedSecrets for its own controller (sealed-secrets.yaml)."
                } else {
                    "Secrets are not listed: create them with each tenant's install.sh (steps \
                     1-3) under units/, or seal them (pecfg plan --group … --sealed-cert \
                     <unit>=<cert>)."
                }
            ),
            "# ",
        );
        kustomization.push_str(&to_yaml(&map(vec![
            ("apiVersion", text("kustomize.config.k8s.io/v1beta1")),
            ("kind", text("Kustomization")),
            (
                "resources",
                Node::Seq(resources.iter().map(|name| text(name)).collect()),
            ),
        ])));
        files.push((format!("{folder}/kustomization.yaml"), kustomization));
    }
    files
}

/// What the group report says about the GitOps files: per chart, the units whose source a GitOps
/// tool cannot fetch and why; with Flux, which clusters to bootstrap first.
pub(crate) fn group_gitops_report(group: &ResolvedGroup, flavor: GitOps) -> String {
    let tool = match flavor {
        GitOps::ArgoCd => "argocd",
        GitOps::Flux => "flux",
    };
    let mut out = String::new();
    for (chart, _, _, left) in elements(group) {
        for (where_, why) in left {
            out.push_str(&format!(
                "gitops {tool}: {chart} on {where_}: left out, it could not sync: {why}\n"
            ));
        }
    }
    if flavor == GitOps::Flux {
        let masters: Vec<String> = group
            .units
            .iter()
            .filter(|unit| unit.environments.iter().any(|e| e.master))
            .map(|unit| unit.name.clone())
            .collect();
        if !masters.is_empty() {
            out.push_str(&format!(
                "gitops flux: each cluster reconciles on its own; bootstrap the master units \
                 first ({}), then the others\n",
                masters.join(", ")
            ));
        }
    }
    if !out.is_empty() {
        out.insert(0, '\n');
    }
    out
}
