//! The environment as the page keeps it — a name, the member charts and the shared facts — and how it becomes an environment file, a share link, a draft or a saved file; secrets never leave in any of them.
//!
//! The page keeps each chart's answers where the single-chart form keeps them; an environment is
//! the few facts on top ([`Setup`]). [`environment_file`] joins the two into the
//! [`EnvironmentFile`] the CLI reads, so `resolve`, the checks and the plan are the CLI's own.
//! Everything that enters from outside (a link, a draft, an opened file) passes
//! [`check_environment`], the boundary `parse_environment` also uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::{environment_catalog, Applied, ChartBody, ChartSource, EnvironmentFile};
use crate::answers::Answers;
use crate::catalog::Chart;

/// What the page holds about an environment besides each chart's answers. `shared` may hold
/// secret facts (the pull-secret credentials) while the page is open; they never leave it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    pub name: String,
    /// Member chart ids, in the platform guide's deployment order.
    pub charts: Vec<String>,
    #[serde(default)]
    pub shared: BTreeMap<String, Value>,
    /// Where charts come from, as an opened environment file gave it (kept so nothing is lost).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, ChartSource>,
}

/// Fragments of environment share links start with this (chart links with `v1.`).
pub const ENVIRONMENT_FRAGMENT_PREFIX: &str = "e1.";

impl Setup {
    /// A new environment: named, no chart yet.
    pub fn new(name: &str) -> Setup {
        Setup {
            name: name.to_string(),
            ..Setup::default()
        }
    }

    pub fn has(&self, chart_id: &str) -> bool {
        self.charts.iter().any(|id| id == chart_id)
    }

    /// Adds or removes a member, keeping the deployment order.
    pub fn set_member(&mut self, chart_id: &str, member: bool) {
        self.charts.retain(|id| id != chart_id);
        if member {
            self.charts.push(chart_id.to_string());
        }
        let order = deployment_order();
        self.charts.sort_by_key(|id| {
            order
                .iter()
                .position(|(chart, _)| chart == id)
                .unwrap_or(usize::MAX)
        });
        self.charts.dedup();
    }

    /// Sets one shared fact (`None` forgets it). A secret fact's `field` is one of its fields.
    /// Text typed for a fact of kind port is kept as the number it is (`super::fact_value`), as a
    /// file gives it.
    pub fn set_fact(&mut self, fact: &str, field: Option<&str>, text: Option<&str>) {
        match field {
            None => match text {
                Some(text) if !text.is_empty() => {
                    let kind = environment_catalog().ok().and_then(|catalog| {
                        catalog
                            .shared_facts
                            .iter()
                            .find(|known| known.id == fact && !known.secret)
                            .and_then(|known| known.kind)
                    });
                    self.shared.insert(
                        fact.to_string(),
                        super::fact_value(kind, Value::String(text.to_string())),
                    );
                }
                _ => {
                    self.shared.remove(fact);
                }
            },
            Some(field) => {
                let entry = self
                    .shared
                    .entry(fact.to_string())
                    .or_insert_with(|| Value::Mapping(Default::default()));
                if !entry.is_mapping() {
                    *entry = Value::Mapping(Default::default());
                }
                if let Value::Mapping(fields) = entry {
                    match text {
                        Some(text) if !text.is_empty() => {
                            fields.insert(Value::from(field), Value::String(text.to_string()));
                        }
                        _ => {
                            fields.remove(field);
                        }
                    }
                    if fields.is_empty() {
                        self.shared.remove(fact);
                    }
                }
            }
        }
    }

    /// Shared facts whose value is not of their kind, with the message an input shows (the fact
    /// named, never its value).
    pub fn fact_problems(&self) -> Vec<(String, String)> {
        let Ok(catalog) = environment_catalog() else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        for fact in &catalog.shared_facts {
            let (Some(kind), Some(value)) = (fact.kind, self.shared.get(&fact.id)) else {
                continue;
            };
            if !fact.secret && crate::kinds::check_kind(kind, value, &[]).is_err() {
                problems.push((
                    fact.id.clone(),
                    format!("shared {} is not a {}", fact.id, kind.as_str()),
                ));
            }
        }
        problems
    }

    /// The text of a fact (or of one field of a secret fact) as an input shows it.
    pub fn fact_text(&self, fact: &str, field: Option<&str>) -> String {
        let value = self.shared.get(fact);
        let value = match field {
            None => value,
            Some(field) => value.and_then(|value| value.get(field)),
        };
        value.map(crate::kinds::display_value).unwrap_or_default()
    }
}

/// `(chart id, step)` of the platform guide's deployment order.
pub fn deployment_order() -> Vec<(String, u32)> {
    environment_catalog()
        .map(|catalog| {
            catalog
                .install_order
                .iter()
                .map(|step| (step.chart.clone(), step.step))
                .collect()
        })
        .unwrap_or_default()
}

/// Where each shared fact goes: `(fact id, chart id, target)` for every parameter and Secret key
/// of every chart that carries one (`shared:` in the chart files).
pub fn carriers(charts: &[&Chart]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for chart in charts {
        for param in &chart.params {
            if let Some(fact) = &param.shared {
                out.push((fact.clone(), chart.id.clone(), param.path.clone()));
            }
        }
        for spec in &chart.secrets {
            for key in &spec.keys {
                let fact = key.shared.as_ref().or(spec
                    .shared
                    .as_ref()
                    .filter(|_| key.format == crate::catalog::SecretFormat::DockerConfigJson));
                if let Some(fact) = fact {
                    out.push((
                        fact.clone(),
                        chart.id.clone(),
                        format!("{}/{}", spec.name, key.key),
                    ));
                }
            }
        }
    }
    out
}

/// A chart's answers as the environment gives them to its form: shared facts filled in where the
/// chart has no value of its own. Returns the answers, what was applied and what the chart
/// overrides. A value that is still the guide's prefilled sample is not the user's own: the
/// shared fact replaces it.
pub fn shared_answers(
    chart: &Chart,
    answers: &Answers,
    shared: &BTreeMap<String, Value>,
) -> (Answers, Vec<Applied>, Vec<Applied>) {
    let facts = match environment_catalog() {
        Ok(catalog) => catalog.facts_for_charts(shared),
        Err(_) => shared.clone(),
    };
    let (given, report) = crate::shared::apply_facts_to_form(chart, answers, &facts);
    (given, report.applied, report.overridden)
}

/// The environment file of what the page holds: the setup plus each member's answers (a member
/// nobody has touched yet gets `fresh`, the form's starting answers).
pub fn environment_file(
    setup: &Setup,
    answers: &BTreeMap<String, Answers>,
    fresh: impl Fn(&str) -> Option<Answers>,
) -> EnvironmentFile {
    let mut charts = BTreeMap::new();
    for id in &setup.charts {
        let Some(chart) = crate::catalog::registry::chart(id) else {
            continue;
        };
        let Some(own) = answers.get(id).cloned().or_else(|| fresh(id)) else {
            continue;
        };
        let own = crate::shared::without_prefilled_facts(chart, &own);
        charts.insert(
            id.clone(),
            ChartBody {
                release: own.release,
                namespace: own.namespace,
                values: own.values,
                secrets: own.secrets,
            },
        );
    }
    EnvironmentFile {
        environment: setup.name.clone(),
        shared: setup.shared.clone(),
        sources: setup
            .sources
            .iter()
            .filter(|(id, _)| charts.contains_key(*id))
            .map(|(id, source)| (id.clone(), source.clone()))
            .collect(),
        charts,
        air_gapped: false,
    }
}

/// The file without anything secret: no secret shared fact, no chart Secret value, no
/// credential in a `sensitive` parameter. What links, drafts and "Save environment" hold.
pub fn without_secrets(file: &EnvironmentFile) -> EnvironmentFile {
    let secret_facts: Vec<&str> = environment_catalog()
        .map(|catalog| {
            catalog
                .shared_facts
                .iter()
                .filter(|fact| fact.secret)
                .map(|fact| fact.id.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut kept = file.clone();
    kept.shared
        .retain(|id, _| !secret_facts.contains(&id.as_str()));
    for (id, body) in kept.charts.iter_mut() {
        let answers = Answers {
            chart: id.clone(),
            release: body.release.take(),
            namespace: body.namespace.take(),
            values: std::mem::take(&mut body.values),
            secrets: std::mem::take(&mut body.secrets),
        };
        let answers = crate::share::without_secrets(&answers);
        body.release = answers.release;
        body.namespace = answers.namespace;
        body.values = answers.values;
    }
    kept
}

/// The setup of a file (its name, its charts in deployment order, its shared facts).
pub fn setup_of(file: &EnvironmentFile) -> Setup {
    let mut setup = Setup::new(&file.environment);
    setup.shared = file.shared.clone();
    setup.sources = file.sources.clone();
    for id in file.charts.keys() {
        setup.set_member(id, true);
    }
    setup
}

/// Whether the file holds anything [`without_secrets`] leaves out: a secret shared fact, a
/// chart's Secret value, a credential in a `sensitive` parameter.
fn holds_secrets(file: &EnvironmentFile) -> bool {
    let secret_fact = |id: &str| {
        environment_catalog().is_ok_and(|catalog| {
            catalog
                .shared_facts
                .iter()
                .any(|fact| fact.id == id && fact.secret)
        })
    };
    file.shared
        .iter()
        .any(|(id, value)| !value.is_null() && secret_fact(id))
        || file.charts.iter().any(|(id, body)| {
            body.secrets
                .values()
                .any(|keys| keys.values().any(|value| !value.is_null()))
                || crate::catalog::registry::chart(id).is_some_and(|chart| {
                    chart
                        .params
                        .iter()
                        .any(|param| crate::mask::holds_credential(param, &body.values))
                })
        })
}

/// The environment file as YAML (what "Save environment file" downloads, after
/// [`without_secrets`]), written by the values.yaml emitter so Helm's YAML 1.1 reads it back as it
/// was. Its first line says whether it holds secret values, read from the file itself.
pub fn environment_yaml(file: &EnvironmentFile) -> String {
    let value = serde_yaml::to_value(file).unwrap_or(Value::Null);
    let mut out = String::from(if holds_secrets(file) {
        "# pe-configurator environment file, with secret values (keep it private): pecfg plan --environment FILE --out DIR\n"
    } else {
        "# pe-configurator environment file (no secret values): pecfg plan --environment FILE --out DIR\n"
    });
    out.push_str(&crate::yaml::write::value_to_yaml(&value));
    out
}

/// Encodes the environment, without secrets, as a URL fragment (without `#`).
pub fn encode_environment_fragment(file: &EnvironmentFile) -> Result<String, String> {
    let json = serde_json::to_vec(&without_secrets(file)).map_err(unshareable)?;
    crate::share::pack(ENVIRONMENT_FRAGMENT_PREFIX, &json).map_err(unshareable)
}

fn unshareable(error: impl std::fmt::Display) -> String {
    format!("this environment cannot be written as a link or draft: {error}")
}

/// Decodes a fragment made by [`encode_environment_fragment`], through the same checks as an
/// environment file; a secret a crafted link might carry is dropped.
pub fn decode_environment_fragment(fragment: &str) -> Result<EnvironmentFile, String> {
    let json = crate::share::unpack(ENVIRONMENT_FRAGMENT_PREFIX, fragment)?;
    let file: EnvironmentFile = serde_json::from_slice(&json)
        .map_err(|error| format!("the link holds no valid environment: {error}"))?;
    check_environment(file)
        .map(|file| without_secrets(&file))
        .map_err(|error| format!("the link is refused: {error}"))
}

/// The environment file of a setup alone (members with empty bodies): what a draft is checked as.
fn file_of_setup(setup: Setup) -> EnvironmentFile {
    EnvironmentFile {
        charts: setup
            .charts
            .iter()
            .map(|id| (id.clone(), ChartBody::default()))
            .collect(),
        environment: setup.name,
        shared: setup.shared,
        sources: setup.sources,
        air_gapped: false,
    }
}

/// The draft of an environment as stored in the browser: the setup without secret facts.
pub fn environment_draft_json(setup: &Setup) -> Result<String, String> {
    serde_json::to_string(&setup_of(&without_secrets(&file_of_setup(setup.clone()))))
        .map_err(unshareable)
}

/// A stored environment draft, when this version can use it (storage is input like any other).
pub fn parse_environment_draft(text: &str) -> Option<Setup> {
    if text.len() > crate::yaml::read::MAX_INPUT_BYTES {
        return None;
    }
    let setup: Setup = serde_json::from_str(text).ok()?;
    let file = check_environment(file_of_setup(setup)).ok()?;
    Some(setup_of(&without_secrets(&file)))
}

/// Each chart's answers as an environment file gives them (its body under its chart id), for the
/// page to hold.
pub fn chart_answers(file: &EnvironmentFile) -> Vec<Answers> {
    file.charts
        .iter()
        .map(|(id, body)| body.answers(id))
        .collect()
}

/// The checks of `parse_environment` for a file that arrived some other way (a link, a draft):
/// known charts, values Helm can read, known shared facts of the right shape. A value fact not
/// (yet) of its kind is kept: the page shows why and blocks the plan until it is.
pub fn check_environment(file: EnvironmentFile) -> Result<EnvironmentFile, String> {
    super::check_file(file, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::registry::{all_charts, chart};
    use crate::values::new_answers;

    const UUID: &str = "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd";

    fn setup() -> Setup {
        let mut setup = Setup::new("tenant-100");
        setup.set_member("ixn", true);
        setup.set_member("tenant", true);
        setup.set_fact("tenant_uuid", None, Some(UUID));
        setup.set_fact("pull_secret", Some("username"), Some("robot"));
        setup.set_fact("pull_secret", Some("password"), Some("hunter2-pull"));
        setup
    }

    #[test]
    fn members_follow_the_deployment_order_whatever_the_clicks() {
        let setup = setup();
        assert_eq!(setup.charts, vec!["tenant".to_string(), "ixn".to_string()]);
        let mut again = setup.clone();
        again.set_member("tenant", false);
        again.set_member("tenant", true);
        assert_eq!(again.charts, setup.charts);
    }

    #[test]
    fn shared_facts_fill_the_form_and_a_chart_value_wins_visibly() {
        let Some(ixn) = chart("ixn") else {
            panic!("ixn chart")
        };
        let setup = setup();
        let (answers, applied, overridden) = shared_answers(ixn, &new_answers(ixn), &setup.shared);
        assert!(applied.iter().any(|a| a.fact == "tenant_uuid"));
        assert!(overridden.is_empty());
        assert_eq!(
            crate::path::get(
                &answers.values,
                &crate::path::parse_path("tenant.id").unwrap_or_default()
            ),
            Some(&Value::from(UUID))
        );
        let mut own = new_answers(ixn);
        let _ = crate::answers::set_value(
            &mut own.values,
            "tenant.id",
            Value::from("00000000-0000-4000-8000-000000000000"),
        );
        let (_, _, overridden) = shared_answers(ixn, &own, &setup.shared);
        assert!(overridden
            .iter()
            .any(|a| a.fact == "tenant_uuid" && a.target == "tenant.id"));
    }

    #[test]
    fn links_drafts_and_saved_files_hold_no_secret() {
        let mut answers = BTreeMap::new();
        let Some(ixn) = chart("ixn") else {
            panic!("ixn chart")
        };
        let mut own = new_answers(ixn);
        crate::answers::set_secret(
            &mut own.secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            Some("password"),
            "S3cr3t-Kafka",
        );
        answers.insert("ixn".to_string(), own);
        let setup = setup();
        let file = environment_file(&setup, &answers, |id| chart(id).map(new_answers));
        assert!(file.charts.contains_key("tenant"));
        let fragment = encode_environment_fragment(&file).unwrap_or_default();
        let back = decode_environment_fragment(&fragment);
        let Ok(back) = back else {
            panic!("decodes: {back:?}")
        };
        let text = format!("{back:?}");
        assert!(!text.contains("hunter2-pull") && !text.contains("S3cr3t-Kafka"));
        assert_eq!(back.shared.get("tenant_uuid"), Some(&Value::from(UUID)));
        let draft = environment_draft_json(&setup).unwrap_or_default();
        assert!(!draft.contains("hunter2-pull") && !draft.contains("robot"));
        assert_eq!(
            parse_environment_draft(&draft).map(|s| s.charts),
            Some(setup.charts.clone())
        );
        let saved = environment_yaml(&without_secrets(&file));
        assert!(!saved.contains("hunter2-pull") && !saved.contains("S3cr3t-Kafka"));
        let reread = super::super::parse_environment(&saved);
        let Ok(reread) = reread else {
            panic!("the saved file reads back: {reread:?}\n{saved}")
        };
        assert_eq!(reread, without_secrets(&file));
    }

    #[test]
    fn crafted_links_and_drafts_are_refused_with_a_reason() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        use flate2::write::DeflateEncoder;
        use flate2::Compression;
        use std::io::Write as _;
        for (text, why) in [
            ("e1.%%%", "base64url"),
            ("v1.AAAA", "not made by"),
            ("e1.AAAA", "decompress"),
        ] {
            let outcome = decode_environment_fragment(text);
            assert!(
                outcome.as_ref().is_err_and(|error| error.contains(why)),
                "{text}: {outcome:?}"
            );
        }
        let mut file = EnvironmentFile {
            environment: "x".into(),
            ..EnvironmentFile::default()
        };
        file.charts.insert("zzz".into(), ChartBody::default());
        let json = serde_json::to_vec(&file).unwrap_or_default();
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        let _ = encoder.write_all(&json);
        let fragment = format!(
            "{ENVIRONMENT_FRAGMENT_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(encoder.finish().unwrap_or_default())
        );
        let outcome = decode_environment_fragment(&fragment);
        assert!(outcome.is_err_and(|error| error.contains("unknown chart")));
        assert_eq!(
            parse_environment_draft(r#"{"name":"x","charts":["zzz"],"shared":{}}"#),
            None
        );
        assert_eq!(
            parse_environment_draft(r#"{"name":"x","charts":[],"shared":{"nope":1}}"#),
            None
        );
    }

    #[test]
    fn a_half_typed_fact_survives_a_draft_and_a_link_and_is_reported() {
        let mut setup = setup();
        setup.set_fact("tenant_uuid", None, Some("9350e2fc-a1dd"));
        let draft = environment_draft_json(&setup).unwrap_or_default();
        let back = parse_environment_draft(&draft);
        assert_eq!(
            back.as_ref()
                .map(|setup| setup.fact_text("tenant_uuid", None)),
            Some("9350e2fc-a1dd".to_string())
        );
        assert_eq!(back.map(|setup| setup.fact_problems().len()), Some(1));
        let file = environment_file(&setup, &BTreeMap::new(), |id| chart(id).map(new_answers));
        let link = encode_environment_fragment(&file).unwrap_or_default();
        assert!(decode_environment_fragment(&link).is_ok());
        // A file for `pecfg plan` must be right.
        let text = environment_yaml(&without_secrets(&file));
        assert!(super::super::parse_environment(&text)
            .is_err_and(|error| error.contains("shared.tenant_uuid is not a uuid")));
    }

    #[test]
    fn a_shared_fact_of_the_wrong_kind_is_named_not_quoted() {
        let mut setup = setup();
        assert!(setup.fact_problems().is_empty());
        setup.set_fact("tenant_uuid", None, Some("not-a-uuid-secretish"));
        let problems = setup.fact_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("tenant_uuid") && !problems[0].1.contains("secretish"));
    }

    #[test]
    fn every_shared_fact_has_a_carrier() {
        let carriers = carriers(all_charts());
        let Ok(catalog) = environment_catalog() else {
            panic!("catalog")
        };
        for fact in &catalog.shared_facts {
            assert!(
                carriers.iter().any(|(id, _, _)| id == &fact.id),
                "{} is carried by no chart",
                fact.id
            );
        }
    }
}
