//! The front door across the page's two programs: what the first module asks the lazily loaded tools module, as JSON, and the one function that answers every request from the session API.
//!
//! The page's first module holds the form's [`ChartSession`](super::ChartSession); everything
//! else — the other files of an export, import, Edit YAML's reading, the diff, sealing, the
//! environment, the mirror, share links — is asked of `pecfg-tools` the first time it is needed.
//! A request carries what it needs (the chart id and its answers, the environment's setup and
//! its members' answers): the tools module keeps no state, so the two programs cannot drift
//! apart. The JSON never leaves the page (it crosses from one wasm instance to the other in the
//! page's own thread). [`respond`] is natively tested and fuzzed like every other entry point;
//! a malformed request is an error, never a panic.

use std::collections::BTreeMap;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use super::{read_import, ChartSession, EnvironmentSession, ExportFile, PlanFile};
use crate::answers::Answers;
use crate::catalog::registry::chart as registry_chart;
use crate::catalog::Chart;
use crate::environment::{PlanOptions, Setup};
use crate::export::{ExportOptions, SealScope, SealingCert};
use crate::mirror::MirrorOptions;

/// What the first module may ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// `values.schema.json` of a chart.
    Schema { chart: String },
    /// A file of a chart's export, as the preview shows it (`reveal`: with secret values).
    File {
        answers: Answers,
        file: ExportFile,
        options: ExportOptions,
        reveal: bool,
    },
    /// What Copy puts on the clipboard, or why it will not.
    Copy {
        answers: Answers,
        file: ExportFile,
        options: ExportOptions,
        reveal: bool,
    },
    /// "Download all": the zip of the chart's files (and a sealed-secrets.yaml already made).
    Zip {
        answers: Answers,
        options: ExportOptions,
        #[serde(default)]
        sealed: Option<String>,
    },
    /// Any text brought to a chart: taken as the kind it is, with its report and its change.
    Import { chart: String, text: String },
    /// Edit YAML's text read through the input boundary: the overrides it gives.
    ReadOverrides { chart: String, text: String },
    /// The diff of the overrides against the chart defaults.
    Diff { answers: Answers, reveal: bool },
    /// A sealed-secrets controller's certificate, checked, as the page shows it.
    Certificate { pem: String, now: u64 },
    /// sealed-secrets.yaml of a chart's Secrets, sealed with fresh session keys.
    Seal {
        answers: Answers,
        pem: String,
        scope: String,
        now: u64,
    },
    /// An environment as its view shows it; with `member`, what that chart's form shows too.
    Environment {
        setup: Setup,
        answers: BTreeMap<String, Answers>,
        #[serde(default)]
        member: Option<String>,
    },
    /// The setup after one change of the environment view.
    EditSetup { setup: Setup, change: SetupChange },
    /// A file of the plan, as the plan panel shows it.
    PlanFile {
        setup: Setup,
        answers: BTreeMap<String, Answers>,
        file: PlanFile,
        options: PlanOptions,
        reveal: bool,
    },
    /// The plan's zip, every member's Secrets sealed with `pem` when given.
    PlanZip {
        setup: Setup,
        answers: BTreeMap<String, Answers>,
        options: PlanOptions,
        #[serde(default)]
        seal: Option<PlanSeal>,
    },
    /// An environment file opened in the page, through the boundary.
    OpenEnvironment { text: String },
    /// The `#v1.` link of a chart's answers (no secret).
    ShareLink { answers: Answers },
    /// The `#e1.` link of an environment (no secret).
    EnvironmentLink {
        setup: Setup,
        answers: BTreeMap<String, Answers>,
    },
    /// A link's fragment read back: a chart's answers or an environment.
    OpenLink { fragment: String },
    /// The environment's draft as stored (no secret).
    EnvironmentDraft { setup: Setup },
    /// A stored environment draft read back (ignored when it is not one).
    ReadEnvironmentDraft { text: String },
    /// The images a chart's answers pull, and the mirror's files.
    Images {
        answers: Answers,
        #[serde(default)]
        options: MirrorOptions,
    },
}

/// One change of an environment's setup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SetupChange {
    Name(String),
    Member {
        chart: String,
        member: bool,
    },
    Fact {
        fact: String,
        #[serde(default)]
        field: Option<String>,
        text: String,
    },
}

/// How a plan's Secrets are sealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSeal {
    pub pem: String,
    pub scope: String,
    pub now: u64,
}

/// A certificate as the sealing panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub subject: String,
    pub not_after: String,
    pub fingerprint: String,
    pub key_fingerprint: String,
    pub key_bits: usize,
}

/// Bytes to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    pub name: String,
    /// Base64 (standard, padded).
    pub base64: String,
}

/// An environment as its view and a member's form show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentView {
    pub members: Vec<super::MemberView>,
    pub facts: Vec<super::FactView>,
    pub rows: Vec<super::RowView>,
    pub unused: Vec<String>,
    pub findings: Vec<super::Finding>,
    pub errors: usize,
    pub warnings: usize,
    /// The plan's picture as a `data:` URL, once the environment resolves.
    pub picture: Option<String>,
    pub blocking: Vec<String>,
    pub zip_name: Option<String>,
    /// For the member asked about: the facts its form applies and the findings it shows.
    pub member: Option<MemberForm>,
}

/// What a member chart's form gets from its environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberForm {
    pub facts: Option<BTreeMap<String, serde_yaml::Value>>,
    pub findings: Vec<crate::diagnostic::Diagnostic>,
}

/// An environment opened or linked: its setup and every member's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenedEnvironment {
    pub setup: Setup,
    pub answers: Vec<Answers>,
    pub summary: String,
}

/// What a link held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Linked {
    Chart(Answers),
    Environment(OpenedEnvironment),
}

/// The images of a chart, as the Mirror tab shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImagesView {
    /// The inventory and the copies, as `pecfg images` prints them.
    pub report: String,
    pub findings: Vec<crate::diagnostic::Diagnostic>,
    /// images.txt, mirror.sh, mirror.ps1.
    pub files: Vec<(String, String)>,
    /// Values that cannot go into a script: the files are not offered while there are any.
    pub refused: Vec<String>,
}

/// The JSON response to a JSON request: `{"ok": …}` or `{"error": "message"}`.
pub fn respond_json(request: &str, rng: &mut dyn CryptoRngCore) -> String {
    let response = match serde_json::from_str::<Request>(request) {
        Ok(request) => match respond(request, rng) {
            Ok(value) => json!({ "ok": value }),
            Err(message) => json!({ "error": message }),
        },
        Err(error) => json!({ "error": format!("malformed request: {error}") }),
    };
    // A `Value` with string keys always serializes; the fallback only satisfies the type.
    serde_json::to_string(&response)
        .unwrap_or_else(|_| r#"{"error":"the response could not be written"}"#.to_string())
}

fn find(chart: &str) -> Result<&'static Chart, String> {
    registry_chart(chart).ok_or_else(|| {
        format!(
            "unknown chart: {:?}",
            chart.chars().take(40).collect::<String>()
        )
    })
}

/// A chart session over answers that crossed from the other module: they pass the boundary
/// again (`Change::Replace` checks the values), so a forged request is refused like a file.
fn session(answers: Answers) -> Result<ChartSession<'static>, String> {
    let chart = find(&answers.chart)?;
    let mut session = ChartSession::new(chart, Answers::new(&chart.id));
    session
        .apply(super::Change::Replace(answers))
        .map_err(|refusal| refusal.0)?;
    Ok(session)
}

fn environment(
    setup: Setup,
    answers: &BTreeMap<String, Answers>,
) -> Result<EnvironmentSession, String> {
    for member in answers.values() {
        crate::yaml::read::check_tree(&member.values).map_err(|error| error.to_string())?;
    }
    let file = crate::environment::check_environment(crate::environment::environment_file(
        &setup,
        answers,
        |id| registry_chart(id).map(crate::values::new_answers),
    ))?;
    Ok(EnvironmentSession::new(
        setup,
        &crate::environment::chart_answers(&file)
            .into_iter()
            .map(|answers| (answers.chart.clone(), answers))
            .collect(),
    ))
}

fn to_json<T: Serialize>(value: &T) -> Result<Json, String> {
    serde_json::to_value(value)
        .map_err(|error| format!("the response could not be written: {error}"))
}

fn download(name: String, bytes: &[u8]) -> Result<Json, String> {
    use base64::Engine as _;
    to_json(&Download {
        name,
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

fn scope(word: &str) -> Result<SealScope, String> {
    SealScope::parse(word)
        .ok_or_else(|| "the scope is strict, namespace-wide or cluster-wide".to_string())
}

/// The work behind one well-formed request.
pub fn respond(request: Request, rng: &mut dyn CryptoRngCore) -> Result<Json, String> {
    match request {
        Request::Schema { chart } => Ok(Json::String(crate::export::values_schema_json(find(
            &chart,
        )?))),
        Request::File {
            answers,
            file,
            options,
            reveal,
        } => to_json(&session(answers)?.preview(file, &options, reveal)),
        Request::Copy {
            answers,
            file,
            options,
            reveal,
        } => session(answers)?
            .copy_text(file, &options, reveal)
            .map(Json::String),
        Request::Zip {
            answers,
            options,
            sealed,
        } => {
            let session = session(answers)?;
            let extra = sealed
                .map(|text| (crate::export::SEALED_SECRETS_FILE.to_string(), text))
                .into_iter()
                .collect();
            let (name, bytes) = session.zip(&options, extra);
            download(name, &bytes)
        }
        Request::Import { chart, text } => to_json(&read_import(find(&chart)?, &text)?),
        Request::ReadOverrides { chart, text } => {
            find(&chart)?;
            let read = crate::yaml::read::read_values_yaml(crate::text::without_bom(&text))
                .map_err(|error| error.to_string())?;
            to_json(&read.value)
        }
        Request::Diff { answers, reveal } => {
            let session = session(answers)?;
            let values = if reveal {
                session.answers().values.clone()
            } else {
                crate::mask::mask_sensitive(session.chart(), &session.answers().values)
            };
            to_json(&crate::values::diff_against_defaults(
                session.chart(),
                &values,
            ))
        }
        Request::Certificate { pem, now } => {
            let cert = SealingCert::parse(&pem, now)?;
            to_json(&CertificateView {
                subject: cert.subject,
                not_after: cert.not_after,
                fingerprint: cert.fingerprint,
                key_fingerprint: cert.key_fingerprint,
                key_bits: cert.key_bits,
            })
        }
        Request::Seal {
            answers,
            pem,
            scope: word,
            now,
        } => {
            let session = session(answers)?;
            let cert = SealingCert::parse(&pem, now)?;
            crate::export::sealed_secrets_yaml(&session.evaluated(), &cert, scope(&word)?, rng)
                .map(Json::String)
        }
        Request::Environment {
            setup,
            answers,
            member,
        } => {
            let environment = environment(setup, &answers)?;
            let (errors, warnings) = environment.counts();
            to_json(&EnvironmentView {
                members: environment.members(),
                facts: environment.facts(),
                rows: environment.rows(),
                unused: environment.unused_facts().to_vec(),
                findings: environment.findings(),
                errors,
                warnings,
                picture: environment.picture(),
                blocking: environment.plan_blocking_reasons(),
                zip_name: environment.plan_zip_name(),
                member: member.map(|chart| MemberForm {
                    facts: environment.facts_for(&chart),
                    findings: environment.findings_for(&chart),
                }),
            })
        }
        Request::EditSetup { setup, change } => {
            let mut setup = setup;
            match change {
                SetupChange::Name(name) => setup.name = name,
                SetupChange::Member { chart, member } => {
                    find(&chart)?;
                    setup.set_member(&chart, member);
                }
                SetupChange::Fact { fact, field, text } => {
                    setup.set_fact(&fact, field.as_deref(), Some(&text))
                }
            }
            to_json(&setup)
        }
        Request::PlanFile {
            setup,
            answers,
            file,
            options,
            reveal,
        } => to_json(&environment(setup, &answers)?.plan_preview(file, &options, reveal)),
        Request::PlanZip {
            setup,
            answers,
            options,
            seal,
        } => {
            let environment = environment(setup, &answers)?;
            if let Some(reason) = environment.plan_blocking_reasons().first() {
                return Err(format!("the plan cannot be downloaded yet: {reason}"));
            }
            let sealed = match (seal, environment.resolved()) {
                (Some(seal), Some(resolved)) => {
                    let cert = SealingCert::parse(&seal.pem, seal.now)?;
                    crate::environment::seal_plan(
                        resolved,
                        &options,
                        &cert,
                        scope(&seal.scope)?,
                        rng,
                    )?
                }
                _ => Vec::new(),
            };
            let (name, bytes) = environment
                .plan_zip(&options, &sealed)
                .ok_or("the environment has no chart yet")?;
            download(name, &bytes)
        }
        Request::OpenEnvironment { text } => {
            let file = crate::environment::parse_environment(crate::text::without_bom(&text))?;
            to_json(&opened(file, "Opened"))
        }
        Request::ShareLink { answers } => {
            crate::share::encode_share_fragment(&session(answers)?.answers().clone())
                .map(Json::String)
        }
        Request::EnvironmentLink { setup, answers } => environment(setup, &answers)?
            .link_fragment()
            .map(Json::String),
        Request::OpenLink { fragment } => {
            let prefix = format!("#{}", crate::environment::ENVIRONMENT_FRAGMENT_PREFIX);
            if fragment.starts_with(&prefix) {
                let file = crate::environment::decode_environment_fragment(&fragment)?;
                to_json(&Linked::Environment(opened(file, "Opened the linked")))
            } else {
                to_json(&Linked::Chart(crate::share::decode_share_fragment(
                    &fragment,
                )?))
            }
        }
        Request::EnvironmentDraft { setup } => {
            crate::environment::environment_draft_json(&setup).map(Json::String)
        }
        Request::ReadEnvironmentDraft { text } => {
            match crate::environment::parse_environment_draft(&text) {
                Some(setup) => to_json(&setup),
                None => Err("not an environment draft".into()),
            }
        }
        Request::Images { answers, options } => {
            let session = session(answers)?;
            let evaluated = session.evaluated();
            let plan = crate::mirror::chart_mirror(&evaluated, &options);
            let findings = crate::mirror::chart_image_diagnostics(
                &evaluated,
                options.target_registry.as_deref(),
            )
            .into_iter()
            .map(|finding| crate::diagnostic::Diagnostic {
                path: finding.path,
                severity: finding.severity,
                message: finding.message,
                rule: finding.rule,
                source: finding.source,
            })
            .collect();
            let mut refused = options.problems();
            refused.extend(plan.refused.iter().cloned());
            to_json(&ImagesView {
                report: crate::mirror::inventory_report(&plan),
                findings,
                files: crate::mirror::mirror_files(&plan),
                refused,
            })
        }
    }
}

fn opened(file: crate::environment::EnvironmentFile, verb: &str) -> OpenedEnvironment {
    OpenedEnvironment {
        summary: format!(
            "{verb} environment {} with {} chart(s).",
            file.environment,
            file.charts.len()
        ),
        setup: crate::environment::setup_of(&file),
        answers: crate::environment::chart_answers(&file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(request: &Json) -> Result<Json, String> {
        let text = respond_json(&request.to_string(), &mut rand_core::OsRng);
        let mut response: serde_json::Map<String, Json> =
            serde_json::from_str(&text).expect("a response is a JSON object");
        match (response.remove("ok"), response.remove("error")) {
            (Some(ok), None) => Ok(ok),
            (None, Some(Json::String(error))) => Err(error),
            other => panic!("not an envelope: {other:?}"),
        }
    }

    #[test]
    fn every_chart_file_is_the_sessions_own() {
        let ixn = registry_chart("ixn").expect("ixn");
        let local = ChartSession::fresh(ixn);
        for file in ExportFile::ALL {
            for reveal in [false, true] {
                let got = ask(&json!({"file": {"answers": local.answers(), "file": file,
                    "options": ExportOptions::default(), "reveal": reveal}}))
                .expect("a file");
                let preview: super::super::Preview =
                    serde_json::from_value(got).expect("a preview");
                assert_eq!(
                    preview,
                    local.preview(file, &ExportOptions::default(), reveal)
                );
            }
        }
    }

    #[test]
    fn malformed_and_forged_requests_are_errors() {
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"nope": {}}"#,
            r#"{"schema": {"chart": 1}}"#,
            r#"{"schema": {"chart": "ixn"}, "file": {}}"#,
        ] {
            let text = respond_json(bad, &mut rand_core::OsRng);
            assert!(text.starts_with(r#"{"error":"#), "{bad}: {text}");
        }
        // Answers smuggled past the boundary: a key JSON can hold but the boundary refuses
        // nothing here, so use a chart the catalog does not have.
        let forged = ask(
            &json!({"file": {"answers": {"chart": "nope"}, "file": "values",
            "options": {}, "reveal": false}}),
        );
        assert!(forged.is_err_and(|error| error.contains("unknown chart")));
        assert!(ask(&json!({"schema": {"chart": "ixn"}})).is_ok());
    }

    #[test]
    fn an_environment_view_places_findings_for_the_member_asked_about() {
        let mut setup = Setup::new("tenant-100");
        setup.set_member("tenant", true);
        setup.set_member("ixn", true);
        let got = ask(&json!({"environment": {"setup": setup, "answers": {}, "member": "ixn"}}))
            .expect("a view");
        let view: EnvironmentView = serde_json::from_value(got).expect("an environment view");
        assert_eq!(
            view.rows
                .iter()
                .map(|row| row.chart.as_str())
                .collect::<Vec<_>>(),
            ["tenant", "ixn"]
        );
        assert!(view.member.is_some());
        let changed = ask(&json!({"edit_setup": {"setup": setup,
            "change": {"member": {"chart": "ges", "member": true}}}}))
        .expect("a setup");
        let changed: Setup = serde_json::from_value(changed).expect("a setup");
        assert_eq!(changed.charts, ["tenant", "ges", "ixn"]);
    }
}
