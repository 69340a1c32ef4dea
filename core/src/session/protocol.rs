//! The front door across the page's two programs: what the first module asks the lazily loaded tools module, as JSON, and the one function that answers every request from the session API.
//!
//! The page's first module holds the form's [`ChartSession`](super::ChartSession); everything
//! else — the other files of an export, import, Edit YAML's reading, the diff, sealing, the
//! environment, the unit group, the mirror, share links — is asked of `pecfg-tools` the first time it is needed.
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
    /// A link's fragment read back: a chart's answers, an environment or a unit group.
    OpenLink { fragment: String },
    /// The environment's draft as stored (no secret).
    EnvironmentDraft { setup: Setup },
    /// A stored environment draft read back (ignored when it is not one).
    ReadEnvironmentDraft { text: String },
    /// A unit group as its view shows it, from the group file's text (through the boundary).
    Group { text: String },
    /// The files of a group's plan, as the listing shows them (every file is made to be listed:
    /// asked only when the listing is open).
    GroupFiles {
        text: String,
        #[serde(default)]
        options: PlanOptions,
    },
    /// The group plan's zip (`pecfg plan --group FILE --zip`'s bytes), every unit's Secrets
    /// sealed with the one certificate `seal` gives when given.
    GroupZip {
        text: String,
        #[serde(default)]
        options: PlanOptions,
        #[serde(default)]
        seal: Option<PlanSeal>,
    },
    /// The group file as "Save group file" writes it: without secrets.
    SavedGroup { text: String },
    /// The `#g1.` link of a group (no secret).
    GroupLink { text: String },
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
    Group(OpenedGroup),
}

/// A unit group linked: the group file's text as it is saved (no secret), ready for the view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedGroup {
    pub text: String,
    pub summary: String,
}

/// A unit group as its view shows it: the units by region (the primary marked, each unit's
/// tenants, charts and finding counts), the tenants and where they run, the findings of the
/// checks across units, the picture, the rollout and what blocks the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    /// "5 units in 3 regions, 2 tenants, 7 plans".
    pub summary: String,
    pub regions: Vec<super::RegionView>,
    pub tenants: Vec<super::TenantView>,
    /// The findings of the checks across units (each unit's own are counted on its card and
    /// listed among the blocking reasons when they are errors).
    pub across_units: Vec<super::GroupFinding>,
    /// Every finding of the group, counted.
    pub errors: usize,
    pub warnings: usize,
    /// group.svg as a `data:` URL.
    pub picture: String,
    pub rollout: Vec<crate::group::RolloutStep>,
    /// Why the plan may not be downloaded; empty: it may.
    pub blocking: Vec<String>,
    /// `<group>-plan.zip`.
    pub zip_name: String,
}

/// A text file to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedText {
    pub name: String,
    pub text: String,
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
            let group_prefix = format!("#{}", crate::group::GROUP_FRAGMENT_PREFIX);
            if fragment.starts_with(&group_prefix) {
                let file = crate::group::decode_group_fragment(&fragment)?;
                to_json(&Linked::Group(OpenedGroup {
                    summary: format!(
                        "Opened the linked unit group {}: {}.",
                        file.group,
                        group_summary(&file)
                    ),
                    text: crate::group::group_yaml(&file)?,
                }))
            } else if fragment.starts_with(&prefix) {
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
        Request::Group { text } => {
            let session = group(&text)?;
            let (errors, warnings) = session.counts();
            to_json(&GroupView {
                name: session.file().group.clone(),
                summary: group_summary(session.file()),
                regions: session.regions(),
                tenants: session.tenants(),
                across_units: session.findings_across_units(),
                errors,
                warnings,
                picture: session.picture_data_url(),
                rollout: session.rollout(),
                blocking: session.blocking_reasons(),
                zip_name: group_zip_name(&session),
            })
        }
        Request::GroupFiles { text, options } => {
            to_json(&group(&text)?.file_views(&options, &crate::group::GroupSealed::default()))
        }
        Request::GroupZip {
            text,
            options,
            seal,
        } => {
            let session = group(&text)?;
            if let Some(reason) = session.blocking_reasons().first() {
                return Err(format!("the plan cannot be downloaded yet: {reason}"));
            }
            let sealed = match seal {
                Some(seal) => {
                    // One certificate for every unit (a key the clusters share); a certificate per
                    // unit is `pecfg plan --group --sealed-cert UNIT=PEM`.
                    let cert = SealingCert::parse(&seal.pem, seal.now)?;
                    let certs = session
                        .group()
                        .units
                        .iter()
                        .map(|unit| (unit.name.clone(), cert.clone()))
                        .collect();
                    crate::group::seal_group(
                        session.group(),
                        &options,
                        &certs,
                        scope(&seal.scope)?,
                        rng,
                    )?
                }
                None => crate::group::GroupSealed::default(),
            };
            let files = session.files(&options, &sealed);
            download(group_zip_name(&session), &crate::export::zip_bytes(&files))
        }
        Request::SavedGroup { text } => {
            let file = crate::group::parse_group(&text)?;
            to_json(&SavedText {
                name: crate::group::group_file_name(&file),
                text: crate::group::saved_group_text(&file)?,
            })
        }
        Request::GroupLink { text } => {
            crate::group::encode_group_fragment(&crate::group::parse_group(&text)?)
                .map(Json::String)
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

/// A group file's text through the boundary, resolved and checked.
fn group(text: &str) -> Result<super::GroupSession, String> {
    super::GroupSession::from_text(text).map_err(|refusal| refusal.0)
}

/// `<group>-plan.zip`, the name `pecfg plan --group --zip` writes.
fn group_zip_name(session: &super::GroupSession) -> String {
    format!("{}-plan.zip", session.file().group)
}

/// "5 units in 3 regions, 2 tenants, 7 plans".
fn group_summary(file: &crate::group::GroupFile) -> String {
    let regions: std::collections::HashSet<&str> =
        file.units.iter().map(|unit| unit.region.as_str()).collect();
    let plans: usize = file.tenants.iter().map(|tenant| tenant.units.len()).sum();
    let counted =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} in {}, {}, {}",
        counted(file.units.len(), "unit", "units"),
        counted(regions.len(), "region", "regions"),
        counted(file.tenants.len(), "tenant", "tenants"),
        counted(plans, "plan", "plans")
    )
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

    fn example_group() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/groups/example.yaml"
        ))
        .expect("the example group")
    }

    /// Secret values of tests/groups/example.yaml.
    const GROUP_SECRETS: [&str; 5] = [
        "tok€n'!$(rm -rf /)",
        "ors 'pw' $x",
        "pa$$w0rd'\"`!",
        "ixn-pa$$",
        "s3cr3t-'quote'-$VAR",
    ];

    fn unzip(download: &Download) -> BTreeMap<String, String> {
        use base64::Engine as _;
        use std::io::Read as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&download.base64)
            .expect("base64");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut files = BTreeMap::new();
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).expect("an entry");
            let mut text = String::new();
            file.read_to_string(&mut text).expect("text");
            files.insert(file.name().to_string(), text);
        }
        files
    }

    #[test]
    fn a_group_view_places_units_by_region_and_tenants_on_units() {
        let got = ask(&json!({"group": {"text": example_group()}})).expect("a view");
        let view: GroupView = serde_json::from_value(got).expect("a group view");
        assert_eq!(view.name, "acme");
        assert_eq!(view.summary, "5 units in 3 regions, 2 tenants, 7 plans");
        let regions: Vec<(&str, Vec<&str>)> = view
            .regions
            .iter()
            .map(|region| {
                (
                    region.region.as_str(),
                    region.units.iter().map(|unit| unit.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            regions,
            [
                ("eu-west", vec!["eu-west-a", "eu-west-b"]),
                ("us-east", vec!["us-east-a", "us-east-b"]),
                ("ap-south", vec!["ap-south-a"]),
            ]
        );
        let primaries: Vec<&str> = view
            .regions
            .iter()
            .flat_map(|region| &region.units)
            .filter(|unit| unit.primary)
            .map(|unit| unit.name.as_str())
            .collect();
        assert_eq!(primaries, ["eu-west-a"]);
        let eu_west_a = &view.regions[0].units[0];
        assert_eq!(
            eu_west_a
                .tenants
                .iter()
                .map(|placement| (placement.tenant.as_str(), placement.master))
                .collect::<Vec<_>>(),
            [("t100", true), ("t200", false)]
        );
        assert_eq!(view.tenants[1].master.as_deref(), Some("us-east-a"));
        assert!(view
            .across_units
            .iter()
            .any(|finding| finding.rule == "group.unit-pair" && finding.units == ["ap-south-a"]));
        assert!(view.across_units.iter().all(|finding| finding.across_units));
        assert_eq!((view.errors, view.warnings.min(1)), (0, 1));
        assert!(view.picture.starts_with("data:image/svg+xml;base64,"));
        assert!(view.blocking.is_empty(), "{:?}", view.blocking);
        assert_eq!(view.zip_name, "acme-plan.zip");
        assert_eq!(
            view.rollout.first().map(|step| step.folder.as_str()),
            Some("units/eu-west-a/t100")
        );
        // A refused text is the boundary's message, by place.
        let refused = ask(&json!({"group": {"text": "group: acme\nunits: []\n"}}));
        assert!(refused.is_err_and(|error| error.contains("units is empty")));
    }

    #[test]
    fn the_group_zip_is_the_clis_plan_and_seals_every_unit_with_one_certificate() {
        let text = example_group();
        let options = PlanOptions {
            gitops: Some(crate::environment::GitOps::ArgoCd),
            ..PlanOptions::default()
        };
        let got = ask(&json!({"group_zip": {"text": text, "options": options}})).expect("a zip");
        let zip: Download = serde_json::from_value(got).expect("a download");
        assert_eq!(zip.name, "acme-plan.zip");
        // `pecfg plan --group`'s files, through the same functions the CLI calls.
        let file = crate::group::parse_group(&text).expect("reads");
        let group = crate::group::resolve_group(&file).expect("resolves");
        let diagnostics = crate::group::validate_group(&group);
        let cli: BTreeMap<String, String> = crate::group::group_plan_files(
            &group,
            &diagnostics,
            &options,
            &crate::group::GroupSealed::default(),
        )
        .into_iter()
        .collect();
        assert_eq!(unzip(&zip), cli);
        let listed =
            ask(&json!({"group_files": {"text": text, "options": options}})).expect("a listing");
        let listed: Vec<super::super::PlanFileView> =
            serde_json::from_value(listed).expect("file views");
        let mut names: Vec<String> = listed.iter().map(|view| view.name.clone()).collect();
        names.sort();
        assert_eq!(names, cli.keys().cloned().collect::<Vec<_>>());

        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sealed/cert.pem"
        ))
        .expect("the test certificate");
        let sealed = ask(&json!({"group_zip": {"text": text, "options": options,
            "seal": {"pem": pem, "scope": "strict", "now": 1_800_000_000u64}}}))
        .expect("a sealed zip");
        let sealed = unzip(&serde_json::from_value(sealed).expect("a download"));
        for unit in [
            "eu-west-a",
            "eu-west-b",
            "us-east-a",
            "us-east-b",
            "ap-south-a",
        ] {
            assert!(
                sealed
                    .keys()
                    .any(|name| name.starts_with(&format!("units/{unit}/"))
                        && name.ends_with("-sealed-secrets.yaml")),
                "{unit} is not sealed"
            );
        }
        for (name, text) in &sealed {
            if name.starts_with("argocd/") || name.ends_with("-sealed-secrets.yaml") {
                for secret in GROUP_SECRETS {
                    assert!(!text.contains(secret), "{secret} in {name}");
                }
            }
        }
    }

    #[test]
    fn the_saved_group_and_its_link_hold_no_secret_and_read_back() {
        let text = example_group();
        let saved: SavedText =
            serde_json::from_value(ask(&json!({"saved_group": {"text": text}})).expect("saved"))
                .expect("a saved text");
        assert_eq!(saved.name, "acme-group.yaml");
        let fragment: String =
            serde_json::from_value(ask(&json!({"group_link": {"text": text}})).expect("a link"))
                .expect("a fragment");
        assert!(fragment.starts_with("g1."));
        let linked: Linked = serde_json::from_value(
            ask(&json!({"open_link": {"fragment": format!("#{fragment}")}})).expect("opened"),
        )
        .expect("linked");
        let Linked::Group(opened) = linked else {
            panic!("not a group: {linked:?}");
        };
        assert_eq!(opened.text, saved.text);
        assert!(opened
            .summary
            .starts_with("Opened the linked unit group acme: 5 units"));
        for secret in GROUP_SECRETS {
            assert!(!saved.text.contains(secret), "{secret} saved");
        }
        // What was saved is a group file: the view of it is the view of the group.
        assert!(ask(&json!({"group": {"text": saved.text}})).is_ok());
    }

    #[test]
    fn a_group_link_that_inflates_past_the_limit_is_refused() {
        // Tiny once deflated; past the group file's 2 MB once inflated.
        let mut text = String::from(
            "group: g\nunits:\n  - {name: a, region: r, role: primary, cluster: {context: c}}\n#",
        );
        text.push_str(&"x".repeat(crate::yaml::read::MAX_INPUT_BYTES));
        let fragment = crate::share::pack(crate::group::GROUP_FRAGMENT_PREFIX, text.as_bytes())
            .expect("packed");
        let refused = ask(&json!({"open_link": {"fragment": format!("#{fragment}")}}));
        assert!(
            refused
                .as_ref()
                .is_err_and(|error| error.contains("too large")),
            "{refused:?}"
        );
    }
}
