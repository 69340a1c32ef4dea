//! Flat listings of a chart's inputs (parameters and secret fields), as `pecfg catalog` prints them and the form counts them.

use serde_json::{json, Value as Json};

use crate::catalog::{Chart, SecretFormat};
use crate::schema::yaml_to_json;

/// One entry per form input: every parameter, then every secret key (or field of a JSON key).
pub fn catalog_json(chart: &Chart) -> Json {
    let mut entries = Vec::new();
    for param in &chart.params {
        entries.push(json!({
            "path": param.path,
            "label": param.label(),
            "kind": param.kind.as_str(),
            "section": param.section,
            "default": param.default.as_ref().map(yaml_to_json),
            "prefill": param.prefill.as_ref().map(yaml_to_json),
            "required": param.required,
            "allowed": param.allowed.iter().map(yaml_to_json).collect::<Vec<_>>(),
            "secret": false,
            "secret_ref": param.secret_ref,
            "sensitive": param.sensitive,
            "doc": param.doc,
            "source": source_text(chart, &param.source),
            "decision": param.decision,
            "checked_by": chart.rules_checking(&param.path),
        }));
    }
    for input in secret_inputs(chart) {
        entries.push(json!({
            "path": input.path,
            "label": input.label,
            "kind": input.kind,
            "section": "secrets",
            "default": Json::Null,
            "required": input.required,
            "allowed": [],
            "secret": true,
            "secret_name": input.secret_name,
            "secret_key": input.secret_key,
            "doc": input.doc,
            "source": input.source,
        }));
    }
    Json::Array(entries)
}

/// A secret value the user types: a plain key, or one field of a JSON/docker-config key.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretInput {
    /// `secret-name/key` or `secret-name/key/field`: never a values path.
    pub path: String,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    pub secret_name: String,
    pub secret_key: String,
    pub field: Option<String>,
    pub doc: String,
    pub source: String,
}

pub fn secret_inputs(chart: &Chart) -> Vec<SecretInput> {
    let mut inputs = Vec::new();
    for secret in &chart.secrets {
        for key in &secret.keys {
            let base = format!("{}/{}", secret.name, key.key);
            match key.format {
                SecretFormat::Plain => inputs.push(SecretInput {
                    path: base,
                    label: key.key.clone(),
                    kind: "secret",
                    required: key.required,
                    secret_name: secret.name.clone(),
                    secret_key: key.key.clone(),
                    field: None,
                    doc: key.doc.clone(),
                    source: source_text(chart, &secret.source),
                }),
                SecretFormat::Json | SecretFormat::DockerConfigJson => {
                    for field in &key.fields {
                        inputs.push(SecretInput {
                            path: format!("{base}/{}", field.name),
                            label: format!("{} {}", key.key, field.name),
                            kind: field.kind.as_str(),
                            required: field.required,
                            secret_name: secret.name.clone(),
                            secret_key: key.key.clone(),
                            field: Some(field.name.clone()),
                            doc: if field.doc.is_empty() {
                                key.doc.clone()
                            } else {
                                field.doc.clone()
                            },
                            source: source_text(chart, &secret.source),
                        });
                    }
                }
            }
        }
    }
    inputs
}

/// `guide.txt:first-last`, the form every output uses to cite a guide.
pub fn source_text(chart: &Chart, source: &crate::catalog::Source) -> String {
    let [first, last] = source.lines;
    let guide = chart.guide_for(source);
    if first == last {
        format!("{guide}:{first}")
    } else {
        format!("{guide}:{first}-{last}")
    }
}

/// Where a fact comes from, as a person reads it: the guide by its title (when the platform
/// file names it), the lines, and the file they are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub file: String,
    pub title: Option<String>,
    pub first: u32,
    pub last: u32,
}

impl Citation {
    /// `Interaction Server (IXN) private edition guide, lines 2087–2092` (or `line 12`); the
    /// file name when no title is known.
    pub fn text(&self) -> String {
        let guide = self.title.as_deref().unwrap_or(&self.file);
        if self.first == self.last {
            format!("{guide}, line {}", self.first)
        } else {
            format!("{guide}, lines {}–{}", self.first, self.last)
        }
    }

    /// `file:first-last`, as messages and `pecfg` cite it.
    pub fn file_lines(&self) -> String {
        if self.first == self.last {
            format!("{}:{}", self.file, self.first)
        } else {
            format!("{}:{}-{}", self.file, self.first, self.last)
        }
    }
}

/// The citation of a catalog entry of `chart`.
pub fn citation(chart: &Chart, source: &crate::catalog::Source) -> Citation {
    let file = chart.guide_for(source).to_string();
    let title = crate::catalog::registry::platform().and_then(|platform| {
        platform
            .guides
            .iter()
            .find(|guide| guide.file == file)
            .map(|guide| guide.title.clone())
    });
    let [first, last] = source.lines;
    Citation {
        file,
        title,
        first,
        last,
    }
}

/// The form's view filters: the search box, "changed only" and "required and essentials only".
/// One decision of what a filtered form shows, for the page (and any front end) to ask.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub search: String,
    pub changed_only: bool,
    pub essentials_only: bool,
}

impl Filters {
    /// Whether any filter narrows the form.
    pub fn narrows(&self) -> bool {
        !self.search.trim().is_empty() || self.changed_only || self.essentials_only
    }

    fn matches(&self, texts: &[&str]) -> bool {
        let query = self.search.trim().to_lowercase();
        query.is_empty()
            || texts
                .iter()
                .any(|text| text.to_lowercase().contains(&query))
    }

    /// Whether a parameter in this state passes the filters.
    pub fn shows(&self, param: &crate::catalog::Param, state: crate::answers::FieldState) -> bool {
        if self.changed_only && state == crate::answers::FieldState::Default {
            return false;
        }
        if self.essentials_only && !(param.required || param.essential) {
            return false;
        }
        self.matches(&[&param.path, param.label(), &param.doc])
    }

    /// Whether a secret input passes the filters (`filled`: it holds a value).
    pub fn shows_secret(&self, input: &SecretInput, filled: bool) -> bool {
        (!self.changed_only || filled)
            && (!self.essentials_only || input.required)
            && self.matches(&[&input.path, &input.label, &input.doc])
    }
}
