//! The group file as the page saves and links it: the group as read, written back in the group file's own format without any secret value, and the `#g1.` link that carries that text and is read back through the same boundary as a file.
//!
//! A saved file and a link are the same text: [`group_yaml`] of [`group_without_secrets`]. What
//! is secret is the environment's decision, reused: a secret shared fact (the pull-secret
//! credentials, the ORS Redis password) at any level, every chart Secret value, every credential
//! in a `sensitive` parameter (`environment::without_secrets`, `mask::holds_credential`). The
//! text is written by the product's emitter, so [`super::parse_group`] reads it back as it was
//! (comments and YAML anchors of the user's own file are not kept: an alias is written out).
//! A link is input like any other: inflated to at most [`MAX_INPUT_BYTES`] and refused past it
//! (never cut short, since a cut YAML text can still read as a smaller group), then read by
//! `parse_group`, then stripped of any secret a crafted link might carry.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::{parse_group, Cluster, GroupFile, Placement, TenantSpec, UnitSpec};
use crate::environment::{ChartBody, ChartSource, EnvironmentFile};
use crate::yaml::read::MAX_INPUT_BYTES;

/// Fragments of unit-group links start with this (a chart's `v1.`, an environment's `e1.`).
pub const GROUP_FRAGMENT_PREFIX: &str = "g1.";

/// An environment file holding only `shared` and `charts`, to hand to the environment's own
/// secret stripping.
fn as_environment(
    shared: &BTreeMap<String, Value>,
    charts: &BTreeMap<String, ChartBody>,
) -> EnvironmentFile {
    EnvironmentFile {
        environment: String::new(),
        shared: shared.clone(),
        charts: charts.clone(),
        sources: BTreeMap::new(),
        air_gapped: false,
    }
}

fn shared_without_secrets(shared: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    crate::environment::without_secrets(&as_environment(shared, &BTreeMap::new())).shared
}

/// The group without anything secret: no secret shared fact at the group, unit or tenant level,
/// no chart Secret value, no credential in a `sensitive` parameter of any placement's charts.
/// What "Save group file" and the `#g1.` link hold.
pub fn group_without_secrets(file: &GroupFile) -> GroupFile {
    let mut kept = file.clone();
    kept.shared = shared_without_secrets(&kept.shared);
    for unit in &mut kept.units {
        unit.shared = shared_without_secrets(&unit.shared);
    }
    for tenant in &mut kept.tenants {
        tenant.shared = shared_without_secrets(&tenant.shared);
        for placement in &mut tenant.units {
            placement.charts = crate::environment::without_secrets(&as_environment(
                &BTreeMap::new(),
                &placement.charts,
            ))
            .charts;
        }
    }
    kept
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

fn facts_map(facts: &BTreeMap<String, Value>) -> Value {
    Value::Mapping(
        facts
            .iter()
            .map(|(id, value)| (text(id), value.clone()))
            .collect(),
    )
}

fn sources_map(sources: &BTreeMap<String, ChartSource>) -> Value {
    Value::Mapping(
        sources
            .iter()
            .map(|(id, source)| {
                (
                    text(id),
                    serde_yaml::to_value(source).unwrap_or(Value::Null),
                )
            })
            .collect(),
    )
}

fn cluster_map(cluster: &Cluster) -> Value {
    let mut map = Mapping::new();
    for (key, value) in [
        ("server", &cluster.server),
        ("name", &cluster.name),
        ("context", &cluster.context),
    ] {
        if let Some(value) = value {
            map.insert(text(key), text(value));
        }
    }
    Value::Mapping(map)
}

fn unit_map(unit: &UnitSpec) -> Value {
    let mut map = Mapping::new();
    map.insert(text("name"), text(&unit.name));
    map.insert(text("region"), text(&unit.region));
    map.insert(text("role"), text(unit.role.as_str()));
    map.insert(text("cluster"), cluster_map(&unit.cluster));
    if !unit.facts.is_empty() {
        map.insert(text("facts"), facts_map(&unit.facts));
    }
    if !unit.shared.is_empty() {
        map.insert(text("shared"), facts_map(&unit.shared));
    }
    if !unit.sources.is_empty() {
        map.insert(text("sources"), sources_map(&unit.sources));
    }
    if unit.air_gapped {
        map.insert(text("air_gapped"), Value::Bool(true));
    }
    Value::Mapping(map)
}

fn placement_map(placement: &Placement) -> Value {
    let mut map = Mapping::new();
    if !placement.facts.is_empty() {
        map.insert(text("facts"), facts_map(&placement.facts));
    }
    if !placement.charts.is_empty() {
        map.insert(
            text("charts"),
            Value::Mapping(
                placement
                    .charts
                    .iter()
                    .map(|(id, body)| (text(id), serde_yaml::to_value(body).unwrap_or(Value::Null)))
                    .collect(),
            ),
        );
    }
    Value::Mapping(map)
}

fn tenant_map(tenant: &TenantSpec) -> Value {
    let mut map = Mapping::new();
    map.insert(text("name"), text(&tenant.name));
    if let Some(master) = &tenant.master {
        map.insert(text("master"), text(master));
    }
    if !tenant.shared.is_empty() {
        map.insert(text("shared"), facts_map(&tenant.shared));
    }
    map.insert(
        text("units"),
        Value::Mapping(
            tenant
                .units
                .iter()
                .map(|placement| (text(&placement.unit), placement_map(placement)))
                .collect(),
        ),
    );
    Value::Mapping(map)
}

/// The group in the group file's format, as a value tree in the file's key order.
fn group_value(file: &GroupFile) -> Value {
    let mut map = Mapping::new();
    map.insert(text("group"), text(&file.group));
    if !file.shared.is_empty() {
        map.insert(text("shared"), facts_map(&file.shared));
    }
    if !file.sources.is_empty() {
        map.insert(text("sources"), sources_map(&file.sources));
    }
    if file.air_gapped {
        map.insert(text("air_gapped"), Value::Bool(true));
    }
    map.insert(
        text("units"),
        Value::Sequence(file.units.iter().map(unit_map).collect()),
    );
    if !file.tenants.is_empty() {
        map.insert(
            text("tenants"),
            Value::Sequence(file.tenants.iter().map(tenant_map).collect()),
        );
    }
    Value::Mapping(map)
}

/// The group file as YAML, written by the values.yaml emitter so `parse_group` reads it back as
/// it was. Its first line says whether it holds secret values, read from the file itself. Refused
/// when the text would be more than a group file may hold ([`MAX_INPUT_BYTES`]): written out, an
/// alias of the user's file takes its full size, and a file that could not be read back is not
/// worth saving or linking.
pub fn group_yaml(file: &GroupFile) -> Result<String, String> {
    let mut out = String::from(if *file == group_without_secrets(file) {
        "# pe-configurator unit-group file (no secret values): pecfg plan --group FILE --out DIR\n"
    } else {
        "# pe-configurator unit-group file, with secret values (keep it private): pecfg plan --group FILE --out DIR\n"
    });
    out.push_str(&crate::yaml::write::value_to_yaml(&group_value(file)));
    if out.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "the group written out is {} KiB (every alias of the file written in full), more than \
             the {} KiB a group file may hold: keep your own file instead",
            out.len() / 1024,
            MAX_INPUT_BYTES / 1024
        ));
    }
    Ok(out)
}

/// The file name "Save group file" offers: `<group>-group.yaml` (the group's name is a DNS-1123
/// label, so it is a plain file name).
pub fn group_file_name(file: &GroupFile) -> String {
    format!("{}-group.yaml", file.group)
}

/// The group's saved text: [`group_yaml`] of [`group_without_secrets`].
pub fn saved_group_text(file: &GroupFile) -> Result<String, String> {
    group_yaml(&group_without_secrets(file))
}

/// The `#g1.` fragment (without `#`) of a group: its saved text, without secrets, deflated and
/// base64url-encoded.
pub fn encode_group_fragment(file: &GroupFile) -> Result<String, String> {
    let text = saved_group_text(file)
        .map_err(|error| format!("this group cannot be written as a link: {error}"))?;
    crate::share::pack(GROUP_FRAGMENT_PREFIX, text.as_bytes())
        .map_err(|error| format!("this group cannot be written as a link: {error}"))
}

/// Reads a fragment made by [`encode_group_fragment`] (the `#` optional): inflated to at most
/// [`MAX_INPUT_BYTES`] and refused past it, read through `parse_group`, and any secret a crafted
/// link carries dropped. The message says what is wrong with the link, never what it holds.
pub fn decode_group_fragment(fragment: &str) -> Result<GroupFile, String> {
    let bytes = crate::share::unpack_at_most(GROUP_FRAGMENT_PREFIX, fragment, MAX_INPUT_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| "the link holds no text".to_string())?;
    let file = parse_group(&text).map_err(|error| format!("the link is refused: {error}"))?;
    Ok(group_without_secrets(&file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> GroupFile {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/groups/example.yaml"
        ))
        .expect("the example group");
        parse_group(&text).expect("the example reads")
    }

    const SECRETS: [&str; 6] = [
        "tok€n'!$(rm -rf /)",
        "ors 'pw' $x",
        "pa$$w0rd'\"`!",
        "ixn-pa$$",
        "node 200 pw",
        "s3cr3t-'quote'-$VAR",
    ];

    #[test]
    fn the_saved_file_reads_back_as_the_group_without_its_secrets() {
        let file = example();
        let saved = saved_group_text(&file).expect("saved");
        assert!(saved.starts_with("# pe-configurator unit-group file (no secret values)"));
        for secret in SECRETS {
            assert!(!saved.contains(secret), "{secret} in\n{saved}");
        }
        // Not secret: the names, the facts, the clusters, the non-secret shared facts.
        for kept in [
            "eu-west-a",
            "dc-eu-west-a",
            "https://eu-west-a.k8s.example.com:6443",
            "registry.ap-south.example.com",
            "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd",
            "pg-ixn.eu-west-a.example.com",
        ] {
            assert!(saved.contains(kept), "{kept} missing from\n{saved}");
        }
        let reread = parse_group(&saved).expect("the saved file reads back");
        assert_eq!(reread, group_without_secrets(&file));
        // Saving again changes nothing.
        assert_eq!(saved_group_text(&reread).expect("again"), saved);
        assert_eq!(group_file_name(&file), "acme-group.yaml");
    }

    #[test]
    fn a_file_with_secrets_says_so_in_its_first_line() {
        let written = group_yaml(&example()).expect("written");
        assert!(written.starts_with("# pe-configurator unit-group file, with secret values"));
        assert_eq!(parse_group(&written).expect("reads back"), example());
    }

    #[test]
    fn the_link_round_trips_without_secrets() {
        let file = example();
        let fragment = encode_group_fragment(&file).expect("a link");
        assert!(fragment.starts_with(GROUP_FRAGMENT_PREFIX));
        let opened = decode_group_fragment(&format!("#{fragment}")).expect("reads back");
        assert_eq!(opened, group_without_secrets(&file));
        let inflated =
            crate::share::unpack_at_most(GROUP_FRAGMENT_PREFIX, &fragment, MAX_INPUT_BYTES)
                .expect("inflates");
        let inflated = String::from_utf8(inflated).expect("text");
        for secret in SECRETS {
            assert!(!inflated.contains(secret), "{secret} in the link");
        }
    }

    #[test]
    fn a_crafted_link_loses_its_secrets_and_a_damaged_one_is_refused() {
        let text = "group: g\nshared:\n  pull_secret: {username: robot-x, password: link-pw-1}\nunits:\n  - {name: a, region: r, role: primary, cluster: {context: c}}\ntenants:\n  - name: t\n    units:\n      a: {charts: {ixn: {values: {replicaCount: 1}, secrets: {kafka-shared-secret: {kafka-secrets: link-kafka-2}}}}}\n";
        let fragment = crate::share::pack(GROUP_FRAGMENT_PREFIX, text.as_bytes()).expect("packed");
        let opened = decode_group_fragment(&fragment).expect("accepted");
        let shown = format!("{opened:?}");
        for secret in ["link-pw-1", "link-kafka-2", "robot-x"] {
            assert!(!shown.contains(secret), "{secret} kept");
        }
        for (broken, why) in [
            ("#g1.%%%", "not base64url"),
            ("#e1.AAAA", "not made by pe-configurator"),
            ("#g1.AAAA", "does not decompress"),
        ] {
            let error = decode_group_fragment(broken).expect_err(broken);
            assert!(error.contains(why), "{broken}: {error}");
        }
        let bad =
            crate::share::pack(GROUP_FRAGMENT_PREFIX, b"group: g\nunits: []\n").expect("packed");
        assert!(decode_group_fragment(&bad)
            .expect_err("refused")
            .contains("the link is refused: group file: units is empty"));
    }

    #[test]
    fn a_link_that_inflates_past_the_limit_is_refused_not_cut() {
        // A valid group, then a comment long enough to pass the bound: cut at the bound, it would
        // still read as a group.
        let mut text = String::from(
            "group: g\nunits:\n  - {name: a, region: r, role: primary, cluster: {context: c}}\n#",
        );
        text.push_str(&"x".repeat(MAX_INPUT_BYTES));
        let fragment = crate::share::pack(GROUP_FRAGMENT_PREFIX, text.as_bytes()).expect("packed");
        assert!(fragment.len() < 16 * 1024, "deflate packs it small");
        let error = decode_group_fragment(&fragment).expect_err("refused");
        assert!(error.contains("too large"), "{error}");
    }
}
