//! GitOps output of an environment: per chart an Argo CD `Application` or a Flux `HelmRelease` (with its `HelmRepository` or `OCIRepository` when the chart's repository is given), the namespaces, and a `kustomization.yaml` listing them.
//!
//! Values are inline (the overrides, as values.yaml has them), except `sensitive` ones, which are
//! left out and named in a comment: a manifest meant for Git holds no credential. Secrets are
//! never in these files; the charts' values name the Secrets the plan creates (install.sh steps
//! 1–3, or each `<chart>-secrets.yaml`). The deployment order becomes Argo CD sync waves and
//! Flux `dependsOn`.

use serde_yaml::{Mapping, Value};

use super::plan::{install_of, planned_namespaces};
use super::{Resolved, ResolvedChart};
use crate::export::comment_lines;
use crate::export::yaml::{node_from_value, to_yaml, Entry, Node};
use crate::values::{defaults_ref, overrides_only};

/// Which GitOps tool the manifests are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitOps {
    ArgoCd,
    Flux,
}

impl GitOps {
    pub fn parse(word: &str) -> Option<GitOps> {
        match word {
            "argocd" | "argo" => Some(GitOps::ArgoCd),
            "flux" => Some(GitOps::Flux),
            _ => None,
        }
    }
}

/// Where the GitOps files go in the plan.
pub const GITOPS_DIR: &str = "gitops";
/// The namespace Argo CD's Applications live in (its installation default).
pub const ARGOCD_NAMESPACE: &str = "argocd";
const INTERVAL: &str = "10m";
const HELM_LAYER: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

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

/// The values that go inline: the overrides without the credentials, and the paths left out.
/// What is a credential is the one decision previews, drafts and links use
/// (`mask::holds_credential`): a `sensitive` value that is a file path where a Secret is mounted
/// (the Tenant's `…secretName`) is not one, and stays in the values.
fn inline_values(entry: &ResolvedChart) -> (Value, Vec<String>) {
    let chart = entry.chart;
    let mut values = overrides_only(defaults_ref(chart), &entry.answers.values)
        .unwrap_or_else(|| Value::Mapping(Mapping::new()));
    let mut left_out = Vec::new();
    for param in chart.params.iter() {
        if crate::mask::holds_credential(param, &values)
            && crate::state::reset_value(&mut values, &param.path).is_ok()
        {
            left_out.push(param.path.clone());
        }
    }
    if values.is_null() {
        values = Value::Mapping(Mapping::new());
    }
    (values, left_out)
}

/// A DNS-1123 name for an object of this environment: `<environment>-<chart>`, cut to 63.
fn object_name(resolved: &Resolved, chart_id: &str) -> String {
    let name: String = format!("{}-{chart_id}", resolved.name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(63)
        .collect();
    name.trim_matches('-').to_string()
}

fn header(entry: &ResolvedChart, left_out: &[String], flavor: GitOps) -> String {
    let mut out = comment_lines(
        &format!(
            "{} (chart {}), step {} of the platform guide's order. Written by pe-configurator; \
             holds no secret value: the Secrets it names are created by install.sh (steps 1-3) or \
             {}.",
            entry.chart.name,
            entry.chart.id,
            entry.step,
            super::plan::secrets_file_name(&entry.chart.id)
        ),
        "# ",
    );
    if let Some(note) = withheld_note(entry, left_out, flavor) {
        out.push_str(&comment_lines(&note, "# "));
    }
    out
}

/// Which values were left out of a chart's manifest and where they must come from; `None` when
/// nothing was. The manifest's comment and the plan's report say the same.
fn withheld_note(entry: &ResolvedChart, left_out: &[String], flavor: GitOps) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let from = match flavor {
        GitOps::Flux => format!(
            "the HelmRelease reads them from the Secret {} (valuesFrom), which install.sh and {} \
             create (sealed for Git with --sealed-cert)",
            super::plan::sensitive_secret_name(entry),
            super::plan::secrets_file_name(&entry.chart.id)
        ),
        GitOps::ArgoCd => "Argo CD must get them from outside Git, through your secret management \
                           (for example argocd-vault-plugin); the Application cannot install the \
                           chart as intended without them"
            .to_string(),
    };
    Some(format!(
        "Left out of these values, as credentials the chart reads from its values: {}; {from}.",
        left_out.join(", ")
    ))
}

/// What the plan's report says about the GitOps files: per chart, the values left out of its
/// manifest and where they must come from.
pub(crate) fn gitops_report(resolved: &Resolved, flavor: GitOps) -> String {
    let tool = match flavor {
        GitOps::ArgoCd => "argocd",
        GitOps::Flux => "flux",
    };
    let mut out = String::new();
    for entry in &resolved.charts {
        let (_, left_out) = inline_values(entry);
        if let Some(note) = withheld_note(entry, &left_out, flavor) {
            out.push_str(&format!("gitops {tool}: {}: {note}\n", entry.chart.id));
        }
    }
    out
}

/// Where a chart comes from, for the source objects.
enum Repo {
    Helm { url: String, chart: String },
    Oci { url: String },
    Unknown,
}

fn repo_of(entry: &ResolvedChart) -> Repo {
    let install = install_of(entry);
    let chart_name = entry.source.chart.clone().or_else(|| {
        entry
            .chart
            .chart_ref
            .as_ref()
            .map(|fact| fact.value.clone())
    });
    match (&entry.source.repository, &install.chart_ref) {
        (Some(repository), Some(reference)) if repository.starts_with("oci://") => Repo::Oci {
            url: reference.clone(),
        },
        (Some(repository), _) => match chart_name {
            Some(chart) => Repo::Helm {
                url: repository.clone(),
                chart,
            },
            None => Repo::Unknown,
        },
        _ => Repo::Unknown,
    }
}

fn argocd_application(resolved: &Resolved, entry: &ResolvedChart, wave: usize) -> String {
    let install = install_of(entry);
    let (values, left_out) = inline_values(entry);
    let version = install.version.clone().unwrap_or_else(|| "*".to_string());
    let mut out = header(entry, &left_out, GitOps::ArgoCd);
    let (repo_url, chart) = match repo_of(entry) {
        Repo::Helm { url, chart } => (url, chart),
        Repo::Oci { url } => match url.rsplit_once('/') {
            Some((parent, chart)) => (parent.to_string(), chart.to_string()),
            None => (url.clone(), url),
        },
        Repo::Unknown => {
            out.push_str(&comment_lines(
                &format!(
                    "No chart repository is given (sources.{}.repository in the environment \
                     file): replace repoURL.",
                    entry.chart.id
                ),
                "# ",
            ));
            (
                "REPLACE-WITH-CHART-REPOSITORY".to_string(),
                entry
                    .chart
                    .chart_ref
                    .as_ref()
                    .map(|fact| fact.value.clone())
                    .unwrap_or_else(|| entry.chart.id.clone()),
            )
        }
    };
    let manifest = map(vec![
        ("apiVersion", text("argoproj.io/v1alpha1")),
        ("kind", text("Application")),
        (
            "metadata",
            map(vec![
                ("name", text(&object_name(resolved, &entry.chart.id))),
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
        (
            "spec",
            map(vec![
                ("project", text("default")),
                (
                    "source",
                    map(vec![
                        ("repoURL", text(&repo_url)),
                        ("chart", text(&chart)),
                        ("targetRevision", text(&version)),
                        (
                            "helm",
                            map(vec![
                                ("releaseName", text(&install.context.release)),
                                ("valuesObject", node_from_value(&values)),
                            ]),
                        ),
                    ]),
                ),
                (
                    "destination",
                    map(vec![
                        ("server", text("https://kubernetes.default.svc")),
                        ("namespace", text(&install.context.namespace)),
                    ]),
                ),
                (
                    "syncPolicy",
                    map(vec![(
                        "automated",
                        map(vec![
                            ("prune", Node::Scalar(Value::Bool(true))),
                            ("selfHeal", Node::Scalar(Value::Bool(true))),
                        ]),
                    )]),
                ),
            ]),
        ),
    ]);
    out.push_str(&to_yaml(&manifest));
    out
}

fn flux_release(
    resolved: &Resolved,
    entry: &ResolvedChart,
    previous: Option<&ResolvedChart>,
) -> String {
    let install = install_of(entry);
    let (values, left_out) = inline_values(entry);
    let name = object_name(resolved, &entry.chart.id);
    let namespace = install.context.namespace.clone();
    let mut out = header(entry, &left_out, GitOps::Flux);
    let mut documents = Vec::new();
    let source_ref = |kind: &str| {
        map(vec![
            ("kind", text(kind)),
            ("name", text(&name)),
            ("namespace", text(&namespace)),
        ])
    };
    let metadata = || map(vec![("name", text(&name)), ("namespace", text(&namespace))]);
    let chart_entry = match repo_of(entry) {
        Repo::Helm { url, chart } => {
            documents.push(map(vec![
                ("apiVersion", text("source.toolkit.fluxcd.io/v1")),
                ("kind", text("HelmRepository")),
                ("metadata", metadata()),
                (
                    "spec",
                    map(vec![("interval", text(INTERVAL)), ("url", text(&url))]),
                ),
            ]));
            let mut spec = vec![("chart", text(&chart))];
            if let Some(version) = &install.version {
                spec.push(("version", text(version)));
            }
            spec.push(("sourceRef", source_ref("HelmRepository")));
            ("chart", map(vec![("spec", map(spec))]))
        }
        Repo::Oci { url } => {
            let reference = match &install.version {
                Some(version) => map(vec![("tag", text(version))]),
                None => map(vec![("semver", text("*"))]),
            };
            documents.push(map(vec![
                ("apiVersion", text("source.toolkit.fluxcd.io/v1")),
                ("kind", text("OCIRepository")),
                ("metadata", metadata()),
                (
                    "spec",
                    map(vec![
                        ("interval", text(INTERVAL)),
                        ("url", text(&url)),
                        ("ref", reference),
                        (
                            "layerSelector",
                            map(vec![
                                ("mediaType", text(HELM_LAYER)),
                                ("operation", text("copy")),
                            ]),
                        ),
                    ]),
                ),
            ]));
            ("chartRef", source_ref("OCIRepository"))
        }
        Repo::Unknown => {
            out.push_str(&comment_lines(
                &format!(
                    "No chart repository is given (sources.{}.repository in the environment \
                     file): add a HelmRepository named {name} in {namespace}.",
                    entry.chart.id
                ),
                "# ",
            ));
            let chart = entry
                .chart
                .chart_ref
                .as_ref()
                .map(|fact| fact.value.clone())
                .unwrap_or_else(|| entry.chart.id.clone());
            (
                "chart",
                map(vec![(
                    "spec",
                    map(vec![
                        ("chart", text(&chart)),
                        ("sourceRef", source_ref("HelmRepository")),
                    ]),
                )]),
            )
        }
    };
    let mut spec = vec![
        ("interval", text(INTERVAL)),
        ("releaseName", text(&install.context.release)),
        chart_entry,
    ];
    if let Some(previous) = previous {
        let previous_namespace = install_of(previous).context.namespace;
        spec.push((
            "dependsOn",
            Node::Seq(vec![map(vec![
                ("name", text(&object_name(resolved, &previous.chart.id))),
                ("namespace", text(&previous_namespace)),
            ])]),
        ));
    }
    spec.push(("values", node_from_value(&values)));
    if !left_out.is_empty() {
        // The credentials left out of `values` come from the Secret the plan creates.
        spec.push((
            "valuesFrom",
            Node::Seq(vec![map(vec![
                ("kind", text("Secret")),
                ("name", text(&super::plan::sensitive_secret_name(entry))),
                ("valuesKey", text("values.yaml")),
            ])]),
        ));
    }
    documents.push(map(vec![
        ("apiVersion", text("helm.toolkit.fluxcd.io/v2")),
        ("kind", text("HelmRelease")),
        ("metadata", metadata()),
        ("spec", map(spec)),
    ]));
    let texts: Vec<String> = documents.iter().map(to_yaml).collect();
    out.push_str(&texts.join("---\n"));
    out
}

fn namespaces_yaml(resolved: &Resolved) -> String {
    let documents: Vec<String> = planned_namespaces(resolved)
        .iter()
        .map(|(namespace, labels)| {
            let mut metadata = vec![("name", text(namespace))];
            if !labels.is_empty() {
                metadata.push((
                    "labels",
                    Node::Map(
                        labels
                            .iter()
                            .map(|(key, value)| Entry::new(key.clone(), text(value)))
                            .collect(),
                    ),
                ));
            }
            to_yaml(&map(vec![
                ("apiVersion", text("v1")),
                ("kind", text("Namespace")),
                ("metadata", map(metadata)),
            ]))
        })
        .collect();
    let mut out = comment_lines(
        "The environment's namespaces, with the labels the guides give.",
        "# ",
    );
    out.push_str(&documents.join("---\n"));
    out
}

/// The GitOps files, under `gitops/`: `namespaces.yaml`, one `<chart>.yaml` per chart and
/// `kustomization.yaml` listing them.
pub fn gitops_files(resolved: &Resolved, flavor: GitOps) -> Vec<(String, String)> {
    gitops_files_sealed(resolved, flavor, &[])
}

/// The GitOps files with each chart's SealedSecrets (`(chart id, sealed-secrets text)`, made by
/// `seal_plan`) under `gitops/sealed-secrets/`, listed in `kustomization.yaml`: sealed, they may
/// go into Git, and the controller opens them into the Secrets the charts read.
pub fn gitops_files_sealed(
    resolved: &Resolved,
    flavor: GitOps,
    sealed: &[(String, String)],
) -> Vec<(String, String)> {
    let mut files = vec![(
        format!("{GITOPS_DIR}/namespaces.yaml"),
        namespaces_yaml(resolved),
    )];
    let mut previous: Option<&ResolvedChart> = None;
    for (index, entry) in resolved.charts.iter().enumerate() {
        let text = match flavor {
            GitOps::ArgoCd => argocd_application(resolved, entry, index + 1),
            GitOps::Flux => flux_release(resolved, entry, previous),
        };
        files.push((format!("{GITOPS_DIR}/{}.yaml", entry.chart.id), text));
        previous = Some(entry);
    }
    for (chart_id, text) in sealed {
        files.push((
            format!("{GITOPS_DIR}/sealed-secrets/{chart_id}.yaml"),
            text.clone(),
        ));
    }
    let resources: Vec<Node> = files
        .iter()
        .filter_map(|(name, _)| name.strip_prefix(&format!("{GITOPS_DIR}/")))
        .map(text)
        .collect();
    let mut kustomization = comment_lines(
        if sealed.is_empty() {
            "Every GitOps object of the environment. Secrets are not listed: they never go into \
             Git; create them with install.sh (steps 1-3) or the <chart>-secrets.yaml files, or \
             seal them (pecfg plan --sealed-cert)."
        } else {
            "Every GitOps object of the environment, with the Secrets as SealedSecrets \
             (sealed-secrets/): only the sealed-secrets controller opens them, so they may go \
             into Git. Plain Secrets are never listed."
        },
        "# ",
    );
    kustomization.push_str(&to_yaml(&map(vec![
        ("apiVersion", text("kustomize.config.k8s.io/v1beta1")),
        ("kind", text("Kustomization")),
        ("resources", Node::Seq(resources)),
    ])));
    files.push((format!("{GITOPS_DIR}/kustomization.yaml"), kustomization));
    files
}
