//! The interpreter of the rule vocabulary: every cross-field rule is catalog data (`rules:` of a
//! chart file, `docs/catalog-format.md`), and this module knows no chart. Each verb reads the
//! paths its instances name, on the merged values, and reports with the rule's severity, its
//! message (or the verb's) and the guide lines of its catalog entry.
//!
//! A rule path is a parameter path, `list[].field` (that field of every item of a list parameter,
//! or of the YAML list a template block holds), `list[]` (every item) or `release` (the release
//! name the user gave). Values that still hold an envsubst placeholder (`${X}`) count as given
//! and are not compared.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::inputs::release_name;
use super::util::{code_list, is_empty, is_on, number, placeholder, shown, text};
use super::{Ctx, Out};
use crate::catalog::registry::platform;
use crate::catalog::{
    Compare, Condition, ForbiddenKeys, Kind, Match, OpenEgress, Operand, Pattern, References,
    Requires, Rule, State, Target, Verb,
};
use crate::diagnostic::RuleId;
use crate::kinds::{is_uuid, is_uuid_v4, quantity_value};

/// Runs every rule of the chart: one evaluation per verb.
pub(crate) fn run(ctx: &Ctx, out: &mut Out) {
    for (rule, source) in ctx.chart.rules.iter().zip(&ctx.plan.rule_sources) {
        let mut run = Run {
            ctx,
            rule,
            id: RuleId::Catalog(rule.id.clone()),
            source,
            out: &mut *out,
        };
        match &rule.verb {
            Verb::Requires(list) => list.iter().for_each(|instance| run.requires(instance)),
            Verb::Together(groups) => groups.iter().for_each(|group| run.together(group)),
            Verb::References(list) => list.iter().for_each(|instance| run.references(instance)),
            Verb::Unique(paths) => paths.iter().for_each(|path| run.unique(path)),
            Verb::Equal(groups) => groups.iter().for_each(|group| run.equal(group)),
            Verb::Pattern(list) => list.iter().for_each(|instance| run.pattern(instance)),
            Verb::Compare(list) => list.iter().for_each(|instance| run.compare(instance)),
            Verb::PriorityClass(paths) => paths.iter().for_each(|path| run.priority_class(path)),
            Verb::UuidV4(paths) => paths.iter().for_each(|path| run.uuid_v4(path)),
            Verb::ForbiddenKeys(spec) => run.forbidden_keys(spec),
            Verb::OpenEgress(list) => list.iter().for_each(|instance| run.open_egress(instance)),
        }
    }
}

/// One value a rule path yields, and the path a finding about it names.
struct Entry {
    at: String,
    value: Value,
}

/// The values a rule path yields on the merged values (none when absent or null).
fn entries(ctx: &Ctx, path: &str) -> Vec<Entry> {
    if path == "release" {
        return given_release(ctx)
            .map(|name| Entry {
                at: "release".into(),
                value: Value::from(name),
            })
            .into_iter()
            .collect();
    }
    if let Some(name) = path.strip_prefix(SECRET_PREFIX) {
        return filled_secret_name(ctx, name)
            .map(|created| Entry {
                at: name.to_string(),
                value: Value::from(created),
            })
            .into_iter()
            .collect();
    }
    let Some((base, rest)) = path.split_once("[]") else {
        return ctx
            .get(path)
            .map(|value| Entry {
                at: path.to_string(),
                value: value.clone(),
            })
            .into_iter()
            .collect();
    };
    let field = rest.strip_prefix('.').unwrap_or(rest);
    let Some(value) = ctx.get(base) else {
        return Vec::new();
    };
    // A list parameter names its items by index; a template block holding a list cannot.
    let (items, indexed) = match value {
        Value::Sequence(items) => (items.clone(), true),
        Value::String(block) if !block.contains("{{") && placeholder(value).is_none() => {
            match ctx.parse_block(block).as_ref() {
                Ok(Value::Sequence(items)) => (items.clone(), false),
                _ => (Vec::new(), false),
            }
        }
        _ => (Vec::new(), false),
    };
    items
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let value = if field.is_empty() {
                item
            } else {
                item.get(field)?.clone()
            };
            if value.is_null() {
                return None;
            }
            let at = match (indexed, field.is_empty()) {
                (true, true) => format!("{base}[{index}]"),
                (true, false) => format!("{base}[{index}].{field}"),
                (false, _) => base.to_string(),
            };
            Some(Entry { at, value })
        })
        .collect()
}

/// A rule path `secret:<name>`: the name the chart's Secret `<name>` is created under (the
/// catalog's, or the one its `name_param` gives), only while some key of it is filled in: what
/// secrets.yaml and commands.sh then create.
pub(crate) const SECRET_PREFIX: &str = "secret:";

fn filled_secret_name(ctx: &Ctx, name: &str) -> Option<String> {
    let spec = ctx.chart.secrets.iter().find(|spec| spec.name == name)?;
    let filled = ctx
        .answers
        .secrets
        .get(&spec.name)?
        .values()
        .any(|value| !is_empty(Some(value)));
    filled.then(|| spec.effective_name(ctx.merged()))
}

fn given_release<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    ctx.answers
        .release
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

fn holds(ctx: &Ctx, condition: &Condition) -> bool {
    let found = entries(ctx, condition.path());
    let set = match condition.equals() {
        Some(wanted) => found.iter().any(|entry| {
            text(&entry.value).is_some_and(|t| Some(t.trim()) == text(wanted).as_deref())
        }),
        None => found.iter().any(|entry| !is_empty(Some(&entry.value))),
    };
    let on = found.iter().any(|entry| is_on(Some(&entry.value)));
    match condition.state() {
        State::Set => set,
        State::Empty => !set,
        State::On => on,
        State::Off => !on,
    }
}

fn all_hold(ctx: &Ctx, conditions: &[Condition]) -> bool {
    conditions.iter().all(|condition| holds(ctx, condition))
}

/// The value at a path as a message shows it (`empty` when there is none).
fn shown_at(ctx: &Ctx, path: &str) -> String {
    entries(ctx, path)
        .first()
        .map_or_else(|| "empty".to_string(), |entry| shown(&entry.value))
}

/// What a condition asks, as the end of "`x` must …".
fn expected(condition: &Condition) -> String {
    match (condition.equals(), condition.state()) {
        (Some(wanted), State::Empty) => format!("not hold {}", shown(wanted)),
        (Some(wanted), _) => format!("hold {}", shown(wanted)),
        (None, State::Set) => "be given".into(),
        (None, State::Empty) => "be empty".into(),
        (None, State::On) => "be true".into(),
        (None, State::Off) => "be false".into(),
    }
}

/// The parameter a rule path reads (`list[].field` → `list`), where findings about it point.
fn base_of(path: &str) -> &str {
    path.split_once("[]").map_or(path, |(base, _)| base)
}

/// Fills `{name}` placeholders of a message.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    vars.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
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

/// Whether `file` lies inside the folder `mount`.
fn under(mount: &str, file: &str) -> bool {
    let mount = folder(mount);
    mount == "/"
        || file
            .strip_prefix(mount)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `*` matches one or more characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        let Some(at) = rest.get(1..).and_then(|tail| tail.find(part)) else {
            return false;
        };
        rest = rest.get(at + 1 + part.len()..).unwrap_or_default();
    }
    rest.len() > last.len() && rest.ends_with(last)
}

/// The last four characters of a text, lower-cased: the guides' "short id".
fn short(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    (count >= 4).then(|| {
        trimmed
            .chars()
            .skip(count - 4)
            .collect::<String>()
            .to_lowercase()
    })
}

/// A pattern with its placeholders filled in, or `None` while one of them has no value.
fn expand(ctx: &Ctx, pattern: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open)?);
        let after = rest.get(open + 1..)?;
        let close = after.find('}')?;
        let inside = after.get(..close)?;
        let filled = if inside == "release" {
            release_name(ctx).ok()?
        } else {
            let (path, shorten) = match inside.strip_prefix("short:") {
                Some(path) => (path, true),
                None => (inside, false),
            };
            let value = ctx.get(path)?;
            if placeholder(value).is_some() {
                return None;
            }
            let value = text(value)?;
            if shorten {
                short(&value)?
            } else {
                value.trim().to_string()
            }
        };
        out.push_str(&filled);
        rest = after.get(close + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// One rule being run.
struct Run<'r, 'a> {
    ctx: &'r Ctx<'a>,
    rule: &'r Rule,
    id: RuleId,
    source: &'r str,
    out: &'r mut Out,
}

impl Run<'_, '_> {
    /// Reports at `path` with the rule's message, or the verb's `default`.
    fn report(&mut self, path: &str, default: &str, vars: &[(&str, String)]) {
        let template = self.rule.message.as_deref().unwrap_or(default);
        let message = fill(template, vars);
        self.out.push(
            self.rule.severity,
            path,
            self.id.clone(),
            message,
            self.source,
        );
    }

    /// A finding about the shape of a value, whatever the rule's message says.
    fn report_fixed(&mut self, path: &str, message: String) {
        self.out.push(
            self.rule.severity,
            path,
            self.id.clone(),
            message,
            self.source,
        );
    }

    fn when_vars(&self, when: &[Condition]) -> Vec<(&'static str, String)> {
        when.first()
            .map(|first| {
                vec![
                    ("when", first.path().to_string()),
                    ("when_value", shown_at(self.ctx, first.path())),
                ]
            })
            .unwrap_or_default()
    }

    fn requires(&mut self, r: &Requires) {
        let ctx = self.ctx;
        if !all_hold(ctx, &r.when) {
            return;
        }
        let when = self.when_vars(&r.when);
        let gated = !r.when.is_empty();
        for condition in &r.all {
            if holds(ctx, condition) {
                continue;
            }
            let path = base_of(condition.path());
            let mut vars = vec![
                ("path", path.to_string()),
                ("value", shown_at(ctx, path)),
                ("expected", expected(condition)),
                (
                    "expected_value",
                    condition.equals().map(shown).unwrap_or_default(),
                ),
            ];
            vars.extend(when.iter().cloned());
            let default = if gated {
                "`{when}` is {when_value}, so `{path}` must {expected}; it is {value}"
            } else {
                "`{path}` must {expected}; it is {value}"
            };
            self.report(path, default, &vars);
        }
        if let Some(first) = r.any.first() {
            if !r.any.iter().any(|condition| holds(ctx, condition)) {
                let paths: Vec<&str> = r.any.iter().map(|c| base_of(c.path())).collect();
                let path = base_of(first.path());
                let mut vars = vec![
                    ("path", path.to_string()),
                    ("value", shown_at(ctx, path)),
                    ("paths", code_list(&paths)),
                    ("expected", expected(first)),
                ];
                vars.extend(when.iter().cloned());
                let default = if gated {
                    "`{when}` is {when_value}, so one of {paths} must {expected}"
                } else {
                    "one of {paths} must {expected}"
                };
                self.report(path, default, &vars);
            }
        }
        for path in &r.warns_if_set {
            for entry in entries(ctx, path) {
                if is_empty(Some(&entry.value)) {
                    continue;
                }
                let mut vars = vec![
                    ("path", entry.at.clone()),
                    ("value", shown(&entry.value)),
                    ("count", count_text(&entry.value)),
                ];
                vars.extend(when.iter().cloned());
                let default = if gated {
                    "`{path}` is {value}, but `{when}` is {when_value}, so the chart ignores it"
                } else {
                    "`{path}` is {value}; the chart ignores it"
                };
                self.report(&entry.at, default, &vars);
            }
        }
    }

    fn together(&mut self, group: &[String]) {
        let ctx = self.ctx;
        let given: Vec<&str> = group
            .iter()
            .map(String::as_str)
            .filter(|path| holds(ctx, &Condition::Set((*path).to_string())))
            .collect();
        if given.is_empty() || given.len() == group.len() {
            return;
        }
        for path in group {
            if given.contains(&path.as_str()) {
                continue;
            }
            let vars = [
                ("path", path.clone()),
                ("others", code_list(&given)),
                ("paths", code_list(group)),
            ];
            self.report(
                path,
                "`{path}` is empty while {others} is given; give {paths} together, or none of them",
                &vars,
            );
        }
    }

    fn references(&mut self, r: &References) {
        let ctx = self.ctx;
        if !all_hold(ctx, &r.when) {
            return;
        }
        let declared: Vec<String> =
            r.to.iter()
                .filter(|target| match target {
                    Target::Path(_) => true,
                    Target::Gated { when, .. } => all_hold(ctx, when),
                })
                .flat_map(|target| entries(ctx, target.path()))
                .filter_map(|entry| text(&entry.value))
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
                .collect();
        let targets: Vec<&str> = r.to.iter().map(Target::path).collect();
        for from in &r.from {
            for entry in entries(ctx, from) {
                if placeholder(&entry.value).is_some() {
                    continue;
                }
                let Some(whole) = text(&entry.value) else {
                    continue;
                };
                let names: Vec<&str> = match &r.split {
                    Some(separator) => whole.split(separator.as_str()).collect(),
                    None => vec![whole.as_str()],
                };
                for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
                    let found = match r.matching {
                        Match::Equal => declared.iter().any(|d| d == name),
                        Match::Folder => declared.iter().any(|d| folder(d) == folder(name)),
                        Match::Under => {
                            !name.starts_with('/') || declared.iter().any(|d| under(d, name))
                        }
                    };
                    if found {
                        continue;
                    }
                    let declared_text = if declared.is_empty() {
                        "nothing".to_string()
                    } else {
                        code_list(&declared)
                    };
                    let vars = [
                        ("path", entry.at.clone()),
                        ("name", name.to_string()),
                        ("declared", declared_text),
                        ("to", code_list(&targets)),
                    ];
                    self.report(
                        &entry.at,
                        "`{path}` names \"{name}\", which {to} does not declare (it holds {declared})",
                        &vars,
                    );
                }
            }
        }
    }

    fn unique(&mut self, path: &str) {
        let ctx = self.ctx;
        let base = base_of(path);
        // A block that holds something other than one list cannot be read item by item.
        if let Some(Value::String(block)) = ctx.get(base) {
            if !block.contains("{{") && placeholder(&Value::from(block.as_str())).is_none() {
                let why = match ctx.parse_block(block).as_ref() {
                    Ok(Value::Sequence(_) | Value::Null) => None,
                    Ok(other) => Some(format!("it holds {}", shown(other))),
                    Err(error) => Some(format!("it is not valid YAML ({error})")),
                };
                if let Some(why) = why {
                    self.report_fixed(
                        base,
                        format!("`{base}` must be one YAML list (`- name: …` entries), but {why}; the chart takes this one entry, so every item goes into that one list"),
                    );
                    return;
                }
            }
        }
        let mut seen = BTreeSet::new();
        for entry in entries(ctx, path) {
            let Some(name) = text(&entry.value) else {
                continue;
            };
            let name = name.trim().to_string();
            if name.is_empty() || seen.insert(name.clone()) {
                continue;
            }
            let vars = [("path", entry.at.clone()), ("name", name)];
            self.report(&entry.at, "`{path}` holds \"{name}\" twice", &vars);
        }
    }

    fn equal(&mut self, group: &[String]) {
        let ctx = self.ctx;
        let mut first: Option<(String, Value)> = None;
        for path in group {
            for entry in entries(ctx, path) {
                if is_empty(Some(&entry.value)) || placeholder(&entry.value).is_some() {
                    continue;
                }
                let Some((first_at, first_value)) = &first else {
                    first = Some((entry.at, entry.value));
                    continue;
                };
                if text(&entry.value) == text(first_value)
                    && entry.value.is_string() == first_value.is_string()
                {
                    continue;
                }
                let vars = [
                    ("path", entry.at.clone()),
                    ("value", shown(&entry.value)),
                    ("other", first_at.clone()),
                    ("other_value", shown(first_value)),
                    ("paths", code_list(group)),
                ];
                self.report(
                    &entry.at,
                    "`{path}` is {value}, but `{other}` is {other_value}; {paths} must be identical",
                    &vars,
                );
            }
        }
    }

    fn pattern(&mut self, p: &Pattern) {
        let ctx = self.ctx;
        if !all_hold(ctx, &p.when) {
            return;
        }
        for entry in entries(ctx, &p.path) {
            if placeholder(&entry.value).is_some() {
                continue;
            }
            let Some(given) = text(&entry.value) else {
                continue;
            };
            let alternatives: Vec<String> = p
                .any_of
                .iter()
                .filter_map(|pattern| expand(ctx, pattern))
                .collect();
            // A pattern whose values are not given yet cannot be checked.
            if alternatives.is_empty() {
                continue;
            }
            let parts: Vec<&str> = match &p.split {
                Some(separator) => given.split(separator.as_str()).map(str::trim).collect(),
                None => vec![given.trim()],
            };
            let Some(part) = parts
                .into_iter()
                .find(|part| !alternatives.iter().any(|pattern| glob(pattern, part)))
            else {
                continue;
            };
            let quoted: Vec<String> = alternatives.iter().map(|a| format!("\"{a}\"")).collect();
            let vars = [
                ("path", entry.at.clone()),
                ("value", shown(&entry.value)),
                ("part", format!("\"{part}\"")),
                ("expected", quoted.join(" or ")),
            ];
            self.report(
                &entry.at,
                "`{path}` is {value}, but the guide's rule gives {expected} (`*` is any text)",
                &vars,
            );
        }
    }

    fn compare(&mut self, c: &Compare) {
        let ctx = self.ctx;
        if !all_hold(ctx, &c.when) {
            return;
        }
        let Some(value) = ctx.get(&c.path) else {
            return;
        };
        if placeholder(value).is_some() {
            return;
        }
        let quantity = ctx
            .chart
            .param(&c.path)
            .is_some_and(|param| param.kind == Kind::Quantity);
        let amount = |value: &Value| {
            if quantity {
                quantity_value(value)
            } else {
                number(value)
            }
        };
        let Some(left) = amount(value) else {
            // A quantity that is no quantity is the field check's finding.
            if !quantity && value.is_string() {
                self.report_fixed(&c.path, not_a_number(&c.path, value));
            }
            return;
        };
        for (relation, operand) in [("at most", &c.le), ("at least", &c.ge)] {
            let Some(operand) = operand else {
                continue;
            };
            let (right, limit, limit_value) = match operand {
                Operand::Number(n) => (*n, number_text(*n), number_text(*n)),
                Operand::Path(path) => {
                    let Some(other) = ctx.get(path) else {
                        continue;
                    };
                    if placeholder(other).is_some() {
                        continue;
                    }
                    let Some(right) = amount(other) else {
                        if !quantity && other.is_string() {
                            self.report_fixed(path, not_a_number(path, other));
                        }
                        continue;
                    };
                    (right, format!("`{path}`"), shown(other))
                }
            };
            let broken = if relation == "at most" {
                left > right
            } else {
                left < right
            };
            if broken {
                let vars = [
                    ("path", c.path.clone()),
                    ("value", shown(value)),
                    ("relation", relation.to_string()),
                    ("limit", limit),
                    ("limit_value", limit_value),
                ];
                self.report(
                    &c.path,
                    "`{path}` is {value}, but it must be {relation} {limit} ({limit_value})",
                    &vars,
                );
            }
        }
    }

    fn priority_class(&mut self, path: &str) {
        let Some(value) = self.ctx.get(path) else {
            return;
        };
        if is_empty(Some(value)) || placeholder(value).is_some() {
            return;
        }
        let classes: Vec<&str> = platform()
            .map(|platform| platform.priority_classes.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|class| class.name.as_str())
            .collect();
        if value
            .as_str()
            .is_some_and(|name| classes.contains(&name.trim()))
        {
            return;
        }
        let vars = [
            ("path", path.to_string()),
            ("value", shown(value)),
            ("classes", code_list(&classes)),
        ];
        self.report(
            path,
            "`{path}` is {value}, which is not one of the priority classes of the platform guide; use {classes}, or leave it empty",
            &vars,
        );
    }

    fn uuid_v4(&mut self, path: &str) {
        let Some(Value::String(id)) = self.ctx.get(path) else {
            return;
        };
        let id = id.trim();
        if !is_uuid(id) || is_uuid_v4(id) {
            return;
        }
        let version = id.chars().nth(14).unwrap_or('?');
        let vars = [
            ("path", path.to_string()),
            ("value", format!("\"{id}\"")),
            ("version", version.to_string()),
        ];
        self.report(
            path,
            "`{path}` is {value}, a UUID of version {version} (the 13th hex digit) or of another variant; it must be a version-4 UUID: generate a new one",
            &vars,
        );
    }

    fn forbidden_keys(&mut self, spec: &ForbiddenKeys) {
        let mut found = Vec::new();
        find_keys(self.ctx.merged(), String::new(), spec, &mut found);
        let instead = spec
            .instead
            .clone()
            .unwrap_or_else(|| "a Kubernetes Secret".into());
        for path in found {
            let vars = [("path", path.clone()), ("instead", instead.clone())];
            self.report(
                &path,
                "`{path}` must not be in values.yaml; put it in {instead}",
                &vars,
            );
        }
    }

    fn open_egress(&mut self, spec: &OpenEgress) {
        let Some(Value::Sequence(items)) = self.ctx.get(&spec.path) else {
            return;
        };
        for (index, item) in items.iter().enumerate() {
            let Some(cidr) = item.get(spec.cidr.as_str()).and_then(text) else {
                continue;
            };
            let cidr = cidr.trim();
            let no_port = item.get(spec.port.as_str()).is_none_or(Value::is_null);
            if matches!(cidr, "0.0.0.0/0" | "::/0") && no_port {
                let at = format!("{}[{index}]", spec.path);
                let vars = [("path", at.clone()), ("cidr", cidr.to_string())];
                self.report(&at, "`{path}` allows {cidr} on every port", &vars);
            }
        }
    }
}

fn not_a_number(path: &str, value: &Value) -> String {
    format!(
        "`{path}` is {}; expected a number (written as text where the chart takes text, e.g. \"5\")",
        shown(value)
    )
}

/// A number as a person writes it: `40`, not `40.0`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// `1 entry`, `3 entries`, or the value shown.
fn count_text(value: &Value) -> String {
    match value {
        Value::Sequence(items) if items.len() == 1 => "1 entry".into(),
        Value::Sequence(items) => format!("{} entries", items.len()),
        other => shown(other),
    }
}

/// Whether a key's name, lower-cased with only letters and digits, contains the forbidden word
/// and is not the name of a reference to it (`clientSecretName`).
fn is_forbidden_key(key: &str, spec: &ForbiddenKeys) -> bool {
    let squashed: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    squashed.contains(&spec.contains)
        && !spec
            .except_suffixes
            .iter()
            .any(|suffix| squashed.ends_with(suffix.as_str()))
}

fn find_keys(value: &Value, path: String, spec: &ForbiddenKeys, found: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let Some(key) = key.as_str() else { continue };
                let child_path = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                if is_forbidden_key(key, spec) && !child.is_null() {
                    found.push(child_path);
                } else {
                    find_keys(child, child_path, spec, found);
                }
            }
        }
        Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                find_keys(child, format!("{path}[{index}]"), spec, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_stars_as_some_text() {
        assert!(glob("ixn-server-*", "ixn-server-0100"));
        assert!(!glob("ixn-server-*", "ixn-server-"));
        assert!(!glob("ixn-server-*", "ixn-0100"));
        assert!(glob("t80dd", "t80dd"));
        assert!(!glob("t80dd", "t80dde"));
        assert!(glob("a*b*c", "axbyc"));
        assert!(!glob("a*b*c", "abc"));
    }

    #[test]
    fn client_secret_keys() {
        let spec = ForbiddenKeys {
            contains: "clientsecret".into(),
            except_suffixes: ["name", "ref", "key", "file", "path"]
                .map(String::from)
                .to_vec(),
            instead: None,
        };
        for key in [
            "client_secret",
            "clientSecret",
            "client-secret",
            "GENESYS_CLIENT_SECRET",
        ] {
            assert!(is_forbidden_key(key, &spec), "{key}");
        }
        for key in [
            "client_id",
            "clientSecretName",
            "secret",
            "client-secret-ref",
        ] {
            assert!(!is_forbidden_key(key, &spec), "{key}");
        }
    }

    #[test]
    fn folders_and_files() {
        assert!(under("/opt/genesys/", "/opt/genesys/x"));
        assert!(!under("/opt/gen", "/opt/genesys/x"));
        assert!(under("/", "/x"));
        assert_eq!(
            short("9350e2fc-a1dd-4c65-8d40-1f75a2e080DD").as_deref(),
            Some("80dd")
        );
        assert_eq!(short("100"), None);
    }
}
