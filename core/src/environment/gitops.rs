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
use crate::values::{defaults_ref, overrides_only};
use crate::yaml::write::{node_from_value, to_yaml, Entry, Node};

/// Which GitOps tool the manifests are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
pub(crate) fn inline_values(entry: &ResolvedChart) -> (Value, Vec<String>) {
    let chart = entry.chart;
    let mut values = overrides_only(defaults_ref(chart), &entry.answers.values)
        .unwrap_or_else(|| Value::Mapping(Mapping::new()));
    let mut left_out = Vec::new();
    for param in chart.params.iter() {
        if crate::mask::holds_credential(param, &values)
            && crate::answers::reset_value(&mut values, &param.path).is_ok()
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
    // What it says of the chart's Secrets is read from the answers: which are filled in (and so
    // created by the plan) and which the cluster must already hold.
    let filled = crate::export::filled_secrets(&entry.evaluated());
    let unfilled: Vec<&str> = entry
        .chart
        .secrets
        .iter()
        .filter(|spec| !filled.iter().any(|secret| secret.catalog_name == spec.name))
        .map(|spec| spec.name.as_str())
        .collect();
    let mut secrets = Vec::new();
    if !filled.is_empty() {
        secrets.push(format!(
            "the {} filled in are created by install.sh (steps 2-3) or {}",
            filled.len(),
            super::plan::secrets_file_name(&entry.chart.id)
        ));
    }
    if !unfilled.is_empty() {
        secrets.push(format!(
            "not filled in, so to be created before the sync if the chart needs them: {}",
            unfilled.join(", ")
        ));
    }
    let secrets = if secrets.is_empty() {
        String::new()
    } else {
        format!(
            " The chart's Secrets are not in it: {}.",
            secrets.join("; ")
        )
    };
    let mut out = comment_lines(
        &format!(
            "{} (chart {}), step {} of the platform guide's order. Written by pe-configurator; it \
             holds no Secret and no value the catalog marks as a credential.{secrets}",
            entry.chart.name, entry.chart.id, entry.step,
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
pub(crate) fn withheld_note(
    entry: &ResolvedChart,
    left_out: &[String],
    flavor: GitOps,
) -> Option<String> {
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
    let kind = match flavor {
        GitOps::ArgoCd => "Application",
        GitOps::Flux => "HelmRelease",
    };
    let mut out = String::new();
    for entry in &resolved.charts {
        let id = &entry.chart.id;
        match gitops_source(entry) {
            Err(why) => {
                out.push_str(&format!(
                    "gitops {tool}: {id}: no {kind} written, it could not sync: {why}\n"
                ));
                continue;
            }
            Ok(_) => {
                let name = object_name(resolved, id);
                let namespace = match flavor {
                    GitOps::ArgoCd => ARGOCD_NAMESPACE.to_string(),
                    GitOps::Flux => install_of(entry).context.namespace,
                };
                if let Some(note) = login_note(entry, flavor, &name, &namespace) {
                    out.push_str(&format!("gitops {tool}: {id}: {note}\n"));
                }
            }
        }
        let (_, left_out) = inline_values(entry);
        if let Some(note) = withheld_note(entry, &left_out, flavor) {
            out.push_str(&format!("gitops {tool}: {id}: {note}\n"));
        }
    }
    out
}

/// Where a GitOps tool fetches a chart from: a Helm repository or an OCI registry, with the
/// chart's name and a pinned version. Argo CD and Flux fetch charts only from such a source (or
/// Git, which the plan does not write); a `.tgz` URL, a local folder or a `repo/chart` alias of one
/// helm client is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GitSource {
    /// `https://…` (a Helm repository) or `oci://…` (the chart's parent in a registry).
    pub repository: String,
    pub chart: String,
    pub version: String,
}

impl GitSource {
    fn is_oci(&self) -> bool {
        self.repository.starts_with("oci://")
    }
}

fn given_text(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// A chart name as a repository knows it: one path segment, nothing a URL or a pattern holds.
fn is_chart_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(['-', '.'])
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `name` of an archive named `name-<version>.tgz` (or `name-1.2.3.tgz`), at the end of a URL or
/// path: how a Helm repository names a chart's archive.
fn archive_chart_name(reference: &str) -> Option<String> {
    let file = reference.rsplit('/').next()?.strip_suffix(".tgz")?;
    let (name, version) = file.rsplit_once('-')?;
    let version_like =
        version.starts_with('<') || version.starts_with(|c: char| c.is_ascii_digit());
    (version_like && is_chart_name(name)).then(|| name.to_string())
}

/// The chart's name in a repository when the environment file gives none: the catalog's chart
/// reference when it is a plain name (`ixn`), or the name of the archive it points to
/// (`https://<jfrog-repository>/tenant-<version>.tgz` is the chart `tenant`).
fn catalog_chart_name(entry: &ResolvedChart) -> Option<String> {
    let reference = entry.chart.chart_ref.as_ref()?.value.trim();
    if is_chart_name(reference) {
        return Some(reference.to_string());
    }
    archive_chart_name(reference)
}

/// The GitOps source of a chart, or why there is none and how to give one (for the report).
pub(crate) fn gitops_source(entry: &ResolvedChart) -> Result<GitSource, String> {
    let id = &entry.chart.id;
    let source = &entry.source;
    let how = format!(
        "give sources.{id} in the environment file: {{repository: https://… (a Helm repository, \
         serving index.yaml) or oci://… (the chart's parent in a registry), chart: <name>, \
         version: <x.y.z>}}"
    );
    let (repository, chart) = if let Some(reference) = given_text(&source.reference) {
        match reference.strip_prefix("oci://") {
            Some(rest) => match rest.trim_end_matches('/').rsplit_once('/') {
                Some((parent, name)) => (format!("oci://{parent}"), name.to_string()),
                None => {
                    return Err(format!(
                        "sources.{id}.ref names no chart under its registry; {how}"
                    ))
                }
            },
            None => {
                let what = if reference.ends_with(".tgz") {
                    let split = reference.rsplit_once('/').and_then(|(folder, _)| {
                        let name = archive_chart_name(reference)?;
                        let version = reference
                            .rsplit('/')
                            .next()?
                            .strip_suffix(".tgz")?
                            .strip_prefix(&format!("{name}-"))?
                            .to_string();
                        Some(format!(
                            " (if {folder} is a Helm repository, that is {{repository: {folder}, \
                             chart: {name}, version: {version}}})"
                        ))
                    });
                    format!(
                        "a chart archive URL, not a chart repository{}",
                        split.unwrap_or_default()
                    )
                } else if reference.contains("://") {
                    "a URL that is not a chart repository".to_string()
                } else if reference.starts_with(['.', '/']) || !reference.contains('/') {
                    "a local folder or file".to_string()
                } else {
                    "a repository alias of one helm client (repo/chart)".to_string()
                };
                return Err(format!(
                    "sources.{id}.ref is {what}: Argo CD and Flux fetch charts from a Helm \
                     repository or an OCI registry; {how}"
                ));
            }
        }
    } else if let Some(repository) = given_text(&source.repository) {
        let chart = given_text(&source.chart)
            .map(str::to_string)
            .or_else(|| catalog_chart_name(entry));
        match chart {
            Some(chart) => (repository.trim_end_matches('/').to_string(), chart),
            None => {
                return Err(format!(
                    "the chart's name in sources.{id}.repository is not known: give \
                     sources.{id}.chart"
                ))
            }
        }
    } else {
        let hint = entry
            .chart
            .chart_ref
            .as_ref()
            .map(|fact| format!(" (the guide installs it from {})", fact.value.trim()))
            .unwrap_or_default();
        return Err(format!("no chart repository is given{hint}; {how}"));
    };
    if !["https://", "http://", "oci://"]
        .iter()
        .any(|scheme| repository.starts_with(scheme))
    {
        return Err(format!(
            "sources.{id}.repository is not an http(s):// or oci:// repository; {how}"
        ));
    }
    if !is_chart_name(&chart) {
        return Err(format!(
            "the chart name of sources.{id} is not a plain chart name; {how}"
        ));
    }
    let Some(version) = given_text(&source.version) else {
        return Err(format!(
            "no chart version is given: give sources.{id}.version (the manifest pins the chart: a \
             version range would install whatever is newest when the tool syncs)"
        ));
    };
    Ok(GitSource {
        repository,
        chart,
        version: version.to_string(),
    })
}

/// What to do about the chart repository's login, when the catalog says it asks for one.
pub(crate) fn login_note(
    entry: &ResolvedChart,
    flavor: GitOps,
    name: &str,
    namespace: &str,
) -> Option<String> {
    if !entry.chart.install.repo_login {
        return None;
    }
    Some(match flavor {
        GitOps::Flux => format!(
            "The chart repository asks for a login: create the Secret {name}-repository in \
             {namespace} with the keys username and password (the source's secretRef), or the \
             source cannot fetch the chart."
        ),
        GitOps::ArgoCd => "The chart repository asks for a login: register the repository with \
                           its login in Argo CD (a repository Secret, or argocd repo add), or the \
                           Application cannot fetch the chart."
            .to_string(),
    })
}

fn argocd_application(
    resolved: &Resolved,
    entry: &ResolvedChart,
    source: &GitSource,
    wave: usize,
) -> String {
    let install = install_of(entry);
    let (values, left_out) = inline_values(entry);
    let mut out = header(entry, &left_out, GitOps::ArgoCd);
    let name = object_name(resolved, &entry.chart.id);
    if let Some(note) = login_note(entry, GitOps::ArgoCd, &name, ARGOCD_NAMESPACE) {
        out.push_str(&comment_lines(&note, "# "));
    }
    // Argo CD names a Helm chart in an OCI registry by the registry path without the scheme.
    let repo_url = match source.repository.strip_prefix("oci://") {
        Some(path) => {
            out.push_str(&comment_lines(
                "An OCI registry: register it in Argo CD as a Helm repository with enableOCI.",
                "# ",
            ));
            path.to_string()
        }
        None => source.repository.clone(),
    };
    let chart = source.chart.clone();
    let version = source.version.clone();
    let manifest = map(vec![
        ("apiVersion", text("argoproj.io/v1alpha1")),
        ("kind", text("Application")),
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
    source: &GitSource,
    previous: Option<&ResolvedChart>,
) -> String {
    let install = install_of(entry);
    let (values, left_out) = inline_values(entry);
    let name = object_name(resolved, &entry.chart.id);
    let namespace = install.context.namespace.clone();
    let mut out = header(entry, &left_out, GitOps::Flux);
    let login = login_note(entry, GitOps::Flux, &name, &namespace);
    if let Some(note) = &login {
        out.push_str(&comment_lines(note, "# "));
    }
    let mut documents = Vec::new();
    let source_ref = |kind: &str| {
        map(vec![
            ("kind", text(kind)),
            ("name", text(&name)),
            ("namespace", text(&namespace)),
        ])
    };
    let metadata = || map(vec![("name", text(&name)), ("namespace", text(&namespace))]);
    let secret_ref = || {
        login.as_ref().map(|_| {
            (
                "secretRef",
                map(vec![("name", text(&format!("{name}-repository")))]),
            )
        })
    };
    let chart_entry = if source.is_oci() {
        let mut spec = vec![
            ("interval", text(INTERVAL)),
            (
                "url",
                text(&format!("{}/{}", source.repository, source.chart)),
            ),
            ("ref", map(vec![("tag", text(&source.version))])),
            (
                "layerSelector",
                map(vec![
                    ("mediaType", text(HELM_LAYER)),
                    ("operation", text("copy")),
                ]),
            ),
        ];
        spec.extend(secret_ref());
        documents.push(map(vec![
            ("apiVersion", text("source.toolkit.fluxcd.io/v1")),
            ("kind", text("OCIRepository")),
            ("metadata", metadata()),
            ("spec", map(spec)),
        ]));
        ("chartRef", source_ref("OCIRepository"))
    } else {
        let mut spec = vec![
            ("interval", text(INTERVAL)),
            ("url", text(&source.repository)),
        ];
        spec.extend(secret_ref());
        documents.push(map(vec![
            ("apiVersion", text("source.toolkit.fluxcd.io/v1")),
            ("kind", text("HelmRepository")),
            ("metadata", metadata()),
            ("spec", map(spec)),
        ]));
        (
            "chart",
            map(vec![(
                "spec",
                map(vec![
                    ("chart", text(&source.chart)),
                    ("version", text(&source.version)),
                    ("sourceRef", source_ref("HelmRepository")),
                ]),
            )]),
        )
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
    namespaces_file(
        &planned_namespaces(resolved),
        "The environment's namespaces, with the labels the guides give.",
    )
}

/// `namespaces.yaml`: a `Namespace` document per namespace, with its labels, under a comment
/// (an environment's, or a unit group's cluster folder with every tenant's namespaces once).
pub(crate) fn namespaces_file(
    namespaces: &[(String, Vec<(String, String)>)],
    heading: &str,
) -> String {
    let documents: Vec<String> = namespaces
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
    let mut out = comment_lines(heading, "# ");
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
    // A chart without a source GitOps can fetch gets no manifest (the report says why and how to
    // give one): written anyway it would never sync. Flux's dependsOn names the last chart written.
    let mut previous: Option<&ResolvedChart> = None;
    for (index, entry) in resolved.charts.iter().enumerate() {
        let Ok(source) = gitops_source(entry) else {
            continue;
        };
        let text = match flavor {
            GitOps::ArgoCd => argocd_application(resolved, entry, &source, index + 1),
            GitOps::Flux => flux_release(resolved, entry, &source, previous),
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
