//! The catalog lint: structural checks of a chart file, and (when the guides are at hand) checks that every source line exists and states the key.

use std::collections::{BTreeSet, HashMap};

use crate::catalog::environment::{CrossVerb, EnvironmentCatalog};
use crate::catalog::platform::Platform;
use crate::catalog::{Chart, Kind, SecretFormat, SecretType, Source};
use crate::kinds::check_param_value;
use crate::path::{leaf_key, parse_path};

/// The guides' text, by file name, for the source checks. Empty when `shared/seeds/` is absent.
pub type Guides = HashMap<String, Vec<String>>;

/// Reads every `*.txt` guide in `dir`, split into lines. Returns `None` when the folder is absent.
pub fn load_guides(dir: &std::path::Path) -> Option<Guides> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut guides = Guides::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "txt") {
            if let (Some(name), Ok(text)) = (path.file_name(), std::fs::read_to_string(&path)) {
                guides.insert(
                    name.to_string_lossy().into_owned(),
                    text.lines().map(str::to_owned).collect(),
                );
            }
        }
    }
    Some(guides)
}

/// All problems found in one chart file; empty means the file is clean.
pub fn lint_chart(chart: &Chart, guides: Option<&Guides>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut problem = |text: String| problems.push(format!("{}: {text}", chart.id));

    let section_ids: BTreeSet<&str> = chart
        .sections
        .iter()
        .map(|section| section.id.as_str())
        .collect();
    if section_ids.len() != chart.sections.len() {
        problem("two sections share an id".into());
    }
    for section in &chart.sections {
        if !chart.params.iter().any(|param| param.section == section.id) {
            problem(format!("section `{}` has no parameters", section.id));
        }
    }

    let mut seen_paths = BTreeSet::new();
    for param in &chart.params {
        let at = &param.path;
        if let Err(why) = parse_path(at) {
            problem(why);
        }
        if !seen_paths.insert(at.as_str()) {
            problem(format!("`{at}` is listed twice"));
        }
        if !section_ids.contains(param.section.as_str()) {
            problem(format!(
                "`{at}` names section `{}`, which does not exist",
                param.section
            ));
        }
        if param.doc.trim().is_empty() {
            problem(format!("`{at}` has no doc text"));
        }
        if let Some(prefill) = &param.prefill {
            if param.default.is_some() {
                problem(format!(
                    "`{at}` has both a default and a prefill; a value is one or the other"
                ));
            }
            if let Err(expected) = check_param_value(param, prefill) {
                problem(format!(
                    "`{at}` prefill {prefill:?} does not fit its kind {}: expected {expected}",
                    param.kind.as_str()
                ));
            }
        }
        if let Some(default) = &param.default {
            if let Err(expected) = check_param_value(param, default) {
                problem(format!(
                    "`{at}` default {default:?} does not fit its kind {}: expected {expected}",
                    param.kind.as_str()
                ));
            }
        }
        match param.kind {
            Kind::Enum if param.allowed.is_empty() => {
                problem(format!("`{at}` is an enum without allowed values"))
            }
            Kind::ObjectList if param.item.is_empty() => {
                problem(format!("`{at}` is an object_list without item fields"))
            }
            Kind::Quantity if param.unit.is_none() => {
                problem(format!("`{at}` is a quantity without a unit"))
            }
            _ => {}
        }
        if param.kind != Kind::ObjectList && !param.item.is_empty() {
            problem(format!("`{at}` has item fields but is not an object_list"));
        }
        if param.kind != Kind::Map && !param.map_keys.is_plain() {
            problem(format!("`{at}` has map_keys but is not a map"));
        }
        if param.kind != Kind::Quantity && param.unit.is_some() {
            problem(format!("`{at}` has a unit but is not a quantity"));
        }
        for example in &param.examples {
            if let Err(expected) = check_param_value(param, example) {
                problem(format!(
                    "`{at}` example {example:?} does not fit: expected {expected}"
                ));
            }
        }
        check_source(
            chart,
            &param.source,
            guides,
            Some(leaf_key(at)),
            param.decision.is_some(),
            &mut problem,
            at,
        );
    }

    // A path may not be both a value and the parent of another value: values.yaml could not hold both.
    for param in &chart.params {
        for other in &chart.params {
            let rest = other.path.strip_prefix(param.path.as_str());
            if rest.is_some_and(|rest| rest.starts_with('.') || rest.starts_with('[')) {
                problem(format!(
                    "`{}` is a value and also the parent of `{}`",
                    param.path, other.path
                ));
            }
        }
    }

    let mut secret_names = BTreeSet::new();
    for secret in &chart.secrets {
        let at = format!("secret {}", secret.name);
        if !secret_names.insert(secret.name.as_str()) {
            problem(format!("{at} is listed twice"));
        }
        if !crate::kinds::is_dns1123_subdomain(&secret.name) {
            problem(format!("{at}: the name is not a DNS-1123 subdomain"));
        }
        if let Some(path) = &secret.name_param {
            if chart.param(path).is_none() {
                problem(format!("{at}: name_param `{path}` is not a parameter"));
            }
        }
        let mut keys = BTreeSet::new();
        for key in &secret.keys {
            if !keys.insert(key.key.as_str()) {
                problem(format!("{at}: key `{}` twice", key.key));
            }
            match key.format {
                SecretFormat::Json if key.fields.is_empty() => problem(format!("{at}: json key `{}` has no fields", key.key)),
                SecretFormat::DockerConfigJson if secret.secret_type != SecretType::DockerConfigJson => {
                    problem(format!("{at}: docker config key in a secret that is not kubernetes.io/dockerconfigjson"))
                }
                _ => {}
            }
        }
        check_source(chart, &secret.source, guides, None, true, &mut problem, &at);
    }
    for command in &chart.commands {
        check_source(
            chart,
            &command.source,
            guides,
            None,
            true,
            &mut problem,
            &format!("command {}", command.id),
        );
    }
    let mut rule_ids = BTreeSet::new();
    for rule in &chart.rules {
        let at = format!("rule {}", rule.id);
        if !rule_ids.insert(rule.id.as_str()) {
            problem(format!("{at} is listed twice"));
        }
        // Rule ids are global (diagnostics, case files): the chart id keeps them apart.
        if !rule.id.starts_with(&format!("{}.", chart.id)) {
            problem(format!("{at}: a rule id starts with `{}.`", chart.id));
        }
        if rule.doc.trim().is_empty() {
            problem(format!("{at} has no doc text"));
        }
        if rule.verb.is_empty() {
            problem(format!(
                "{at}: its verb `{}` has no instance",
                rule.verb.name()
            ));
        }
        // A rule whose path matches no parameter would silently check nothing.
        for path in rule.paths() {
            if let Err(why) = rule_path_problem(chart, path) {
                problem(format!("{at}: {why}"));
            }
        }
        check_source(
            chart,
            &rule.source,
            guides,
            None,
            true,
            &mut problem,
            &format!("rule {}", rule.id),
        );
    }
    lint_images(chart, guides, &mut problem);
    check_source(
        chart,
        &chart.namespace.source,
        guides,
        None,
        true,
        &mut problem,
        "namespace",
    );
    check_source(
        chart,
        &chart.release.source,
        guides,
        None,
        true,
        &mut problem,
        "release",
    );
    for (what, path) in [
        ("image_registry", &chart.platform.image_registry),
        ("image_pull_secrets", &chart.platform.image_pull_secrets),
        ("priority_class_name", &chart.platform.priority_class_name),
        ("security_context", &chart.platform.security_context),
    ] {
        if let Some(path) = path {
            if chart.param(path).is_none() {
                problem(format!(
                    "platform.{what} names `{path}`, which is not a parameter"
                ));
            }
        }
    }
    problems
}

/// The chart's `images`: unique ids, a doc, every path a parameter (conditions included), constants
/// that fit the image reference grammar, and the cited lines.
fn lint_images(chart: &Chart, guides: Option<&Guides>, problem: &mut impl FnMut(String)) {
    use crate::catalog::ImagePart;
    use crate::mirror::reference::{check_name, check_registry, check_repository, check_tag};
    let mut ids = BTreeSet::new();
    for image in &chart.images {
        let at = format!("image {}", image.id);
        if !ids.insert(image.id.as_str()) {
            problem(format!("{at} is listed twice"));
        }
        if !crate::kinds::is_dns1123_label(&image.id) {
            problem(format!("{at}: the id is not a DNS-1123 label"));
        }
        if image.doc.trim().is_empty() {
            problem(format!("{at} has no doc text"));
        }
        if image.registry.is_none() && image.repository.is_none() {
            problem(format!("{at} names neither a registry nor a repository"));
        }
        // A path that matches no parameter would read nothing: the image would look unset.
        for path in image.paths() {
            if chart.param(path).is_none() {
                problem(format!("{at}: `{path}` matches no parameter"));
            }
        }
        let repository_check: fn(&str) -> Result<(), String> = if image.registry.is_some() {
            check_repository
        } else {
            check_name
        };
        for (what, part, check) in [
            (
                "registry",
                &image.registry,
                check_registry as fn(&str) -> Result<(), String>,
            ),
            ("repository", &image.repository, repository_check),
            ("tag", &image.tag, check_tag),
        ] {
            if let Some(ImagePart::Constant(constant)) = part {
                if let Err(why) = check(&constant.value) {
                    problem(format!("{at}: the constant {what} {why}"));
                }
            }
        }
        if let Some(Err(why)) = image.mirror_from.as_deref().map(check_registry) {
            problem(format!("{at}: mirror_from {why}"));
        }
        check_source(chart, &image.source, guides, None, true, problem, &at);
    }
}

/// Why a rule path names nothing: it must be `release`, `secret:<name>` of a catalog Secret, a
/// parameter, or `list[]…` under a list (or template block) parameter.
fn rule_path_problem(chart: &Chart, path: &str) -> Result<(), String> {
    if path == "release" {
        return Ok(());
    }
    if let Some(name) = path.strip_prefix("secret:") {
        return if chart.secrets.iter().any(|spec| spec.name == name) {
            Ok(())
        } else {
            Err(format!("`{path}` names no Secret of the chart"))
        };
    }
    let (base, each) = match path.split_once("[]") {
        Some((base, _)) => (base, true),
        None => (path, false),
    };
    let Some(param) = chart.param(base) else {
        return Err(format!("`{path}` matches no parameter"));
    };
    if each
        && !matches!(
            param.kind,
            Kind::ObjectList | Kind::StringList | Kind::Template | Kind::Yaml
        )
    {
        return Err(format!(
            "`{path}` reads items of `{base}`, which is a {}, not a list",
            param.kind.as_str()
        ));
    }
    Ok(())
}

/// Checks that a source range is well-formed and, with the guides at hand, that it exists and
/// mentions `key` (unless a recorded decision explains why it cannot, e.g. an OCR-garbled key).
fn check_source(
    chart: &Chart,
    source: &Source,
    guides: Option<&Guides>,
    key: Option<&str>,
    key_may_be_absent: bool,
    problem: &mut impl FnMut(String),
    at: &str,
) {
    let [first, last] = source.lines;
    if first == 0 || first > last {
        problem(format!("{at}: line range {first}-{last} is not a range"));
        return;
    }
    let Some(guides) = guides else { return };
    let guide = chart.guide_for(source);
    let Some(lines) = guides.get(guide) else {
        problem(format!("{at}: guide {guide} not found"));
        return;
    };
    if last as usize > lines.len() {
        problem(format!(
            "{at}: lines {first}-{last} are past the end of {guide} ({} lines)",
            lines.len()
        ));
        return;
    }
    if let Some(key) = key {
        let needle = key.to_lowercase();
        let cited = lines
            .get((first as usize).saturating_sub(1)..last as usize)
            .unwrap_or_default();
        if !key_may_be_absent
            && !cited
                .iter()
                .any(|line| line.to_lowercase().contains(&needle))
        {
            problem(format!("{at}: `{key}` does not appear in {guide} lines {first}-{last} (cite the lines that state it, or record a decision)"));
        }
    }
}

/// Checks the platform file: sources exist, and every chart id it names is a real chart.
pub fn lint_platform(
    platform: &Platform,
    chart_ids: &[&str],
    guides: Option<&Guides>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |what: String, source: &Source| {
        let [first, last] = source.lines;
        let guide = source.guide.as_deref().unwrap_or(&platform.guide);
        if first == 0 || first > last {
            problems.push(format!(
                "platform: {what}: line range {first}-{last} is not a range"
            ));
        } else if let Some(guides) = guides {
            match guides.get(guide) {
                None => problems.push(format!("platform: {what}: guide {guide} not found")),
                Some(lines) if last as usize > lines.len() => problems.push(format!(
                    "platform: {what}: lines {first}-{last} are past the end of {guide}"
                )),
                Some(_) => {}
            }
        }
    };
    for row in &platform.namespaces {
        check(format!("namespace row {}", row.service_group), &row.source);
    }
    for class in &platform.priority_classes {
        check(format!("priority class {}", class.name), &class.source);
    }
    check("pull secret".into(), &platform.pull_secret.source);
    check("security context".into(), &platform.security_context.source);
    for note in platform.overrides.iter().chain(&platform.deployment_order) {
        check("note".into(), &note.source);
    }
    if let Some(mirror) = &platform.mirror {
        for (what, source) in [
            ("mirror.source_registry", &mirror.source_registry.source),
            ("mirror.helm_repository", &mirror.helm_repository.source),
            ("mirror.chart_folder", &mirror.chart_folder.source),
            ("mirror.public_registries", &mirror.public_registries.source),
        ] {
            check(what.into(), source);
        }
        for archive in &mirror.charts {
            check(format!("mirror chart {}", archive.chart), &archive.source);
        }
        problems.extend(crate::mirror::lint_mirror_facts(mirror, chart_ids));
    }
    for row in &platform.namespaces {
        for chart in &row.charts {
            if !chart_ids.contains(&chart.as_str()) {
                problems.push(format!(
                    "platform: namespace row {} names unknown chart `{chart}`",
                    row.service_group
                ));
            }
        }
    }
    if platform.namespaces.is_empty() || platform.priority_classes.is_empty() {
        problems.push(
            "platform: the namespace table and the priority classes must not be empty".into(),
        );
    }
    problems
}

/// The environment catalog checked against the charts: every chart has a place in the install
/// order, every `shared:` of a chart names a fact of the right sort, every rule has one verb and
/// reads known charts and parameters.
pub fn lint_environment(catalog: &EnvironmentCatalog, charts: &[&Chart]) -> Vec<String> {
    let mut problems = Vec::new();
    for chart in charts {
        if !catalog
            .install_order
            .iter()
            .any(|step| step.chart == chart.id)
        {
            problems.push(format!("chart {} has no place in install_order", chart.id));
        }
        let fact = |id: &str| catalog.shared_facts.iter().find(|fact| fact.id == id);
        for param in &chart.params {
            if let Some(id) = &param.shared {
                match fact(id) {
                    None => problems.push(format!(
                        "{}: {}: unknown shared fact {id}",
                        chart.id, param.path
                    )),
                    Some(fact) if fact.secret => problems.push(format!(
                        "{}: {}: {id} is a secret fact; it can only fill a Secret",
                        chart.id, param.path
                    )),
                    Some(_) => {}
                }
            }
        }
        for spec in &chart.secrets {
            let keys = spec.keys.iter().filter_map(|key| key.shared.as_deref());
            for id in spec.shared.as_deref().into_iter().chain(keys) {
                if !fact(id).is_some_and(|fact| fact.secret) {
                    problems.push(format!(
                        "{}: secret {}: {id} is not a secret fact",
                        chart.id, spec.name
                    ));
                }
            }
        }
    }
    for step in &catalog.install_order {
        if !charts.iter().any(|chart| chart.id == step.chart) {
            problems.push(format!("install_order names unknown chart {}", step.chart));
        }
    }
    for rule in &catalog.cross_chart {
        if let CrossVerb::NamespaceTable(false) = rule.verb {
            problems.push(format!(
                "rule {}: `namespace_table: false` checks nothing",
                rule.id
            ));
        }
        problems.extend(crate::mirror::lint_image_check(rule));
        if let CrossVerb::FilledWhenShared(list) = &rule.verb {
            for instance in list {
                let known = catalog
                    .shared_facts
                    .iter()
                    .any(|fact| fact.id == instance.fact && !fact.secret);
                if !known {
                    problems.push(format!(
                        "rule {}: {} is not a value fact of shared_facts",
                        rule.id, instance.fact
                    ));
                }
            }
        }
        for reference in rule.refs() {
            if let Some(fact) = reference.strip_prefix("shared:") {
                if !catalog.shared_facts.iter().any(|known| known.id == fact) {
                    problems.push(format!("rule {}: unknown shared fact {fact}", rule.id));
                }
                continue;
            }
            let Some((chart_id, rest)) = reference.split_once(':') else {
                problems.push(format!("rule {}: `{reference}` is not chart:path", rule.id));
                continue;
            };
            let Some(chart) = charts.iter().find(|chart| chart.id == chart_id) else {
                problems.push(format!("rule {}: unknown chart {chart_id}", rule.id));
                continue;
            };
            let known = match rest.split_once('/') {
                Some((secret, key)) => chart
                    .secrets
                    .iter()
                    .any(|spec| spec.name == secret && spec.keys.iter().any(|k| k.key == key)),
                None => chart.param(rest).is_some(),
            };
            if !known {
                problems.push(format!(
                    "rule {}: {reference} is not in the catalog",
                    rule.id
                ));
            }
        }
    }
    problems
}

/// Checks the unit-group catalog against the charts: every chart has a `services` row and each
/// row names a chart, the `master_first`, `master_location` and `unique_per_unit` references name
/// charts and parameters of the catalog and facts of the group catalog, and, with the guides at
/// hand, every cited line range exists.
pub fn lint_group(
    catalog: &crate::catalog::group::GroupCatalog,
    charts: &[&Chart],
    guides: Option<&Guides>,
) -> Vec<String> {
    use crate::catalog::group::UnitVerb;
    let mut problems = Vec::new();
    let mut cited = |what: String, source: &Source| {
        let [first, last] = source.lines;
        let guide = source.guide.as_deref().unwrap_or(&catalog.guide);
        if first == 0 || first > last {
            problems.push(format!("{what}: line range {first}-{last} is not a range"));
        } else if let Some(guides) = guides {
            match guides.get(guide) {
                None => problems.push(format!("{what}: guide {guide} not found")),
                Some(lines) if last as usize > lines.len() => problems.push(format!(
                    "{what}: lines {first}-{last} are past the end of {guide}"
                )),
                Some(_) => {}
            }
        }
    };
    for fact in catalog.unit_facts.iter().chain(&catalog.placement_facts) {
        cited(format!("fact {}", fact.id), &fact.source);
    }
    for row in &catalog.services {
        cited(format!("services {}", row.chart), &row.source);
    }
    for rule in &catalog.cross_unit {
        cited(format!("rule {}", rule.id), &rule.source);
    }
    let chart = |id: &str| charts.iter().find(|chart| chart.id == id);
    for known in charts {
        if !catalog.services.iter().any(|row| row.chart == known.id) {
            problems.push(format!("chart {} has no row in services", known.id));
        }
    }
    for row in &catalog.services {
        if chart(&row.chart).is_none() {
            problems.push(format!("services names unknown chart {}", row.chart));
        }
    }
    for rule in &catalog.cross_unit {
        match &rule.verb {
            UnitVerb::MasterFirst(list) => {
                for id in list.iter().filter(|id| chart(id).is_none()) {
                    problems.push(format!("rule {}: unknown chart {id}", rule.id));
                }
            }
            UnitVerb::MasterLocation(spec) => {
                if chart(&spec.chart).is_none() {
                    problems.push(format!("rule {}: unknown chart {}", rule.id, spec.chart));
                }
                if !catalog.unit_facts.iter().any(|f| f.id == spec.unit_fact) {
                    problems.push(format!(
                        "rule {}: {} is not a unit fact",
                        rule.id, spec.unit_fact
                    ));
                }
                if !catalog
                    .placement_facts
                    .iter()
                    .any(|f| f.id == spec.placement_fact)
                {
                    problems.push(format!(
                        "rule {}: {} is not a placement fact",
                        rule.id, spec.placement_fact
                    ));
                }
            }
            UnitVerb::UniquePerUnit(refs) => {
                for unique in refs.iter().filter(|u| u.reference != "release") {
                    let known = unique
                        .reference
                        .split_once(':')
                        .and_then(|(id, path)| chart(id).map(|chart| chart.param(path).is_some()))
                        .unwrap_or(false);
                    if !known {
                        problems.push(format!(
                            "rule {}: {} is not a chart's parameter",
                            rule.id, unique.reference
                        ));
                    }
                }
            }
            UnitVerb::Placement(false) => problems.push(format!(
                "rule {}: `placement: false` checks nothing",
                rule.id
            )),
            UnitVerb::PrimaryUnits(_) | UnitVerb::UnitsPerRegion(_) | UnitVerb::Placement(true) => {
            }
        }
    }
    problems
}
